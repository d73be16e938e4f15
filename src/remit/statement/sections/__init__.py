"""The statement's sections, one builder each: ``make(view) -> [Section]``. Which sections a
structure family prints, in which order, is its layout in :mod:`remit.statement.layouts`."""
