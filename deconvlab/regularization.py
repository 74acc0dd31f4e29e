"""Regularised least squares: Tikhonov, truncated SVD, the Picard plot, and the choice of lambda.

The dense path follows Hansen's Regularization Tools: factorise once
(:func:`svd_factorization`), then every ``lam`` or ``k`` costs only a few vector
operations. With ``L`` the ``order``-th difference matrix, the factorisation is

- ``order = 0`` (``L = I``): the SVD ``A = U diag(s) V^T``;
- ``order >= 1``: a generalised SVD through the QR factorisation of the stacked
  matrix ``[A; L] = [Q_A; Q_L] R`` and the SVD ``Q_A = U diag(c) W^T``, with
  generalised singular values ``gamma = c / sqrt(1 - c^2)``.

Either way the Tikhonov solution is ``x = B diag(f / d) U^T y`` with filter
factors ``f = gamma^2 / (gamma^2 + lam^2)`` (``B = V, d = gamma = s`` for order 0;
``B = R^-1 W, d = c`` otherwise).

Large problems never form a matrix: ``mode="circular"`` with ``order = 0`` is
diagonalised by the FFT, every other case is solved by conjugate gradients on the
normal equations with the FFT-based operator, preconditioned by the circular
(FFT-diagonal) version of the same problem.
"""

import inspect
import warnings
from typing import NamedTuple

import numpy as np
import scipy.fft
import scipy.linalg
import scipy.optimize
import scipy.sparse
from scipy.sparse.linalg import LinearOperator, cg

from ._checks import (
    as_choice,
    as_count,
    as_flag,
    as_kernel,
    as_number,
    as_signal,
    as_singular_values,
    check_problem,
    check_sees_constant,
)
from ._spectral import EPS, normal_symbol, rounding_floor, spectral_filter
from .diagnostics import DeconvlabWarning
from .operators import convolution_matrix, convolve, convolve_adjoint, sparse_convolution_matrix
from .wiener_filter import wiener_filter_factors

__all__ = [
    "SVDFactorization",
    "tikhonov_filter_factors",
    "tsvd_filter_factors",
    "difference_matrix",
    "svd_factorization",
    "tikhonov",
    "tsvd",
    "Picard",
    "picard",
    "condition_number",
    "gaussian_condition_number",
    "choose_lambda",
    "DENSE_LIMIT",
    "DENSE_MAX",
    "CG_RTOL",
    "CG_TRUST",
    "TIKHONOV_METHODS",
    "CHOOSE_LAMBDA_RULES",
]

#: Largest n solved with dense matrices by ``method="auto"``; larger ones go matrix-free.
DENSE_LIMIT = 2048
#: Largest n any dense factorisation accepts (an SVD of n = 8000 takes minutes and GBs here).
DENSE_MAX = 6000
#: Relative residual of the normal equations at which conjugate gradients stop.
CG_RTOL = 1e-10
#: The relative accuracy vouched for on a path that cannot reach cond x eps: CG is trusted only where its
#: stopping rule bounds the error by this (``cond(A^T A + lam^2 L^T L) * CG_RTOL <= CG_TRUST``; a relative
#: residual bounds the error by cond times it), and the SVD path only where its rounding-level triplets
#: change the answer by less.
CG_TRUST = 1e-4
#: The algorithms of :func:`tikhonov`.
TIKHONOV_METHODS = ("auto", "dense", "fft", "iterative", "sparse")
#: The rules of :func:`choose_lambda`.
CHOOSE_LAMBDA_RULES = ("gcv", "lcurve", "discrepancy")
# scipy >= 1.12 names cg's relative tolerance ``rtol``; 1.11 (the oldest we support) calls it ``tol``.
_CG_RTOL_KEYWORD = "rtol" if "rtol" in inspect.signature(cg).parameters else "tol"


class SVDFactorization(NamedTuple):
    """A factorised convolution problem (see the module docstring).

    ``x = basis @ (f / scale * (U.T @ y))`` with ``f = gamma**2 / (gamma**2 + lam**2)``.
    ``stack_range`` holds the smallest and largest singular values of ``R`` in ``[A; L] = Q R``
    (``(1, 1)`` for ``order = 0``), which the rule of solvability needs for ``order >= 1``.
    """

    U: np.ndarray
    gamma: np.ndarray
    scale: np.ndarray
    basis: np.ndarray
    order: int
    mode: str
    n: int
    kernel: np.ndarray
    stack_range: tuple = (1.0, 1.0)


def _check_dense_size(n, what):
    """Refuse a dense factorisation that would take minutes and gigabytes (n > DENSE_MAX)."""
    if n > DENSE_MAX:
        raise ValueError(
            f"n = {n} is too large for {what} (a dense SVD: O(n^3) time, O(n^2) memory; the limit is "
            f"DENSE_MAX = {DENSE_MAX}): use tikhonov(..., method='iterative') or mode='circular' (FFT), "
            "or a shorter signal"
        )


