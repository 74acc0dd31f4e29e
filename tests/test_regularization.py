import numpy as np
import pytest

import deconvlab as dl

RNG = np.random.default_rng(3)
MODES = ["full", "same", "valid", "circular"]


def stacked_lstsq(y, h, lam, mode, order, n):
    """Independent reference: least squares on [A; lam L] x = [y; 0] (LAPACK gelsd)."""
    A = dl.convolution_matrix(h, n, mode)
    L = np.diff(np.eye(n), order, axis=0)
    return np.linalg.lstsq(np.vstack([A, lam * L]), np.r_[y, np.zeros(L.shape[0])], rcond=None)[0]


def problem(n=80, sigma=2.0, mode="full", noise=1e-2, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    h = dl.gaussian_kernel(sigma)
    y = dl.convolve(x, h, mode)
    return x, h, y + noise * rng.standard_normal(y.size)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", [0, 1, 2])
@pytest.mark.parametrize("lam", [1e-3, 0.1, 2.0])
def test_tikhonov_dense_equals_stacked_lstsq(mode, order, lam):
    _, h, y = problem(mode=mode)
    reference = stacked_lstsq(y, h, lam, mode, order, 80)
    np.testing.assert_allclose(dl.tikhonov(y, h, lam, mode=mode, order=order, method="dense"), reference, atol=1e-9)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", [0, 1])
def test_tikhonov_iterative_equals_stacked_lstsq(mode, order):
    _, h, y = problem(mode=mode)
    reference = stacked_lstsq(y, h, 0.05, mode, order, 80)
    estimate = dl.tikhonov(y, h, 0.05, mode=mode, order=order, method="iterative")
    assert np.linalg.norm(estimate - reference) < 1e-6 * np.linalg.norm(reference)


def test_tikhonov_fft_is_exact_for_circular():
    _, h, y = problem(mode="circular")
    np.testing.assert_allclose(
        dl.tikhonov(y, h, 0.05, mode="circular", method="fft"), stacked_lstsq(y, h, 0.05, "circular", 0, 80), atol=1e-11
    )


def test_matrix_free_path_matches_dense_path_at_n_2000():
    n = 2000
    x = dl.square_wave(n, 200, 0.5, (0.0, 1.0), delay=50)
    h = dl.gaussian_kernel(5.0)
    y = dl.add_noise(dl.convolve(x, h), std=0.01, rng=0)
    dense = dl.tikhonov(y, h, 0.01, mode="full", method="dense")
    iterative = dl.tikhonov(y, h, 0.01, mode="full", method="iterative")
    # CG stops at a relative normal-equation residual of 1e-10; the solution is then good to ~1e-8.
    assert np.linalg.norm(iterative - dense) < 1e-6 * np.linalg.norm(dense)


def test_filter_factors_are_s2_over_s2_plus_lam2():
    _, h, y = problem()
    A = dl.convolution_matrix(h, 80, "full")
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    lam = 0.3
    estimate = dl.tikhonov(y, h, lam, mode="full")
    factors = (Vt @ estimate) / ((U.T @ y) / s)
    np.testing.assert_allclose(factors, s**2 / (s**2 + lam**2), rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("mode", ["full", "valid", "same"])
def test_tsvd_with_full_rank_is_the_pseudo_inverse(mode):
    _, h, y = problem(mode=mode, sigma=1.0)
    A = dl.convolution_matrix(h, 80, mode)
    rank = min(A.shape)
    np.testing.assert_allclose(dl.tsvd(y, h, rank, mode=mode), np.linalg.pinv(A) @ y, atol=1e-9)


def test_tsvd_keeps_the_largest_singular_values():
    _, h, y = problem()
    A = dl.convolution_matrix(h, 80, "full")
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(dl.tsvd(y, h, 10, mode="full"), Vt[:10].T @ ((U[:, :10].T @ y) / s[:10]), atol=1e-10)


def test_svd_operator_is_reused_and_checked():
    _, h, y = problem()
    operator = dl.svd_factorization(h, 80, "full")
    np.testing.assert_allclose(dl.tikhonov(y, h, 0.1, svd=operator), dl.tikhonov(y, h, 0.1), atol=1e-12)
    with pytest.raises(ValueError, match="svd"):
        dl.tikhonov(y, h, 0.1, order=1, svd=operator)
    with pytest.raises(TypeError, match="svd"):
        dl.tsvd(y, h, 3, svd="not an svd")


def test_svd_of_another_kernel_or_for_another_method_is_refused():
    """A factorisation of a different kernel gave a 179 % wrong answer; one passed to a method that
    cannot use it was silently ignored. Both now raise."""
    _, h, y = problem()
    other = dl.svd_factorization(h[::-1] * 1.01 + 0.01, 80, "full")
    for solve in (
        lambda: dl.tikhonov(y, h, 0.1, svd=other),
        lambda: dl.tsvd(y, h, 5, svd=other),
        lambda: dl.picard(y, h, svd=other),
        lambda: dl.choose_lambda(y, h, svd=other),
    ):
        with pytest.raises(ValueError, match="different kernel"):
            solve()
    own = dl.svd_factorization(h, 80, "full")
    with pytest.raises(ValueError, match="method='dense'"):
        dl.tikhonov(y, h, 0.1, method="iterative", svd=own)


def test_dense_paths_refuse_a_size_they_cannot_hold():
    h = np.ones(3) / 3
    for call in (
        lambda: dl.svd_factorization(h, 10_000),
        lambda: dl.condition_number(h, 10_000),
        lambda: dl.tikhonov(np.ones(10_002), h, 0.1, method="dense"),
        lambda: dl.choose_lambda(np.ones(10_002), h),
    ):
        with pytest.raises(ValueError, match="too large"):
            call()


def test_picard_data():
    _, h, y = problem()
    data = dl.picard(y, h)
    s = np.linalg.svd(dl.convolution_matrix(h, 80, "full"), compute_uv=False)
    np.testing.assert_allclose(data.singular_values, s, rtol=1e-10)
    np.testing.assert_allclose(data.ratio, data.coefficients / s)


def test_condition_number_against_numpy_and_the_closed_form():
    h = dl.gaussian_kernel(2.0)
    assert dl.condition_number(h, 64, "full") == pytest.approx(np.linalg.cond(dl.convolution_matrix(h, 64, "full")))
    for sigma in (1.5, 2.0, 2.5):
        exact = dl.condition_number(dl.gaussian_kernel(sigma), 256, "circular")
        assert exact == pytest.approx(dl.gaussian_condition_number(sigma), rel=0.02)
    # beyond ~1/eps float64 cannot resolve the smallest singular value: the measurement saturates
    saturated = dl.condition_number(dl.gaussian_kernel(3.0), 256, "circular")
    assert saturated < dl.gaussian_condition_number(3.0) / 10 and saturated > 1e15


def test_choose_lambda_gcv_is_within_1_5x_of_the_best_in_the_median():
    ratios = []
    for seed in range(8):
        rng = np.random.default_rng(seed)
        n = 200
        x = dl.square_wave(n, int(rng.integers(30, 80)), 0.5, (0.0, 1.0), delay=int(rng.integers(0, 30)))
        h = dl.gaussian_kernel(float(rng.uniform(2, 6)))
        y = dl.add_noise(dl.convolve(x, h), std=float(10 ** rng.uniform(-3, -1)), rng=seed)
        operator = dl.svd_factorization(h, n, "full")
        lam, info = dl.choose_lambda(y, h, mode="full", rule="gcv", svd=operator, return_info=True)
        errors = [dl.rmse(dl.tikhonov(y, h, candidate, svd=operator), x) for candidate in info["lams"]]
        ratios.append(dl.rmse(dl.tikhonov(y, h, lam, svd=operator), x) / min(errors))
    assert np.median(ratios) < 1.5


def test_choose_lambda_methods_return_their_curves():
    x, h, y = problem(n=150, sigma=3.0, noise=0.01)
    for method in ("gcv", "lcurve", "discrepancy"):
        lam, info = dl.choose_lambda(y, h, rule=method, noise_std=0.01, return_info=True)
        assert lam > 0 and info["rule"] == method and info["lams"].size == info["gcv"].size
        assert dl.choose_lambda(y, h, rule=method, noise_std=0.01) == lam  # without return_info: lam alone
    lam, info = dl.choose_lambda(y, h, rule="discrepancy", noise_std=0.01, return_info=True)
    residual = np.linalg.norm(dl.convolve(dl.tikhonov(y, h, lam), h) - y)
    assert residual**2 == pytest.approx(y.size * 0.01**2, rel=1e-6)
    lam, info = dl.choose_lambda(y, h, rule="lcurve", return_info=True)
    assert info["lams"][np.nanargmax(info["curvature"])] == lam


def test_discrepancy_principle_with_a_safety_factor():
    """Morozov's rule ||A x - y|| = tau sqrt(m) noise_std, tau >= 1: a larger tau smooths more."""
    x, h, y = problem(n=150, sigma=3.0, noise=0.01)
    lams = {}
    for tau in (1.0, 1.1, 1.5):
        lams[tau], info = dl.choose_lambda(y, h, rule="discrepancy", noise_std=0.01, tau=tau, return_info=True)
        residual = np.linalg.norm(dl.convolve(dl.tikhonov(y, h, lams[tau]), h) - y)
        assert residual == pytest.approx(tau * np.sqrt(y.size) * 0.01, rel=1e-6)
        assert info["tau"] == tau and info["target_residual_norm"] == pytest.approx(tau * np.sqrt(y.size) * 0.01)
    assert lams[1.0] < lams[1.1] < lams[1.5]
    assert dl.choose_lambda(y, h, rule="gcv", tau=2.0) == dl.choose_lambda(y, h, rule="gcv")  # tau: discrepancy only
    with pytest.raises(ValueError, match="tau"):
        dl.choose_lambda(y, h, rule="discrepancy", noise_std=0.01, tau=0.9)
    with pytest.raises(ValueError, match="tau"):
        dl.choose_lambda(y, h, rule="discrepancy", noise_std=0.01, tau=1e6)


def test_choose_lambda_with_derivative_regularisation():
    _, h, y = problem(n=120, sigma=3.0)
    lam, info = dl.choose_lambda(y, h, rule="gcv", order=1, return_info=True)
    assert np.argmin(info["gcv"]) not in (0, info["gcv"].size - 1)  # an interior minimum


@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: dl.tikhonov(np.ones(20), np.ones(3), -1.0), ValueError, "lam"),
        (lambda: dl.tikhonov(np.ones(20), np.ones(3), 0.1, order=-1), ValueError, "order"),
        (lambda: dl.tikhonov(np.ones(20), np.ones(3), 0.1, order=18), ValueError, "order"),
        (lambda: dl.tikhonov(np.ones(20), np.ones(3), 0.1, method="magic"), ValueError, "method"),
        (lambda: dl.tikhonov(np.ones(20), np.ones(3), 0.1, mode="full", method="fft"), ValueError, "fft"),
        (lambda: dl.tikhonov(np.ones(20), np.ones(3), 0.1, mode="bogus"), ValueError, "mode"),
        (lambda: dl.tikhonov([np.nan] * 20, np.ones(3), 0.1), ValueError, "y"),
        (lambda: dl.tsvd(np.ones(20), np.ones(3), 0), ValueError, "k"),
        (lambda: dl.tsvd(np.ones(20), np.ones(3), 19), ValueError, "k"),
        (lambda: dl.tsvd(np.ones(20), np.ones(3), 2.5), TypeError, "k"),
        (lambda: dl.choose_lambda(np.ones(20), np.ones(3), rule="discrepancy"), ValueError, "noise_std"),
        (lambda: dl.choose_lambda(np.ones(20), np.ones(3), rule="guess"), ValueError, "rule"),
        (lambda: dl.choose_lambda(np.ones(20), np.ones(3), lams=[-1.0, 1.0]), ValueError, "lams"),
        (lambda: dl.condition_number(np.zeros(3), 10), ValueError, "h"),
    ],
)
def test_bad_input_names_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_tikhonov_without_a_unique_minimiser_says_so():
    """valid, n = 4, k = 4: one measurement; an order-2 penalty leaves two directions free."""
    h = np.array([3.1, -0.1, 0.6, 0.1])
    with pytest.raises(ValueError, match="not unique"):
        dl.tikhonov(np.array([2.9]), h, 1.0, mode="valid", order=2)
    # A kernel that sums to zero cannot see the constant, which an order-1 penalty leaves free.
    with pytest.raises(ValueError, match="not unique"):
        dl.tikhonov(np.ones(8), np.array([1.0, -1.0]), 1.0, mode="circular", order=1)


