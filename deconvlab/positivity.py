"""Deconvolution with positivity alone: Richardson-Lucy.

The multiplicative iteration keeps ``x >= 0`` and the flux; it is the classic method for
non-negative data (photon counts). Notebook 06 measures how little positivity alone buys
for a square wave, compared with the priors "few jumps" (:mod:`deconvlab.total_variation`) and "known
levels" (:mod:`deconvlab.levels`).
"""

import numpy as np

from ._checks import as_count, check_problem
from .operators import convolve, convolve_adjoint

__all__ = ["richardson_lucy"]


def richardson_lucy(y, h, iterations, *, mode="full"):
    """Richardson-Lucy deconvolution for non-negative data and kernel.

    ``x <- x * A^T(y / A x) / A^T 1``, from the flat start ``x = sum(y) / sum(A^T 1)``.
    Where ``A x`` is below ``eps * max(A x)`` the ratio is taken as 0 (the usual
    guard against division by zero); nothing is clipped. Each step keeps ``x >= 0``
    and the flux ``sum(A^T 1 * x) = sum(y)`` (for ``full``: ``sum(x) sum(h) = sum(y)``).

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    iterations : int
        Number of multiplicative updates, >= 0 (0 returns the flat start).
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).

    Returns
    -------
    ndarray
        The estimate, non-negative, ``solution_length(len(y), len(h), mode)`` samples.

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> bool(np.allclose(richardson_lucy(convolve(x, h), h, 500), x, atol=0.05))
    True
    """
    y, h, n = check_problem(y, h, mode)
    iterations = as_count(iterations, "iterations", minimum=0)
    if np.any(y < 0):
        raise ValueError("y must be >= 0 for Richardson-Lucy (clip the noisy data, e.g. np.maximum(y, 0))")
    if np.any(h < 0):
        raise ValueError("h must be >= 0 for Richardson-Lucy")
    weight = convolve_adjoint(np.ones(y.size), h, n, mode)
    weight = np.where(weight > 0, weight, np.inf)
    x = np.full(n, y.sum() / np.sum(np.where(np.isfinite(weight), weight, 0.0)))
    for _ in range(iterations):
        blurred = convolve(x, h, mode)
        floor = np.finfo(float).eps * max(blurred.max(), np.finfo(float).tiny)
        ratio = np.where(blurred > floor, y / np.where(blurred > floor, blurred, 1.0), 0.0)
        x = x * convolve_adjoint(ratio, h, n, mode) / weight
    return x
