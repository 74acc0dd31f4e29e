"""The warnings deconvlab gives when a result needs the caller's attention.

Every one is a :class:`DeconvlabWarning`, so a notebook that has understood a warning can silence
exactly these, deliberately::

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dl.GridEdgeWarning)
        sigma = dl.estimate_blur(y, grid)
"""

__all__ = ["DeconvlabWarning", "ConvergenceWarning", "GridEdgeWarning"]


class DeconvlabWarning(UserWarning, RuntimeWarning):
    """A deconvlab result that needs the caller's attention (it is a ``UserWarning``, so a notebook
    can filter it deliberately with ``warnings.simplefilter("ignore", dl.DeconvlabWarning)``; it is
    also a ``RuntimeWarning``, as numpy's numerical warnings are)."""


class ConvergenceWarning(DeconvlabWarning):
    """An iterative solver stopped at its iteration limit before its tolerance held."""


class GridEdgeWarning(DeconvlabWarning):
    """A search over a grid of candidates chose the grid's edge: the best value may lie beyond it."""