def test_iterative_tikhonov_refuses_a_zero_sum_kernel_with_a_derivative_penalty():
    """The check does not depend on the dense factorisation (large n takes the CG path)."""
    with pytest.raises(ValueError, match="sums to zero"):
        dl.tikhonov(np.ones(64), np.array([1.0, -2.0, 1.0]), 0.1, mode="valid", order=1, method="iterative")


@pytest.mark.parametrize("mode", ["full", "same", "valid", "circular"])
def test_sparse_convolution_matrix_equals_the_dense_one(mode):
    h = np.array([0.5, -1.0, 2.0, 0.25])  # asymmetric: a missing flip shows
    np.testing.assert_array_equal(
        dl.sparse_convolution_matrix(h, 11, mode).toarray(), dl.convolution_matrix(h, 11, mode)
    )


@pytest.mark.parametrize("mode, order", [("full", 0), ("same", 0), ("same", 1), ("valid", 1), ("circular", 1)])
def test_sparse_direct_tikhonov_matches_dense_least_squares(mode, order):
    rng = np.random.default_rng(5)
    h = dl.gaussian_kernel(2.0)
    h = h + 0.01 * rng.standard_normal(h.size)
    n = 120
    y = dl.convolve(rng.standard_normal(n), h, mode) + 1e-3 * rng.standard_normal(dl.output_length(n, h.size, mode))
    lam = 0.05
    A, L = dl.convolution_matrix(h, n, mode), dl.difference_matrix(n, order)
    reference = np.linalg.lstsq(np.vstack([A, lam * L]), np.r_[y, np.zeros(L.shape[0])], rcond=None)[0]
    np.testing.assert_allclose(dl.tikhonov(y, h, lam, mode=mode, order=order, method="sparse"), reference, atol=1e-8)


