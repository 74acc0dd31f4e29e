"""Regularised least squares: Tikhonov, truncated SVD, the Picard plot, and the choice of lambda.

The dense path follows Hansen's Regularization Tools: factorise once
(:func:`svd_operator`), then every ``lam`` or ``k`` costs only a few vector
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
from scipy.sparse.linalg import LinearOperator, cg, spsolve

from ._checks import as_count, as_flag, as_kernel, as_number, as_signal
from .operators import (
    check_problem,
    convolution_matrix,
    convolve,
    convolve_adjoint,
    sparse_convolution_matrix,
    spectral_filter,
)
from .wiener_filter import wiener_filter_factors

__all__ = [
    "SVDOperator",
    "difference_matrix",
    "svd_operator",
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
]

#: Largest n solved with dense matrices by ``method="auto"``; larger ones go matrix-free.
DENSE_LIMIT = 2048
#: Largest n any dense factorisation accepts (an SVD of n = 8000 takes minutes and GBs here).
DENSE_MAX = 6000
#: Relative residual of the normal equations at which conjugate gradients stop.
CG_RTOL = 1e-10
# scipy >= 1.12 names cg's relative tolerance ``rtol``; 1.11 (the oldest we support) calls it ``tol``.
_CG_RTOL_KEYWORD = "rtol" if "rtol" in inspect.signature(cg).parameters else "tol"


class SVDOperator(NamedTuple):
    """A factorised convolution problem (see the module docstring).

    ``x = basis @ (f / scale * (U.T @ y))`` with ``f = gamma**2 / (gamma**2 + lam**2)``.
    """

    U: np.ndarray
    gamma: np.ndarray
    scale: np.ndarray
    basis: np.ndarray
    order: int
    mode: str
    n: int
    kernel: np.ndarray


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


def _check_unique(m, n, order, h, mode):
    """``||A x - y||^2 + lam^2 ||L x||^2`` has one minimiser only if ``[A; L]`` has rank ``n``:
    the ``order`` directions ``L`` leaves free need at least ``order`` measurements, and the
    constant (free for ``order >= 1``) must be seen: in ``valid`` and ``circular``,
    ``A 1 = sum(h) 1``. (The dense path also checks the full rank condition.)"""
    if m < order:
        raise ValueError(
            f"order={order} leaves {order} directions free but there are only {m} measurements "
            f"for n={n} unknowns: the minimiser is not unique; use order <= {m}"
        )
    if order >= 1 and mode in ("valid", "circular") and abs(h.sum()) <= h.size * np.finfo(float).eps * np.abs(h).max():
        raise ValueError(
            f"h sums to zero, so mode={mode!r} cannot see a constant, which the order-{order} penalty "
            "leaves free: the minimiser is not unique; use order=0"
        )


def svd_operator(h, n, mode="full", order=0):
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
    SVDOperator
        ``U``, ``gamma`` (generalised singular values), ``scale``, ``basis`` and what it was made for.

    Raises
    ------
    ValueError
        For ``n > DENSE_MAX``, or when the penalised problem has no unique minimiser.

    Examples
    --------
    >>> operator = svd_operator([0.6, 0.3, 0.1], 40)
    >>> operator.U.shape, operator.gamma.size
    ((42, 40), 40)
    """
    h = as_kernel(h)
    n = as_count(n, "n")
    order = as_count(order, "order", minimum=0)
    _check_dense_size(n, "svd_operator")
    A = convolution_matrix(h, n, mode)
    if order == 0:
        U, s, Vt = scipy.linalg.svd(A, full_matrices=False)
        return SVDOperator(U, s, s, Vt.T, 0, mode, n, h.copy())
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
    return SVDOperator(U, gamma, c, basis, order, mode, n, h.copy())


def _filter_factors(gamma, lam):
    """Tikhonov filter factors ``gamma^2 / (gamma^2 + lam^2)`` (1 where gamma is inf)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(np.isinf(gamma), 1.0, gamma**2 / (gamma**2 + lam**2))


def _filtered_svd_solution(operator, y, f):
    """The SVD path of every method: ``x = basis @ (f / scale * (U^T y))``, a method being its filter
    factors ``f`` (Tikhonov ``gamma^2 / (gamma^2 + lam^2)``, TSVD 1 for the ``k`` largest, else 0).
    A factor of 0 drops its component, even where ``scale`` is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        coefficients = np.where(f > 0, f / operator.scale, 0.0) * (operator.U.T @ y)
    return operator.basis @ coefficients


