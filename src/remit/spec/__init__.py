"""The deal as typed, validated data, loaded from TOML: one spec type per structure family
(:class:`OCSpec` overcollateralization, :class:`ShiftingSpec` shifting interest);
:data:`DealSpec` is any of them."""

from remit.spec.load import load_deal_spec, load_spec, parse_spec
from remit.spec.models import DealSpec, OCSpec, ShiftingSpec

__all__ = ["DealSpec", "OCSpec", "ShiftingSpec", "load_deal_spec", "load_spec", "parse_spec"]