def difference_matrix(n, order):
    """The ``(n - order) x n`` matrix of the ``order``-th forward difference (``np.diff``); identity for 0.

    Parameters
    ----------
    n : int
        Number of columns.
    order : int
        Order of the difference, ``0 <= order < n``.

    Returns
    -------
    ndarray
        Shape ``(n - order, n)``.

    Examples
    --------
    >>> difference_matrix(3, 1).tolist()
    [[-1.0, 1.0, 0.0], [0.0, -1.0, 1.0]]
    """
    n = as_count(n, "n")
    order = as_count(order, "order", minimum=0)
    if order >= n:
        raise ValueError(f"order must be < n = {n}; got {order}")
    return np.diff(np.eye(n), order, axis=0)


def _check_unique(m, n, order, h, mode, lam=None):
    """``||A x - y||^2 + lam^2 ||L x||^2`` has one minimiser only if ``[A; L]`` has rank ``n``
    (``A`` alone when ``lam = 0``): ``lam = 0`` needs at least ``n`` measurements; the ``order``
    directions ``L`` leaves free need at least ``order`` measurements, and the constant (free for
    ``order >= 1``) must be seen: in ``valid`` and ``circular``, ``A 1 = sum(h) 1``. (Every path
    also checks the full rank condition numerically: :func:`deconvlab._spectral.rounding_floor`.)"""
    if lam == 0 and m < n:
        raise ValueError(
            f"lam = 0 with {m} measurements for {n} unknowns (mode={mode!r}): the least-squares solution is "
            "not unique (A has a null space); use lam > 0"
        )
    if m < order:
        raise ValueError(
            f"order={order} leaves {order} directions free but there are only {m} measurements "
            f"for n={n} unknowns: the minimiser is not unique; use order <= {m}"
        )
    if order >= 1:
        check_sees_constant(h, mode, f"order-{order} penalty (use order=0)")


def svd_factorization(h, n, mode="full", order=0):
    """Factorise the convolution matrix of ``(h, n, mode)`` once, for many ``lam`` or ``k``.

    Dense: meant for n up to a few thousand (O(n^3) time, O(n^2) memory).

    Parameters
    ----------
    h : array
        The kernel.
    n : int
        Length of the signal, at most ``DENSE_MAX``.
    mode : {"full", "same", "valid", "circular"}
        The convolution model.
    order : int
        The penalty's difference order (0: the SVD of ``A``; >= 1: the GSVD of ``(A, L)``).

    Returns
    -------
    SVDFactorization
        ``U``, ``gamma`` (generalised singular values), ``scale``, ``basis`` and what it was made for.

    Raises
    ------
    ValueError
        For ``n > DENSE_MAX``, or when the penalised problem has no unique minimiser.

    Examples
    --------
    >>> operator = svd_factorization([0.6, 0.3, 0.1], 40)
    >>> operator.U.shape, operator.gamma.size
    ((42, 40), 40)
    """
    h = as_kernel(h)
    n = as_count(n, "n")
    order = as_count(order, "order", minimum=0)
    _check_dense_size(n, "svd_factorization")
    A = convolution_matrix(h, n, mode)
    if order == 0:
        U, s, Vt = scipy.linalg.svd(A, full_matrices=False)
        return SVDFactorization(U, s, s, Vt.T, 0, mode, n, h.copy())
    L = difference_matrix(n, order)
    _check_unique(A.shape[0], n, order, h, mode)
    Q, R = np.linalg.qr(np.vstack([A, L]))
    diagonal = np.abs(np.diag(R))
    if diagonal.min() <= max(A.shape[0] + L.shape[0], n) * np.finfo(float).eps * diagonal.max():
        raise ValueError(
            f"the blur ({mode!r}, n={n}) does not see every polynomial of degree < {order}, which "
            f"the order-{order} penalty leaves free: the minimiser is not unique; use a lower order"
        )
    U, c, Wt = scipy.linalg.svd(Q[: A.shape[0]], full_matrices=False)
    c = np.minimum(c, 1.0)
    with np.errstate(divide="ignore"):
        gamma = np.where(c < 1.0, c / np.sqrt(1.0 - c**2), np.inf)
    basis = scipy.linalg.solve_triangular(R, Wt.T)
    r = scipy.linalg.svd(R, compute_uv=False)
    return SVDFactorization(U, gamma, c, basis, order, mode, n, h.copy(), (float(r.min()), float(r.max())))


def tikhonov_filter_factors(singular_values, lam):
    """Tikhonov's filter factors ``f_i = s_i^2 / (s_i^2 + lam^2)`` (Hansen's ``fil_fac``; 1 where
    ``s_i`` is inf, the directions a derivative penalty leaves free).

    ``tikhonov`` returns ``sum_i f_i (u_i^T y / s_i) v_i``; with ``order >= 1`` the ``s_i`` are the
    generalised singular values.

    Parameters
    ----------
    singular_values : array
        The (generalised) singular values, >= 0 (``inf`` allowed).
    lam : float
        The regularisation weight, >= 0.

    Returns
    -------
    ndarray
        The factors, between 0 and 1.

    Examples
    --------
    >>> tikhonov_filter_factors(np.array([2.0, 1.0, 0.5]), 1.0).tolist()
    [0.8, 0.5, 0.2]
    """
    return _tikhonov_factors(as_singular_values(singular_values, "singular_values"), as_number(lam, "lam", minimum=0.0))


