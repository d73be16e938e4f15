"""The site's pages, rendered on the server (Jinja2): the deals, a deal's history and
charts, a period's statement with the explanation of a figure and its downloads."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from remit.errors import RemitError
from remit.publish.html import header, html_tables
from remit.publish.render import FORMATS, MEDIA_TYPES, download
from remit.statement.explain import explain, find_cell
from remit.web import periods
from remit.web.checks import NotFound, checked_date, checked_deal, checked_period
from remit.web.series import deal_history

router = APIRouter(include_in_schema=False)

FORMAT_NAMES = {
    "html": "HTML",
    "pdf": "PDF",
    "csv": "CSV (zip, one file per table)",
    "xlsx": "Excel",
    "json": "JSON",
    "edgar": "EDGAR text",
    "factors": "Factor file (CSV)",
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PackageLoader("remit.web", "templates"),
            jinja2.PackageLoader("remit.publish", "templates"),
        ]
    )
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)


def render_page(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def _settings(request: Request) -> Any:
    return request.app.state.settings


@router.get("/", response_class=HTMLResponse)
def deals_page(request: Request) -> HTMLResponse:
    deals = _settings(request).store.deals()
    return HTMLResponse(render_page("deals.html.j2", deals=deals))


@router.get("/deals/{deal_id}", response_class=HTMLResponse)
def deal_page(request: Request, deal_id: str) -> HTMLResponse:

    settings = _settings(request)
    checked_deal(settings, deal_id)
    history = deal_history(settings.store, deal_id)
    name = next(d.name for d in settings.store.deals() if d.deal_id == deal_id)
    return HTMLResponse(
        render_page(
            "deal.html.j2",
            deal_id=deal_id,
            name=name,
            history=history,
            chart_json=json.dumps(history.to_dict()).replace("</", "<\\/"),
        )
    )


@router.get("/deals/{deal_id}/{when}", response_class=HTMLResponse)
def period_page(
    request: Request,
    deal_id: str,
    when: str,
    section: str | None = None,
    row: str | None = None,
    column: str | None = None,
) -> HTMLResponse:

    settings = _settings(request)
    checked_deal(settings, deal_id)
    key = periods.latest(settings.store, deal_id, checked_date(when))
    if key is None:
        raise NotFound(f"{deal_id} has no closed date {when}")
    if not (section or row or column):
        html = periods.cached_page(key, lambda: _period_html(request, deal_id, when, None))
        return HTMLResponse(html)
    return HTMLResponse(_period_html(request, deal_id, when, (section, row, column)))


def _period_html(
    request: Request, deal_id: str, when: str, figure: tuple[str | None, ...] | None
) -> str:

    p = checked_period(_settings(request), deal_id, when)
    st = periods.extended_statement(_settings(request).store, p)
    explanation = None
    if figure is not None:
        section, row, column = (x or "" for x in figure)
        try:
            find_cell(st, section, row, column)
            explanation = explain(p.result, st, section, row, column)
        except RemitError as exc:
            raise NotFound("no such figure on the statement: " + str(exc.problems[0])) from exc

    def link(s: str, r: str, c: str) -> str:
        return f"?section={s}&row={quote(r)}&column={c}#explain"

    base = f"/deals/{deal_id}/{when}"
    downloads = [(f, FORMAT_NAMES[f], f"{base}/download/{f}") for f in FORMATS]
    all_tables = html_tables(st, link)
    return render_page(
        "period.html.j2",
        deal_id=deal_id,
        when=when,
        h=header(st),
        tables=[t for t in all_tables if not t.key.startswith("ext_")],
        extended_tables=[t for t in all_tables if t.key.startswith("ext_")],
        explanation=explanation,
        downloads=downloads,
        stored=p.stored,
    )


@router.get("/deals/{deal_id}/{when}/download/{fmt}")
def download_file(request: Request, deal_id: str, when: str, fmt: str) -> Response:

    if fmt not in FORMATS:
        raise NotFound(f"no format {fmt!r} ({', '.join(FORMATS)})")
    p = checked_period(_settings(request), deal_id, when)
    name, data = download(p.statement, fmt)
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/statement.css")
def statement_css() -> Response:
    """The statement's stylesheet (the same one the HTML and PDF renderings carry)."""
    from remit.publish.html import stylesheet

    return Response(stylesheet(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})
