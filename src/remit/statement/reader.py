"""Read a statement printed in the CTSLink EDGAR layout back into cells.

The reader walks the same template the renderer fills: each table is found by its caption,
each key-value line by its label, each class row by the column positions of the template's
row format (values are matched to the nearest column, in order, so that drifting columns
and missing cells are read correctly).

What real filings do, and how it is read:

* an 8-K or 10-D submission with several documents: each ``<DOCUMENT>`` is read and the one
  that holds the statement (most cells, fewest problems) is kept;
* page furniture (form feeds, ``<PAGE>``, "Page 2 of 5", centred page numbers) is dropped;
* footnotes (``<FN>``) are kept apart, for the denominations they state;
* headings wrapped over several lines are matched by their words, not their line breaks;
* labels with typos are matched to the template's label by similarity when no label
  matches exactly (one edit in a long label, not a different line);
* numbers with or without thousands separators, or cut by the column width
  (``1,039,673,900.0``), are kept as printed; ``values`` parses them, and
  :func:`printed_places` says how many decimals were printed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from remit.statement.families import Family, Furniture, detect, of_template
from remit.statement.formats import parse_number
from remit.statement.layout import PLACEHOLDER, VARIABLE, Slot, segments, template_lines
from remit.statement.model import Cell, Row, Section, Statement, Value

MARKER = re.compile(r"^\s*<s>", re.I)
WORD = re.compile(r"\S+")
#: a word that is a printed number: two numbers one space apart are two cells, not one
NUMBER_WORD = re.compile(r"^\(?-?\$?\d[\d,]*(?:\.\d*)?%?\)?$")
RULE = re.compile(r"^[-=\s]*$")
# [ \t], not \s: \s spans line ends, and a run of blank lines would be scanned once per line
DOCUMENT = re.compile(r"^[ \t]*<DOCUMENT>[ \t]*$", re.I | re.M)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
NUMERIC_FORMATS = frozenset(
    {"money", "pct5", "pct6", "factor", "factor6", "factor_c", "ratio8", "int", "int0", "num2"}
)
#: decimals each numeric format prints in full
NOMINAL_PLACES = {
    "money": 2,
    "pct5": 5,
    "pct6": 6,
    "factor": 8,
    "factor6": 6,
    "factor_c": 8,
    "ratio8": 8,
    "int": 0,
    "int0": 0,
    "num2": 2,
}
#: the most digits a printed figure may have before and after its point: every real statement
#: prints far fewer (amounts below 10^15, factors and rates to 8 decimals); a longer number is
#: refused rather than read, so that no arithmetic on it loses digits
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 10
#: two labels are the same line when they are at least this similar (a typo or two)
LABEL_SIMILARITY = 0.9

Key = tuple[str, str, str]


def norm(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass
class Table:
    caption: list[str]
    body: list[tuple[int, str]]
    line: int
    footnotes: list[str] = field(default_factory=list)


@dataclass
class ReadResult:
    """cells[(section, row, column)] = printed text; problems: what could not be read.

    ``formats`` holds each cell's template format (``money``, ``pct5``, ``factor`` ...),
    ``lines`` the line of the submission it was read from, ``labels`` the printed label of
    each key-value line, ``footnotes`` the text of the tables' footnotes and ``header`` the
    record and distribution dates."""

    cells: dict[Key, str] = field(default_factory=dict)
    lines: dict[Key, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    formats: dict[Key, str] = field(default_factory=dict)
    footnotes: list[str] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)
    labels: dict[Key, str] = field(default_factory=dict)
    layout: str = "ctslink"
    #: the layout family read (``ctslink``, ``bankers-trust``; empty: no known family)
    family: str = "ctslink"
    #: what the text looks like, when it is in no known family: its tables' captions
    captions: list[str] = field(default_factory=list)

    def value(self, key: Key) -> Value:
        """The cell's value, typed by its format: Decimal, int or str (None if absent)."""
        text = self.cells.get(key)
        if text is None:
            return None
        return typed(text, self.formats.get(key, "text"))


def typed(text: str, fmt: str) -> Value:
    """A printed cell as a value: Decimal for money, rates and factors, int for counts."""
    if fmt not in NUMERIC_FORMATS:
        return text
    v = parse_number(text)
    if v is None:
        return None
    if fmt in ("int", "int0"):
        return int(v)
    return v


