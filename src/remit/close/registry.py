"""The structure families, by name: the one place that knows which families exist. A new
family is one module (its strategy, :class:`remit.close.family.Family`) and one line here,
plus its spec type in :mod:`remit.spec.models`."""

from __future__ import annotations

from typing import Any

from remit.close import oc, shifting
from remit.close.family import Family
from remit.spec.models import DealSpec

FAMILIES: dict[str, Family[Any]] = {
    oc.NAME: oc.FAMILY,
    shifting.NAME: shifting.FAMILY,
}


def family_of(spec: DealSpec) -> Family[Any]:
    """The strategy of the spec's structure family."""
    return FAMILIES[spec.family]
