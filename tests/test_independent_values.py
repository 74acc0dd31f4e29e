"""Values against independent references, written for the faults that mutation testing
(make mutation) showed the suite could not see: formulas with a factor, a sign or a power
changed, boundaries moved by one, levels that were always 0 and 1, kernels that always summed to 1."""

import numpy as np
import pytest

import deconvlab as dl

# --- signals ------------------------------------------------------------------------------


def test_gaussian_transfer_is_the_spectrum_of_a_sampled_gaussian():
    """|DTFT| of a wide sampled Gaussian (sigma = 3 samples, aliasing < 1e-70 below f = 0.25) is the
    closed form gain * exp(-2 pi^2 sigma^2 f^2), f in cycles per sample."""
    h = dl.gaussian_kernel(3.0, normalize=False)
    n_fft = 4096
    f = np.arange(n_fft // 2 + 1) / n_fft
    measured = np.abs(np.fft.rfft(h, n_fft))
    closed = dl.gaussian_transfer(f, 3.0, gain=h.sum())
    below = f <= 0.25
    np.testing.assert_allclose(measured[below], closed[below], rtol=1e-9, atol=1e-14 * h.sum())
    assert dl.gaussian_transfer(0.0, 3.0, gain=2.5) == 2.5


def test_add_noise_at_an_snr_uses_the_mean_square_of_y():
    y = np.tile([0.0, 2.0], 100_000)  # mean(y^2) = 2, not 1: a wrong power of y shows
    noise = dl.add_noise(y, snr_db=20, rng=3) - y
    assert abs(noise.std() - np.sqrt(2) * 0.1) < 1e-3


def test_seed_square_wave_at_other_rates():
    t, x = dl.seed_square_wave(1)  # n = 3 samples in 3 s: segments of 1 sample
    np.testing.assert_array_equal(x, np.where(np.arange(9) % 2, 3.0, np.finfo(float).eps))
    np.testing.assert_array_equal(t, np.arange(1, 10))
    with pytest.raises(ValueError, match="fs"):
        dl.seed_square_wave(0.9)


def test_smallest_valid_sizes_are_accepted():
    np.testing.assert_array_equal(dl.gaussian_kernel(1.0, radius=0), [1.0])
    np.testing.assert_array_equal(dl.square_wave(4, 2, 0.5, (0.0, 1.0)), [1.0, 0.0, 1.0, 0.0])
    np.testing.assert_array_equal(dl.ideal_lowpass(np.arange(4.0), 0), np.zeros(4))
    np.testing.assert_array_equal(dl.richardson_lucy(np.ones(5), np.ones(2), 0), np.full(4, 5 / 8))


# --- metrics ------------------------------------------------------------------------------


def test_overshoot_and_rise_with_levels_other_than_0_and_1():
    estimate = np.r_[np.full(10, 2.0), 2.3, 3.5, 4.7, 5.3, np.full(10, 5.0)]  # 2 -> 5, peak 5.3
    assert dl.overshoot(estimate, 2.0, 5.0) == pytest.approx(0.1)
    # 10 % and 90 % of the 2 -> 5 jump are 2.3 and 4.7: last sample <= 2.3 at 10, first >= 4.7 at 12
    assert dl.rise_samples(estimate, 11, 2.0, 5.0, 5) == 2


def test_rise_samples_window_is_clamped_at_the_start():
    estimate = np.array([0.0, 0.5, 1.0, 1.0])  # the 10 % sample is index 0
    assert dl.rise_samples(estimate, 1, 0.0, 1.0, 3) == 2


def test_snr_db_when_the_error_energy_is_exactly_one():
    truth = np.array([3.0, 4.0])
    assert dl.snr_db(truth + np.array([1.0, 0.0]), truth) == pytest.approx(10 * np.log10(25.0))


def test_below_and_above_at_their_boundaries():
    assert dl.below(0.0, 1e-12) == "below 10^-12"  # an exact zero error is below any bound
    assert "NOT above" in dl.above(1e10, 1e10)  # equal is not above


# --- wiener -------------------------------------------------------------------------------


def test_oracle_nsr_is_n_sigma2_over_the_signal_power_per_bin():
    x = np.array([1.0, 0.0, 0.0, 0.0])  # X = 1 in every bin of any length
    np.testing.assert_allclose(dl.oracle_nsr(x, np.array([1.0, 0.5]), 0.5), 5 * 0.25)  # full: N = 5
    np.testing.assert_allclose(dl.oracle_nsr(2 * x, np.array([1.0]), 0.5, mode="circular"), 4 * 0.25 / 4)


def test_wiener_accepts_an_nsr_of_zero_in_some_bins():
    x, h = np.r_[np.zeros(10), np.ones(10)], np.array([0.6, 0.3, 0.1])
    nsr = np.zeros(12)
    nsr[-1] = np.inf  # shut the Nyquist bin only
    estimate = dl.wiener(dl.convolve(x, h), h, nsr)
    H, Y = np.fft.rfft(h, 22), np.fft.rfft(dl.convolve(x, h))
    expected = np.fft.irfft(np.r_[Y[:-1] / H[:-1], 0.0], 22)[:20]
    np.testing.assert_allclose(estimate, expected, atol=1e-12)
    with pytest.raises(ValueError, match="nsr"):
        dl.wiener(dl.convolve(x, h), h, np.r_[nsr[:-1], -1.0])


# --- inverse ------------------------------------------------------------------------------


@pytest.mark.parametrize("taper", ["hann", "lanczos"])
def test_tapers_are_their_closed_form_windows(taper):
    """Over the kept band 0 .. b_c: hann (1 + cos(pi b / (b_c + 1))) / 2, lanczos sinc(b / (b_c + 1))."""
    rng = np.random.default_rng(0)
    x, h = rng.standard_normal(100), dl.gaussian_kernel(2.0)
    y = dl.convolve(x, h)
    H, Y = np.fft.rfft(h, y.size), np.fft.rfft(y)
    kept = np.abs(H) > 1e-3 * np.abs(H).max()
    last = np.flatnonzero(kept).max()
    ratio = np.arange(H.size) / (last + 1)
    window = (1 + np.cos(np.pi * ratio)) / 2 if taper == "hann" else np.sinc(ratio)
    expected = np.fft.irfft(np.where(kept, window * Y / np.where(kept, H, 1), 0), y.size)[:100]
    np.testing.assert_allclose(dl.inverse_filter(y, h, 1e-3, taper=taper), expected, atol=1e-10)


def test_kept_bandwidth_on_a_two_tap_kernel():
    """h = [1, 1]: |H(f)| = 2 |cos(pi f)|; on 8 bins 2, 1.85, 1.41, 0.77, 0."""
    assert dl.kept_bandwidth([1.0, 1.0], 0.5, n_fft=8) == 0.25  # bins 0, 1, 2 have |H| > 1
    assert dl.kept_bandwidth([1.0], 0.5, n_fft=8) == 0.5  # nothing dropped: up to Nyquist


def test_ideal_lowpass_with_an_odd_fft_length():
    x = np.arange(7.0)
    X = np.fft.rfft(x, 9)
    X[2:] = 0
    np.testing.assert_allclose(dl.ideal_lowpass(x, 2, 9), np.fft.irfft(X, 9)[:7], atol=1e-12)


# --- levels -------------------------------------------------------------------------------


def test_quantize_snaps_to_the_nearest_of_uneven_levels():
    levels = np.array([1.0, 2.0, 7.0])  # midpoints 1.5 and 4.5
    np.testing.assert_array_equal(dl.quantize([0.0, 1.49, 1.51, 4.4, 4.6, 9.0], levels), [1.0, 1.0, 2.0, 2.0, 7.0, 7.0])
    assert dl.quantize([1.5], levels)[0] == 1.0  # a tie goes to the lower level


def test_estimate_levels_finds_uneven_clusters():
    rng = np.random.default_rng(1)
    x = np.r_[1.0 + 0.01 * rng.standard_normal(300), 2.0 + 0.01 * rng.standard_normal(100), np.full(50, 7.0)]
    np.testing.assert_allclose(dl.estimate_levels(x, 3), [1.0, 2.0, 7.0], atol=0.01)


def test_piecewise_constant_fit_accepts_jumps_next_to_the_ends():
    x = np.r_[0.0, np.ones(8), 0.0]
    h = np.array([0.6, 0.4])
    fit = dl.piecewise_constant_fit(dl.convolve(x, h), h, [1, 9])
    np.testing.assert_allclose(fit, x, atol=1e-12)


# --- positivity ---------------------------------------------------------------------------


def test_richardson_lucy_one_step_with_an_unnormalised_kernel():
    """x1 = x0 * A^T(y / A x0) / A^T 1 from the flat start x0 = sum(y) / sum(A^T 1), checked with
    dense matrices for a 'same' model, whose A^T 1 is not constant."""
    h, n = np.array([2.0, 1.0, 0.5]), 6
    A = dl.convolution_matrix(h, n, "same")
    y = A @ np.array([1.0, 3.0, 2.0, 0.5, 1.0, 2.0])
    x0 = np.full(n, y.sum() / (A.T @ np.ones(n)).sum())
    x1 = x0 * (A.T @ (y / (A @ x0))) / (A.T @ np.ones(n))
    np.testing.assert_allclose(dl.richardson_lucy(y, h, 0, mode="same"), x0)
    np.testing.assert_allclose(dl.richardson_lucy(y, h, 1, mode="same"), x1, rtol=1e-12)


# --- operators: sizes at their boundaries -------------------------------------------------


def test_sizes_at_their_boundaries_are_accepted():
    h = np.array([1.0, 2.0, 3.0])
    assert dl.solution_length(3, 3, "full") == 1  # a full convolution of one sample
    np.testing.assert_array_equal(dl.operators.centred_kernel(h, 3), [2.0, 3.0, 1.0])
    np.testing.assert_allclose(np.abs(dl.transfer_function(h, 3)), np.abs(np.fft.rfft(h)))
    x = np.array([1.0, -1.0, 2.0])
    y = dl.convolve(x, h, "same")  # kernel as long as the signal
    np.testing.assert_allclose(y, np.convolve(x, h, "same"))
    np.testing.assert_allclose(dl.inverse_filter(dl.convolve(x, h, "circular"), h, mode="circular"), x, atol=1e-12)


# --- regularization -----------------------------------------------------------------------


def test_tikhonov_on_a_singular_circulant_needs_lam_above_zero():
    """h = [1, 1] on an even period has H = 0 at Nyquist: the SVD has a zero singular value."""
    h, n = np.array([1.0, 1.0]), 8
    x = np.arange(8.0)
    y = dl.convolve(x, h, "circular")
    A = dl.convolution_matrix(h, n, "circular")
    expected = np.linalg.solve(A.T @ A + 0.1**2 * np.eye(n), A.T @ y)
    np.testing.assert_allclose(dl.tikhonov(y, h, 0.1, mode="circular", method="dense"), expected, atol=1e-10)
    with pytest.raises(ValueError, match="lam"):
        dl.tikhonov(y, h, 0.0, mode="circular", method="dense")
    truncated = dl.tsvd(y, h, 7, mode="circular")  # drop the zero singular value: the pseudo-inverse
    np.testing.assert_allclose(truncated, np.linalg.pinv(A) @ y, atol=1e-10)


def test_penalty_orders_at_their_limits():
    with pytest.raises(ValueError, match="order"):
        dl.difference_matrix(3, 3)
    assert dl.difference_matrix(3, 2).shape == (1, 3)
    h = np.ones(5) / 5  # valid with n = 5: m = 1 measurement, an order-2 penalty leaves 2 directions free
    with pytest.raises(ValueError, match="1 measurements"):
        dl.svd_factorization(h, 5, "valid", order=2)
