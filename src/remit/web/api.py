"""The JSON API (documented at /openapi.json): deals, a deal's history and chart series, a
period's statement (every cell with its trace), the explanation of a figure, and closing
the next date by upload (bearer token)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from remit.errors import RemitError
from remit.statement.explain import explain, find_cell
from remit.store.export import nested
from remit.web import periods
from remit.web.checks import MAX_UPLOAD, NotFound, checked_deal, checked_period
from remit.web.series import deal_history

router = APIRouter(prefix="/api", tags=["api"])


def _settings(request: Request) -> Any:
    return request.app.state.settings


@router.get("/deals", summary="Every deal in the store")
def list_deals(request: Request) -> list[dict[str, Any]]:
    return [
        {
            "deal": d.deal_id,
            "name": d.name,
            "dates": d.dates,
            "versions": d.versions,
            "first_date": d.first_date.isoformat() if d.first_date else None,
            "last_date": d.last_date.isoformat() if d.last_date else None,
            "stale": d.stale,
        }
        for d in _settings(request).store.deals()
    ]


@router.get("/deals/{deal_id}", summary="A deal's history and chart series")
def deal(request: Request, deal_id: str) -> dict[str, Any]:

    settings = _settings(request)
    checked_deal(settings, deal_id)
    h = deal_history(settings.store, deal_id)
    return {
        "deal": deal_id,
        "history": [nested(r) for r in settings.store.history(deal_id)],
        "series": h.to_dict(),
    }


@router.get("/deals/{deal_id}/{when}", summary="A period's statement, every cell with its trace")
def statement(request: Request, deal_id: str, when: str) -> dict[str, Any]:
    p = checked_period(_settings(request), deal_id, when)
    doc: dict[str, Any] = json.loads(p.stored.statement_json)
    doc["version"] = p.stored.version
    doc["closed_at"] = p.stored.closed_at.isoformat()
    return doc


@router.get(
    "/deals/{deal_id}/{when}/explain", summary="The rule, arithmetic and postings of a figure"
)
def explain_figure(
    request: Request, deal_id: str, when: str, section: str, row: str, column: str = "value"
) -> dict[str, Any]:

    p = checked_period(_settings(request), deal_id, when)
    try:
        title, label, col_label, cell = find_cell(p.statement, section, row, column)
    except RemitError as exc:
        raise NotFound("no such figure on the statement: " + str(exc.problems[0])) from exc
    postings = [p.result.ledger.postings[i] for i in (cell.trace.postings if cell.trace else ())]
    return {
        "section": title,
        "row": label,
        "column": col_label,
        "value": str(cell.value) if cell.value is not None else None,
        "trace": cell.trace.to_dict() if cell.trace else None,
        "postings": [
            {
                "index": x.index,
                "step": x.step,
                "basis": x.basis,
                "source": x.source,
                "target": x.target,
                "amount": str(x.amount),
            }
            for x in postings
        ],
        "text": explain(p.result, p.statement, section, row, column),
    }


@router.post(
    "/deals/{deal_id}/close",
    summary="Close the deal's next date from an uploaded remittance (TOML)",
    description="Needs `Authorization: Bearer TOKEN` (the operator's). The body is the "
    "remittance TOML, raw or as the multipart field `remittance`. Nothing is stored unless "
    "the close succeeds: a malformed remittance is a 400 with every problem located.",
    status_code=201,
    responses={
        400: {"description": "malformed remittance"},
        401: {"description": "no or wrong token"},
    },
)
async def close_next(request: Request, deal_id: str) -> JSONResponse:

    settings = _settings(request)
    if not settings.token:
        return JSONResponse({"error": "this site is read-only (no token set)"}, status_code=403)
    if not settings.authorized(request.headers.get("authorization")):
        return JSONResponse(
            {"error": "a bearer token is required"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    checked_deal(settings, deal_id)
    name, data = await _upload(request, MAX_UPLOAD)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RemitError.one(name, "", "(bytes)", "a UTF-8 TOML remittance") from None
    stored = periods.close_uploaded(settings.store, deal_id, text, name)
    return JSONResponse(
        {
            "deal": stored.deal_id,
            "distribution_date": stored.distribution_date.isoformat(),
            "version": stored.version,
            "statement_sha256": stored.statement_sha256,
            "pool_balance": str(stored.state.pool_balance),
        },
        status_code=201,
    )


async def _upload(request: Request, limit: int) -> tuple[str, bytes]:
    """The remittance's bytes and name: the multipart field ``remittance``, or the body."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        form = await request.form()
        item = form.get("remittance")
        if item is None or isinstance(item, str):
            raise RemitError.one("(upload)", "remittance", "(missing)", "a file field 'remittance'")
        data = await item.read(limit + 1)
        name = f"(upload {item.filename or 'remittance'})"
    else:
        data = await request.body()
        name = "(upload)"
    if len(data) > limit:
        raise RemitError.one(name, "", f"{len(data)} bytes", f"at most {limit} bytes")
    if not data.strip():
        raise RemitError.one(name, "", "(empty)", "a remittance in TOML")
    return name, data