def test_large_problem_with_tiny_lambda_is_solved_exactly_not_silently_approximately():
    """n above DENSE_LIMIT with lam = 0: CG's residual could not vouch for the answer (it stopped
    at RMSE 3e-2 before); auto now takes the direct sparse solve, and an explicit CG warns."""
    x = dl.square_wave(2500, 200, 0.5, (0.0, 1.0), delay=50)
    h = dl.gaussian_kernel(1.5)  # cond(A) ~ 3e4: the exact least-squares solution is the truth to ~1e-11
    y = dl.convolve(x, h, "same")
    assert dl.rmse(dl.tikhonov(y, h, 0.0, mode="same"), x) < 1e-6
    with pytest.warns(RuntimeWarning, match="condition number"):
        dl.tikhonov(y, h, 1e-4, mode="same", method="iterative")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", [0, 1])
def test_choose_lambda_curves_against_dense_solves(mode, order):
    """The residual norm, penalty norm and GCV function that choose_lambda evaluates (from the
    generalised SVD, vectorised over lam) equal what each lam's solution gives, computed
    independently: the stacked least-squares solution, its residual ||A x - y||, its penalty
    ||L x|| and G = ||A x - y||^2 / (m - trace(A (A^T A + lam^2 L^T L)^-1 A^T))^2."""
    n = 40
    _, h, y = problem(n=n, sigma=1.5, mode=mode, seed=5)
    h = h * np.linspace(1.0, 1.3, h.size)  # asymmetric
    y = dl.convolve(RNG.standard_normal(n), h, mode) + 1e-2 * RNG.standard_normal(y.size)
    A = dl.convolution_matrix(h, n, mode)
    L = np.diff(np.eye(n), order, axis=0)
    lams = np.array([1e-3, 3e-2, 0.5, 4.0])
    _, info = dl.choose_lambda(y, h, "gcv", mode=mode, order=order, lams=lams, return_info=True)
    for i, lam in enumerate(lams):
        x_lam = stacked_lstsq(y, h, lam, mode, order, n)
        residual = np.linalg.norm(A @ x_lam - y)
        influence = A @ np.linalg.solve(A.T @ A + lam**2 * L.T @ L, A.T)
        gcv = residual**2 / (y.size - np.trace(influence)) ** 2
        np.testing.assert_allclose(info["residual_norm"][i], residual, rtol=1e-7, err_msg=f"lam={lam}")
        np.testing.assert_allclose(info["solution_norm"][i], np.linalg.norm(L @ x_lam), rtol=1e-7, err_msg=f"lam={lam}")
        np.testing.assert_allclose(info["gcv"][i], gcv, rtol=1e-7, err_msg=f"lam={lam}")


