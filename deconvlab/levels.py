"""The prior "known levels": snap to levels, estimate them, fit a piecewise-constant signal.

A square wave takes two levels. :func:`quantize` snaps an estimate to known levels (the thread's
"if you know it is a square wave, quantize"), :func:`estimate_levels` finds them from an estimate,
:func:`piecewise_constant_fit` is the least-squares fit for known jump positions (the oracle), and
:func:`piecewise_refit` moves the jumps to fit the data.
"""

import warnings

import numpy as np

from ._checks import as_count, as_flag, as_signal, check_problem
from .diagnostics import ConvergenceWarning
from .operators import convolve

__all__ = ["quantize", "estimate_levels", "jumps_of", "piecewise_constant_fit", "piecewise_refit"]


def quantize(x, levels):
    """Snap every sample to the nearest of the known ``levels`` (ties go to the lower level).

    Parameters
    ----------
    x : array
        The estimate.
    levels : array
        The allowed values (sorted or not).

    Returns
    -------
    ndarray
        Each sample of ``x`` replaced by its nearest level.

    Examples
    --------
    >>> quantize([0.2, 2.9, 1.6], [0, 3]).tolist()
    [0.0, 3.0, 3.0]
    """
    x = as_signal(x, "x")
    levels = np.unique(as_signal(levels, "levels"))
    return levels[_nearest_level(x, levels)]


def estimate_levels(x, count=2, iterations=100):
    """Estimate ``count`` levels of a piecewise-constant signal: 1-D k-means (Lloyd) on its samples,
    started at evenly spaced quantiles. Returns the levels in increasing order.

    Parameters
    ----------
    x : array
        The estimate.
    count : int
        How many levels, at most ``len(x)``.
    iterations : int
        Iteration limit of the clustering.

    Returns
    -------
    ndarray
        ``count`` levels, sorted.

    Examples
    --------
    >>> estimate_levels([0.1, -0.1, 2.9, 3.1]).tolist()
    [0.0, 3.0]
    """
    x = as_signal(x, "x")
    count = as_count(count, "count")
    iterations = as_count(iterations, "iterations")
    distinct = np.unique(x).size
    if count > distinct:
        raise ValueError(f"count must be <= the number of distinct values in x ({distinct}); got {count}")
    levels = np.quantile(x, (np.arange(count) + 0.5) / count)
    for _ in range(iterations):
        nearest = _nearest_level(x, levels)
        updated = np.array([x[nearest == j].mean() if np.any(nearest == j) else levels[j] for j in range(count)])
        if np.allclose(updated, levels, rtol=0, atol=1e-15):
            break
        levels = updated
    return np.sort(levels)


def _nearest_level(x, levels):
    """Index of the nearest of the increasing ``levels`` for every sample (ties to the lower level).

    A search among the midpoints, O(n log k) time and O(n) memory (not an n x k distance matrix)."""
    return np.searchsorted((levels[1:] + levels[:-1]) / 2, x, side="left")


def jumps_of(x):
    """Indices ``i`` where ``x[i] != x[i - 1]`` (the first sample of each new piece).

    Parameters
    ----------
    x : array
        A signal.

    Returns
    -------
    ndarray of int
        The indices ``i`` with ``x[i] != x[i - 1]``: the first sample of each new piece.

    Examples
    --------
    >>> jumps_of([0, 0, 3, 3, 0]).tolist()
    [2, 4]
    """
    x = as_signal(x, "x")
    return np.flatnonzero(np.diff(x)) + 1


def _segment_columns(n, positions):
    """Indicator columns of the pieces between the (possibly fractional) jump ``positions``.

    The step at position ``p`` is ``clip(i + 1 - p, 0, 1)`` at sample ``i``: 1 for ``i >= p``
    when ``p`` is an integer, a fraction on the sample that ``p`` cuts.
    """
    index = np.arange(n)[:, None]
    steps = np.clip(index + 1 - np.asarray(positions, dtype=float)[None, :], 0.0, 1.0)
    edges = np.hstack([np.ones((n, 1)), steps, np.zeros((n, 1))])
    return edges[:, :-1] - edges[:, 1:]


def piecewise_constant_fit(y, h, jumps, *, mode="full", two_levels=False, return_info=False):
    """Least-squares levels of a piecewise-constant signal with known jump positions.

    ``x = B c`` with ``B`` the indicator columns of the pieces between ``jumps`` (indices
    of the first sample of each new piece; fractional positions allowed) and
    ``c = argmin ||A B c - y||``. With ``two_levels=True`` the pieces alternate between
    two levels (a square wave: two columns, low pieces and high pieces), else each piece
    has its own level. Knowing the true jumps, this is the *oracle* for that model: the
    least-squares fit given information no real deconvolution has.

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    jumps : array
        Positions of the jumps: the first sample of each new piece, strictly inside ``(0, n)``.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).
    two_levels : bool
        Alternate between two levels (a square wave) instead of one level per piece.
    return_info : bool
        Also return the levels and the residual norm.

    Returns
    -------
    ndarray, or (ndarray, dict) with ``return_info=True``
        The fit ``x``; the dict holds ``levels`` (``c``) and ``residual_norm`` (``||A x - y||``).

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> fit, info = piecewise_constant_fit(convolve(x, h), h, [20], return_info=True)
    >>> np.round(info["levels"], 12).tolist(), bool(np.allclose(fit, x))
    ([0.0, 1.0], True)
    """
    y, h, n = check_problem(y, h, mode)
    return_info = as_flag(return_info, "return_info")
    two_levels = as_flag(two_levels, "two_levels")
    jumps = np.sort(np.asarray(jumps, dtype=float)).ravel()
    if np.any(~np.isfinite(jumps)):
        raise ValueError("jumps must be finite")
    if jumps.size and (jumps.min() <= 0 or jumps.max() >= n):
        raise ValueError(f"jumps must lie strictly inside (0, {n}); got {jumps.min()} .. {jumps.max()}")
    basis = _segment_columns(n, jumps)
    if two_levels:
        basis = np.column_stack([basis[:, 0::2].sum(axis=1), basis[:, 1::2].sum(axis=1)])[:, : min(2, basis.shape[1])]
    blurred = np.column_stack([convolve(column, h, mode) for column in basis.T])
    levels, *_ = np.linalg.lstsq(blurred, y, rcond=None)
    x = basis @ levels
    if not return_info:
        return x
    return x, {"levels": levels, "residual_norm": float(np.linalg.norm(blurred @ levels - y))}