def _check_svd(svd, y, h, n, mode, order):
    if svd is None:
        return svd_operator(h, n, mode, order)
    if not isinstance(svd, SVDOperator):
        raise TypeError(f"svd must come from svd_operator; got {type(svd).__name__}")
    if (svd.n, svd.mode, svd.order, svd.U.shape[0]) != (n, mode, order, y.size):
        raise ValueError(
            f"svd was computed for n={svd.n}, mode={svd.mode!r}, order={svd.order}, "
            f"len(y)={svd.U.shape[0]}; this call has n={n}, mode={mode!r}, order={order}, len(y)={y.size}"
        )
    if not np.array_equal(svd.kernel, h):
        raise ValueError("svd was computed for a different kernel h: compute it with svd_operator(h, ...) for this one")
    return svd


def tikhonov(y, h, lam, *, mode="full", order=0, method="auto", svd=None):
    """Minimise ``||A x - y||^2 + lam^2 ||L x||^2`` exactly, ``L`` the ``order``-th difference.

    ``A`` is the convolution matrix of ``mode`` and ``L`` the ordinary
    (non-periodic) ``order``-th difference, an ``(n - order) x n`` matrix
    (identity for ``order = 0``), in every mode.

    Parameters
    ----------
    lam : float
        Regularisation weight, >= 0. With ``order = 0`` the solution damps the
        singular component ``i`` by the filter factor ``s_i^2 / (s_i^2 + lam^2)``.
    method : "auto", "dense", "fft", "iterative" or "sparse"
        ``dense``: the factorisation of :func:`svd_operator` (reused if passed as
        ``svd``). ``fft``: exact diagonalisation, only for ``mode="circular"``
        and ``order=0``. ``iterative``: conjugate gradients on the normal
        equations ``(A^T A + lam^2 L^T L) x = A^T y`` with FFT-based products,
        preconditioned by the circular problem, stopped at a relative residual
        of ``CG_RTOL`` (1e-10); it warns when that residual cannot vouch for the
        solution (condition number x CG_RTOL > 1e-4) and raises if CG does not
        converge. ``sparse``: a direct sparse LU of the augmented system
        ``[[I, A], [A^T, -lam^2 L^T L]] [r; x] = [y; 0]``, exact to about
        cond(A) x eps, O(n k) memory. ``auto`` takes ``fft`` where it applies, else
        ``dense`` up to ``DENSE_LIMIT`` unknowns, else ``iterative`` where its
        stopping rule vouches for the solution and ``sparse`` where it does not
        (small ``lam``).

    Returns
    -------
    ndarray
        The minimiser ``x``, ``solution_length(len(y), len(h), mode)`` samples.

    Raises
    ------
    ValueError
        Bad input (named), a factorisation ``svd`` of another problem, a
        minimiser that is not unique, or a dense solve above ``DENSE_MAX``.

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
    if method not in ("auto", "dense", "fft", "iterative", "sparse"):
        raise ValueError(f"method must be 'auto', 'dense', 'fft', 'iterative' or 'sparse'; got {method!r}")
    if order >= n:
        raise ValueError(f"order must be < n = {n}; got {order}")
    _check_unique(y.size, n, order, h, mode)
    if method == "auto":
        if svd is not None:
            method = "dense"
        elif mode == "circular" and order == 0:
            method = "fft"
        elif n <= DENSE_LIMIT:
            method = "dense"
        else:  # CG where its stopping rule vouches for the solution, else a direct sparse solve
            trusted = _normal_condition(_circular_symbol(h, lam, order, n)) * CG_RTOL <= 1e-4
            method = "iterative" if trusted else "sparse"
    if svd is not None and method != "dense":
        raise ValueError(f"svd is used only by method='dense' (or 'auto'); method={method!r} would ignore it")
    if method == "fft":
        if mode != "circular" or order != 0:
            raise ValueError("method='fft' is exact only for mode='circular' and order=0")
        try:  # the circular problem is diagonal in the DFT: Tikhonov is Wiener's filter with nsr = lam^2
            return spectral_filter(y, h, lambda H: wiener_filter_factors(H, lam**2), mode)
        except ValueError:
            raise ValueError("lam = 0 where H = 0: the least-squares solution is not unique; use lam > 0") from None
    if method == "iterative":
        return _tikhonov_cg(y, h, lam, mode, order, n)
    if method == "sparse":
        return _tikhonov_sparse(y, h, lam, mode, order, n)
    operator = _check_svd(svd, y, h, n, mode, order)
    if lam == 0:
        # The least-squares solution is determined by the data only where A's singular values stand
        # above rounding: below max(m, n) eps s_max, 1/s_i multiplies rounding errors (a silent
        # wrong answer), and exactly 0 leaves the minimiser not unique.
        smallest, largest = np.min(operator.gamma), np.max(operator.gamma[np.isfinite(operator.gamma)])
        if smallest <= max(y.size, n) * np.finfo(float).eps * largest:
            raise ValueError(
                f"lam = 0 with a numerically rank-deficient problem (smallest singular value {smallest:.1e}, "
                f"largest {largest:.1e}): the least-squares solution is not determined; use lam > 0 (or tsvd)"
            )
    return _filtered_svd_solution(operator, y, _filter_factors(operator.gamma, lam))


def _difference_adjoint(v, order):
    """``L^T v`` for the ``order``-th forward difference (``np.diff``)."""
    for _ in range(order):
        v = np.concatenate([[-v[0]], -np.diff(v), [v[-1]]])
    return v


def _tikhonov_sparse(y, h, lam, mode, order, n):
    """The exact minimiser by a sparse LU of the augmented system (``r = y - A x`` the residual)

        [[I, A], [A^T, -lam^2 L^T L]] [r; x] = [y; 0],

    whose condition number is about cond(A), not cond(A)^2 like the normal equations'. O(n k) memory
    for a kernel of k taps (SuperLU's fill-in stays within the band)."""
    A = sparse_convolution_matrix(h, n, mode)
    m = A.shape[0]
    L = scipy.sparse.eye(n, format="csr")
    for _ in range(order):
        L = L[1:] - L[:-1]
    system = scipy.sparse.bmat([[scipy.sparse.eye(m), A], [A.T, -(lam**2) * (L.T @ L)]], format="csc")
    with warnings.catch_warnings():
        warnings.simplefilter("error", scipy.sparse.linalg.MatrixRankWarning)
        try:
            solution = spsolve(system, np.concatenate([y, np.zeros(n)]))
        except scipy.sparse.linalg.MatrixRankWarning:
            raise ValueError("the problem has no unique minimiser (singular system): use lam > 0") from None
    return solution[m:]


def _circular_symbol(h, lam, order, n):
    """The DFT of the circular version of ``A^T A + lam^2 L^T L`` (length ``n``):
    ``|H_k|^2 + lam^2 |D_k|^2``, with ``D`` the DFT of the ``order``-th difference stencil. Only
    magnitudes enter, so it is the same for every mode (where the kernel is centred is a phase)."""
    kernel = h if h.size <= n else h[:n]
    H2 = np.abs(scipy.fft.rfft(kernel, n)) ** 2
    D2 = np.abs(scipy.fft.rfft(np.diff(np.r_[1.0, np.zeros(order)], order) if order else [1.0], n)) ** 2
    return H2 + lam**2 * D2


def _normal_condition(symbol):
    """Condition number of the normal equations, estimated from their circular ``symbol``."""
    return symbol.max() / max(symbol.min(), symbol.max() * np.finfo(float).eps)


def _warn_if_ill_conditioned(symbol, lam):
    """Warn when CG's stopping rule cannot vouch for the solution.

    CG stops at a relative residual ``CG_RTOL`` of the normal equations, which bounds the relative
    error of the solution only by ``cond * CG_RTOL``. ``cond`` is estimated by the circular version of
    ``A^T A + lam^2 L^T L`` (its DFT ``symbol``), which the Toeplitz matrix approaches for large n.
    """
    condition = _normal_condition(symbol)
    if condition * CG_RTOL > 1e-4:
        warnings.warn(
            f"tikhonov(method='iterative'): lam = {lam:g} leaves the normal equations with a condition number of "
            f"about {condition:.0e}, so CG's relative residual {CG_RTOL:g} bounds the solution's relative error only "
            f"by about {min(condition * CG_RTOL, 1.0):.0e}: use a larger lam, or method='dense' (n <= {DENSE_MAX})",
            RuntimeWarning,
            stacklevel=4,
        )


def _tikhonov_cg(y, h, lam, mode, order, n):
    """Preconditioned CG on ``(A^T A + lam^2 L^T L) x = A^T y`` (see :func:`tikhonov`)."""
    normal = LinearOperator(
        (n, n),
        matvec=lambda v: (
            convolve_adjoint(convolve(v, h, mode), h, n, mode) + lam**2 * _difference_adjoint(np.diff(v, order), order)
        ),
        dtype=np.float64,
    )
    # Preconditioner: the same problem made periodic, diagonal in the DFT of length n.
    symbol = _circular_symbol(h, lam, order, n)
    _warn_if_ill_conditioned(symbol, lam)
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
    svd : SVDOperator, optional
        A factorisation of this problem from :func:`svd_operator` (computed if omitted).

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
    return _filtered_svd_solution(operator, y, (np.arange(operator.gamma.size) < k).astype(float))


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
    svd : SVDOperator, optional
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
    f = _filter_factors(operator.gamma[None, :], lams[:, None])
    residual2 = np.sum(((1 - f) * beta) ** 2, axis=1) + outside
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.isinf(operator.gamma), 0.0, beta / operator.gamma)
    seminorm2 = np.sum((f * ratio) ** 2, axis=1)
    gcv = residual2 / (y.size - np.sum(f, axis=1)) ** 2
    return np.sqrt(residual2), np.sqrt(seminorm2), gcv