def test_lcurve_curvature_of_a_circle_is_one_over_its_radius():
    """The L-curve's corner is its point of largest curvature. On a curve whose curvature is
    known — a circle of radius r, (log residual, log seminorm) = (r cos t, r sin t), traced
    counter-clockwise at an uneven pace in log lam — the computed curvature is 1/r."""
    from deconvlab.regularization import _lcurve_curvature

    radius = 2.5
    log_lams = np.sort(RNG.uniform(0.0, 1.0, 400)) ** 1.5 * 3.0  # uneven steps
    angle = log_lams + 0.3 * np.sin(log_lams)  # the curve's parameter, not its arc length
    curvature = _lcurve_curvature(np.exp(log_lams), np.exp(radius * np.cos(angle)), np.exp(radius * np.sin(angle)))
    interior = slice(10, -10)
    np.testing.assert_allclose(curvature[interior], 1 / radius, rtol=2e-2)
    reversed_curvature = _lcurve_curvature(
        np.exp(log_lams), np.exp(radius * np.cos(-angle)), np.exp(radius * np.sin(-angle))
    )
    np.testing.assert_allclose(reversed_curvature[interior], -1 / radius, rtol=2e-2)


@pytest.mark.parametrize("order", [0, 1, 2])
def test_preconditioner_symbol_is_the_spectrum_of_the_circulant_normal_matrix(order):
    """The CG preconditioner (and the condition estimate that picks CG or a sparse LU) uses the
    DFT of the circular normal matrix C_h^T C_h + lam^2 C_d^T C_d. Its values, sorted, must be that
    matrix's eigenvalues, computed independently from dense circulant matrices."""
    import scipy.linalg

    from deconvlab._spectral import normal_symbol

    n, lam = 24, 0.7
    h = np.array([0.5, 0.3, 0.15, 0.05])
    stencil = dl.difference_matrix(order + 1, order)[0]  # the first row of L: (z - 1)^order
    C_h = scipy.linalg.circulant(np.r_[h, np.zeros(n - h.size)])
    C_d = scipy.linalg.circulant(np.r_[stencil, np.zeros(n - stencil.size)])
    eigenvalues = np.sort(np.linalg.eigvalsh(C_h.T @ C_h + lam**2 * C_d.T @ C_d))
    half = normal_symbol(h, lam, order, n)  # rfft bins 0..n/2
    whole = np.r_[half, half[1:-1][::-1]]  # the other half of a real matrix's spectrum mirrors it
    np.testing.assert_allclose(np.sort(whole), eigenvalues, rtol=1e-10)


