"""The deal as typed, validated data, loaded from TOML."""

from remit.spec.load import load_spec
from remit.spec.models import DealSpec

__all__ = ["DealSpec", "load_spec"]
