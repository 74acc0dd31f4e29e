"""Every solver path is exact, or says it is not (deconvlab 1.1).

Each case below returned a wrong answer without a word in deconvlab 1.0; each is tested against an
independent dense reference (LAPACK least squares on the stacked matrix, the SVD, or cvxpy) at the
size it was found at and at one other size, blur or mode. The one rule of solvability every path
obeys: the singular values of ``[A; lam L]`` must stand above ``max(m, n) eps`` times the largest.
"""

import warnings

import numpy as np
import pytest
import scipy.linalg

import deconvlab as dl
from deconvlab._spectral import rounding_floor


def stacked_reference(y, h, lam, mode, order, n):
    """``argmin ||A x - y||^2 + lam^2 ||L x||^2`` by LAPACK's QR least squares of the stacked matrix."""
    A = dl.convolution_matrix(h, n, mode)
    L = dl.difference_matrix(n, order)
    B = np.vstack([A, lam * L]) if lam > 0 else A
    b = np.r_[y, np.zeros(B.shape[0] - y.size)]
    return scipy.linalg.lstsq(B, b, lapack_driver="gelsy")[0], np.linalg.svd(B, compute_uv=False)


def piecewise_constant(n, width, seed):
    return np.repeat(np.random.default_rng(seed).uniform(0.0, 1.0, n // width + 1), width)[:n]


def no_warning():
    return warnings.catch_warnings(record=True)


# --- 1. The thread's own set-up, lam = 0, above DENSE_LIMIT: refused, not 6e5 RMSE ------------------


@pytest.mark.parametrize("n, sigma, radius, mode", [(2500, 2.45, 18, "same"), (2100, 3.0, None, "full")])
@pytest.mark.parametrize("method", ["auto", "sparse"])
def test_lam_zero_on_a_numerically_singular_blur_is_refused_on_every_path(n, sigma, radius, mode, method):
    """The answer's own call, ``tikhonov(y, h, 0, mode="same")`` on a 0/1 square wave blurred by a
    Gaussian of 2.45 samples (radius 18): the smallest singular value of A (3e-13) is below
    n eps s_max, so the least-squares solution is not determined. It returned RMSE 6.3e5.
    (A Gaussian cut at radius 18 with sigma = 4 is not a case: its |H| floors at 1e-11, above the
    rule's floor, and the sparse solve is then accurate to 1e-7.)"""
    h = dl.gaussian_kernel(sigma) if radius is None else dl.gaussian_kernel(sigma, radius=radius)
    x = (np.arange(n) // 100 % 2).astype(float)
    y = dl.convolve(x, h, mode)
    with pytest.raises(ValueError, match="rank-deficient"):
        dl.tikhonov(y, h, 0.0, mode=mode, method=method)


def test_the_refusal_agrees_with_the_dense_singular_values():
    """What the sparse path refuses is what the dense SVD says is below the rounding floor, and what
    it accepts (sigma = 1.5, cond ~ 3e4) it solves to the accuracy cond x eps allows."""
    n = 600
    for sigma, refused in ((3.0, True), (1.5, False)):
        h = dl.gaussian_kernel(sigma, radius=18)
        x = (np.arange(n) // 50 % 2).astype(float)
        y = dl.convolve(x, h, "same")
        s = np.linalg.svd(dl.convolution_matrix(h, n, "same"), compute_uv=False)
        assert (s.min() <= rounding_floor(s.max(), n)) == refused, f"sigma={sigma}: the premise moved"
        if refused:
            for method in ("dense", "sparse"):
                with pytest.raises(ValueError, match="rank-deficient"):
                    dl.tikhonov(y, h, 0.0, mode="same", method=method)
        else:
            for method in ("dense", "sparse"):
                assert dl.rmse(dl.tikhonov(y, h, 0.0, mode="same", method=method), x) < 1e-9, method


@pytest.mark.parametrize(
    "n, sigma, mode, lam, order",
    [
        (2500, 2.45, "same", 1e-10, 0),
        (2500, 4.0, "valid", 1e-10, 0),
        (2500, 2.45, "full", 1e-6, 0),
        (2100, 2.0, "same", 1e-3, 1),
        (101, 2.0, "valid", 1e-10, 0),
        (64, 2.0, "valid", 1e-10, 0),
        (80, 2.0, "circular", 1e-8, 1),
    ],
)
def test_sparse_and_auto_paths_agree_with_dense_least_squares_at_small_lambda(n, sigma, mode, lam, order):
    """The sparse LU of the augmented system was not accurate at small lam (relative error 4e4 at
    n = 64-101, valid, lam = 1e-10; RMSE 1e4-1e37 at n = 2500-4000 through auto). Scaled by the
    smallest singular value and refined, it is now within cond(B) x n eps of LAPACK's answer."""
    h = dl.gaussian_kernel(sigma)
    x = piecewise_constant(n, 50, seed=n)
    y = dl.add_noise(dl.convolve(x, h, mode), std=1e-3, rng=1)
    reference, s = stacked_reference(y, h, lam, mode, order, n)
    bound = max(1e-12, s.max() / s.min() * max(y.size, n) * np.finfo(float).eps)
    for method in ("sparse", "auto"):
        with no_warning() as caught:
            warnings.simplefilter("always")
            estimate = dl.tikhonov(y, h, lam, mode=mode, order=order, method=method)
        assert not caught, f"{method}: warned {caught[0].message}"
        error = np.linalg.norm(estimate - reference) / np.linalg.norm(reference)
        # auto may take CG, whose stopping rule bounds the error by cond(B^T B) x CG_RTOL (at most CG_TRUST)
        allowed = bound if method == "sparse" else max(bound, (s.max() / s.min()) ** 2 * dl.regularization.CG_RTOL)
        assert error < 10 * allowed, f"{method}: relative error {error:.1e}, bound {allowed:.1e}"


# --- 2. The iterative path on a valid/same problem whose near-null space the circular spectrum misses --


@pytest.mark.parametrize("n, mode", [(2100, "valid"), (2300, "same")])
def test_auto_does_not_trust_cg_where_the_circular_spectrum_misses_the_null_space(n, mode):
    """``h = exp(-t/6)`` (40 taps) has |H| >= 0.08: its circular problem is well conditioned, and CG
    was trusted. But a valid matrix has a (k - 1)-dimensional null space, held only by lam^2 = 1e-10:
    CG stopped 2.5 % from the minimiser. Now auto solves it directly."""
    h = np.exp(-np.arange(40) / 6)
    x = piecewise_constant(n, 100, seed=2)
    y = dl.add_noise(dl.convolve(x, h, mode), std=1e-3, rng=3)
    reference, s = stacked_reference(y, h, 1e-5, mode, 0, n)
    bound = s.max() / s.min() * max(y.size, n) * np.finfo(float).eps
    estimate = dl.tikhonov(y, h, 1e-5, mode=mode)
    error = np.linalg.norm(estimate - reference) / np.linalg.norm(reference)
    assert error < 10 * bound, f"relative error {error:.1e}, bound {bound:.1e}"
    with pytest.warns(RuntimeWarning, match="condition number"):
        dl.tikhonov(y, h, 1e-5, mode=mode, method="iterative")


@pytest.mark.parametrize("order", [1, 2])
def test_the_preconditioner_symbol_models_a_derivative_penalty_not_the_identity(order):
    """The symbol of the order-1 difference was built from ``np.diff([1, 0])``, a flat spectrum (the
    penalty modelled as order 0). |D|^2 is now |1 - e^{-iw}|^(2 order): 0 at DC, 4^order at Nyquist."""
    from deconvlab._spectral import normal_symbol

    symbol = normal_symbol(np.array([1.0]), 1.0, order, 16) - 1.0
    np.testing.assert_allclose(symbol[[0, -1]], [0.0, 4.0**order], atol=1e-12)
    w = 2 * np.pi * np.arange(9) / 16
    np.testing.assert_allclose(symbol, (2 - 2 * np.cos(w)) ** order, atol=1e-12)


# --- 3. The FFT paths at lam = 0 / nsr = 0 on bins at rounding level -------------------------------


@pytest.mark.parametrize("n, sigma", [(255, 3.5), (101, 3.5), (301, 3.2)])
def test_fft_tikhonov_refuses_and_wiener_warns_where_the_bins_are_rounding(n, sigma):
    """``tikhonov(y, h, 0, mode="circular")`` returned RMSE 2.65 (n = 255; a norm of 2e15 at n = 101)
    where dense refused; ``wiener(..., 0)`` the same, with no warning. Both now follow the rule."""
    h = dl.gaussian_kernel(sigma)
    x = (np.arange(n) // 20 % 2).astype(float)
    y = dl.convolve(x, h, "circular")
    for method in ("auto", "fft", "dense"):
        with pytest.raises(ValueError, match="rank-deficient"):
            dl.tikhonov(y, h, 0.0, mode="circular", method=method)
    with pytest.warns(RuntimeWarning, match="rounding level"):
        dl.wiener(y, h, 0.0, mode="circular")


def test_fft_tikhonov_at_lam_zero_is_exact_where_the_bins_are_resolved():
    """The other side of the rule: a mild blur (sigma = 1, min|H| ~ 1e-2) is inverted exactly, silently."""
    h = dl.gaussian_kernel(1.0)
    x = (np.arange(256) // 20 % 2).astype(float)
    y = dl.convolve(x, h, "circular")
    with no_warning() as caught:
        warnings.simplefilter("always")
        for estimate in (dl.tikhonov(y, h, 0.0, mode="circular"), dl.wiener(y, h, 0.0, mode="circular")):
            assert dl.rmse(estimate, x) < 1e-12
    assert not caught, caught[0].message


def test_a_tiny_positive_lambda_below_the_rounding_floor_warns_on_every_path():
    """lam > 0 always has a unique minimiser, but at lam = 1e-16 float64 cannot compute it: warn."""
    h = dl.gaussian_kernel(3.5)
    x = (np.arange(200) // 20 % 2).astype(float)
    for mode, method in (("circular", "fft"), ("circular", "dense"), ("same", "dense"), ("same", "sparse")):
        y = dl.convolve(x, h, mode)
        with pytest.warns(RuntimeWarning, match="too small for float64"):
            dl.tikhonov(y, h, 1e-16, mode=mode, method=method)


# --- 4. lam = 0 with a null space: not unique -----------------------------------------------------


@pytest.mark.parametrize("h", [np.array([0.6, 0.3, 0.1]), dl.gaussian_kernel(1.0)])
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("method", ["auto", "dense", "sparse", "iterative"])
def test_lam_zero_in_valid_mode_has_no_unique_minimiser(h, order, method):
    """``valid`` has fewer measurements than unknowns: at lam = 0 every x + null(A) fits as well
    (dense returned one 0.44 from the truth, order 1 another 0.83 away, residual 7e-15)."""
    x = (np.arange(50) // 7 % 2).astype(float)
    y = dl.convolve(x, h, "valid")
    with pytest.raises(ValueError, match="not unique"):
        dl.tikhonov(y, h, 0.0, mode="valid", order=order, method=method)


def test_lam_zero_in_valid_mode_really_has_many_minimisers():
    """The premise of the refusal, shown: two different x fit the valid data exactly."""
    h = np.array([0.6, 0.3, 0.1])
    A = dl.convolution_matrix(h, 50, "valid")
    null = scipy.linalg.null_space(A)
    assert null.shape[1] == h.size - 1
    x = (np.arange(50) // 7 % 2).astype(float)
    np.testing.assert_allclose(A @ (x + null[:, 0]), A @ x, atol=1e-12)


# --- 5. Total variation: ADMM stopping short, and a kernel that cannot see the constant ------------


def cvxpy_tv(y, h, lam, mode, nonneg):
    cp = pytest.importorskip("cvxpy")
    n = dl.solution_length(y.size, h.size, mode)
    A = dl.convolution_matrix(h, n, mode)
    x = cp.Variable(n)
    constraints = [x >= 0] if nonneg else []
    problem = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(A @ x - y) + lam * cp.norm1(cp.diff(x))), constraints)
    problem.solve(solver=cp.CLARABEL)
    return problem.value


@pytest.mark.parametrize("mode, lam", [("valid", 1.0), ("valid", 0.01), ("same", 0.01)])
def test_tv_nonneg_reaches_the_optimum_or_warns(mode, lam):
    """``tv(..., mode="valid", nonneg=True)`` stopped ADMM at its iteration limit with an objective
    of 12x cvxpy's optimum, and said so only in ``info["converged"]``. Now the exact active set
    answers when its minimiser is already >= 0, and ADMM warns when it stops short."""
    h = dl.gaussian_kernel(3.0)
    x = piecewise_constant(60, 10, seed=6)
    y = dl.add_noise(dl.convolve(x, h, mode), std=0.01, rng=4)
    optimum = cvxpy_tv(y, h, lam, mode, nonneg=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimate, info = dl.tv(y, h, lam, mode=mode, nonneg=True, return_info=True)
    assert np.min(estimate) >= 0
    objective = dl.tv_objective(estimate, y, h, lam, mode)
    warned = any("stopped at its iteration limit" in str(w.message) for w in caught)
    assert objective <= optimum * (1 + 1e-6) + 1e-12 or warned, f"objective {objective:.4g} vs {optimum:.4g}, silent"
    assert warned == (not info["converged"])


def test_admm_that_stops_short_warns_with_the_distance_reached():
    h = dl.gaussian_kernel(3.0)
    x = piecewise_constant(60, 10, seed=6) - 0.8  # negative levels: the constraint is active
    y = dl.add_noise(dl.convolve(x, h, "valid"), std=0.01, rng=4)
    assert np.min(dl.tv(y, h, 0.01, mode="valid")) < 0, "the premise: the unconstrained minimiser dips below 0"
    with pytest.warns(RuntimeWarning, match="relative primal residual"):
        dl.tv(y, h, 0.01, mode="valid", nonneg=True, max_iter=50)


@pytest.mark.parametrize("mode", ["valid", "circular"])
@pytest.mark.parametrize("method", ["auto", "active-set", "admm"])
def test_tv_refuses_a_kernel_that_cannot_see_the_constant(mode, method):
    """A kernel that sums to 0 maps a constant to 0 in valid/circular, and TV leaves the constant
    free: no unique minimiser. It raised "x holds NaN or inf", an internal message."""
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="sums to zero"):
        dl.tv(rng.standard_normal(30), np.array([1.0, -2.0, 1.0]), 0.1, mode=mode, method=method)


# --- Found by review: the paths that still answered wrongly on good input ----------------------------

EDGE_KERNEL = 0.8 ** np.arange(12) / np.sum(0.8 ** np.arange(12))  # one-sided: `same` has edge modes


def edge_problem(n, mode="same", seed=1):
    x = np.cumsum(np.random.default_rng(seed).standard_normal(n)) / 5
    y = dl.add_noise(dl.convolve(x, EDGE_KERNEL, mode), std=1e-3, rng=seed)
    return x, y


@pytest.mark.parametrize("lam, order", [(1e-10, 0), (1e-12, 0), (1e-12, 1)])
def test_dense_path_does_not_return_rounding_triplets_amplified_by_one_over_lam_squared(lam, order):
    """A one-sided kernel in `same` has singular values below rounding; at lam = 1e-10 the SVD filter
    s / (s^2 + lam^2) of those rounding-level triplets was 0.26 off (2.6e3 at 1e-12), silently. auto now
    solves the stack instead (agreeing with the sparse solve, exact to ~1e-14 here), and an explicit
    dense solve warns."""
    n = 151
    _, y = edge_problem(n)
    s = np.linalg.svd(dl.convolution_matrix(EDGE_KERNEL, n, "same"), compute_uv=False)
    assert s.min() <= rounding_floor(s.max(), n), "the premise: A has singular values at rounding level"
    reference = dl.tikhonov(y, EDGE_KERNEL, lam, mode="same", order=order, method="sparse")
    estimate = dl.tikhonov(y, EDGE_KERNEL, lam, mode="same", order=order)
    error = np.linalg.norm(estimate - reference) / np.linalg.norm(reference)
    assert error < 1e-6, f"auto is {error:.1e} from the stacked solve"
    with pytest.warns(RuntimeWarning, match="below rounding level"):
        dl.tikhonov(y, EDGE_KERNEL, lam, mode="same", order=order, method="dense")


def test_the_stacked_sparse_solve_agrees_with_dense_where_the_factorisation_is_sound():
    """The reference of the test above, checked: where A's SVD is sound (lam well above rounding),
    sparse and dense agree to cond x n eps."""
    n = 151
    _, y = edge_problem(n)
    for lam in (1e-4, 1e-2):
        dense = dl.tikhonov(y, EDGE_KERNEL, lam, mode="same", method="dense")
        sparse = dl.tikhonov(y, EDGE_KERNEL, lam, mode="same", method="sparse")
        assert np.linalg.norm(sparse - dense) / np.linalg.norm(dense) < 1e-9 / lam, f"lam={lam}"


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("kernel", ["gaussian", "edge"])
def test_auto_never_trusts_cg_with_a_derivative_penalty(monkeypatch, mode, kernel):
    """For order >= 1 no bound on the normal equations' condition number is known; the circular symbol
    had let auto take CG, 47 % off in `valid` (n = 2100, lam = 1e-6). Above DENSE_LIMIT (lowered here to
    reach that branch at n = 120) auto now solves the stack; an explicit CG warns."""
    monkeypatch.setattr(dl.regularization, "DENSE_LIMIT", 40)
    h = dl.gaussian_kernel(1.0) if kernel == "gaussian" else EDGE_KERNEL
    n, lam = 120, 1e-6
    x = np.cumsum(np.random.default_rng(3).standard_normal(n)) / 5
    y = dl.add_noise(dl.convolve(x, h, mode), std=1e-3, rng=3)
    reference, s = stacked_reference(y, h, lam, mode, 1, n)
    bound = max(1e-12, s.max() / s.min() * max(y.size, n) * np.finfo(float).eps)
    estimate = dl.tikhonov(y, h, lam, mode=mode, order=1)
    error = np.linalg.norm(estimate - reference) / np.linalg.norm(reference)
    assert error < 10 * bound, f"auto: relative error {error:.1e}, bound {bound:.1e}"
    with pytest.warns(RuntimeWarning, match="condition number"):
        dl.tikhonov(y, h, lam, mode=mode, order=1, method="iterative")


@pytest.mark.parametrize("order", [0, 1, 2])
def test_cg_refuses_lam_zero_where_it_cannot_tell_whether_the_answer_is_determined(order):
    """`same` with the one-sided kernel, lam = 0: dense and sparse refuse (cond ~ 1e21); CG returned an
    answer 100 % off (order 1) or warned and returned (order 0)."""
    _, y = edge_problem(300)
    for method in ("iterative", "sparse"):
        with pytest.raises(ValueError, match="lam = 0"):
            dl.tikhonov(y, EDGE_KERNEL, 0.0, mode="same", order=order, method=method)


def test_a_kernel_longer_than_the_signal_enters_the_symbol_wrapped(monkeypatch):
    """`same` accepts len(h) > n; the symbol had cut the kernel to its first n taps (max 7e-12 against
    ||A||^2 = 0.69), so auto trusted CG on a badly conditioned problem (0.34 off at lam = 1e-4)."""
    from deconvlab._spectral import normal_symbol

    monkeypatch.setattr(dl.regularization, "DENSE_LIMIT", 30)
    h, n = dl.gaussian_kernel(10.0), 40
    assert h.size > n
    C = scipy.linalg.circulant(np.bincount(np.arange(h.size) % n, weights=h, minlength=n))
    np.testing.assert_allclose(normal_symbol(h, 0.0, 0, n).max(), np.linalg.norm(C, 2) ** 2, rtol=1e-10)
    x = np.cumsum(np.random.default_rng(4).standard_normal(n)) / 5
    y = dl.add_noise(dl.convolve(x, h, "same"), std=1e-3, rng=4)
    for lam in (1e-4, 1e-5):
        reference, s = stacked_reference(y, h, lam, "same", 0, n)
        estimate = dl.tikhonov(y, h, lam, mode="same")
        error = np.linalg.norm(estimate - reference) / np.linalg.norm(reference)
        assert error < 1e-6, f"lam={lam}: auto is {error:.1e} off"


def test_estimate_blur_says_when_it_returns_the_edge_of_its_grid():
    """Notebook 08 §2: at 1 % noise on the question's wave the data hardly tell sigma = 65..100 apart,
    and the best candidate can be the grid's largest. Returned without a word before 1.1."""
    _, x = dl.seed_square_wave()
    clean = dl.convolve(x, dl.seed_gaussian(x.size), "same")
    grid = np.arange(40.0, 101.0, 5.0)
    narrow = np.arange(40.0, 61.0, 5.0)  # a grid that stops below the true sigma = 80
    y = dl.add_noise(clean, std=1e-3 * np.ptp(clean), rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", dl.GridEdgeWarning)
        estimate, info = dl.estimate_blur(y, grid, mode="same", return_info=True)  # inside the grid: silent
    assert abs(estimate - 80) < 4 and not info["at_grid_edge"]
    with pytest.warns(dl.GridEdgeWarning, match="edge of sigmas") as record:
        estimate, info = dl.estimate_blur(y, narrow, mode="same", return_info=True)
    assert estimate == 60.0 and info["at_grid_edge"]
    assert record[0].filename == __file__  # it points at the caller's line


def test_deconvlab_warnings_can_be_filtered_as_one_user_warning_class():
    assert issubclass(dl.ConvergenceWarning, dl.DeconvlabWarning)
    assert issubclass(dl.GridEdgeWarning, dl.DeconvlabWarning)
    assert issubclass(dl.DeconvlabWarning, UserWarning) and issubclass(dl.DeconvlabWarning, RuntimeWarning)
    h = dl.gaussian_kernel(3.0)
    y = dl.convolve(np.repeat([0.0, 1.0, 0.0, 1.0], 15), h)
    with pytest.warns(dl.ConvergenceWarning, match="iteration limit"):
        dl.tv(y, h, 1e-3, max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", dl.DeconvlabWarning)  # deliberately silenced, as a notebook may
        dl.tv(y, h, 1e-3, max_iter=2)
