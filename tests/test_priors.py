from pathlib import Path

import numpy as np
import pytest

import deconvlab as dl

MODES = ["full", "same", "valid", "circular"]


def small_problem(mode, n=60, sigma=2.5, noise=0.05, seed=1):
    x = dl.square_wave(n, 20, 0.5, (0.0, 1.0), delay=5)
    h = dl.gaussian_kernel(sigma)
    return x, h, dl.add_noise(dl.convolve(x, h, mode), std=noise, rng=seed)


def kkt_violation(x, y, h, lam, mode):
    """Independent optimality certificate from dense matrices (convex problem: KKT <=> optimal).

    With x = x0 + S z (z = diff x), the gradient of the data term in z is G^T r, G = A S,
    r = A x - y. Optimal iff the constant direction has zero gradient, |G^T r| <= lam where
    z = 0 and G^T r = -lam sign(z) where z != 0. Returns the worst violation / lam.
    """
    n = x.size
    A = dl.convolution_matrix(h, n, mode)
    r = A @ x - y
    steps = np.tril(np.ones((n, n)))[:, 1:]  # column j-1: ones from sample j on
    g = (A @ steps).T @ r
    z = np.diff(x)
    jump = np.abs(z) > 1e-9 * max(1.0, np.abs(x).max())
    violation = max(np.max(np.abs(g[~jump])) - lam, 0.0) if np.any(~jump) else 0.0
    if np.any(jump):
        violation = max(violation, np.max(np.abs(g[jump] + lam * np.sign(z[jump]))))
    return max(violation, abs(np.sum(A.T @ r))) / lam


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lam", [1e-2, 0.1, 1.0])
def test_tv_active_set_satisfies_the_optimality_conditions(mode, lam):
    _, h, y = small_problem(mode)
    x, info = dl.tv(y, h, lam, mode=mode, return_info=True)
    assert info["converged"] and info["method"] == "active-set"
    assert kkt_violation(x, y, h, lam, mode) < 1e-6


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("nonneg", [False, True])
def test_tv_reaches_the_cvxpy_optimum(mode, nonneg):
    cp = pytest.importorskip("cvxpy")
    _, h, y = small_problem(mode)
    lam, n = 0.05, 60
    A = dl.convolution_matrix(h, n, mode)
    variable = cp.Variable(n)
    problem = cp.Problem(
        cp.Minimize(0.5 * cp.sum_squares(A @ variable - y) + lam * cp.norm1(cp.diff(variable))),
        [variable >= 0] if nonneg else [],
    )
    problem.solve(solver=cp.CLARABEL)
    x = dl.tv(y, h, lam, mode=mode, nonneg=nonneg)
    assert dl.tv_objective(x, y, h, lam, mode) <= problem.value * (1 + 1e-6)
    if nonneg:
        assert x.min() >= 0


@pytest.mark.parametrize("mode", ["full", "valid"])
def test_admm_and_active_set_agree(mode):
    _, h, y = small_problem(mode)
    a = dl.tv(y, h, 0.1, mode=mode, method="active-set")
    b = dl.tv(y, h, 0.1, mode=mode, method="admm", tol=1e-10, max_iter=50000)
    objective_a, objective_b = dl.tv_objective(a, y, h, 0.1, mode), dl.tv_objective(b, y, h, 0.1, mode)
    assert abs(objective_a - objective_b) <= 1e-6 * objective_a


def test_tv_nonneg_is_respected_where_the_unconstrained_solution_dips():
    x, h, y = small_problem("full", noise=0.2, seed=3)
    free = dl.tv(y, h, 0.05)
    constrained = dl.tv(y, h, 0.05, nonneg=True)
    assert free.min() < 0 <= constrained.min()


def test_tv_with_lam_to_zero_is_least_squares():
    x = np.random.default_rng(0).standard_normal(50)
    h = dl.gaussian_kernel(1.0)
    y = dl.convolve(x, h)
    least_squares = np.linalg.lstsq(dl.convolution_matrix(h, 50, "full"), y, rcond=None)[0]
    # At lam = 1e-12 the active set's optimality test (gradients within tol * lam) is below rounding: it says so.
    with pytest.warns(RuntimeWarning, match="iteration limit"):
        estimate = dl.tv(y, h, 1e-12)
    np.testing.assert_allclose(estimate, least_squares, atol=1e-8)


