"""What every page and API route checks before it uses a request's parameters, and the
site's settings: a deal id is ``[a-z0-9][a-z0-9.-]*`` and in the store, a date is
``YYYY-MM-DD``; anything else is a :class:`NotFound` (404)."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import date

from remit.errors import RemitError
from remit.publish.period import Published
from remit.store import Store
from remit.web import periods
from remit.web.periods import has_deal

DEAL_ID = re.compile(r"^[a-z0-9][a-z0-9.-]{0,63}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_UPLOAD = 2 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    store: Store
    store_where: str
    token: str | None

    def authorized(self, header: str | None) -> bool:
        """A bearer token equal to the operator's (compared in constant time)."""
        if not self.token or not header or not header.startswith("Bearer "):
            return False
        return hmac.compare_digest(header[len("Bearer ") :].encode(), self.token.encode())


class NotFound(Exception):
    """A deal, date, format or figure the store does not have: 404."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def checked_deal(settings: Settings, deal_id: str) -> str:
    if not DEAL_ID.match(deal_id):
        raise NotFound(f"no deal {deal_id!r}")
    if not has_deal(settings.store, deal_id):
        raise NotFound(f"no deal {deal_id!r} in the store")
    return deal_id


def checked_date(value: str) -> date:
    if not ISO_DATE.match(value):
        raise NotFound(f"no date {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise NotFound(f"no date {value!r}") from None


def checked_period(settings: Settings, deal_id: str, when: str) -> Published:
    """The current version of a stored period named in a URL (NotFound if there is none;
    Unreproducible if this remit cannot render it)."""
    checked_deal(settings, deal_id)
    d = checked_date(when)
    try:
        return periods.period(settings.store, deal_id, d)
    except periods.Unreproducible:
        raise
    except RemitError as exc:
        raise NotFound(f"{deal_id} has no closed date {when}") from exc