def _tikhonov_factors(s, lam):
    """``s^2 / (s^2 + lam^2)``, 1 where ``s`` is inf; ``s`` and ``lam`` broadcast (validated by the caller)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(np.isinf(s), 1.0, s**2 / (s**2 + lam**2))


def tsvd_filter_factors(singular_values, k):
    """Truncated SVD's filter factors: 1 for the ``k`` largest singular values, 0 for the others
    (``singular_values`` sorted, largest first, as :func:`svd_factorization` gives them).

    Parameters
    ----------
    singular_values : array
        The singular values, largest first.
    k : int
        How many to keep, ``0 <= k <= len(singular_values)``.

    Returns
    -------
    ndarray
        ``len(singular_values)`` factors, 1.0 or 0.0.

    Examples
    --------
    >>> tsvd_filter_factors(np.array([3.0, 2.0, 1.0]), 2).tolist()
    [1.0, 1.0, 0.0]
    """
    size = as_singular_values(singular_values, "singular_values").size
    k = as_count(k, "k", minimum=0)
    if k > size:
        raise ValueError(f"k must be between 0 and {size} (the number of singular values); got {k}")
    return (np.arange(size) < k).astype(float)


def _filtered_svd_solution(operator, y, f):
    """The SVD path of every method: ``x = basis @ (f / scale * (U^T y))``, a method being its filter
    factors ``f`` (Tikhonov ``gamma^2 / (gamma^2 + lam^2)``, TSVD 1 for the ``k`` largest, else 0).
    A factor of 0 drops its component, even where ``scale`` is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        coefficients = np.where(f > 0, f / operator.scale, 0.0) * (operator.U.T @ y)
    return operator.basis @ coefficients


def _check_svd(svd, y, h, n, mode, order):
    if svd is None:
        return svd_factorization(h, n, mode, order)
    if not isinstance(svd, SVDFactorization):
        raise TypeError(f"svd must come from svd_factorization; got {type(svd).__name__}")
    if (svd.n, svd.mode, svd.order, svd.U.shape[0]) != (n, mode, order, y.size):
        raise ValueError(
            f"svd was computed for n={svd.n}, mode={svd.mode!r}, order={svd.order}, "
            f"len(y)={svd.U.shape[0]}; this call has n={n}, mode={mode!r}, order={order}, len(y)={y.size}"
        )
    if not np.array_equal(svd.kernel, h):
        raise ValueError(
            "svd was computed for a different kernel h: compute it with svd_factorization(h, ...) for this one"
        )
    return svd


def tikhonov(y, h, lam, *, mode="full", order=0, method="auto", svd=None):
    """Minimise ``||A x - y||^2 + lam^2 ||L x||^2`` exactly, ``L`` the ``order``-th difference.

    ``A`` is the convolution matrix of ``mode`` and ``L`` the ordinary
    (non-periodic) ``order``-th difference, an ``(n - order) x n`` matrix
    (identity for ``order = 0``), in every mode.

    Every method obeys one rule of solvability (:func:`deconvlab._spectral.rounding_floor`): the
    singular values of the stacked matrix ``[A; lam L]`` must stand above ``max(m, n) eps`` times the
    largest. Where they do not, ``lam = 0`` raises (the least-squares solution is not determined by
    float64 data) and ``lam > 0`` warns (the minimiser exists, but rounding errors set the answer).

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    lam : float
        Regularisation weight, >= 0. With ``order = 0`` the solution damps the
        singular component ``i`` by the filter factor ``s_i^2 / (s_i^2 + lam^2)``
        (:func:`tikhonov_filter_factors`).
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).
    order : int
        The penalty's difference order, ``0 <= order < n`` (0: ``L = I``).
    method : "auto", "dense", "fft", "iterative" or "sparse"
        ``dense``: the factorisation of :func:`svd_factorization` (reused if passed as
        ``svd``). ``fft``: exact diagonalisation, only for ``mode="circular"``
        and ``order=0``. ``iterative``: conjugate gradients on the normal
        equations ``(A^T A + lam^2 L^T L) x = A^T y`` with FFT-based products,
        preconditioned by the circular problem, stopped at a relative residual
        of ``CG_RTOL`` (1e-10); it warns when that residual cannot vouch for the
        solution (a bound on the condition number times CG_RTOL above ``CG_TRUST``)
        and raises if CG does not converge. ``sparse``: a direct sparse LU of the
        scaled augmented system of the stacked least-squares problem, refined and
        checked (its condition estimated from the factorisation). ``auto`` takes
        ``fft`` where it applies, else ``dense`` up to ``DENSE_LIMIT`` unknowns, else
        ``iterative`` where a bound on the condition number lets its stopping rule vouch for the solution
        (``order = 0`` only), else ``sparse``; and ``sparse`` where the dense factorisation of ``A``
        would be spoiled by its rounding-level singular values (very small ``lam``).
    svd : SVDFactorization, optional
        A factorisation of this problem from :func:`svd_factorization` (``method="dense"``).

    Returns
    -------
    ndarray
        The minimiser ``x``, ``solution_length(len(y), len(h), mode)`` samples.

    Raises
    ------
    ValueError
        Bad input (named), a factorisation ``svd`` of another problem, a
        minimiser that is not unique or not determined in float64, or a dense solve above ``DENSE_MAX``.
    RuntimeError
        If conjugate gradients (``method="iterative"``) do not converge.

    Warns
    -----
    DeconvlabWarning
        Where the answer is less accurate than the problem's condition number allows: ``lam > 0`` below
        the rounding floor, CG where no bound vouches for it, the dense path where the rounding-level
        singular triplets of ``A`` spoil it.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.r_[np.zeros(20), np.ones(20)]
    >>> h = np.array([0.25, 0.5, 0.25])
    >>> bool(np.allclose(tikhonov(convolve(x, h), h, 0.0), x))
    True
    """
    y, h, n = check_problem(y, h, mode)
    lam = as_number(lam, "lam", minimum=0.0)
    order = as_count(order, "order", minimum=0)
    method = as_choice(method, "method", TIKHONOV_METHODS)
    if order >= n:
        raise ValueError(f"order must be < n = {n}; got {order}")
    _check_unique(y.size, n, order, h, mode, lam)
    requested = method
    method = _choose_method(method, svd, h, lam, order, n, mode)
    if method == "fft":
        return _tikhonov_fft(y, h, lam)
    if method == "iterative":
        return _tikhonov_cg(y, h, lam, mode, order, n)
    if method == "sparse":
        return _tikhonov_sparse(y, h, lam, mode, order, n)
    x, accurate = _tikhonov_dense(_check_svd(svd, y, h, n, mode, order), y, lam)
    if accurate:
        return x
    if requested == "auto" and svd is None:  # the factorisation of A cannot give this lam's answer: solve the stack
        return _tikhonov_sparse(y, h, lam, mode, order, n)
    warnings.warn(
        f"tikhonov(method='dense'): at lam = {lam:.1e} the singular triplets of A below rounding level change the "
        "answer by more than its condition number allows (the filter s / (s^2 + lam^2) of a rounding-level s); "
        "use method='sparse' or a larger lam",
        DeconvlabWarning,
        stacklevel=2,
    )
    return x