def test_tv_recovers_a_clean_square_wave_through_a_mild_blur():
    x = dl.square_wave(300, 60, 0.5, (0.0, 1.0), delay=15)
    h = dl.gaussian_kernel(4.0)
    estimate = dl.tv(dl.convolve(x, h), h, 1e-6)
    assert dl.rmse(estimate, x) < 1e-4


def test_richardson_lucy_keeps_flux_and_positivity_and_converges():
    x = dl.square_wave(200, 40, 0.5, (0.0, 1.0), delay=10)
    h = dl.gaussian_kernel(2.0)
    y = dl.convolve(x, h)
    previous = np.inf
    for iterations in (1, 10, 100, 1000):
        estimate = dl.richardson_lucy(y, h, iterations)
        assert estimate.min() >= 0
        assert estimate.sum() * h.sum() == pytest.approx(y.sum(), rel=1e-10)
        error = dl.rmse(estimate, x)
        assert error < previous
        previous = error
    assert previous < 0.1


def test_richardson_lucy_guards_division_by_zero():
    h = dl.gaussian_kernel(1.0)
    y = dl.convolve(np.r_[np.zeros(20), np.ones(10), np.zeros(20)], h)
    y[y < 1e-12] = 0.0  # exact zeros in the data
    estimate = dl.richardson_lucy(y, h, 50)
    assert np.all(np.isfinite(estimate)) and estimate.min() >= 0


def test_estimate_levels_and_jumps():
    x = dl.square_wave(100, 20, 0.5, (1.0, 4.0), delay=3) + 0.01 * np.random.default_rng(0).standard_normal(100)
    np.testing.assert_allclose(dl.estimate_levels(x), [1.0, 4.0], atol=0.01)
    np.testing.assert_array_equal(dl.jumps_of(np.array([0.0, 0, 1, 1, 0])), [2, 4])


def test_piecewise_constant_fit_is_exact_without_noise():
    x = dl.square_wave(200, 50, 0.5, (0.5, 2.0), delay=10)
    h = dl.gaussian_kernel(5.0)
    y = dl.convolve(x, h)
    for two_levels in (False, True):
        fit, info = dl.piecewise_constant_fit(y, h, dl.jumps_of(x), two_levels=two_levels, return_info=True)
        np.testing.assert_allclose(fit, x, atol=1e-10)
        assert info["residual_norm"] < 1e-10
        np.testing.assert_array_equal(np.unique(np.round(info["levels"], 8)), [0.5, 2.0])
        np.testing.assert_array_equal(dl.piecewise_constant_fit(y, h, dl.jumps_of(x), two_levels=two_levels), fit)


def residual_norm(y, h, jumps):
    return dl.piecewise_constant_fit(y, h, jumps, two_levels=True, return_info=True)[1]["residual_norm"]


def question_problem(noise, seed):
    _, x = dl.seed_square_wave()
    h = dl.seed_gaussian(x.size)
    clean = dl.convolve(x, h)
    return x, h, dl.add_noise(clean, std=noise * np.abs(clean).max(), rng=seed)


def one_jump_at_a_time(y, h, jumps):
    """Coordinate descent on the jump positions (the method the joint search replaces)."""
    best = residual_norm(y, h, jumps)
    improved = True
    while improved:
        improved = False
        for i in range(jumps.size):
            for step in (-1, 1):
                candidate = jumps.copy()
                candidate[i] += step
                value = residual_norm(y, h, candidate)
                if value < best:
                    jumps, best, improved = candidate, value, True
    return jumps, best


