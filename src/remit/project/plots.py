"""Pictures of a projection: balances and cash flows by scenario, as PNG (matplotlib, the Agg
backend, no display needed) and as one interactive HTML file that works offline (plotly's
JavaScript bundled in the file, no CDN)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from remit.project.engine import CollateralFlows

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_LINES = 40  # scenarios drawn (the first ones) so that a picture stays readable


def _figure(rows: int) -> tuple[Figure, list[Axes]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 3.6 * rows), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(rows, 1, r + 1) for r in range(rows)]
    return fig, axes


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _series(flows: CollateralFlows, name: str) -> list[tuple[str, np.ndarray]]:
    values = flows.total(name)
    return [(sc.name, values[s]) for s, sc in enumerate(flows.scenarios[:MAX_LINES])]


def balances_png(flows: CollateralFlows) -> bytes:
    """Ending balance and the defaulted (delinquent) pipeline by month, one line a scenario."""
    fig, (top, bottom) = _figure(2)
    months = np.arange(1, flows.months + 1)
    for name, v in _series(flows, "ending_balance"):
        top.plot(months, v / 1e6, label=name)
    for name, v in _series(flows, "pipeline_balance"):
        bottom.plot(months, v / 1e6, label=name)
    top.set_title("Collateral balance by scenario")
    top.set_ylabel("millions")
    bottom.set_title("Defaulted balance awaiting liquidation")
    bottom.set_ylabel("millions")
    bottom.set_xlabel("month")
    top.legend(fontsize="small", ncols=2)
    return _png(fig)


def cash_flows_png(flows: CollateralFlows) -> bytes:
    """Principal, net interest and losses by month, one line a scenario."""
    fig, axes = _figure(3)
    months = np.arange(1, flows.months + 1)
    for ax, (field, title) in zip(
        axes,
        (("principal", "Principal received"), ("net_interest", "Net interest"), ("loss", "Losses")),
        strict=True,
    ):
        for name, v in _series(flows, field):
            ax.plot(months, v / 1e6, label=name)
        ax.set_title(title)
        ax.set_ylabel("millions")
    axes[0].legend(fontsize="small", ncols=2)
    axes[-1].set_xlabel("month")
    return _png(fig)


def interactive_html(flows: CollateralFlows) -> str:
    """One self-contained HTML page: balance, principal, interest and losses by scenario."""
    import plotly.graph_objects as go  # type: ignore[import-untyped]
    from plotly.subplots import make_subplots  # type: ignore[import-untyped]

    panels = (
        ("ending_balance", "Balance"),
        ("principal", "Principal received"),
        ("net_interest", "Net interest"),
        ("loss", "Losses"),
    )
    fig = make_subplots(rows=len(panels), cols=1, subplot_titles=[t for _, t in panels])
    months = np.arange(1, flows.months + 1)
    for r, (field, _) in enumerate(panels, start=1):
        for s, (name, v) in enumerate(_series(flows, field)):
            fig.add_trace(
                go.Scatter(
                    x=months,
                    y=v,
                    name=name,
                    legendgroup=name,
                    showlegend=r == 1,
                    line={"color": _colour(s)},
                ),
                row=r,
                col=1,
            )
    fig.update_layout(height=300 * len(panels), title="Collateral projection by scenario")
    fig.update_xaxes(title_text="month", row=len(panels), col=1)
    html: str = fig.to_html(include_plotlyjs=True, full_html=True)
    return html


def _colour(i: int) -> str:
    palette = (
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
        "#17becf",
    )
    return palette[i % len(palette)]