def _choose_method(method, svd, h, lam, order, n, mode):
    """The algorithm ``tikhonov`` runs (see its ``method``), and the checks that a choice applies."""
    if svd is not None:
        if method not in ("auto", "dense"):
            raise ValueError(f"svd is used only by method='dense' (or 'auto'); method={method!r} would ignore it")
        return "dense"
    if method == "fft" and (mode != "circular" or order != 0):
        raise ValueError("method='fft' is exact only for mode='circular' and order=0")
    if method != "auto":
        return method
    if mode == "circular" and order == 0:
        return "fft"
    if n <= DENSE_LIMIT:
        return "dense"
    if _normal_condition_bound(h, lam, order, n, mode) * CG_RTOL <= CG_TRUST:
        return "iterative"
    return "sparse"


def _not_determined(smallest, largest, size, lam, stacklevel=4):
    """The one rule of solvability for a problem whose stacked matrix ``[A; lam L]`` has singular values
    from ``smallest`` to ``largest``: raise (``lam = 0``) or warn (``lam > 0``) when ``smallest`` is at or
    below :func:`rounding_floor` of ``largest`` for ``size = max(m, n)``."""
    if smallest > rounding_floor(largest, size):
        return
    message = (
        f"the smallest singular value of [A; lam L], {smallest:.1e}, is at rounding level (max(m, n) eps times the "
        f"largest, {largest:.1e})"
    )
    if lam == 0:
        raise ValueError(
            f"lam = 0 with a numerically rank-deficient problem: {message}, so the least-squares solution is not "
            "determined; use lam > 0 (or tsvd)"
        )
    warnings.warn(
        f"tikhonov: lam = {lam:.1e} is too small for float64: {message}, so rounding errors set the answer; "
        "use a larger lam",
        DeconvlabWarning,
        stacklevel=stacklevel,
    )