def test_piecewise_refit_finds_the_true_jumps_where_one_at_a_time_stalls():
    x, h, y = question_problem(1e-2, seed=1)
    truth = dl.jumps_of(x)
    estimate = dl.tv(y, h, 3.16e-2 * np.abs(dl.convolve(x, h)).max() * h.sum())
    start = dl.jumps_of(dl.quantize(estimate, dl.estimate_levels(estimate)))
    stalled, stalled_residual = one_jump_at_a_time(y, h, start)
    refit, info = dl.piecewise_refit(y, h, estimate, return_info=True)
    jumps = info["jumps"]
    true_residual = residual_norm(y, h, truth)
    assert info["converged"] and info["residual_norm"] == pytest.approx(true_residual)
    assert not np.array_equal(stalled, truth) and stalled_residual > true_residual
    np.testing.assert_array_equal(jumps, truth)
    oracle = dl.piecewise_constant_fit(y, h, truth, two_levels=True)
    assert dl.rmse(refit, x) <= 10 * dl.rmse(oracle, x)


def test_piecewise_refit_warns_when_it_runs_out_of_rounds():
    x, h, y = question_problem(1e-2, seed=1)
    estimate = np.roll(x, 3)  # every jump 3 samples late: needs more than one round
    with pytest.warns(RuntimeWarning, match="max_rounds=1"):
        _, info = dl.piecewise_refit(y, h, estimate, max_rounds=1, return_info=True)
    assert not info["converged"] and info["rounds"] == 1


@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: dl.tv(np.ones(20), np.ones(3), -1.0), ValueError, "lam"),
        (lambda: dl.tv(np.ones(20), np.ones(3), 0.1, method="newton"), ValueError, "method"),
        (lambda: dl.tv(np.ones(20), np.ones(3), 0.1, nonneg=True, method="active-set"), ValueError, "nonneg"),
        (lambda: dl.tv(np.ones(20), np.ones(3), 0.1, mode="wrap"), ValueError, "mode"),
        (lambda: dl.tv(np.ones(20), np.ones(3), 0.1, tol=0), ValueError, "tol"),
        (lambda: dl.tv([np.nan] * 20, np.ones(3), 0.1), ValueError, "y"),
        (lambda: dl.richardson_lucy(-np.ones(20), np.ones(3), 5), ValueError, "y"),
        (lambda: dl.richardson_lucy(np.ones(20), -np.ones(3), 5), ValueError, "h"),
        (lambda: dl.richardson_lucy(np.ones(20), np.ones(3), -5), ValueError, "iterations"),
        (lambda: dl.piecewise_constant_fit(np.ones(20), np.ones(3), [0]), ValueError, "jumps"),
        (lambda: dl.piecewise_refit(np.ones(20), np.ones(3), np.ones(5)), ValueError, "estimate"),
        (lambda: dl.estimate_levels([1.0, 2.0], count=0), ValueError, "count"),
        (lambda: dl.estimate_levels([1.0, 2.0, 2.0], count=3), ValueError, "count"),  # more levels than values
        (lambda: dl.estimate_levels(np.arange(10.0), count=10**6), ValueError, "count"),
    ],
)
def test_bad_input_names_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_tv_with_more_unknowns_than_measurements_switches_to_admm():
    """valid mode with m = 3 < n = 7: the active-set steps lose rank; auto takes ADMM and still
    reaches a minimiser, an explicit active-set request says why it cannot."""
    h = np.array([0.19, 2.48, -0.41, -2.44, 1.80])
    y = np.array([3.12, -3.79, 3.30])
    x, info = dl.tv(y, h, 1.0, mode="valid", return_info=True)
    assert info["method"] == "admm" and info["converged"]
    best = dl.tv_objective(x, y, h, 1.0, "valid")
    rng = np.random.default_rng(0)
    for _ in range(50):
        assert dl.tv_objective(x + 1e-3 * rng.standard_normal(7), y, h, 1.0, "valid") >= best - 1e-9
    with pytest.raises(ValueError, match="full column rank"):
        dl.tv(y, h, 1.0, mode="valid", method="active-set")


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_admm_reaches_the_kkt_point_and_reports_its_objective(mode):
    """ADMM at its default tolerance stops near the exact minimiser (the active-set solution,
    itself checked by the KKT certificate elsewhere): close in every sample and in objective. The
    objective history it reports is the objective (its last entry against tv_objective of the
    returned x). (The KKT certificate itself does not apply to ADMM's iterate: tiny jumps where the
    minimiser has none flip the sign condition.)"""
    _, h, y = small_problem(mode)
    lam = 0.1
    x, info = dl.tv(y, h, lam, mode=mode, method="admm", return_info=True)
    assert info["converged"] and info["method"] == "admm"
    exact = dl.tv(y, h, lam, mode=mode, method="active-set")
    assert np.max(np.abs(x - exact)) < 1e-3, f"ADMM {np.max(np.abs(x - exact)):.1e} from the exact minimiser"
    exact_objective = dl.tv_objective(exact, y, h, lam, mode)
    assert dl.tv_objective(x, y, h, lam, mode) <= exact_objective * (1 + 1e-6), "ADMM's objective above the minimum"
    np.testing.assert_allclose(info["objective"][-1], dl.tv_objective(x, y, h, lam, mode), rtol=1e-3)
    assert {"iterations", "primal_residual", "dual_residual", "final_objective"} <= set(info)
    assert info["final_objective"] == pytest.approx(dl.tv_objective(x, y, h, lam, mode), rel=1e-12)


