import warnings

import numpy as np
import pytest

import deconvlab as dl

RNG = np.random.default_rng(2)


def test_wiener_matches_the_formula_on_the_circular_model():
    n = 128
    y, h = RNG.standard_normal(n), dl.gaussian_kernel(2.0)
    H = np.fft.rfft(h, n)
    expected = np.fft.irfft(np.conj(H) / (np.abs(H) ** 2 + 0.01) * np.fft.rfft(y), n)
    np.testing.assert_allclose(dl.wiener(y, h, 0.01, mode="circular"), expected, atol=1e-13)


def test_wiener_agrees_with_scikit_image():
    restoration = pytest.importorskip("skimage.restoration")
    n = 200
    y, h = RNG.standard_normal(n), dl.gaussian_kernel(3.0)
    identity = np.zeros(n)
    identity[0] = 1.0  # regulariser with |transfer function| = 1: skimage's balance is our scalar nsr
    for balance in (1e-3, 0.1):
        reference = restoration.wiener(y, h, balance, reg=identity, is_real=True, clip=False)
        centred = np.roll(np.r_[h, np.zeros(n - h.size)], -(h.size // 2))  # skimage centres the psf
        np.testing.assert_allclose(dl.wiener(y, centred, balance, mode="circular"), reference, atol=1e-12)
        np.testing.assert_allclose(dl.wiener(y, h, balance, mode="same"), reference, atol=1e-12)


@pytest.mark.parametrize("mode", ["full", "circular", "valid"])
def test_nsr_to_zero_recovers_the_naive_inverse(mode):
    x = RNG.standard_normal(300)
    h = dl.gaussian_kernel(1.5)
    y = dl.convolve(x, h, mode)
    naive = dl.inverse_filter(y, h, mode=mode)
    np.testing.assert_allclose(dl.wiener(y, h, 1e-20, mode=mode), naive, atol=1e-8)
    np.testing.assert_allclose(dl.wiener(y, h, 0.0, mode=mode), naive, atol=1e-12)


def test_large_nsr_shrinks_to_zero_and_inf_shuts_bins():
    y, h = RNG.standard_normal(64), dl.gaussian_kernel(1.0)
    assert np.max(np.abs(dl.wiener(y, h, 1e12, mode="circular"))) < 1e-9
    assert np.max(np.abs(dl.wiener(y, h, np.full(33, np.inf), mode="circular"))) == 0.0


def test_oracle_nsr_beats_every_constant_nsr_on_average():
    """Monte Carlo (seeded): the oracle per-bin filter is the MMSE linear filter."""
    x = dl.square_wave(400, 80, 0.5, (0.0, 1.0), delay=20)
    h = dl.gaussian_kernel(4.0)
    clean = dl.convolve(x, h)
    noise_std = 1e-3
    oracle = dl.oracle_nsr(x, h, noise_std)
    constants = np.logspace(-12, 0, 25)
    oracle_errors, constant_errors = [], []
    for trial in range(30):
        y = dl.add_noise(clean, std=noise_std, rng=trial)
        oracle_errors.append(np.sum((dl.wiener(y, h, oracle) - x) ** 2))
        constant_errors.append([np.sum((dl.wiener(y, h, c) - x) ** 2) for c in constants])
    assert np.mean(oracle_errors) < np.min(np.mean(constant_errors, axis=0))


def test_recoverable_bandwidth_is_where_the_spectrum_meets_the_noise():
    for sigma in (5.0, 80.0):
        for snr_db in (20.0, 60.0, 200.0):
            f_max = dl.recoverable_bandwidth(sigma, snr_db, fs=200)
            h = dl.gaussian_kernel(sigma)
            n_fft = 1 << 16
            H = np.abs(np.fft.rfft(h, n_fft)) / h.sum()
            f = np.fft.rfftfreq(n_fft, 1 / 200)
            measured = f[np.flatnonzero(H < 10 ** (-snr_db / 20))[0]]
            assert abs(measured - f_max) <= 2 * 200 / n_fft
            assert f_max == pytest.approx(200 * np.sqrt(np.log(10 ** (snr_db / 20)) / (2 * np.pi**2 * sigma**2)))


@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: dl.wiener(np.ones(10), np.ones(3), -1.0), ValueError, "nsr"),
        (lambda: dl.wiener(np.ones(10), np.ones(3), np.ones(4)), ValueError, "nsr"),
        (lambda: dl.wiener(np.ones(10), np.ones(3), np.full(6, np.nan)), ValueError, "nsr"),
        (lambda: dl.wiener(np.ones(10), np.ones(3), "big"), TypeError, "nsr"),
        (lambda: dl.wiener(np.ones(10), np.zeros(3), 0.1), ValueError, "h"),
        (lambda: dl.wiener(np.ones(8), np.array([1.0, 1.0]), 0.0, mode="circular"), ValueError, "nsr"),
        (lambda: dl.wiener([np.inf], np.ones(1), 0.1), ValueError, "y"),
        (lambda: dl.oracle_nsr(np.ones(10), np.ones(3), -1.0), ValueError, "noise_std"),
        (lambda: dl.recoverable_bandwidth(10, -3), ValueError, "snr_db"),
    ],
)
def test_bad_input_names_the_argument(call, error, word):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(error, match=word):
            call()


@pytest.mark.parametrize("nsr", [-0.01, -1e-12, -4.0])
def test_a_negative_scalar_nsr_is_refused_whatever_its_size(nsr):
    """A negative nsr makes |H|^2 + nsr vanish or change sign on some bins: refused, not filtered.
    (-1.0, the table's value, fails only by luck: with a unit-gain kernel |H(0)|^2 + nsr is exactly 0.)"""
    y, h = np.ones(10), np.array([0.5, 0.3, 0.2])
    with pytest.raises(ValueError, match="nsr must be >= 0"):
        dl.wiener(y, h, nsr)
    with pytest.raises(ValueError, match="nsr must be >= 0"):
        dl.wiener_filter_factors(np.fft.rfft(h, 12), nsr)
