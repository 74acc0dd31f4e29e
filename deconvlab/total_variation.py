"""Total-variation deconvolution: the prior "few jumps".

Linear methods cannot bring back what the blur pushed under the noise. A prior can: a square wave
is piecewise constant, so its total variation ``||D x||_1`` is small. :func:`tv` minimises
``1/2 ||A x - y||^2 + lam ||D x||_1`` exactly, for every mode.
"""

import warnings

import numpy as np
import scipy.fft
import scipy.linalg

from ._checks import (
    as_choice,
    as_count,
    as_flag,
    as_number,
    as_signal,
    check_problem,
    check_sees_constant,
)
from ._spectral import kernel_spectrum, masked_circular_model
from .diagnostics import ConvergenceWarning
from .operators import convolve, convolve_adjoint

__all__ = ["tv", "tv_objective", "TV_METHODS"]

#: The algorithms of :func:`tv`.
TV_METHODS = ("auto", "active-set", "admm")

EPS = np.finfo(float).eps


def tv_objective(x, y, h, lam, mode="full"):
    """``1/2 ||A x - y||^2 + lam ||D x||_1`` with ``D`` the first difference (``np.diff``).

    Parameters
    ----------
    x : array
        A candidate solution.
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    lam : float
        The weight of the total variation, >= 0.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).

    Returns
    -------
    float
        The objective.

    Examples
    --------
    >>> tv_objective([0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0], 0.5)   # A x = y; one jump of 1
    0.5
    """
    y, h, n = check_problem(y, h, mode)
    x = as_signal(x, "x")
    if x.size != n:
        raise ValueError(f"x must have {n} samples for this y, h and mode; got {x.size}")
    lam = as_number(lam, "lam", minimum=0.0)
    return float(0.5 * np.sum((convolve(x, h, mode) - y) ** 2) + lam * np.sum(np.abs(np.diff(x))))


def tv(y, h, lam, *, mode="full", nonneg=False, tol=1e-8, max_iter=None, return_info=False, method="auto"):
    """Total-variation deconvolution: minimise ``1/2 ||A x - y||^2 + lam ||D x||_1``.

    ``A`` is the convolution of ``mode`` and ``D`` the ordinary first difference
    (``n - 1`` rows) in every mode; ``nonneg=True`` adds the constraint ``x >= 0``.

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    lam : float
        Weight of the total variation, >= 0.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).
    nonneg : bool
        Add the constraint ``x >= 0``.
    tol : float
        Stopping tolerance of the chosen method (relative), > 0.
    max_iter : int, optional
        Iteration limit (default 2000 for active-set, 20000 for ADMM).
    method : "auto", "active-set" or "admm"
        ``active-set``: writes ``x = x_0 + sum_j z_j step_j``
        so that ``||D x||_1 = ||z||_1`` and solves that lasso exactly by an active-set
        (feature-sign) method: each iteration costs one FFT-based gradient, O(n log n), plus a
        least-squares solve on the current jumps. It stops when the optimality conditions hold:
        ``|g_j| <= lam (1 + tol)`` for every jump not in the set and
        ``|g_j + lam sign(z_j)| <= tol lam`` for those in it (``g`` the gradient of the data term
        with respect to the jump heights). Fast when the solution has few jumps.
        The active-set steps need full column rank; where they lose it (``valid`` with more
        jumps than measurements), ``auto`` switches to ADMM.
        ``admm``: see :func:`_tv_admm`, the method that also handles ``x >= 0``; slower on very
        ill-conditioned blurs, where it may need tens of thousands of iterations.
        ``auto`` (the default) takes the active set; with ``nonneg`` it keeps the active set's answer
        when that is already ``>= 0`` (then it is also the constrained minimiser) and runs ADMM otherwise.
        Either method warns (:class:`~deconvlab.ConvergenceWarning`) if it stops at ``max_iter`` before its tolerance.
    return_info : bool
        Also return a dict with ``method``, ``iterations``, ``converged``, ``final_objective`` and the
        method's own measures.

    Returns
    -------
    ndarray, or (ndarray, dict) with ``return_info=True``
        The minimiser, ``solution_length(len(y), len(h), mode)`` samples.

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve, jumps_of
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> jumps_of(np.round(tv(convolve(x, h), h, 1e-4), 2)).tolist()   # one jump, at sample 20
    [20]
    """
    y, h, n = check_problem(y, h, mode)
    lam = as_number(lam, "lam", minimum=0.0)
    tol = as_number(tol, "tol", strictly_positive=True)
    nonneg = as_flag(nonneg, "nonneg")
    return_info = as_flag(return_info, "return_info")
    method = as_choice(method, "method", TV_METHODS)
    if method == "active-set" and nonneg:
        raise ValueError("method='active-set' does not handle nonneg=True; use method='admm'")
    check_sees_constant(h, mode, "total variation")
    if method in ("auto", "active-set"):
        try:
            x, info = _tv_active_set(
                y, h, lam, mode, n, tol, as_count(2000 if max_iter is None else max_iter, "max_iter")
            )
            # Without the constraint the minimiser is x; if x >= 0 it is also the constrained one.
            if not nonneg or np.min(x) >= 0:
                if not info["converged"]:
                    warnings.warn(
                        f"tv: the active-set method stopped at its iteration limit ({info['iterations']}) before its "
                        f"optimality conditions held to tol = {tol:g}: raise max_iter, or use method='admm'",
                        ConvergenceWarning,
                        stacklevel=2,
                    )
                return (x, info) if return_info else x
        except _RankDeficient:
            if method == "active-set":
                raise ValueError(
                    "method='active-set' needs every least-squares step to have full column rank; this problem "
                    f"(mode={mode!r}, {y.size} measurements for {n} unknowns) does not: use method='admm'"
                ) from None
    x, info = _tv_admm(y, h, lam, mode, n, nonneg, tol, as_count(20000 if max_iter is None else max_iter, "max_iter"))
    if not info["converged"]:
        warnings.warn(
            f"tv: ADMM stopped at its iteration limit ({info['iterations']}) before its tolerance {tol:g}: "
            f"relative primal residual {info['primal_residual'] / max(info['primal_scale'], 1e-300):.1e}, relative "
            f"dual residual {info['dual_residual'] / max(info['dual_scale'], 1e-300):.1e}; the objective "
            f"{info['final_objective']:.3e} may be above the minimum: raise max_iter",
            ConvergenceWarning,
            stacklevel=2,
        )
    return (x, info) if return_info else x