def test_active_set_reports_what_it_did():
    """The active-set solver's info: method, convergence, the number of jumps it kept (those of the
    returned x), its iterations, and its final objective (tv_objective of the returned x)."""
    _, h, y = small_problem("full")
    x, info = dl.tv(y, h, 0.1, method="active-set", return_info=True)
    assert info["method"] == "active-set" and info["converged"] and info["iterations"] >= 1
    assert info["jumps"] == np.count_nonzero(np.abs(np.diff(x)) > 1e-9 * np.abs(x).max())
    assert info["final_objective"] == pytest.approx(dl.tv_objective(x, y, h, 0.1, "full"), rel=1e-12)


def test_active_set_qr_fallback_reaches_the_same_minimiser(monkeypatch):
    """When the Cholesky factor of the small normal equations cannot be trusted (nearly dependent
    blurred steps), the solver falls back to a QR factorisation of the steps. Forcing that path
    (Cholesky made to fail) must give the same minimiser, checked by the KKT certificate."""
    import scipy.linalg

    _, h, y = small_problem("full")
    expected = dl.tv(y, h, 0.1, method="active-set")

    def failing_cholesky(*args, **kwargs):
        raise np.linalg.LinAlgError("forced: take the QR path")

    monkeypatch.setattr(scipy.linalg, "cholesky", failing_cholesky)
    forced = dl.tv(y, h, 0.1, method="active-set")
    assert kkt_violation(forced, y, h, 0.1, "full") < 1e-6
    np.testing.assert_allclose(forced, expected, atol=1e-8)


@pytest.mark.parametrize("method", ["active-set", "admm"])
def test_tv_iteration_limit_warning_points_at_the_caller(method):
    """The warning of a solver stopped short names the caller's line (stacklevel 2), so that a
    notebook's filter or a reader's traceback finds the call, not the package's internals. (Outside
    the package, not this file's name: under ``make mutation`` mutmut's trampoline is the caller.)"""
    x = dl.square_wave(80, 20, 0.5, (0.0, 1.0), delay=5)
    h = dl.gaussian_kernel(2.0)
    y = dl.add_noise(dl.convolve(x, h), std=0.01, rng=0)
    with pytest.warns(RuntimeWarning, match="iteration limit") as record:
        dl.tv(y, h, 0.01, method=method, max_iter=2)
    package = Path(dl.__file__).resolve().parent
    assert len(record) == 1 and not Path(record[0].filename).resolve().is_relative_to(package)


def test_tv_refuses_a_negative_lam():
    """A negative weight would reward jumps: refused, naming lam."""
    h = dl.gaussian_kernel(2.0)
    with pytest.raises(ValueError, match="lam must be >= 0"):
        dl.tv(dl.convolve(np.ones(30), h), h, -0.1)
