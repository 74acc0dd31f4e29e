"""Property tests (hypothesis) for the solvers: random kernels of any length and shape (not
only Gaussians), every mode, checked against independent references."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deconvlab as dl

MODES = ["full", "same", "valid", "circular"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, max_n=40):
    """A random signal length n, mode, kernel (any length the mode allows, any values, not all
    zero) and noisy data."""
    n = draw(st.integers(4, max_n))
    mode = draw(st.sampled_from(MODES))
    k = draw(st.integers(1, n if mode in ("valid", "circular") else 2 * n))  # full/same allow k > n
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    h = rng.standard_normal(k)
    h[draw(st.integers(0, k - 1))] += 3.0  # never all zero
    x = rng.standard_normal(n)
    y = dl.convolve(x, h, mode) + 0.01 * rng.standard_normal(dl.output_length(n, k, mode))
    return x, h, y, mode


def stacked_lstsq(y, h, lam, mode, order, n):
    """min ||Ax - y||^2 + lam^2 ||Lx||^2 as one least-squares problem [A; lam L] x = [y; 0]."""
    A = dl.convolution_matrix(h, n, mode)
    L = np.diff(np.eye(n), order, axis=0)
    return np.linalg.lstsq(np.vstack([A, lam * L]), np.r_[y, np.zeros(L.shape[0])], rcond=None)[0]


@SETTINGS
@given(problems(), st.sampled_from([0, 1, 2]), st.floats(1e-2, 10.0))
def test_tikhonov_solves_the_stacked_least_squares_problem(problem, order, lam):
    x, h, y, mode = problem
    n = x.size
    stacked = np.vstack([dl.convolution_matrix(h, n, mode), np.diff(np.eye(n), order, axis=0)])
    if np.linalg.matrix_rank(stacked) < n:  # no unique minimiser: a clear error, not a guess
        with pytest.raises(ValueError, match="not unique"):
            dl.tikhonov(y, h, lam, mode=mode, order=order)
        return
    reference = stacked_lstsq(y, h, lam, mode, order, n)
    estimate = dl.tikhonov(y, h, lam, mode=mode, order=order)
    assert np.linalg.norm(estimate - reference) <= 1e-8 * max(1.0, np.linalg.norm(reference))


@SETTINGS
@given(problems())
def test_tsvd_with_every_singular_value_is_the_pseudo_inverse(problem):
    x, h, y, mode = problem
    A = dl.convolution_matrix(h, x.size, mode)
    s = np.linalg.svd(A, compute_uv=False)
    rank = int(np.sum(s > s[0] * 1e-10))
    if rank < min(A.shape):
        return  # (numerically) rank deficient: pinv's cut-off and tsvd's k need not agree
    reference = np.linalg.pinv(A) @ y
    estimate = dl.tsvd(y, h, rank, mode=mode)
    assert np.linalg.norm(estimate - reference) <= 1e-7 * max(1.0, np.linalg.norm(reference))


@SETTINGS
@given(st.integers(4, 64), st.integers(1, 8), st.sampled_from(["full", "circular"]), st.integers(0, 2**32 - 1))
def test_naive_inverse_undoes_a_kernel_with_no_small_bins(n, k, mode, seed):
    """|H| >= 1 - sum|rest| > 0 when h is a unit spike plus small taps: dividing the DFTs (of
    length n + k - 1 for full, n for circular) gives x back to rounding."""
    rng = np.random.default_rng(seed)
    k = min(k, n)
    h = np.zeros(k)
    h[0] = 1.0
    h[1:] = rng.uniform(-0.5, 0.5, k - 1) / max(k - 1, 1)
    x = rng.standard_normal(n)
    estimate = dl.inverse_filter(dl.convolve(x, h, mode), h, mode=mode)
    np.testing.assert_allclose(estimate, x, atol=1e-10)


@SETTINGS
@given(st.integers(4, 64), st.integers(1, 16), st.floats(1e-6, 1e2), st.integers(0, 2**32 - 1))
def test_circular_wiener_is_the_closed_form_filter(n, k, nsr, seed):
    """W = conj(H) / (|H|^2 + nsr), applied bin by bin to the DFT of y."""
    rng = np.random.default_rng(seed)
    k = min(k, n)
    h = rng.standard_normal(k) + (np.arange(k) == 0)
    y = rng.standard_normal(n)
    H = np.fft.fft(h, n)
    reference = np.real(np.fft.ifft(np.conj(H) * np.fft.fft(y) / (np.abs(H) ** 2 + nsr)))
    np.testing.assert_allclose(dl.wiener(y, h, nsr, mode="circular"), reference, atol=1e-10)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_n=30), st.floats(1e-3, 1.0), st.integers(0, 2**32 - 1))
def test_tv_solution_beats_every_nearby_point(problem, lam, seed):
    """A minimiser of 1/2||Ax - y||^2 + lam ||Dx||_1: no random nearby point, no point along a
    random line through it, and neither the least-squares fit nor zero does better."""
    x, h, y, mode = problem
    estimate = dl.tv(y, h, lam, mode=mode)
    best = dl.tv_objective(estimate, y, h, lam, mode)
    tolerance = 1e-7 * max(1.0, abs(best))
    rng = np.random.default_rng(seed)
    for scale in (1e-4, 1e-2, 1.0):
        for _ in range(10):
            direction = rng.standard_normal(x.size)
            for step in (scale, -scale):
                assert dl.tv_objective(estimate + step * direction, y, h, lam, mode) >= best - tolerance
    for other in (np.zeros(x.size), dl.tikhonov(y, h, 1e-6, mode=mode)):
        assert dl.tv_objective(other, y, h, lam, mode) >= best - tolerance


@SETTINGS
@given(
    st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=50),
    st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=4, unique=True),
)
def test_quantize_snaps_to_the_nearest_level_and_is_idempotent(values, levels):
    snapped = dl.quantize(np.array(values), levels)
    assert set(np.unique(snapped)) <= set(levels)
    distance = np.abs(np.subtract.outer(np.array(values), np.array(levels))).min(axis=1)
    np.testing.assert_allclose(np.abs(snapped - np.array(values)), distance)
    np.testing.assert_array_equal(dl.quantize(snapped, levels), snapped)
