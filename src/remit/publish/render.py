"""Every rendering of a statement by format name, as files in memory (name -> bytes); the
command line writes them all at once with :func:`remit.files.write_all`."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from remit.errors import RemitError
from remit.statement.model import Statement

FORMATS = ("html", "pdf", "csv", "xlsx", "json", "edgar", "factors")


def _html(st: Statement) -> dict[str, bytes]:
    from remit.publish.html import render_html

    return {"statement.html": render_html(st).encode("utf-8")}


def _pdf(st: Statement) -> dict[str, bytes]:
    from remit.publish.pdf import render_pdf

    return {"statement.pdf": render_pdf(st)}


def _csv(st: Statement) -> dict[str, bytes]:
    from remit.publish.tables import csv_files

    return {name: text.encode("utf-8") for name, text in csv_files(st).items()}


def _xlsx(st: Statement) -> dict[str, bytes]:
    from remit.publish.tables import xlsx_bytes

    return {"statement.xlsx": xlsx_bytes(st)}


def _json(st: Statement) -> dict[str, bytes]:
    return {"statement.json": st.to_json().encode("utf-8")}


def _edgar(st: Statement) -> dict[str, bytes]:
    return {"statement.txt": st.to_edgar().encode("ascii")}


def _factors(st: Statement) -> dict[str, bytes]:
    from remit.publish.tables import factors_csv

    return {"factors.csv": factors_csv(st).encode("utf-8")}


RENDERERS: dict[str, Callable[[Statement], dict[str, bytes]]] = {
    "html": _html,
    "pdf": _pdf,
    "csv": _csv,
    "xlsx": _xlsx,
    "json": _json,
    "edgar": _edgar,
    "factors": _factors,
}

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "edgar": "text/plain; charset=us-ascii",
    "factors": "text/csv; charset=utf-8",
}


def render(st: Statement, fmt: str) -> dict[str, bytes]:
    """The files of one format: ``{name: bytes}``."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise RemitError.one("(command line)", "--format", fmt, " | ".join(FORMATS))
    return renderer(st)


def download(st: Statement, fmt: str) -> tuple[str, bytes]:
    """One file to download: the format's file, or for CSV a zip of its tables."""
    files = render(st, fmt)
    stem = f"{st.deal_id}-{st.distribution_date.isoformat()}"
    if fmt == "csv":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in files.items():
                info = zipfile.ZipInfo(
                    name, date_time=(*st.distribution_date.timetuple()[:3], 0, 0, 0)
                )
                zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        return f"{stem}-csv.zip", buf.getvalue()
    ((name, data),) = files.items()
    suffix = name.split(".", 1)[1]
    prefix = "factors" if fmt == "factors" else "statement"
    return f"{stem}-{prefix}.{suffix}", data
