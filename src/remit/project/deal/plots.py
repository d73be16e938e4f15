"""Pictures of a deal projection: each class's balance and cash flows by scenario, as PNG
(matplotlib, the Agg backend) and as one interactive HTML file that works offline (plotly's
JavaScript in the file, no CDN)."""

from __future__ import annotations

import numpy as np

from remit.project.deal.projection import DealProjection
from remit.project.plots import MAX_LINES, _colour, _figure, _png


def _classes(p: DealProjection, field: str) -> list[str]:
    """The classes with something to draw: a balance (for balances) or any cash."""
    spec = p.start.spec
    names = [c.name for c in spec.principal_classes] if field == "ending_balance" else []
    if field != "ending_balance":
        names = [c.name for c in spec.classes if np.any(p.class_field(c.name, "cash") > 0)]
    return names or [c.name for c in spec.classes[:1]]


def _panels(p: DealProjection, field: str, title: str) -> bytes:
    names = _classes(p, field)
    fig, axes = _figure(len(names))
    dates = np.array(p.dates, dtype="datetime64[D]")
    for ax, name in zip(axes, names, strict=True):
        values = p.class_field(name, field)
        for s, sc in enumerate(p.scenarios[:MAX_LINES]):
            ax.plot(dates, values[s] / 1e6, label=sc.name, color=_colour(s))
        ax.set_title(f"{name}: {title}")
        ax.set_ylabel("millions")
    axes[0].legend(fontsize="small", ncols=2)
    axes[-1].set_xlabel("distribution date")
    return _png(fig)


def balances_png(p: DealProjection) -> bytes:
    """Each certificate class's balance by date, one line a scenario."""
    return _panels(p, "ending_balance", "balance")


def cash_flows_png(p: DealProjection) -> bytes:
    """Each class's cash (interest, principal and any other cash) by date, one line a
    scenario."""
    return _panels(p, "cash", "cash received")


def interactive_html(p: DealProjection) -> str:
    """One self-contained HTML page: each class's balance and cash by scenario."""
    import plotly.graph_objects as go  # type: ignore[import-untyped]
    from plotly.subplots import make_subplots  # type: ignore[import-untyped]

    panels = [(n, "ending_balance", "balance") for n in _classes(p, "ending_balance")]
    panels += [(n, "cash", "cash received") for n in _classes(p, "cash")]
    fig = make_subplots(
        rows=len(panels), cols=1, subplot_titles=[f"{n}: {t}" for n, _, t in panels]
    )
    dates = [d.isoformat() for d in p.dates]
    for r, (name, field, _) in enumerate(panels, start=1):
        values = p.class_field(name, field)
        for s, sc in enumerate(p.scenarios[:MAX_LINES]):
            fig.add_trace(
                go.Scatter(
                    x=dates,
                    y=values[s],
                    name=sc.name,
                    legendgroup=sc.name,
                    showlegend=r == 1,
                    line={"color": _colour(s)},
                ),
                row=r,
                col=1,
            )
    fig.update_layout(height=260 * len(panels), title=f"{p.start.deal_id}: classes by scenario")
    html: str = fig.to_html(include_plotlyjs=True, full_html=True)
    return html