def test_auto_takes_cg_only_where_the_condition_bound_vouches_for_it():
    """Above DENSE_LIMIT unknowns, ``auto`` takes preconditioned CG for a well-conditioned blur
    (h = [1, 0.5], lam = 0.1: cond(A^T A + lam^2 I) below 10) and the sparse direct solve for a
    Gaussian at lam = 1e-8, whose bound is far above CG_TRUST / CG_RTOL."""
    from deconvlab.regularization import DENSE_LIMIT, _choose_method

    n = DENSE_LIMIT + 952
    assert _choose_method("auto", None, np.array([1.0, 0.5]), 0.1, 0, n, "valid") == "iterative"
    assert _choose_method("auto", None, dl.gaussian_kernel(3.0), 1e-8, 0, n, "valid") == "sparse"
    assert _choose_method("auto", None, np.array([1.0, 0.5]), 0.1, 0, DENSE_LIMIT, "valid") == "dense"


@pytest.mark.parametrize("lam", [0.05, 0.5])
def test_dense_tikhonov_of_order_one_solves_the_normal_equations(lam):
    """order=1 on the dense (generalised SVD) path minimises ||Ax - y||^2 + lam^2 ||Dx||^2: the
    normal equations with scipy's convolution matrix and numpy's first difference agree to rounding."""
    import scipy.linalg

    x = dl.square_wave(60, 20, 0.5, (0.0, 1.0), delay=5)
    h = dl.gaussian_kernel(2.0)
    y = dl.add_noise(dl.convolve(x, h), std=1e-3, rng=0)
    A, D = scipy.linalg.convolution_matrix(h, 60, "full"), np.diff(np.eye(60), axis=0)
    reference = np.linalg.solve(A.T @ A + lam**2 * D.T @ D, A.T @ y)
    np.testing.assert_allclose(dl.tikhonov(y, h, lam, order=1, method="dense"), reference, atol=1e-10)


def test_defaults_are_the_documented_ones():
    """mode defaults to "full" and recoverable_bandwidth's fs to 1 (cycles per sample)."""
    h = np.array([0.6, 0.3, 0.1])
    assert dl.condition_number(h, 20) == dl.condition_number(h, 20, "full")
    np.testing.assert_array_equal(
        dl.sparse_convolution_matrix(h, 20).toarray(), dl.sparse_convolution_matrix(h, 20, "full").toarray()
    )
    assert dl.convolution_operator(h, 20).shape == (22, 20)
    assert dl.recoverable_bandwidth(3.0, 40.0) == pytest.approx(np.sqrt(np.log(100) / (2 * np.pi**2 * 9)))
