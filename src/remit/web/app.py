"""The FastAPI application: pages at ``/``, ``/deals/{deal_id}``, ``/deals/{deal_id}/{date}``
(and the explanation and downloads of a period), the JSON API under ``/api/`` with its
OpenAPI document at ``/openapi.json``, the site's own script and stylesheet under
``/static/``.

Read-only unless the operator sets a bearer token: then ``POST
/api/deals/{deal_id}/close`` with ``Authorization: Bearer TOKEN`` and a remittance (TOML)
closes the deal's next date, storing nothing unless the close succeeds.

Every path parameter is checked before it is used (a deal id is ``[a-z0-9][a-z0-9.-]*``, a
date ``YYYY-MM-DD``, a format one of the renderers'); anything else is a 404. Nothing is
ever read from the file system by a name a request gives."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from remit.errors import RemitError
from remit.store import Store
from remit.web import api, pages
from remit.web.checks import NotFound, Settings
from remit.web.periods import Unreproducible


def create_app(db: str | None = None, *, token: str | None = None) -> FastAPI:
    """The site over the store at ``db`` (``$REMIT_DB``, else ``remit.db``); the store must
    exist. ``token``: the bearer token that allows closing by upload (None: read-only)."""
    store = Store.open(db, create=False)
    app = FastAPI(
        title="remit",
        summary="Statements to certificateholders of mortgage pass-through trusts",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = Settings(store, store.where, token or None)
    static = Path(str(resources.files("remit.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, exc.what)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RemitError)
    async def remit_error(request: Request, exc: RemitError) -> Response:
        return _error(request, 400, "; ".join(str(p) for p in exc.problems), exc)

    @app.exception_handler(Unreproducible)
    async def unreproducible(request: Request, exc: Unreproducible) -> Response:
        return _error(request, 409, "; ".join(str(p) for p in exc.problems), exc)


def _error(request: Request, status: int, message: str, exc: RemitError | None = None) -> Response:
    if _wants_json(request):
        body: dict[str, Any] = {"error": message}
        if exc is not None:
            body["problems"] = [
                {"file": p.file, "path": p.path, "value": str(p.value), "expected": p.expected}
                for p in exc.problems
            ]
        return JSONResponse(body, status_code=status)
    html = pages.render_page("error.html.j2", status=status, message=message)
    return HTMLResponse(html, status_code=status)