class _RankDeficient(Exception):
    """The active-set method met a rank-deficient least-squares step (see :func:`tv`)."""


def _tv_active_set(y, h, lam, mode, n, tol, max_iter):
    """Exact TV deconvolution as a lasso in the jump heights, by feature-sign search (Lee et al. 2006).

    The unknowns are the level ``c_0`` and the heights ``c_j`` of the steps ``step_j`` (1 from
    sample ``j`` on) in the active set. Every quantity the search needs is an inner product of
    blurred steps, computed once per step that ever enters the set: with ``B = A^T A``,
    ``(A step_i)^T (A step_j) = sum_{l >= i} (B step_j)_l`` (one convolution, its adjoint and a
    reversed cumulative sum give a new step's products with every other step), and
    ``(A step_j)^T y = sum_{l >= j} (A^T y)_l``. A search step then solves the small normal
    equations ``G c = b - lam [0; signs]`` by Cholesky, O(p^2) for p jumps; where ``G`` is too
    ill-conditioned for that to be accurate, by QR of the blurred steps themselves.

    Arguments as validated by :func:`tv`.
    """
    back_y = convolve_adjoint(y, h, n, mode)
    step_products = np.cumsum(back_y[::-1])[::-1]  # (A step_j)^T y for every j; j = 0 is the constant
    half_yy = 0.5 * float(y @ y)
    position = {}  # step j -> its row in `products`, in the order the steps were first met
    products = np.zeros((0, 0))  # (A step_i)^T (A step_j) for every pair of steps met so far

    def blurred_step(j):
        step = np.zeros(n)
        step[j:] = 1.0
        return convolve(step, h, mode)

    def learn(j):
        """Add step ``j`` to ``products``: one convolution and its adjoint give all its products."""
        nonlocal products
        if j in position:
            return
        back = convolve_adjoint(blurred_step(j), h, n, mode)
        with_every_step = np.cumsum(back[::-1])[::-1]
        row = with_every_step[list(position)]
        size = len(position)
        grown = np.empty((size + 1, size + 1))
        grown[:size, :size] = products
        grown[size, :size] = grown[:size, size] = row
        grown[size, size] = with_every_step[j]
        products = grown
        position[j] = size

    def system(active):
        """``G`` and ``b`` of the columns ``[constant, step_j for j in active]``."""
        columns = [0, *active]
        rows = [position[j] for j in columns]
        return products[np.ix_(rows, rows)], step_products[columns]

    def objective(coefficients, gram, rhs):
        """``1/2 ||M c - y||^2 + lam ||c_1..||_1`` from the products (no pass over the samples)."""
        return (
            0.5 * coefficients @ gram @ coefficients
            - coefficients @ rhs
            + half_yy
            + lam * np.sum(np.abs(coefficients[1:]))
        )

    def normal_solve(active, gram, right):
        """Solve ``G c = right`` for the columns ``[constant, step_j for j in active]``.

        Needs full column rank; raises :class:`_RankDeficient` otherwise (more jumps than
        measurements, or a level the blur cannot see)."""
        if gram.shape[0] > y.size:
            raise _RankDeficient
        try:
            factor = scipy.linalg.cholesky(gram, lower=True)
            diagonal = np.abs(np.diag(factor))
            # Its diagonal is |diag R| of the blurred steps' QR, computed to about sqrt(eps) max|diag R|:
            # trust it while its smallest entry is ten times that (the steps are then independent);
            # below, QR of the steps themselves decides the rank.
            if diagonal.min() > 10 * np.sqrt(EPS) * diagonal.max():
                return scipy.linalg.cho_solve((factor, True), right)
        except np.linalg.LinAlgError:
            pass
        Q, R = np.linalg.qr(np.column_stack([blurred_step(j) for j in [0, *active]]))
        diagonal = np.abs(np.diag(R))
        if diagonal.min() <= max(n, y.size) * EPS * diagonal.max():
            raise _RankDeficient
        return scipy.linalg.solve_triangular(R, scipy.linalg.solve_triangular(R, right, trans="T"))

    def signed_solution(active, gram, rhs, signs):
        """Minimiser of the smooth problem with fixed signs: ``G c = b - lam [0; signs]``."""
        return normal_solve(active, gram, rhs - lam * np.r_[0.0, signs])

    def signal_of(coefficients, active):
        x = np.zeros(n)
        np.add.at(x, np.asarray(active, dtype=int), coefficients[1:])
        return coefficients[0] + np.cumsum(x)

    def step_gradient(x):
        """``g_j = (A step_j)^T (A x - y)`` for every step ``j = 0 .. n-1``: one adjoint, one cumsum
        (``g_0``: the level; ``g_j``, ``j >= 1``: the jump before sample ``j``)."""
        back = convolve_adjoint(convolve(x, h, mode) - y, h, n, mode)
        return np.cumsum(back[::-1])[::-1]

    weight = np.abs(h) / np.abs(h).sum()
    lag = np.arange(h.size)
    separation = 3 * np.sqrt(np.sum(weight * (lag - np.sum(weight * lag)) ** 2)) + 2
    bound = lam * (1 + tol)
    learn(0)
    active, signs = [], np.zeros(0)
    coefficients = np.array([step_products[0] / products[0, 0]])
    converged = False
    for iteration in range(1, max_iter + 1):  # noqa: B007 (reported after the loop)
        all_gradients = step_gradient(signal_of(coefficients, active))
        gradient = all_gradients[1:]
        outside = gradient.copy()
        outside[np.asarray(active, dtype=int) - 1] = 0.0
        worst = int(np.argmax(np.abs(outside)))
        # The smooth problem's gradient in (level, active jumps): zero at its minimiser.
        smooth_gradient = np.r_[all_gradients[0], gradient[np.asarray(active, dtype=int) - 1] + lam * signs]
        inside_ok = np.max(np.abs(smooth_gradient)) <= tol * max(lam, 1e-300)
        if abs(outside[worst]) <= bound and inside_ok:
            converged = True
            break
        if abs(outside[worst]) <= bound:
            # Only the accuracy of the last solve is short (G holds products of size ~n, so its
            # rounding can exceed tol * lam): one step of iterative refinement with the gradient
            # computed from the convolutions, if it keeps every sign.
            refined = coefficients - normal_solve(active, *system(active)[:1], smooth_gradient)
            if np.array_equal(np.sign(refined[1:]), signs):
                coefficients = refined
                continue
        if abs(outside[worst]) > bound:
            # Add the strongest violators, at most 10 a round, no two closer than three widths of
            # the kernel (closer jumps have nearly collinear blurred steps: add those one by one).
            violators = np.flatnonzero(np.abs(outside) > bound)
            chosen = []
            for index in violators[np.argsort(-np.abs(outside[violators]))]:
                if len(chosen) < 10 and all(abs(index - other) > separation for other in chosen):
                    chosen.append(int(index))
            for index in chosen:
                learn(index + 1)
                active.append(index + 1)
                signs = np.r_[signs, -np.sign(outside[index])]
                coefficients = np.r_[coefficients, 0.0]
        gram, rhs = system(active)
        for _ in range(10 * n):  # feature-sign steps with the signs fixed, line search over sign changes
            target = signed_solution(active, gram, rhs, signs)
            candidates = [target]
            for k in range(1, coefficients.size):
                if coefficients[k] != 0 and np.sign(target[k]) != np.sign(coefficients[k]):
                    fraction = coefficients[k] / (coefficients[k] - target[k])
                    candidates.append(coefficients + fraction * (target - coefficients))
            best = candidates[int(np.argmin([objective(c, gram, rhs) for c in candidates]))]
            scale = max(1.0, np.max(np.abs(best)))
            keep = [k for k in range(1, best.size) if abs(best[k]) > 1e-13 * scale]
            dropped = len(keep) < best.size - 1
            coefficients = np.r_[best[0], best[keep]]
            active = [active[k - 1] for k in keep]
            signs = np.sign(coefficients[1:])
            gram, rhs = system(active)
            if not dropped and best is target:
                break
    x = signal_of(coefficients, active)
    return x, {
        "method": "active-set",
        "iterations": iteration,
        "converged": converged,
        "jumps": len(active),
        "final_objective": tv_objective(x, y, h, lam, mode),
    }


