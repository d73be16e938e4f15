"""A deal's history as chart series: one point per closed date (its current version).

Exact figures come from the store (history rows, the stored statements); percentages and
speeds are floats (analytics). Each chart names its series; the page's script draws one path
per series, and the browser tests count them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from remit.publish.analytics import Speeds, life
from remit.publish.history import months
from remit.store import HistoryRow, Store

DELINQUENCY_SERIES = (
    ("30", "30 days"),
    ("60", "60 days"),
    ("90+", "90+ days"),
    ("foreclosure", "Foreclosure"),
    ("reo", "REO"),
)


@dataclass
class Series:
    name: str
    points: list[float | None]


@dataclass
class Chart:
    key: str
    title: str
    unit: str  # money | pct | factor
    series: list[Series] = field(default_factory=list)

    def add(self, name: str) -> Series:
        s = Series(name, [])
        self.series.append(s)
        return s

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "series": [{"name": s.name, "points": s.points} for s in self.series],
        }


@dataclass
class DealHistory:
    deal_id: str
    dates: list[str]
    rows: list[HistoryRow]
    charts: list[Chart]
    speeds: list[Speeds]

    def to_dict(self) -> dict[str, Any]:
        return {
            "deal": self.deal_id,
            "dates": self.dates,
            "charts": [c.to_dict() for c in self.charts],
        }


def _pct(part: Decimal, whole: Decimal) -> float:
    return float(part / whole * 100) if whole else 0.0


def _cell(doc: dict[str, Any], section: str, row: str, column: str = "value") -> Decimal | None:
    for s in doc["sections"]:
        if s["key"] != section:
            continue
        for r in s["rows"]:
            if r["key"] == row and column in r["cells"]:
                v = r["cells"][column]["value"]
                return Decimal(v) if isinstance(v, str | int) else None
    return None


def _section_rows(doc: dict[str, Any], section: str) -> list[tuple[str, Decimal]]:
    for s in doc["sections"]:
        if s["key"] == section:
            return [
                (r["label"], Decimal(r["cells"]["value"]["value"]))
                for r in s["rows"]
                if "value" in r["cells"] and isinstance(r["cells"]["value"]["value"], str)
            ]
    return []


def deal_history(store: Store, deal_id: str) -> DealHistory:
    """The deal's charts over its closed dates (latest versions)."""
    ms = months(store, deal_id)
    rows = [m.row for m in ms]
    docs = [m.statement for m in ms]
    month_speeds = [m.speeds for m in ms]
    charts = [
        _pool(rows),
        _factors(rows),
        _delinquency(rows),
        _speeds(month_speeds),
        _losses(rows),
    ]
    charts += _enhancement(rows, docs)
    return DealHistory(
        deal_id, [r.distribution_date.isoformat() for r in rows], rows, charts, month_speeds
    )


def _pool(rows: list[HistoryRow]) -> Chart:
    c = Chart("pool", "Pool balance", "money")
    c.add("Pool balance").points = [float(r.pool_ending) for r in rows]
    return c


def _factors(rows: list[HistoryRow]) -> Chart:
    c = Chart("factors", "Class factors", "factor")
    names = [p.name for p in rows[0].classes] if rows else []
    for name in names:
        points: list[float | None] = []
        for r in rows:
            cp = next((x for x in r.classes if x.name == name), None)
            face = cp.original_face if cp else Decimal(0)
            points.append(float(cp.ending_balance / face) if cp and face else None)
        if any(p is not None for p in points):
            c.add(name).points = points
    return c


def _delinquency(rows: list[HistoryRow]) -> Chart:
    c = Chart("delinquency", "Delinquency (% of pool balance)", "pct")
    for key, name in DELINQUENCY_SERIES:
        c.add(name).points = [_pct(r.delinquency[key][1], r.pool_ending) for r in rows]
    return c


def _speeds(months: list[Speeds]) -> Chart:
    c = Chart("speeds", "Prepayment and default speeds (CPR, CDR, %)", "pct")
    c.add("CPR").points = [m.cpr * 100 for m in months]
    c.add("CDR").points = [m.cdr * 100 for m in months]
    c.add("Life CPR").points = [life(months[: i + 1]).cpr * 100 for i in range(len(months))]
    return c


def _losses(rows: list[HistoryRow]) -> Chart:
    c = Chart("losses", "Realized losses", "money")
    c.add("Realized loss").points = [float(r.realized_losses) for r in rows]
    c.add("Cumulative loss").points = [float(r.cumulative_loss) for r in rows]
    return c


def _enhancement(rows: list[HistoryRow], docs: list[dict[str, Any]]) -> list[Chart]:
    """OC deals: excess spread, and the OC against its target. Shifting-interest deals: the
    senior and subordinate percentages."""
    if docs and _cell(docs[0], "collateral", "excess_cash") is not None:
        spread = Chart("excess_spread", "Excess spread (annualized % of pool)", "pct")
        spread.add("Excess spread").points = [
            _pct((_cell(d, "collateral", "excess_cash") or Decimal(0)) * 12, r.pool_beginning)
            for r, d in zip(rows, docs, strict=True)
        ]
        oc = Chart("oc", "Overcollateralization against its target", "money")
        oc.add("OC amount").points = [float(_cell(d, "collateral", "oc_amount") or 0) for d in docs]
        oc.add("OC target").points = [
            float(_cell(d, "collateral", "specified_oc") or 0) for d in docs
        ]
        return [spread, oc]
    labels = [label for label, _ in _section_rows(docs[0], "si_percentages")] if docs else []
    if not labels:
        return []
    pct = Chart("percentages", "Senior and subordinate percentages", "pct")
    for label in labels:
        points: list[float | None] = []
        for d in docs:
            found = dict(_section_rows(d, "si_percentages")).get(label)
            points.append(float(found) if found is not None else None)
        pct.add(label).points = points
    return [pct]
