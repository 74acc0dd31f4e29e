"""Bad input found by fuzzing the public API (issue 15): each case now raises a ValueError or
TypeError that names the argument, where it used to return NaN, inf, garbage or a deep traceback."""

import numpy as np
import pytest

import deconvlab as dl

y, h = np.ones(40), np.array([0.25, 0.5, 0.25])

CASES = [
    ("add_noise snr_db=-1e4 (was inf)", lambda: dl.add_noise(y, snr_db=-1e4), ValueError, "snr_db"),
    ("add_noise snr_db=1e4 (was OverflowError)", lambda: dl.add_noise(y, snr_db=1e4), ValueError, "snr_db"),
    ("ideal_lowpass n_bins=None (was zeros)", lambda: dl.ideal_lowpass(y, None), TypeError, "n_bins"),
    ("ideal_lowpass n_bins=-1", lambda: dl.ideal_lowpass(y, -1), ValueError, "n_bins"),
    ("ideal_lowpass n_fft < len(x)", lambda: dl.ideal_lowpass(y, 3, n_fft=10), ValueError, "n_fft"),
    ("output_length n=-3 (was 23)", lambda: dl.output_length(-3, 5, "full"), ValueError, "n"),
    ("output_length k=1.5", lambda: dl.output_length(10, 1.5, "full"), TypeError, "k"),
    ("tv nonneg='no' (ran as True)", lambda: dl.tv(y, h, 0.1, nonneg="no"), TypeError, "nonneg"),
    ("tv return_info=1", lambda: dl.tv(y, h, 0.1, return_info=1), TypeError, "return_info"),
    (
        "choose_lambda noise_std=-1 (was accepted)",
        lambda: dl.choose_lambda(y, h, noise_std=-1),
        ValueError,
        "noise_std",
    ),
    (
        "kept_bandwidth n_fft < len(h) (was truncated)",
        lambda: dl.kept_bandwidth(np.ones(30), 0.1, n_fft=10),
        ValueError,
        "n_fft",
    ),
    ("estimate_levels count=10**6 (took 10 s, 1.7 GB)", lambda: dl.estimate_levels(y, 10**6), ValueError, "count"),
    ("svd_factorization n=10**4 (minutes, GBs)", lambda: dl.svd_factorization(h, 10**4), ValueError, "too large"),
]


@pytest.mark.parametrize("name, call, error, word", CASES, ids=[case[0] for case in CASES])
def test_bad_input_is_refused_naming_the_argument(name, call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_a_vanishing_sigma_gives_a_delta_not_nan():
    """gaussian_kernel(1e-200) returned NaN (0/0 at the centre); it is a delta."""
    np.testing.assert_array_equal(dl.gaussian_kernel(1e-200), [0.0, 1.0, 0.0])


def test_add_noise_at_extreme_but_valid_snr_is_finite():
    quiet = dl.add_noise(y, snr_db=600, rng=1)
    loud = dl.add_noise(y, snr_db=-600, rng=1)
    assert np.all(np.isfinite(quiet)) and np.all(np.isfinite(loud))
    np.testing.assert_allclose(quiet, y, atol=1e-12)
    # snr_db sets the noise power: 20 dB below the signal's mean square is a std of 0.1 here
    noisy = dl.add_noise(np.ones(200_000), snr_db=20, rng=2)
    assert abs(np.std(noisy) - 0.1) < 1e-3
