import warnings

import numpy as np
import pytest

import deconvlab as dl
from deconvlab._spectral import rounding_floor, unresolved_bins

EPS = np.finfo(float).eps
RNG = np.random.default_rng(1)


def mild_problem(sigma, n=600, mode="full"):
    x = dl.square_wave(n, 100, 0.5, (0.0, 3.0), delay=25)
    h = dl.gaussian_kernel(sigma)
    return x, h, dl.convolve(x, h, mode)


@pytest.mark.parametrize("sigma, tolerance", [(1.0, 1e-12), (1.5, 1e-10), (2.0, 1e-6)])
def test_naive_inverse_recovers_mild_blur_to_rounding_over_min_H(sigma, tolerance):
    x, h, y = mild_problem(sigma)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no bin is below eps: no warning expected
        estimate = dl.inverse_filter(y, h)
    assert dl.rmse(estimate, x) < tolerance
    # the error follows eps / min|H|
    min_H = np.abs(dl.transfer_function(h, y.size)).min()
    assert dl.rmse(estimate, x) < 100 * EPS * np.abs(x).max() / min_H


@pytest.mark.parametrize("mode", ["full", "valid", "circular"])
def test_inverse_is_exact_for_every_exact_mode(mode):
    x = RNG.standard_normal(256)
    h = dl.gaussian_kernel(1.0)
    y = dl.convolve(x, h, mode)
    estimate = dl.inverse_filter(y, h, mode=mode)
    assert estimate.size == dl.solution_length(y.size, h.size, mode)
    # valid: one of many solutions, so check it reproduces the data
    assert np.allclose(dl.convolve(estimate, h, mode), y, atol=1e-10)
    if mode != "valid":
        assert np.allclose(estimate, x, atol=1e-10)


