"""Commands for publishing: ``remit filing`` (the whole Form 8-K or 10-D), ``remit render``
(the statement in every format) and ``remit serve`` (the investor web site).

Every command reads the store (``--db
URL``, else ``$REMIT_DB``, else ``remit.db``). Bad input ends like every other command: each
problem on stderr, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from remit.cli.errors import COMMAND_LINE, add_commands
from remit.cli.options import DateArg, Db, DealId, Version, parse_date


def filing(
    deal: DealId,
    date: DateArg,
    form: Annotated[str, typer.Option("--form", help="8-K or 10-D")] = "8-K",
    out: Annotated[
        Path | None, typer.Option("--out", help="file to write (default: standard output)")
    ] = None,
    registrant_from: Annotated[
        Path | None,
        typer.Option(
            "--deal", help="take [registrant] from this deal directory's deal.toml instead"
        ),
    ] = None,
    filed: Annotated[
        str | None, typer.Option("--filed", help="filing date (default: the registrant's rule)")
    ] = None,
    version: Version = None,
    db: Db = None,
) -> None:
    """Write the complete filing of a stored period: cover page, items, signature, exhibit
    index and the statement as Exhibit 99.1."""
    from remit.api import load_deal
    from remit.errors import RemitError
    from remit.files import write_all
    from remit.publish.filing import filing as make_filing
    from remit.store import Store

    if form not in ("8-K", "10-D"):
        raise RemitError.one(COMMAND_LINE, "--form", form, "8-K or 10-D")
    when_filed = parse_date(filed, "--filed") if filed else None
    with Store.open(db, create=False) as store:
        p = store.period(deal, date, version)
        spec_text, _, _, prior = store.inputs(p.id)
    from remit.spec import parse_spec

    spec = parse_spec(spec_text, f"(stored spec {p.spec_sha256[:12]})")
    registrant = spec.registrant
    if registrant_from is not None:
        registrant = load_deal(registrant_from).spec.registrant
    text = make_filing(
        registrant,
        form,
        p.distribution_date,
        prior.distribution_date if prior else None,
        spec.dates.closing,
        [f"Class {c.name}" for c in spec.classes],
        p.statement_text,
        when_filed,
    )
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        data = text.encode("ascii")
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise RemitError.one(
            "deal.toml", "registrant", bad, "ASCII text: EDGAR filings are ASCII"
        ) from None
    write_all(out.parent, {out.name: data})
    typer.echo(f"wrote {out} (Form {form}, {p.deal_id} {p.distribution_date})", err=True)


def render(
    deal: DealId,
    date: DateArg,
    fmt: Annotated[
        list[str],
        typer.Option("--format", help="html, pdf, csv, xlsx, json, edgar or factors (repeat)"),
    ],
    out: Annotated[Path, typer.Option("--out", help="directory to write the files to")],
    extended: Annotated[
        bool,
        typer.Option(
            "--extended",
            help="add the Regulation AB sections (dates, rates and caps, tests, performance); "
            "the EDGAR text stays the classic layout",
        ),
    ] = False,
    version: Version = None,
    db: Db = None,
) -> None:
    """Render a stored statement in one or more formats into a directory."""
    from remit.files import write_all
    from remit.publish.period import extended as with_extended
    from remit.publish.period import load_period
    from remit.publish.render import render as render_format
    from remit.store import Store

    with Store.open(db, create=False) as store:
        published = load_period(store, deal, date, version)
        st = with_extended(store, published) if extended else published.statement
    files: dict[str, bytes] = {}
    for f in fmt:
        # the EDGAR text is the filed layout: the classic statement whatever the mode
        files.update(render_format(published.statement if f == "edgar" else st, f))
    written = write_all(out, files)
    typer.echo(
        f"wrote {len(written)} file(s) to {out}: {', '.join(p.name for p in written)}", err=True
    )


def serve(
    db: Db = None,
    host: Annotated[str, typer.Option("--host", help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="REMIT_WEB_TOKEN",
            help="bearer token that allows closing a period by upload (else read-only)",
        ),
    ] = None,
) -> None:
    """Serve the investor web site and its JSON API (read-only unless --token is set).

    Binds 127.0.0.1 unless --host says otherwise. With a token, POST
    /api/deals/DEAL/close with `Authorization: Bearer TOKEN` and a remittance closes the
    deal's next date."""
    import uvicorn

    from remit.web.app import create_app

    app = create_app(db, token=token)
    typer.echo(
        f"remit: serving {app.state.settings.store_where} on http://{host}:{port}/", err=True
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``filing``, ``render`` and ``serve`` to ``app``."""
    add_commands(app, {"filing": filing, "render": render, "serve": serve})