def _tv_admm(y, h, lam, mode, n, nonneg, tol, max_iter, rho=None):
    """ADMM for :func:`tv`, the only method that also handles ``x >= 0``.

    Method: ADMM on the exact model written as a masked circular convolution of
    length ``N`` (``n + k - 1`` for ``full``/``same``, ``n`` for ``valid``/``circular``):
    ``y = M C P x``, with ``P`` the zero-padding, ``C`` circulant and ``M`` the rows
    the mode measures. The splits ``v = C u``, ``z = D_c u``, ``w = u`` (``D_c`` the
    periodic difference, weighted 0 on the differences that leave the signal,
    ``w`` projected on the support and, if asked, on ``x >= 0``) make every step
    diagonal either in the DFT (the ``u`` update) or per sample: O(N log N) per
    iteration, with over-relaxation 1.6. The penalty ``rho`` is adapted by residual
    balancing unless given.

    Stopping rule (after Boyd et al. 2011, 3.3.1), with ``K = [C; D_c; I]`` and
    ``q = (v, z, w)``: the primal residual ``||K u - q|| <= tol * max(||K u||, ||q||)``
    (the splits agree) and the dual residual ``rho ||K^T (q - q_prev)|| <= tol * rho ||K^T q||``
    (the split variables have stopped moving, relative to their size).

    Boyd et al. scale the dual residual by ``||K^T y||``, ``y = rho (a, b, c)`` the
    dual. That scale does not work for this splitting: all of the objective is in the
    split variables (``f(u) = 0``), and the exact ``u`` step, the least-squares
    solution of ``K u = q - d``, gives ``K^T d = K^T (q - K u)``, so ``||K^T y||`` is at
    most ``rho ||K||`` times the primal residual and tends to 0; a test relative to it
    would pass only through their absolute tolerance. ``rho ||K^T q||``, the size of the
    ``u`` step's right-hand side, is the scale used instead.

    Returns ``(x, info)``; ``info`` holds ``iterations``, ``objective`` (history),
    ``primal_residual``, ``dual_residual``, ``converged``, ``final_objective``.
    Arguments as validated by :func:`tv`.
    """
    N, start = masked_circular_model(n, h.size, mode)
    m = y.size

    H = kernel_spectrum(h, N)
    difference = np.zeros(N)
    difference[0], difference[-1] = -1.0, 1.0  # (D_c u)[i] = u[i+1] - u[i]
    Dh = kernel_spectrum(difference, N)
    measured = np.zeros(N)
    measured[start : start + m] = 1.0
    y_padded = np.zeros(N)
    y_padded[start : start + m] = y
    tv_weight = np.zeros(N)
    tv_weight[: n - 1] = 1.0
    inside = np.zeros(N, dtype=bool)
    inside[:n] = True
    denominator = np.abs(H) ** 2 + np.abs(Dh) ** 2 + 1.0
    relax = 1.6  # over-relaxation (Boyd et al. 3.4.3)

    def apply_K(u_hat):
        """``K u = (C u, D_c u, u)`` from the DFT of ``u``."""
        return scipy.fft.irfft(H * u_hat, N), scipy.fft.irfft(Dh * u_hat, N), scipy.fft.irfft(u_hat, N)

    def apply_K_adjoint_hat(a, b, c):
        """The DFT of ``K^T (a, b, c) = C^T a + D_c^T b + c``."""
        return np.conj(H) * scipy.fft.rfft(a) + np.conj(Dh) * scipy.fft.rfft(b) + scipy.fft.rfft(c)

    def norm_K_adjoint(a, b, c):
        return np.linalg.norm(scipy.fft.irfft(apply_K_adjoint_hat(a, b, c), N))

    adaptive = rho is None
    rho = max(lam, 1e-4 * float(np.abs(H).max() ** 2)) if adaptive else as_number(rho, "rho", strictly_positive=True)
    v, z, w = np.zeros(N), np.zeros(N), np.zeros(N)
    a, b, c = np.zeros(N), np.zeros(N), np.zeros(N)  # scaled duals
    history, converged = [], False
    for iteration in range(1, max_iter + 1):
        Cu, Du, u = apply_K(apply_K_adjoint_hat(v - a, z - b, w - c) / denominator)
        v_previous, z_previous, w_previous = v, z, w
        Cu_r, Du_r, u_r = (relax * Cu + (1 - relax) * v, relax * Du + (1 - relax) * z, relax * u + (1 - relax) * w)
        v = (measured * y_padded + rho * (Cu_r + a)) / (measured + rho)
        t = Du_r + b
        z = np.sign(t) * np.maximum(np.abs(t) - lam * tv_weight / rho, 0.0)
        w = np.where(inside, u_r + c, 0.0)
        if nonneg:
            w = np.maximum(w, 0.0)
        a += Cu_r - v
        b += Du_r - z
        c += u_r - w
        history.append(0.5 * np.sum((measured * Cu - y_padded) ** 2) + lam * np.sum(tv_weight * np.abs(Du)))
        primal = np.sqrt(np.sum((Cu - v) ** 2) + np.sum((Du - z) ** 2) + np.sum((u - w) ** 2))
        dual = rho * norm_K_adjoint(v - v_previous, z - z_previous, w - w_previous)
        scale_primal = max(
            np.sqrt(np.sum(Cu**2) + np.sum(Du**2) + np.sum(u**2)), np.sqrt(np.sum(v**2) + np.sum(z**2) + np.sum(w**2))
        )
        scale_dual = rho * norm_K_adjoint(v, z, w)
        if primal <= tol * scale_primal and dual <= tol * scale_dual:
            converged = True
            break
        if adaptive and iteration % 10 == 0:  # residual balancing (Boyd et al. 3.4.1)
            if primal > 10 * dual:
                rho *= 2.0
                a, b, c = a / 2.0, b / 2.0, c / 2.0
            elif dual > 10 * primal:
                rho /= 2.0
                a, b, c = a * 2.0, b * 2.0, c * 2.0
    x = w[:n].copy()
    return x, {
        "method": "admm",
        "iterations": iteration,
        "objective": np.array(history),
        "primal_residual": primal,
        "dual_residual": dual,
        "primal_scale": scale_primal,
        "dual_scale": scale_dual,
        "converged": converged,
        "final_objective": tv_objective(x, y, h, lam, mode),
    }