def _joint_moves(count, steps=(1, 2)):
    """Moves that shift several jumps at once: every +-1 pattern on 3 neighbouring jumps, and
    the global patterns (all shifted, all pulses widened or narrowed) by each of ``steps``."""
    moves = []
    for first in range(count):
        window = list(range(first, min(first + 3, count)))
        for pattern in np.ndindex(*(3,) * len(window)):
            shift = np.zeros(count, dtype=int)
            shift[window] = np.array(pattern) - 1
            if np.any(shift) and (first == 0 or shift[first] != 0):
                moves.append(shift)
    alternating = np.where(np.arange(count) % 2 == 0, -1, 1)
    for step in steps:
        for pattern in (np.ones(count, dtype=int), alternating):
            moves.extend([step * pattern, -step * pattern])
        for i in range(count):
            for sign in (-1, 1):
                single = np.zeros(count, dtype=int)
                single[i] = sign * step
                moves.append(single)
    unique = {tuple(move) for move in moves}
    return np.array(sorted(unique))


def piecewise_refit(y, h, estimate, *, mode="full", two_levels=True, max_rounds=200, return_info=False):
    """Turn an estimate (e.g. from :func:`tv`) into a piecewise-constant fit of the data.

    1. Jump set: quantize ``estimate`` to two levels (:func:`estimate_levels`) and take the
       indices where it changes.
    2. Levels: least squares for the current jumps (:func:`piecewise_constant_fit`;
       ``two_levels`` alternating levels by default, as for a square wave).
    3. Jump positions: a joint search. Each round tries moves of several jumps at once
       (every +-1 pattern of three neighbouring jumps, global shifts and widenings, single
       jumps by +-1 and +-2) with the levels refitted for each, and takes the move that
       lowers the data residual ``||A x - y||`` most; it stops when no move helps (a local
       minimum of the residual over jump positions). Moving one jump at a time stalls in
       local minima (neighbouring edges are coupled by the blur and by the shared levels).
       It cannot add or remove a jump. If ``max_rounds`` pass first, a :class:`~deconvlab.ConvergenceWarning` says so.

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    estimate : array
        A first estimate of ``x`` (``n`` samples) whose two-level quantization gives the jumps.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).
    two_levels : bool
        As in :func:`piecewise_constant_fit`.
    max_rounds : int
        Limit on the rounds of the jump search.
    return_info : bool
        Also return the jumps, the residual norm and whether the search converged.

    Returns
    -------
    ndarray, or (ndarray, dict) with ``return_info=True``
        The piecewise-constant fit; the dict holds ``jumps`` (indices), ``residual_norm``,
        ``rounds`` and ``converged`` (no move helped before ``max_rounds``).

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> rough = np.r_[np.zeros(22), np.ones(18)]          # an estimate with the jump 2 samples late
    >>> fit, info = piecewise_refit(convolve(x, h), h, rough, return_info=True)
    >>> info["jumps"].tolist(), info["converged"]
    ([20], True)
    """
    y, h, n = check_problem(y, h, mode)
    estimate = as_signal(estimate, "estimate")
    if estimate.size != n:
        raise ValueError(f"estimate must have {n} samples for this y, h and mode; got {estimate.size}")
    max_rounds = as_count(max_rounds, "max_rounds")
    return_info = as_flag(return_info, "return_info")
    jumps = jumps_of(quantize(estimate, estimate_levels(estimate, 2)))

    def residual(candidate):
        return piecewise_constant_fit(y, h, candidate, mode=mode, two_levels=two_levels, return_info=True)[1][
            "residual_norm"
        ]

    rounds, converged = 0, True
    if jumps.size:
        best = residual(jumps)
        moves = _joint_moves(jumps.size)
        converged = False
        while rounds < max_rounds:
            rounds += 1
            candidates = jumps[None, :] + moves
            valid = np.all(np.diff(candidates, axis=1) > 0, axis=1) & np.all(
                (candidates > 0) & (candidates < n), axis=1
            )
            values = [residual(candidate) if ok else np.inf for candidate, ok in zip(candidates, valid)]
            choice = int(np.argmin(values))
            if not values[choice] < best:
                converged = True
                break
            jumps, best = candidates[choice], values[choice]
        if not converged:
            warnings.warn(
                f"piecewise_refit: the jump search still improved after max_rounds={max_rounds}; "
                "the result is not a local minimum (raise max_rounds)",
                ConvergenceWarning,
                stacklevel=2,
            )
    x, info = piecewise_constant_fit(y, h, jumps, mode=mode, two_levels=two_levels, return_info=True)
    if not return_info:
        return x
    return x, {"jumps": jumps, "residual_norm": info["residual_norm"], "rounds": rounds, "converged": converged}