def _tikhonov_dense(operator, y, lam):
    """The SVD (or GSVD) path: filter factors ``gamma^2 / (gamma^2 + lam^2)`` on the factorisation.
    Returns ``(x, accurate)``.

    The rule of solvability needs the singular values of ``[A; lam L]``. For ``order = 0`` they are
    ``sqrt(s_i^2 + lam^2)`` (and ``lam`` on the null space of a ``valid`` ``A``). For ``order >= 1``,
    with ``[A; L] = Q R`` and the GSVD ``Q_A = U C W^T``, ``Q_L = V S W^T``, ``[A; lam L]`` has the
    singular values of ``diag(d) W^T R``, ``d_i = sqrt(c_i^2 + lam^2 s_i^2)``: between
    ``d_min sigma_min(R)`` and ``d_max sigma_max(R)``, the bounds the rule is applied to.

    Even where the rule holds, the factorisation of ``A`` alone can spoil the answer: a computed
    singular value below ``rounding_floor`` is rounding, and its triplet adds ``s / (s^2 + lam^2)
    u^T y`` where the exact factor is about 0 (an error that grows like ``1 / lam^2``). ``accurate``
    is False when those components exceed ``max(cond([A; lam L]) eps, CG_TRUST)`` of the answer: the
    error of a backward-stable solve of the stacked problem, or the tolerance the package vouches for
    on paths that cannot reach it (CG's)."""
    c = operator.scale if operator.order else operator.gamma
    size = max(y.size, operator.n)
    weights = np.sqrt(c**2 + lam**2 * (1.0 - c**2 if operator.order else 1.0))
    if c.size < operator.n:  # the directions A does not see (valid): c = 0, s = 1
        weights = np.r_[weights, lam]
    r_min, r_max = operator.stack_range
    smallest, largest = weights.min() * r_min, weights.max() * r_max
    _not_determined(smallest, largest, size, lam)
    f = _tikhonov_factors(operator.gamma, lam)
    with np.errstate(divide="ignore", invalid="ignore"):
        coefficients = np.where(f > 0, f / operator.scale, 0.0) * (operator.U.T @ y)
    unresolved = c <= rounding_floor(c.max(), size)
    spoiled = float(np.linalg.norm(coefficients[unresolved]))
    allowed = max(largest / max(smallest, 1e-300) * EPS, CG_TRUST)
    accurate = spoiled <= allowed * float(np.linalg.norm(coefficients))
    return operator.basis @ coefficients, accurate


def _tikhonov_fft(y, h, lam):
    """The circular problem with ``L = I`` is diagonal in the DFT: Tikhonov is Wiener's filter with
    ``nsr = lam^2``; its singular values are ``|H_b|``, so the rule of solvability reads on the bins."""

    def filter_of(H):
        magnitude = np.abs(H)
        _not_determined(np.sqrt(magnitude.min() ** 2 + lam**2), np.sqrt(magnitude.max() ** 2 + lam**2), y.size, lam, 7)
        return wiener_filter_factors(H, lam**2)

    return spectral_filter(y, h, filter_of, "circular")


def _normal_condition_bound(h, lam, order, n, mode):
    """A bound on the condition number of ``A^T A + lam^2 L^T L`` from the kernel's spectrum, for
    ``order = 0`` (``inf`` for ``order >= 1``: no bound is known, so CG is never trusted there).

    The largest eigenvalue is at most ``max|H|^2 + lam^2``. The smallest is at least ``lam^2``
    (``A^T A`` is semi-definite) and, where ``A`` is a filter on the whole signal (``full``:
    ``||A x|| = ||H X||``; ``circular``: its eigenvalues), at least ``min|H|^2`` too. A ``same`` or
    ``valid`` matrix is a section of that filter: it can have far smaller singular values (``valid``
    has a null space), so only ``lam^2`` is certain there. ``|H|`` is sampled on the DFT grid of
    ``n + k - 1`` points (``n`` for ``circular``), which stands for the continuous extremes. With a
    derivative penalty (``order >= 1``) the directions ``L`` damps least and the near-null space of a
    section can meet, and the circular symbol ``|H|^2 + lam^2 |D|^2`` does not bound them."""
    if order >= 1:
        return float("inf")
    period = n if mode == "circular" else n + h.size - 1
    H2 = normal_symbol(h, 0.0, 0, period)
    smallest = lam**2 + (float(H2.min()) if mode in ("full", "circular") else 0.0)
    return float((H2.max() + lam**2) / smallest) if smallest > 0 else float("inf")


def _difference_adjoint(v, order):
    """``L^T v`` for the ``order``-th forward difference (``np.diff``)."""
    for _ in range(order):
        v = np.concatenate([[-v[0]], -np.diff(v), [v[-1]]])
    return v