def test_same_mode_inverts_the_centred_circular_model():
    x = RNG.standard_normal(256)
    h = dl.gaussian_kernel(1.0)
    periodic_y = dl.convolve(x, np.roll(np.r_[h, np.zeros(256 - h.size)], -(h.size // 2)), "circular")
    assert np.allclose(dl.inverse_filter(periodic_y, h, mode="same"), x, atol=1e-10)
    # on a linear 'same' convolution only the edges differ
    estimate = dl.inverse_filter(dl.convolve(x, h, "same"), h, mode="same")
    assert np.allclose(estimate[20:-20], x[20:-20], atol=1e-3)


def test_naive_division_on_the_question_warns_and_names_the_bins():
    _, x = dl.seed_square_wave()
    h = dl.seed_gaussian(x.size)
    y = dl.convolve(x, h)
    with pytest.warns(RuntimeWarning, match=r"bins \d+\.\.\d+"):
        estimate = dl.inverse_filter(y, h)
    assert dl.rmse(estimate, x) > 1  # the classic failure: noise far larger than the signal


def test_naive_division_warns_at_the_packages_rounding_floor_not_at_eps():
    # sigma = 2.6 samples, N = 646: min|H| = 2 exp(-pi^2 sigma^2 / 2) ~ 7e-15 of max|H|, above eps
    # (the old threshold, silent) but below N eps ~ 1.4e-13, the package's one rule (rounding_floor)
    x, h, y = mild_problem(2.6)
    magnitude = np.abs(dl.transfer_function(h, y.size))
    assert EPS * magnitude.max() < magnitude.min() <= rounding_floor(magnitude.max(), y.size), "the premise moved"
    unresolved = unresolved_bins(dl.transfer_function(h, y.size), 0.0, y.size)
    assert unresolved.size > 0 and not np.any(magnitude <= EPS * magnitude.max()), "the premise moved"
    # the old rule (|H| <= eps max|H|) was silent here
    with pytest.warns(RuntimeWarning, match=rf"n = {y.size}\) in {unresolved.size} of {magnitude.size} frequency bins"):
        dl.inverse_filter(y, h)


def test_naive_division_warns_with_the_period_of_each_mode():
    x, h, _ = mild_problem(2.6, n=1000)
    for mode in ("same", "valid", "circular"):
        y = dl.convolve(x, h, mode)
        n_fft = dl.solution_length(y.size, h.size, mode)  # the circular period of these modes is n
        with pytest.warns(RuntimeWarning, match=rf"n = {n_fft}\)"):
            dl.inverse_filter(y, h, mode=mode)


def test_exact_zero_in_H_gives_inf_or_nan_with_a_warning():
    h = np.array([1.0, 1.0])  # H = 0 at the Nyquist bin for even N
    y = dl.convolve(np.ones(7), h)  # N = 8
    with pytest.warns(RuntimeWarning, match="exactly 0"):
        estimate = dl.inverse_filter(y, h)
    assert not np.all(np.isfinite(estimate))


def test_thresholded_inverse_is_an_ideal_lowpass_of_the_truth():
    x, h, y = mild_problem(6.0)
    n_fft = y.size
    for threshold in (1e-3, 1e-6):
        estimate = dl.inverse_filter(y, h, threshold=threshold)
        kept = np.abs(dl.transfer_function(h, n_fft))
        n_bins = np.flatnonzero(kept <= threshold * kept.max())[0]
        np.testing.assert_allclose(estimate, dl.ideal_lowpass(x, n_bins, n_fft), atol=1e-9)


def test_kept_bandwidth_matches_the_gaussian_closed_form():
    for sigma in (3.0, 10.0, 80.0):
        h = dl.gaussian_kernel(sigma)
        for threshold in (1e-2, 1e-6, 1e-12):
            measured = dl.kept_bandwidth(h, threshold, fs=200, n_fft=16384)
            closed = dl.gaussian_cutoff(sigma, threshold, fs=200)
            assert measured <= closed + 1e-9 and closed - measured <= 200 / 16384


def test_tapers_reduce_overshoot():
    x, h, y = mild_problem(6.0, n=1200)
    overshoot = {taper: dl.inverse_filter(y, h, threshold=1e-3, taper=taper).max() - 3 for taper in dl.inverse.TAPERS}
    assert overshoot["hann"] < overshoot["lanczos"] < overshoot[None]


def test_quantize_snaps_to_nearest_level():
    np.testing.assert_array_equal(dl.quantize([-0.2, 1.4, 1.6, 9], [0, 3]), [0, 0, 3, 3])
    np.testing.assert_array_equal(dl.quantize([1.75, 0.25], [3, 0, 0, 0.5]), [0.5, 0])  # ties go to the lower level
    rng = np.random.default_rng(3)
    x, levels = rng.normal(size=2000), rng.normal(size=37)
    dense = levels[np.argmin(np.abs(x[:, None] - levels[None, :]), axis=1)]  # the O(n k) reference
    np.testing.assert_array_equal(dl.quantize(x, levels), dense)
    np.testing.assert_array_equal(dl.quantize([0.4, 0.6], [1.0, 0.0, 0.5]), [0.5, 0.5])


@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: dl.inverse_filter([1.0, np.nan, 2.0], [1.0, 0.5]), ValueError, "y"),
        (lambda: dl.inverse_filter(np.ones(9), np.zeros(3)), ValueError, "h"),
        (lambda: dl.inverse_filter(np.ones(9), np.ones(3), threshold=-1), ValueError, "threshold"),
        (lambda: dl.inverse_filter(np.ones(9), np.ones(3), threshold=2), ValueError, "threshold"),
        (lambda: dl.inverse_filter(np.ones(9), np.ones(3), taper="kaiser"), ValueError, "taper"),
        (lambda: dl.inverse_filter(np.ones(9), np.ones(3), mode="wrap"), ValueError, "mode"),
        (lambda: dl.inverse_filter(np.ones(2), np.ones(3)), ValueError, "y"),
        (lambda: dl.inverse_filter(np.ones(2), np.ones(3), mode="circular"), ValueError, "h"),
        (lambda: dl.inverse_filter(np.ones((2, 9)), np.ones(3)), ValueError, "y"),
        (lambda: dl.quantize([1.0], []), ValueError, "levels"),
        (lambda: dl.gaussian_cutoff(-1, 0.1), ValueError, "sigma"),
        (lambda: dl.kept_bandwidth(np.ones(3), 0), ValueError, "threshold"),
    ],
)
def test_bad_input_names_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()