def printed_places(text: str) -> int:
    """How many decimals a number was printed with ('1,039,673,900.0' -> 1)."""
    t = text.strip().rstrip("%)")
    return len(t) - t.index(".") - 1 if "." in t else 0


def prepare(text: str) -> str:
    """Normalise what transport does to a filing: CRLF, form feeds, tabs, control bytes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if "\t" in text:
        text = "\n".join(line.expandtabs(8) for line in text.split("\n"))
    return CONTROL.sub(" ", text)


def tables(lines: list[str], furniture: Furniture | None = None) -> list[Table]:
    """The ``<TABLE>`` blocks of a text: caption, body (the family's page furniture dropped),
    footnotes."""
    out: list[Table] = []
    cur: list[tuple[int, str]] | None = None
    start = 0
    for no, line in enumerate(lines, 1):
        s = line.strip().upper()
        if s.startswith("<TABLE>"):
            cur = []
            start = no
        elif s.startswith("</TABLE>") and cur is not None:
            out.append(_table(cur, start, furniture))
            cur = None
        elif cur is not None:
            cur.append((no, line))
    return out


def _table(cur: list[tuple[int, str]], start: int, furniture: Furniture | None) -> Table:
    caption: list[str] = []
    body: list[tuple[int, str]] = []
    notes: list[str] = []
    seen_marker = False
    in_fn = False
    for n, text in cur:
        if MARKER.match(text):
            seen_marker = True
            continue
        st = text.strip().upper()
        if st.startswith("<FN>"):
            in_fn = True
            continue
        if in_fn:
            if st.startswith("</FN>"):
                in_fn = False
            else:
                notes.append(text)
            continue
        if not seen_marker:
            if not st.startswith("<CAPTION>"):
                caption.append(text)
        elif text.strip() and not st.startswith("<"):
            body.append((n, text))
    if furniture is not None:
        body = furniture.drop(body)
    return Table(caption, body, start, [" ".join(" ".join(notes).split())] if notes else [])


def _signature(caption: list[str]) -> str:
    """What finds a template table in a text: its ``@caption`` line, else its first caption
    line that is neither a rule nor a placeholder."""
    for line in caption:
        if line.startswith("@caption "):
            return norm(line.removeprefix("@caption "))
    for line in caption:
        s = line.strip()
        if s and not s.startswith("@") and "{{" not in s and not RULE.match(s):
            return norm(s)
    return ""


def captions(text: str, limit: int = 8) -> list[str]:
    """What a text looks like: the first line of each table's caption (rules and markers
    aside), each once (none when it has no tables)."""
    out: list[str] = []
    for t in tables(text.split("\n")):
        line = next(
            (
                " ".join(c.split())
                for c in t.caption
                if c.strip() and not RULE.match(c.strip()) and not c.strip().startswith("<")
            ),
            "",
        )
        if line and line not in out:
            out.append(line[:80])
    return out[:limit]


@dataclass
class Run:
    start: int
    end: int
    text: str


def runs(line: str, split_at: tuple[int, ...] = ()) -> list[Run]:
    """Words joined into runs at single spaces; two spaces, or a column start, separate runs."""
    out: list[Run] = []
    last = ""
    for m in WORD.finditer(line):
        word = m.group()
        if (
            out
            and m.start() - out[-1].end == 1
            and m.start() not in split_at
            and not (NUMBER_WORD.match(last) and NUMBER_WORD.match(word))
        ):
            prev = out[-1]
            out[-1] = Run(prev.start, m.end(), line[prev.start : m.end()])
        else:
            out.append(Run(m.start(), m.end(), word))
        last = word
    return out


def _cost(run: Run, slot: Slot) -> int:
    if slot.align == ">":
        return abs(run.end - slot.pos)
    if slot.align == "<":
        return abs(run.start - slot.pos)
    return abs((run.start + run.end) // 2 - slot.pos // 2)


def assign(rs: list[Run], slots: list[Slot]) -> dict[str, str] | None:
    """Match runs to slots in order, minimising the total distance (runs <= slots)."""
    n, m = len(rs), len(slots)
    if n > m:
        return None
    inf = 10**9
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    best[0] = [0] * (m + 1)
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            take = best[i - 1][j - 1] + _cost(rs[i - 1], slots[j - 1])
            skip = best[i][j - 1] if j > i else inf
            best[i][j] = min(take, skip)
    out: dict[str, str] = {}
    i, j = n, m
    while i > 0:
        if j > i and best[i][j] == best[i][j - 1]:
            j -= 1
            continue
        out[slots[j - 1].path] = rs[i - 1].text
        i, j = i - 1, j - 1
    return out


def _kv_split(text: str) -> tuple[str, str] | None:
    rs = runs(text)
    if len(rs) < 2:
        return None
    label = text[: rs[-1].start].strip()
    return label, rs[-1].text


@lru_cache(maxsize=4)
def _template_tables(template: str) -> tuple[Table, ...]:
    return tuple(tables(list(template_lines(template))))


def row_sections(template: str = "ctslink") -> frozenset[str]:
    """Sections printed one line (or line group) per row: their rows are keyed by label."""
    out = set()
    for t in _template_tables(template):
        for _, item in t.body:
            if item.startswith(("@rows ", "@totals ")):
                out.add(item.split(" ", 2)[1])
    return frozenset(out)


LAYOUTS = ("ctslink", "ctslink_senior_sub")
NOT_REPORTED = "N/A"  # printed for a figure the servicer did not report


def read(
    text: str, variables: dict[str, str] | None = None, template: str | None = None
) -> ReadResult:
    """Read every cell of a statement in the template's layout; with no template, detect the
    layout family from the text (:func:`remit.statement.families.detect`) and read it in each
    of the family's variants, keeping the reading with the fewest problems and the most cells.
    A text in no known family gives a reading with no cells, ``family`` empty and the text's
    ``captions``.

    A submission with several documents is read document by document, and the one that
    reads best is kept (with its line numbers counted from the start of the submission)."""
    if template is None:
        fam = detect(text)
        if fam is None:
            return ReadResult(layout="", family="", captions=captions(prepare(text)))
        readings = []
        for name in _likely_first(fam.templates, norm(text)):
            reading = read(text, variables, name)
            if not reading.problems:
                return reading  # read whole: the layout it is in
            readings.append(reading)
        return min(readings, key=lambda r: (len(r.problems), -len(r.cells)))
    text = prepare(text)
    starts = [m.start() for m in DOCUMENT.finditer(text)]
    if len(starts) <= 1:
        return _read_one(text, variables or {}, template, 0)
    best: ReadResult | None = None
    bounds = [0, *starts, len(text)]
    for a, b in itertools.pairwise(bounds):
        chunk = text[a:b]
        if "<TABLE>" not in chunk.upper():
            continue
        offset = text.count("\n", 0, a)
        res = _read_one(chunk, variables or {}, template, offset)
        if best is None or (len(res.problems), -len(res.cells)) < (
            len(best.problems),
            -len(best.cells),
        ):
            best = res
    return best if best is not None else _read_one(text, variables or {}, template, 0)


def _likely_first(templates: tuple[str, ...] | list[str], normalized: str) -> list[str]:
    """A family's variants, the one whose table captions the text has most of first (so a
    statement is usually read once)."""

    def found(template: str) -> int:
        return sum(1 for label in _labels(template) if label in normalized)

    return sorted(templates, key=found, reverse=True)


@lru_cache(maxsize=8)
def _labels(template: str) -> frozenset[str]:
    """The literal row labels a template prints (its lines' text before the first figure)."""
    out = set()
    for t in _template_tables(template):
        for _, item in t.body:
            if item.startswith("@"):
                continue
            label = _label_of(item, {})
            if len(label) > 3 and "{{" not in label:
                out.add(label)
    return frozenset(out)


def _read_one(text: str, variables: dict[str, str], template: str, offset: int) -> ReadResult:
    fam = of_template(template)
    res = ReadResult(layout=template, family=fam.name)
    doc = tables(text.split("\n"), fam.furniture)
    if offset:
        for d in doc:
            d.body = [(n + offset, line) for n, line in d.body]
    tpl = _template_tables(template)
    for key, pattern in fam.header.items():
        # line by line: a pattern's \s* cannot then scan a run of blank lines once per line
        m = next(filter(None, map(pattern.search, text.split("\n"))), None)
        if m:
            res.header[key] = fam.date(m.group("date"))
    pos = 0
    for t in tpl:
        sig = _signature(t.caption)
        found = None
        for k in range(pos, len(doc)):
            if not sig or sig in norm(" ".join(doc[k].caption)):
                found = k
                break
        if found is None:
            res.problems.append(f"section {sig or '(untitled)'!r}: not found")
            continue
        pos = found + 1
        res.footnotes.extend(doc[found].footnotes)
        _read_table(t, doc[found], res, variables, fam)
    _check_numbers(res, fam)
    return res


def _check_numbers(res: ReadResult, fam: Family) -> None:
    """Every numeric cell a number, its negatives printed as the family prints them."""
    wrong_sign = "-" if fam.negative == "parentheses" else "("
    for key, fmt in res.formats.items():
        text = res.cells[key]
        if fmt not in NUMERIC_FORMATS or text == NOT_REPORTED:
            continue
        value = parse_number(text)
        if value is None:
            res.problems.append(f"line {res.lines[key]}: {'/'.join(key)}: {text!r} is not a number")
        elif _digits(value) is not None:
            res.problems.append(f"line {res.lines[key]}: {'/'.join(key)}: {_digits(value)}")
        elif text.strip().startswith(wrong_sign):
            how = "in parentheses" if fam.negative == "parentheses" else "with a minus sign"
            res.problems.append(
                f"line {res.lines[key]}: {'/'.join(key)}: {text!r}: negatives are {how} here"
            )


def _digits(value: Decimal) -> str | None:
    """What is wrong with a printed number's digits (more than remit reads), or None."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return "not a finite number"
    decimals = max(0, -exponent)
    whole = len(digits) + min(0, exponent) if exponent < 0 else len(digits) + exponent
    if whole <= MAX_INTEGER_DIGITS and decimals <= MAX_DECIMALS:
        return None
    return (
        f"{whole} digits before the point, {decimals} after "
        f"(remit reads at most {MAX_INTEGER_DIGITS} and {MAX_DECIMALS})"
    )


def _label_of(line: str, variables: dict[str, str]) -> str:
    first = PLACEHOLDER.search(line)
    literal = line[: first.start()] if first else line
    return norm(VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), literal))


@lru_cache(maxsize=512)
def _label_pattern(template_label: str) -> re.Pattern[str]:
    pattern = re.escape(template_label).replace(r"\{\{", "{{").replace(r"\}\}", "}}")
    return re.compile(re.sub(r"\{\{\w+\}\}", r".+?", pattern))


def _labels_match(template_label: str, doc_label: str) -> bool:
    if "{{" in template_label:
        return _label_pattern(template_label).fullmatch(doc_label) is not None
    return template_label == doc_label


def _similar(template_label: str, doc_label: str) -> bool:
    """A label with a typo: the same words but for an edit or two."""
    a = re.sub(r"\{\{\w+\}\}", "", template_label)
    if abs(len(a) - len(doc_label)) > max(3, len(a) // 8):
        return False
    return SequenceMatcher(None, a, doc_label).ratio() >= LABEL_SIMILARITY


def _values_after(label: str, line: str, slots: int) -> list[Run] | None:
    """The values of a line that starts with ``label`` and prints up to ``slots`` figures
    after it (an empty label: a line of figures only); None if it is not such a line."""
    rs = runs(line)
    if not label:
        ok = 0 < len(rs) <= slots and all(NUMBER_WORD.match(r.text) for r in rs)
        return rs if ok else None
    for cut in range(1, len(rs)):
        if _labels_match(label, norm(line[: rs[cut].start])):
            return rs[cut:] if len(rs) - cut <= slots else None
    return None


def _read_table(
    t: Table, d: Table, res: ReadResult, variables: dict[str, str], fam: Family
) -> None:
    items = [text for _, text in t.body]
    lines = d.body
    i = 0

    def anchor(item: str, line: str) -> bool:
        if item.startswith("@totals"):
            return norm(line).startswith("total")
        if item.startswith("@rows"):
            return False
        slots = [s for s in segments(item) if s.slot is not None]
        if len(slots) > 1:
            return _values_after(_label_of(item, variables), line, len(slots)) is not None
        if slots:
            kv = _kv_split(line)
            return kv is not None and _labels_match(_label_of(item, variables), norm(kv[0]))
        return norm(item) == norm(line)

    aliases = dict(fam.vocabulary.get("group_rows", {}))
    for k, item in enumerate(items):
        if item.startswith(("@rows ", "@totals ")):
            kind, sec, fmt_line = item.split(" ", 2)
            formats = [f for f in fmt_line.split("\\n") if f.strip()]
            nxt = items[k + 1] if k + 1 < len(items) else None
            group: list[tuple[int, str]] = []
            while i < len(lines):
                no, line = lines[i]
                if nxt is not None and not group and anchor(nxt, line):
                    break
                group.append((no, line))
                i += 1
                if len(group) == len(formats):
                    _read_row(sec, formats, group, res, kind == "@totals", aliases)
                    group = []
                    if kind == "@totals":
                        break
            if group:
                res.problems.append(f"line {group[0][0]}: incomplete row in {sec}")
            continue
        if not PLACEHOLDER.search(item):
            if i < len(lines) and norm(lines[i][1]) == norm(item):
                i += 1
            continue
        i = _read_line(item, lines, i, res, variables)


def _key(path: str) -> Key:
    sec, row, *col = path.split("/")
    return (sec, row, col[0] if col else "value")


def _read_line(
    item: str, lines: list[tuple[int, str]], i: int, res: ReadResult, variables: dict[str, str]
) -> int:
    """Read a key-value line of the template (a label and one figure, or a label and a figure
    per column) from line ``i`` on; the index after the line read (``i`` if not found)."""
    label = _label_of(item, variables)
    slots = [s.slot for s in segments(item) if s.slot is not None]
    if len(slots) > 1:
        return _read_columns(label, slots, lines, i, res)
    slot = slots[0]
    found = _find_label(label, lines, i)
    if found is None:
        res.problems.append(f"{slot.path}: line {label!r} not found")
        return i
    j, value, printed = found
    key = _key(slot.path)
    res.cells[key] = value
    res.labels[key] = printed
    res.lines[key] = lines[j][0]
    res.formats[key] = slot.fmt
    return j + 1


def _read_columns(
    label: str, slots: list[Slot], lines: list[tuple[int, str]], i: int, res: ReadResult
) -> int:
    """A label followed by a figure per column (loan groups and their total): the first line
    from ``i`` that starts with the label (failing that, a similar label: a typo)."""
    found: tuple[int, list[Run]] | None = None
    for j in range(i, len(lines)):
        values = _values_after(label, lines[j][1], len(slots))
        if values is not None:
            found = (j, values)
            break
    if found is None and label:
        for j in range(i, len(lines)):
            rs = runs(lines[j][1])
            n = sum(1 for r in rs[1:] if NUMBER_WORD.match(r.text) or r.text.isalpha())
            cut = max(1, len(rs) - min(n, len(slots)))
            if _similar(label, norm(lines[j][1][: rs[cut].start] if cut < len(rs) else "")):
                found = (j, rs[cut:])
                break
    if found is None:
        res.problems.append(f"{slots[0].path}: line {label!r} not found")
        return i
    j, values = found
    got = assign(values, slots)
    if got is None:
        res.problems.append(f"line {lines[j][0]}: {len(values)} values for {len(slots)} columns")
        return j + 1
    fmts = {s.path: s.fmt for s in slots}
    printed = " ".join(lines[j][1][: values[0].start].split()) if values else ""
    for path, text in got.items():
        key = _key(path)
        res.cells[key] = text
        res.labels[key] = printed
        res.lines[key] = lines[j][0]
        res.formats[key] = fmts[path]
    return j + 1


def _find_label(
    label: str, lines: list[tuple[int, str]], start: int
) -> tuple[int, str, str] | None:
    """The first line from ``start`` whose label is ``label``; failing that, the first similar
    label among the lines left (a typo). Returns (index, value, printed label)."""
    splits: list[tuple[int, str, str] | None] = []
    for j in range(start, len(lines)):
        kv = _kv_split(lines[j][1])
        if kv and _labels_match(label, norm(kv[0])):
            return j, kv[1], kv[0]
        splits.append((j, kv[0], kv[1]) if kv else None)
    for entry in splits:
        if entry is not None and _similar(label, norm(entry[1])):
            return entry[0], entry[2], entry[1]
    return None


@lru_cache(maxsize=256)
def _row_slots(fmt: str) -> tuple[list[Slot], tuple[int, ...], tuple[str, ...]]:
    """A row format's slots, the columns where a left-aligned value starts a new run, and the
    literal words printed in the row (dropped from what is read)."""
    segs = segments(fmt)
    slots = [s.slot for s in segs if s.slot is not None]
    literals = tuple(norm(s.text) for s in segs if s.slot is None and s.text.strip())
    return slots, tuple(s.pos for s in slots if s.align == "<" and s.path != "label"), literals


def _drop_literals(rs: list[Run], literals: tuple[str, ...]) -> list[Run]:
    """The runs without the row's literal words: a run that is one ('PRINCIPAL BALANCE'), or
    the literal prefix of a run ('CLASS A-1F' -> 'A-1F')."""
    out = list(rs)
    for lit in literals:
        for n, r in enumerate(out):
            words = r.text.split(" ")
            lw = lit.split(" ")
            head = [w.lower() for w in words[: len(lw)]]
            if head != lw:
                continue
            if len(words) == len(lw):
                del out[n]
            else:
                rest = " ".join(words[len(lw) :])
                out[n] = Run(r.end - len(rest), r.end, rest)
            break
    return out


def _read_row(
    sec: str,
    formats: list[str],
    group: list[tuple[int, str]],
    res: ReadResult,
    totals: bool,
    aliases: dict[str, str] | None = None,
) -> None:
    label = "Totals" if totals else ""
    values: dict[str, tuple[str, int, str]] = {}
    for fmt, (no, line) in zip(formats, group, strict=True):
        slots, splits, literals = _row_slots(fmt)
        if not slots:
            continue
        rs = runs(line, splits)
        if literals:
            rs = _drop_literals(rs, literals)
        got = assign(rs, slots)
        if got is None:
            res.problems.append(f"line {no}: {len(rs)} values where {sec} has {len(slots)} columns")
            continue
        fmts = {s.path: s.fmt for s in slots}
        if "label" in got:
            printed = got.pop("label")
            label = "Totals" if totals else printed  # "Total", "TOTALS": one row key
        for k, v in got.items():
            values[k] = (v, no, fmts[k])
    row = " ".join(label.split())
    row = (aliases or {}).get(row.lower(), row)
    if not row:
        res.problems.append(f"line {group[0][0]}: a row of {sec} without a label")
        return
    for col, (v, no, fmt) in values.items():
        res.cells[(sec, row, col)] = v
        res.lines[(sec, row, col)] = no
        res.formats[(sec, row, col)] = fmt


def _short_date(text: str | None) -> date | None:
    if not text:
        return None
    m, d, y = (int(p) for p in text.split("/"))
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        return date(y, m, d)
    except ValueError:
        return None


def to_statement(res: ReadResult, template: str = "ctslink") -> Statement:
    """The cells read, as the statement model: one section per template section, in the
    template's order; rows of the row sections keyed by their printed label (``totals`` for
    Totals), rows of the key-value sections by their key; values typed by format."""
    grid = row_sections(template)
    order: list[str] = []
    rows: dict[str, dict[str, dict[str, Cell]]] = {}
    columns: dict[str, dict[str, str]] = {}
    for (sec, row, col), text in res.cells.items():
        if sec not in rows:
            order.append(sec)
            rows[sec] = {}
            columns[sec] = {}
        rows[sec].setdefault(row, {})[col] = Cell(typed(text, res.formats.get((sec, row, col), "")))
        columns[sec].setdefault(col, col)
    sections = []
    for sec in order:
        built = []
        for label, cells in rows[sec].items():
            key = ("totals" if label == "Totals" else label) if sec in grid else label
            built.append(Row(key, label, cells))
        sections.append(Section(sec, sec, columns[sec], tuple(built)))
    rd = _short_date(res.header.get("record_date"))
    dd = _short_date(res.header.get("distribution_date"))
    return Statement(
        deal_id="",
        distribution_date=dd or date.min,
        record_date=rd or date.min,
        variables={},
        title_lines=(),
        contact_lines=(),
        sections=tuple(sections),
        notes=tuple(res.footnotes),
    )
