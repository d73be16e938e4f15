"""The deal projection: a deal's own rules run forward under scenarios (floats).

The collateral is projected per scenario (:mod:`remit.project.engine`); each projected month
becomes a distribution date's collections (:mod:`.months`), and the deal's family runs the
same rule code as the close in vector mode -- its ``prepare`` and its waterfall's ``run`` --
on a state rolled forward per scenario (:mod:`.running`, :mod:`.oc`, :mod:`.shifting`,
:mod:`.engine`). Where it starts (:mod:`.start`), what it writes (:mod:`.outputs`,
:mod:`.plots`) and the class measures (:mod:`.measures`) are modules of their own. Importing
this package imports none of them."""