def _tikhonov_sparse(y, h, lam, mode, order, n):
    """The exact minimiser by a sparse LU of the augmented system of the stacked problem
    ``min ||B x - b||``, ``B = [A; lam L]``, ``b = [y; 0]``, with the residual scaled by ``alpha``:

        [[alpha I, B], [B^T, 0]] [r / alpha; x] = [b; 0].

    Its condition number is about ``cond(B)`` when ``alpha`` is near ``B``'s smallest singular value
    (Bjorck 1967), where ``alpha = 1`` would square it. The smallest singular value is estimated from a
    first factorisation (power iteration on ``(B^T B)^-1``, whose products are solves with it), the
    system refactored with ``alpha`` set from it, the solution refined twice, and the rule of
    solvability applied to the estimate. O(n k) memory for a kernel of k taps."""
    A = sparse_convolution_matrix(h, n, mode)
    L = scipy.sparse.eye(n, format="csr")
    for _ in range(order):
        L = L[1:] - L[:-1]
    B = scipy.sparse.vstack([A, lam * L], format="csr") if lam > 0 else A
    rows = B.shape[0]
    b = np.concatenate([y, np.zeros(rows - y.size)])
    largest = float(np.sqrt(normal_symbol(h, lam, order, n + h.size - 1).max()))

    def factorise(alpha):
        """The augmented matrix for ``alpha`` and its sparse LU."""
        system = scipy.sparse.bmat([[alpha * scipy.sparse.eye(rows), B], [B.T, None]], format="csc")
        try:
            return system, scipy.sparse.linalg.splu(system)
        except RuntimeError:  # SuperLU: the matrix is exactly singular
            raise ValueError("the problem has no unique minimiser (singular system): use lam > 0") from None

    def smallest_singular_value(lu, alpha):
        """Power iteration on (B^T B)^-1: K [r; x] = [0; c] gives x = -alpha (B^T B)^-1 c. Its estimate
        of ||(B^T B)^-1|| is from below, so the smallest singular value is estimated from above."""
        v = np.random.default_rng(0).standard_normal(n)
        estimate = 0.0
        with np.errstate(all="ignore"):  # a singular system overflows: that is the answer
            for _ in range(20):
                w = -lu.solve(np.concatenate([np.zeros(rows), v / np.linalg.norm(v)]))[rows:] / alpha
                if not np.all(np.isfinite(w)):
                    return 0.0
                estimate, v = np.linalg.norm(w), w
        return 1.0 / np.sqrt(estimate) if estimate > 0 else float("inf")

    floor = rounding_floor(largest, max(rows, n))
    alpha = max(lam, floor)
    system, lu = factorise(alpha)
    smallest = smallest_singular_value(lu, alpha)
    _not_determined(smallest, largest, max(y.size, n), lam)
    if not 0.1 < alpha / max(smallest / np.sqrt(2), floor) < 10:
        alpha = max(smallest / np.sqrt(2), floor)
        system, lu = factorise(alpha)
    right = np.concatenate([b, np.zeros(n)])
    solution = lu.solve(right)
    for _ in range(2):  # iterative refinement
        solution = solution + lu.solve(right - system @ solution)
    return solution[rows:]


def _tikhonov_cg(y, h, lam, mode, order, n):
    """Preconditioned CG on ``(A^T A + lam^2 L^T L) x = A^T y`` (see :func:`tikhonov`)."""
    bound = _normal_condition_bound(h, lam, order, n, mode)
    if lam == 0 and bound * CG_RTOL > CG_TRUST:
        raise ValueError(
            f"tikhonov(method='iterative'): lam = 0 and no bound on the condition number (mode={mode!r}, "
            f"order={order}), so CG cannot tell whether the least-squares solution is determined: use "
            "method='sparse' or 'dense', or lam > 0"
        )
    if bound * CG_RTOL > CG_TRUST:
        warnings.warn(
            f"tikhonov(method='iterative'): the normal equations' condition number may be as large as {bound:.0e} "
            f"(lam = {lam:g}, mode={mode!r}), so CG's relative residual {CG_RTOL:g} bounds the solution's relative "
            f"error only by about {min(bound * CG_RTOL, 1.0):.0e}: use a larger lam, or method='dense' "
            f"(n <= {DENSE_MAX}) or 'sparse'",
            DeconvlabWarning,
            stacklevel=3,
        )
    normal = LinearOperator(
        (n, n),
        matvec=lambda v: (
            convolve_adjoint(convolve(v, h, mode), h, n, mode) + lam**2 * _difference_adjoint(np.diff(v, order), order)
        ),
        dtype=np.float64,
    )
    # Preconditioner: the same problem made periodic, diagonal in the DFT of length n.
    symbol = normal_symbol(h, lam, order, n)
    symbol = np.maximum(symbol, symbol.max() * 1e-12)  # keep the preconditioner bounded
    preconditioner = LinearOperator(
        (n, n), matvec=lambda v: scipy.fft.irfft(scipy.fft.rfft(v) / symbol, n), dtype=np.float64
    )
    rhs = convolve_adjoint(y, h, n, mode)
    start = preconditioner @ rhs
    solution, info = cg(
        normal, rhs, x0=start, atol=0.0, M=preconditioner, maxiter=20 * n, **{_CG_RTOL_KEYWORD: CG_RTOL}
    )
    if info != 0:
        raise RuntimeError(f"conjugate gradients did not reach rtol={CG_RTOL} in {info} iterations; increase lam")
    return solution


def tsvd(y, h, k, *, mode="full", svd=None):
    """Truncated SVD: ``x = sum_{i<k} (u_i^T y / s_i) v_i``, keeping the ``k`` largest singular values.

    ``k`` runs from 1 to the number of singular values, ``min(len(y), n)``; ``k`` equal to the rank
    gives the pseudo-inverse solution ``pinv(A) @ y``.

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    k : int
        How many singular values to keep.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).
    svd : SVDFactorization, optional
        A factorisation of this problem from :func:`svd_factorization` (computed if omitted).

    Returns
    -------
    ndarray
        The estimate, ``solution_length(len(y), len(h), mode)`` samples.

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> bool(np.allclose(tsvd(convolve(x, h), h, 40), x))   # every singular value kept
    True
    """
    y, h, n = check_problem(y, h, mode)
    operator = _check_svd(svd, y, h, n, mode, 0)
    k = as_count(k, "k")
    if k > operator.gamma.size:
        raise ValueError(f"k must be between 1 and {operator.gamma.size} (the number of singular values); got {k}")
    return _filtered_svd_solution(operator, y, tsvd_filter_factors(operator.gamma, k))