def choose_lambda(y, h, method="gcv", *, mode="full", noise_std=None, order=0, lams=None, svd=None, return_info=False):
    """Choose ``lam`` for :func:`tikhonov` from the data alone. Returns ``lam``, or ``(lam, info)``
    with ``return_info=True``.

    - ``gcv``: minimise ``G(lam) = ||A x_lam - y||^2 / (m - sum f_i)^2`` (generalised cross-validation).
    - ``lcurve``: the corner of the L-curve ``(log ||A x - y||, log ||L x||)``, the point of maximum
      curvature.
    - ``discrepancy``: the ``lam`` at which ``||A x_lam - y||^2 = m noise_std^2`` (needs ``noise_std``).

    ``info`` holds ``lams`` and the curves evaluated on them (``residual_norm``, ``solution_norm``,
    ``gcv`` and, for the L-curve, ``curvature``), and ``method``.

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    method : {"gcv", "lcurve", "discrepancy"}
        The rule.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).
    noise_std : float, optional
        The noise standard deviation (needed by ``discrepancy``).
    order : int
        The penalty's difference order, as in :func:`tikhonov`.
    lams : array, optional
        The grid of ``lam`` to evaluate (default: 400 points spanning the generalised singular values).
    svd : SVDOperator, optional
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
    if method not in ("gcv", "lcurve", "discrepancy"):
        raise ValueError(f"method must be 'gcv', 'lcurve' or 'discrepancy'; got {method!r}")
    if noise_std is not None:
        noise_std = as_number(noise_std, "noise_std", strictly_positive=True)
    if method == "discrepancy" and noise_std is None:
        raise ValueError("noise_std is required by method='discrepancy'")
    operator = _check_svd(svd, y, h, n, mode, order)
    finite = operator.gamma[np.isfinite(operator.gamma) & (operator.gamma > 0)]
    if lams is None:
        lams = np.logspace(np.log10(finite.min()) - 2, np.log10(finite.max()) + 1, 400)
    lams = as_signal(lams, "lams")
    if np.any(lams <= 0):
        raise ValueError("lams must all be > 0")
    residual, seminorm, gcv = _curves(operator, y, lams)
    info = {"method": method, "lams": lams, "residual_norm": residual, "solution_norm": seminorm, "gcv": gcv}
    if method == "gcv":
        chosen = float(lams[np.argmin(gcv)])
        return (chosen, info) if return_info else chosen
    if method == "lcurve":
        curvature = _lcurve_curvature(lams, residual, seminorm)
        info["curvature"] = curvature
        chosen = float(lams[np.nanargmax(curvature)])
        return (chosen, info) if return_info else chosen
    target = y.size * noise_std**2

    def excess(log_lam):
        return _curves(operator, y, np.array([np.exp(log_lam)]))[0][0] ** 2 - target

    low, high = np.log(finite.min()) - 10, np.log(finite.max()) + 10
    if excess(low) > 0:
        raise ValueError("noise_std is too small: even lam -> 0 leaves a larger residual")
    if excess(high) < 0:
        raise ValueError("noise_std is too large: even lam -> inf leaves a smaller residual")
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
