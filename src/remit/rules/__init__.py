"""The waterfall primitives, shared by the close (exact) and projections (vectors)."""