class Picard(NamedTuple):
    """Data of a Picard plot: singular values, ``|u_i^T y|`` and their ratio."""

    singular_values: np.ndarray
    coefficients: np.ndarray
    ratio: np.ndarray


def picard(y, h, *, mode="full", svd=None):
    """``s_i``, ``|u_i^T y|`` and ``|u_i^T y| / s_i`` for the Picard plot.

    The discrete Picard condition: a meaningful solution needs ``|u_i^T y|`` to
    decay faster than ``s_i``. Where ``|u_i^T y|`` levels off at the noise, the
    ratio grows, and those components are noise.

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).
    svd : SVDFactorization, optional
        A factorisation of this problem (computed if omitted).

    Returns
    -------
    Picard
        ``singular_values``, ``coefficients`` ``|u_i^T y|`` and ``ratio``.

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve
    >>> h = np.array([0.6, 0.3, 0.1])
    >>> p = picard(convolve(np.ones(10), h), h)
    >>> bool(np.all(np.diff(p.singular_values) <= 0))    # sorted, largest first
    True
    """
    y, h, n = check_problem(y, h, mode)
    operator = _check_svd(svd, y, h, n, mode, 0)
    coefficients = np.abs(operator.U.T @ y)
    with np.errstate(divide="ignore"):
        return Picard(operator.gamma, coefficients, coefficients / operator.gamma)


def condition_number(h, n, mode="full"):
    """``s_max / s_min`` of the convolution matrix, from its singular values (exact up to float64).

    ``s_min`` is the smallest of the ``min(m, n)`` singular values. float64 cannot
    resolve ``s_min`` below about ``eps * s_max``, so measured values saturate
    near 1/eps ~ 4.5e15. Refuses ``n > DENSE_MAX``.

    Parameters
    ----------
    h : array
        The kernel.
    n : int
        Length of the signal, at most ``DENSE_MAX``.
    mode : {"full", "same", "valid", "circular"}
        The convolution model.

    Returns
    -------
    float
        ``s_max / s_min`` (``inf`` if ``s_min`` is exactly 0).

    Examples
    --------
    >>> round(condition_number([0.6, 0.3, 0.1], 40), 1)
    2.5
    """
    h = as_kernel(h)
    _check_dense_size(as_count(n, "n"), "condition_number")
    s = scipy.linalg.svd(convolution_matrix(h, n, mode), compute_uv=False)
    return float(s.max() / s.min()) if s.min() > 0 else float("inf")


def gaussian_condition_number(sigma):
    """Closed form for a long sampled Gaussian of ``sigma`` samples, untruncated:
    ``cond ~ max|H| / min|H| = 1 / (2 exp(-pi^2 sigma^2 / 2)) = exp(pi^2 sigma^2 / 2) / 2``.

    ``min|H|`` is at the Nyquist frequency, where the two nearest aliases of the
    Gaussian spectrum add: ``H(1/2) ~ 2 exp(-pi^2 sigma^2 / 2)``. Valid for sigma
    above about one sample.

    Parameters
    ----------
    sigma : float
        Standard deviation of the blur in samples, > 0.

    Returns
    -------
    float
        ``exp(pi^2 sigma^2 / 2) / 2``.

    Examples
    --------
    >>> f"{gaussian_condition_number(2.0):.3e}"    # exp(2 pi^2) / 2
    '1.869e+08'
    """
    sigma = as_number(sigma, "sigma", strictly_positive=True)
    return float(0.5 * np.exp(np.pi**2 * sigma**2 / 2))


def _curves(operator, y, lams):
    """Residual norm, solution (semi)norm and GCV function for each lambda (vectorised)."""
    beta = operator.U.T @ y
    outside = max(float(y @ y - beta @ beta), 0.0)  # ||y||^2 outside the range of U
    f = _tikhonov_factors(operator.gamma[None, :], lams[:, None])
    residual2 = np.sum(((1 - f) * beta) ** 2, axis=1) + outside
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.isinf(operator.gamma), 0.0, beta / operator.gamma)
    seminorm2 = np.sum((f * ratio) ** 2, axis=1)
    gcv = residual2 / (y.size - np.sum(f, axis=1)) ** 2
    return np.sqrt(residual2), np.sqrt(seminorm2), gcv


