"""Projections (floats, never audited money): scenarios and the SIFMA Standard Formulas
(:mod:`.scenario`, :mod:`.formulas`), collateral to project from rep lines or a loan tape
(:mod:`.collateral`, :mod:`.tape`), the vectorised collateral engine (:mod:`.engine` over
:mod:`.schedule` and :mod:`.amortize`; :mod:`.reference` is the same model as a plain loop),
yields and measures (:mod:`.analytics`, :mod:`.pool`), files and pictures (:mod:`.outputs`,
:mod:`.plots`), grids over an Executor (:mod:`.subjects`, :mod:`.grid`), and the Python API
(:mod:`.api`). Importing this package imports none of them."""
