"""Read a statement printed in the CTSLink EDGAR layout back into cells.

The reader walks the same template the renderer fills: each table is found by its caption,
each key-value line by its label, each class row by the column positions of the template's
row format (values are matched to the nearest column, in order, so that drifting columns
and missing cells are read correctly)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from remit.statement.layout import PLACEHOLDER, VARIABLE, Slot, segments, template_lines

MARKER = re.compile(r"^\s*<s>", re.I)
WORD = re.compile(r"\S+")


def norm(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass
class Table:
    caption: list[str]
    body: list[tuple[int, str]]
    line: int


@dataclass
class ReadResult:
    """cells[(section, row, column)] = printed text; problems: what could not be read."""

    cells: dict[tuple[str, str, str], str] = field(default_factory=dict)
    lines: dict[tuple[str, str, str], int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def tables(lines: list[str]) -> list[Table]:
    out: list[Table] = []
    cur: list[tuple[int, str]] | None = None
    for no, line in enumerate(lines, 1):
        s = line.strip().upper()
        if s.startswith("<TABLE>"):
            cur = []
            start = no
        elif s.startswith("</TABLE>") and cur is not None:
            caption: list[str] = []
            body: list[tuple[int, str]] = []
            seen_marker = False
            in_fn = False
            for n, text in cur:
                if MARKER.match(text):
                    seen_marker = True
                    continue
                st = text.strip().upper()
                if st.startswith("<FN>"):
                    in_fn = True
                if in_fn:
                    if st.startswith("</FN>"):
                        in_fn = False
                    continue
                if not seen_marker:
                    if not st.startswith("<CAPTION>"):
                        caption.append(text)
                elif text.strip() and not st.startswith("<"):
                    body.append((n, text))
            out.append(Table(caption, body, start))
            cur = None
        elif cur is not None:
            cur.append((no, line))
    return out


def _signature(caption: list[str]) -> str:
    for line in caption:
        s = line.strip()
        if s and not s.startswith("@") and "{{" not in s:
            return norm(s)
    return ""


@dataclass
class Run:
    start: int
    end: int
    text: str


def runs(line: str, split_at: tuple[int, ...] = ()) -> list[Run]:
    """Words joined into runs at single spaces; two spaces, or a column start, separate runs."""
    out: list[Run] = []
    for m in WORD.finditer(line):
        if out and m.start() - out[-1].end == 1 and m.start() not in split_at:
            prev = out[-1]
            out[-1] = Run(prev.start, m.end(), line[prev.start : m.end()])
        else:
            out.append(Run(m.start(), m.end(), m.group()))
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


def read(
    text: str, variables: dict[str, str] | None = None, template: str = "ctslink"
) -> ReadResult:
    """Read every cell of a statement in the template's layout."""
    res = ReadResult()
    doc = tables(text.split("\n"))
    tpl = tables(list(template_lines(template)))
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
        _read_table(t, doc[found], res, variables or {})
    return res


def _label_of(line: str, variables: dict[str, str]) -> str:
    first = PLACEHOLDER.search(line)
    literal = line[: first.start()] if first else line
    return norm(VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), literal))


def _labels_match(template_label: str, doc_label: str) -> bool:
    if "{{" in template_label:
        pattern = re.escape(template_label).replace(r"\{\{", "{{").replace(r"\}\}", "}}")
        pattern = re.sub(r"\{\{\w+\}\}", r".+?", pattern)
        return re.fullmatch(pattern, doc_label) is not None
    return template_label == doc_label


def _read_table(t: Table, d: Table, res: ReadResult, variables: dict[str, str]) -> None:
    items = [text for _, text in t.body]
    lines = d.body
    i = 0

    def anchor(item: str, line: str) -> bool:
        if item.startswith("@totals"):
            return norm(line).startswith("totals")
        if item.startswith("@rows"):
            return False
        if PLACEHOLDER.search(item):
            kv = _kv_split(line)
            return kv is not None and _labels_match(_label_of(item, variables), norm(kv[0]))
        return norm(item) == norm(line)

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
                    _read_row(sec, formats, group, res, kind == "@totals")
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
        label = _label_of(item, variables)
        slot = next(s.slot for s in segments(item) if s.slot is not None)
        for j in range(i, len(lines)):
            kv = _kv_split(lines[j][1])
            if kv and _labels_match(label, norm(kv[0])):
                sec, row, *col = slot.path.split("/")
                key = (sec, row, col[0] if col else "value")
                res.cells[key] = kv[1]
                res.lines[key] = lines[j][0]
                i = j + 1
                break
        else:
            res.problems.append(f"{slot.path}: line {label!r} not found")


def _read_row(
    sec: str, formats: list[str], group: list[tuple[int, str]], res: ReadResult, totals: bool
) -> None:
    label = "Totals" if totals else ""
    values: dict[str, tuple[str, int]] = {}
    for fmt, (no, line) in zip(formats, group, strict=True):
        slots = [s.slot for s in segments(fmt) if s.slot is not None]
        if not slots:
            continue
        splits = tuple(s.pos for s in slots if s.align == "<" and s.path != "label")
        rs = runs(line, splits)
        got = assign(rs, slots)
        if got is None:
            res.problems.append(f"line {no}: {len(rs)} values where {sec} has {len(slots)} columns")
            continue
        if "label" in got:
            label = got.pop("label")
        elif any(s.path == "label" for s in slots):
            pass
        for k, v in got.items():
            values[k] = (v, no)
    row = " ".join(label.split())
    for col, (v, no) in values.items():
        res.cells[(sec, row, col)] = v
        res.lines[(sec, row, col)] = no