def choose_lambda(
    y, h, rule="gcv", *, mode="full", noise_std=None, tau=1.0, order=0, lams=None, svd=None, return_info=False
):
    """Choose ``lam`` for :func:`tikhonov` from the data alone. Returns ``lam``, or ``(lam, info)``
    with ``return_info=True``.

    - ``gcv``: minimise ``G(lam) = ||A x_lam - y||^2 / (m - sum f_i)^2`` (generalised cross-validation).
    - ``lcurve``: the corner of the L-curve ``(log ||A x - y||, log ||L x||)``, the point of maximum
      curvature.
    - ``discrepancy``: Morozov's discrepancy principle, the ``lam`` at which
      ``||A x_lam - y|| = tau sqrt(m) noise_std`` (needs ``noise_std``). ``sqrt(m) noise_std`` is the
      expected norm of the noise; the fit itself uses ``sum f_i`` degrees of freedom, so at the best
      ``lam`` the residual is nearer ``sqrt(m - sum f_i) noise_std`` and ``tau = 1`` already errs
      towards smoothing. The published rule (Morozov; Engl, Hanke & Neubauer, *Regularization of
      Inverse Problems*, 1996) takes a safety factor ``tau > 1``, which guards against an
      underestimated ``noise_std`` at the price of more smoothing; ``tau = 1`` (the default) is the
      rule as notebook 06 states it.

    ``info`` holds ``lams`` and the curves evaluated on them (``residual_norm``, ``solution_norm``,
    ``gcv`` and, for the L-curve, ``curvature``), and ``rule``; for the discrepancy principle also
    ``target_residual_norm`` (``tau sqrt(m) noise_std``) and ``tau``.

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    rule : {"gcv", "lcurve", "discrepancy"}
        The rule that picks ``lam`` (``CHOOSE_LAMBDA_RULES``).
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).
    noise_std : float, optional
        The noise standard deviation (needed by ``discrepancy``).
    tau : float
        The discrepancy principle's safety factor, ``>= 1`` (used by ``discrepancy`` only).
    order : int
        The penalty's difference order, as in :func:`tikhonov`.
    lams : array, optional
        The grid of ``lam`` to evaluate (default: 400 points from 1/100 of the smallest generalised singular
        value, but not below twice the smallest that float64 resolves (``max(m, n) eps`` times the
        largest), to 10 times the largest).
    svd : SVDFactorization, optional
        A factorisation of this problem (computed if omitted).
    return_info : bool
        Also return the curves.

    Returns
    -------
    float, or (float, dict) with ``return_info=True``
        The chosen ``lam``; the dict as described above.

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import add_noise, convolve, gaussian_kernel
    >>> h = gaussian_kernel(2.0)
    >>> y = add_noise(convolve(np.repeat([0.0, 1.0, 0.0], 40), h), std=0.01, rng=0)
    >>> lam = choose_lambda(y, h, "discrepancy", noise_std=0.01)
    >>> residual = np.linalg.norm(convolve(tikhonov(y, h, lam), h) - y)
    >>> bool(np.isclose(residual**2, y.size * 0.01**2))    # the residual matches the noise
    True
    """
    y, h, n = check_problem(y, h, mode)
    order = as_count(order, "order", minimum=0)
    return_info = as_flag(return_info, "return_info")
    rule = as_choice(rule, "rule", CHOOSE_LAMBDA_RULES)
    if noise_std is not None:
        noise_std = as_number(noise_std, "noise_std", strictly_positive=True)
    tau = as_number(tau, "tau", minimum=1.0)
    if rule == "discrepancy" and noise_std is None:
        raise ValueError("noise_std is required by rule='discrepancy'")
    operator = _check_svd(svd, y, h, n, mode, order)
    finite = operator.gamma[np.isfinite(operator.gamma) & (operator.gamma > 0)]
    if lams is None:  # from below the smallest resolved value (rounding_floor) to above the largest
        lowest = max(finite.min() / 100, 2 * rounding_floor(finite.max(), max(y.size, n)))
        lams = np.logspace(np.log10(lowest), np.log10(finite.max()) + 1, 400)
    lams = as_signal(lams, "lams")
    if np.any(lams <= 0):
        raise ValueError("lams must all be > 0")
    residual, seminorm, gcv = _curves(operator, y, lams)
    info = {"rule": rule, "lams": lams, "residual_norm": residual, "solution_norm": seminorm, "gcv": gcv}
    if rule == "gcv":
        chosen = float(lams[np.argmin(gcv)])
        return (chosen, info) if return_info else chosen
    if rule == "lcurve":
        curvature = _lcurve_curvature(lams, residual, seminorm)
        info["curvature"] = curvature
        chosen = float(lams[np.nanargmax(curvature)])
        return (chosen, info) if return_info else chosen
    target = y.size * (tau * noise_std) ** 2
    info.update(tau=tau, target_residual_norm=float(np.sqrt(target)))

    def excess(log_lam):
        return _curves(operator, y, np.array([np.exp(log_lam)]))[0][0] ** 2 - target

    low, high = np.log(finite.min()) - 10, np.log(finite.max()) + 10
    if excess(low) > 0:
        raise ValueError("noise_std is too small (or tau too small): even lam -> 0 leaves a larger residual")
    if excess(high) < 0:
        raise ValueError("noise_std (times tau) is too large: even lam -> inf leaves a smaller residual")
    chosen = float(np.exp(scipy.optimize.brentq(excess, low, high, xtol=1e-10)))
    return (chosen, info) if return_info else chosen


def _lcurve_curvature(lams, residual, seminorm):
    """Signed curvature of the curve (log residual, log seminorm) parametrised by log lam."""
    t = np.log(lams)
    a, b = np.log(residual), np.log(seminorm)
    da, db = np.gradient(a, t), np.gradient(b, t)
    dda, ddb = np.gradient(da, t), np.gradient(db, t)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (da * ddb - dda * db) / (da**2 + db**2) ** 1.5
