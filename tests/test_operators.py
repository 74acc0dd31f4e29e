import re

import numpy as np
import pytest
import scipy.linalg
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import deconvlab as dl

MODES = ["full", "same", "valid", "circular"]
RNG = np.random.default_rng(0)


def circular_reference(x, h):
    """Circular convolution straight from its definition (no FFT)."""
    n = x.size
    hp = np.concatenate([h, np.zeros(n - h.size)])
    return np.array([sum(hp[j] * x[(i - j) % n] for j in range(n)) for i in range(n)])


@pytest.mark.parametrize("n, k", [(50, 7), (50, 8), (31, 31), (10, 1), (200, 41)])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve_equals_numpy(n, k, mode):
    x, h = RNG.standard_normal(n), RNG.standard_normal(k)
    np.testing.assert_allclose(dl.convolve(x, h, mode), np.convolve(x, h, mode), atol=1e-12)


def test_same_with_kernel_longer_than_signal_keeps_signal_length():
    x, h = RNG.standard_normal(10), RNG.standard_normal(15)
    y = dl.convolve(x, h, "same")
    assert y.size == 10
    np.testing.assert_allclose(y, scipy.signal.convolve(x, h, "same"), atol=1e-12)


def test_convolve_large_uses_fft_and_stays_exact():
    x, h = RNG.standard_normal(20000), RNG.standard_normal(1001)
    np.testing.assert_allclose(dl.convolve(x, h, "valid"), np.convolve(x, h, "valid"), atol=1e-9)


@pytest.mark.parametrize("n, k", [(16, 5), (17, 17), (9, 1)])
def test_circular_equals_definition(n, k):
    x, h = RNG.standard_normal(n), RNG.standard_normal(k)
    np.testing.assert_allclose(dl.convolve(x, h, "circular"), circular_reference(x, h), atol=1e-12)


def test_zero_padded_circular_equals_linear():
    x, h = RNG.standard_normal(100), RNG.standard_normal(30)
    padded = np.concatenate([x, np.zeros(29)])
    np.testing.assert_allclose(dl.convolve(padded, h, "circular"), np.convolve(x, h), atol=1e-12)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("k", [1, 6, 9])
def test_matrix_matches_convolve_and_operator(mode, k):
    n = 23
    x, h = RNG.standard_normal(n), RNG.standard_normal(k)
    A = dl.convolution_matrix(h, n, mode)
    assert A.shape == (dl.output_length(n, k, mode), n)
    np.testing.assert_allclose(A @ x, dl.convolve(x, h, mode), atol=1e-12)
    op = dl.convolution_operator(h, n, mode)
    np.testing.assert_allclose(op @ x, A @ x, atol=1e-12)
    y = RNG.standard_normal(A.shape[0])
    np.testing.assert_allclose(op.T @ y, A.T @ y, atol=1e-12)


def test_matrix_uses_scipy_toeplitz_where_it_fits():
    h = RNG.standard_normal(5)
    for mode in ["full", "valid"]:
        np.testing.assert_array_equal(dl.convolution_matrix(h, 12, mode), scipy.linalg.convolution_matrix(h, 12, mode))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("n, k", [(64, 9), (64, 10), (101, 101), (7, 1), (3000, 257)])
def test_adjoint_dot_test(mode, n, k):
    h = RNG.standard_normal(k)
    x = RNG.standard_normal(n)
    y = RNG.standard_normal(dl.output_length(n, k, mode))
    lhs = np.dot(dl.convolve(x, h, mode), y)
    rhs = np.dot(x, dl.convolve_adjoint(y, h, n, mode))
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10)


@pytest.mark.parametrize("mode", MODES)
def test_solution_length_inverts_output_length(mode):
    for n, k in [(50, 7), (50, 50), (9, 2)]:
        assert dl.solution_length(dl.output_length(n, k, mode), k, mode) == n


def test_transfer_function_is_rfft_with_lag_zero_at_h0():
    h = np.array([0.0, 1.0])  # a one-sample delay: H = exp(-2 pi i f / N)
    H = dl.transfer_function(h, 8)
    f = dl.rfft_frequencies(8)
    np.testing.assert_allclose(H, np.exp(-2j * np.pi * f), atol=1e-15)
    np.testing.assert_allclose(dl.rfft_frequencies(8, fs=200), f * 200)


# ---- property tests -------------------------------------------------------------------------

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
signals = st.integers(1, 40).flatmap(lambda n: arrays(np.float64, n, elements=finite))
kernels = st.integers(1, 12).flatmap(lambda k: arrays(np.float64, k, elements=finite)).filter(lambda h: np.any(h))


@settings(max_examples=60, deadline=None)
@given(x=signals, h=kernels, mode=st.sampled_from(MODES))
def test_output_length_of_every_mode(x, h, mode):
    if mode in ("valid", "circular") and h.size > x.size:
        with pytest.raises(ValueError, match="h"):
            dl.convolve(x, h, mode)
        return
    y = dl.convolve(x, h, mode)
    n, k = x.size, h.size
    assert y.size == {"full": n + k - 1, "same": n, "valid": n - k + 1, "circular": n}[mode]
    assert y.size == dl.output_length(n, k, mode)


@settings(max_examples=60, deadline=None)
@given(x=signals, h=kernels, a=finite, b=finite, mode=st.sampled_from(MODES), seed=st.integers(0, 2**16))
def test_linearity(x, h, a, b, mode, seed):
    if mode in ("valid", "circular") and h.size > x.size:
        return
    z = np.random.default_rng(seed).standard_normal(x.size)
    lhs = dl.convolve(a * x + b * z, h, mode)
    rhs = a * dl.convolve(x, h, mode) + b * dl.convolve(z, h, mode)
    scale = 1 + np.abs(x).sum() * np.abs(h).sum() * (abs(a) + abs(b) + 1)
    np.testing.assert_allclose(lhs, rhs, atol=1e-12 * scale)


@settings(max_examples=60, deadline=None)
@given(x=signals.filter(lambda v: np.any(v)), h=kernels)
def test_full_is_commutative(x, h):
    scale = 1 + np.abs(x).sum() * np.abs(h).sum()
    np.testing.assert_allclose(dl.convolve(x, h, "full"), dl.convolve(h, x, "full"), atol=1e-12 * scale)


@settings(max_examples=60, deadline=None)
@given(x=signals, h=kernels, shift=st.integers(-50, 50))
def test_circular_is_shift_equivariant(x, h, shift):
    if h.size > x.size:
        return
    scale = 1 + np.abs(x).sum() * np.abs(h).sum()
    np.testing.assert_allclose(
        dl.convolve(np.roll(x, shift), h, "circular"), np.roll(dl.convolve(x, h, "circular"), shift), atol=1e-12 * scale
    )


# ---- bad input --------------------------------------------------------------------------------

X, H = np.ones(10), np.ones(3)


@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: dl.convolve([1.0, np.nan], H), ValueError, "x"),
        (lambda: dl.convolve(X, [1.0, np.inf]), ValueError, "h"),
        (lambda: dl.convolve([], H), ValueError, "x"),
        (lambda: dl.convolve(X, []), ValueError, "h"),
        (lambda: dl.convolve(np.ones((3, 3)), H), ValueError, "x"),
        (lambda: dl.convolve(X, np.ones((1, 3))), ValueError, "h"),
        (lambda: dl.convolve(X + 1j, H), TypeError, "x"),
        (lambda: dl.convolve(X, ["a", "b"]), TypeError, "h"),
        (lambda: dl.convolve(X, H, mode="periodic"), ValueError, "mode"),
        (lambda: dl.convolve(X, np.ones(11), mode="valid"), ValueError, "h"),
        (lambda: dl.convolve(X, np.ones(11), mode="circular"), ValueError, "h"),
        (lambda: dl.convolve(X, np.zeros(3)), ValueError, "h"),
        (lambda: dl.convolution_matrix(H, 0), ValueError, "n"),
        (lambda: dl.convolution_matrix(H, 2, "valid"), ValueError, "h"),
        (lambda: dl.convolve_adjoint(np.ones(5), H, 10, "full"), ValueError, "y"),
        (lambda: dl.transfer_function(np.ones(9), 4), ValueError, "n_fft"),
        (lambda: dl.solution_length(2, 3, "full"), ValueError, "y"),
    ],
)
def test_bad_input_names_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()


@pytest.mark.parametrize("mode", ["full", "same", "valid", "circular"])
def test_mode_geometry_lives_in_one_place_and_agrees_with_convolve(mode):
    """first_full_row / masked_circular_model / circular_embedding against convolve, asymmetric kernel."""
    from deconvlab.operators import circular_embedding, circular_length, first_full_row, masked_circular_model

    rng = np.random.default_rng(8)
    x, h = rng.standard_normal(16), np.array([3.0, -1.0, 0.5, 2.0])
    y = dl.convolve(x, h, mode)
    N, start = masked_circular_model(x.size, h.size, mode)
    wrapped = np.fft.irfft(np.fft.rfft(x, N) * np.fft.rfft(h, N), N)
    np.testing.assert_allclose(wrapped[start : start + y.size], y, atol=1e-12)
    if mode != "circular":
        full = dl.convolve(x, h, "full")
        row = first_full_row(h.size, mode)
        np.testing.assert_allclose(full[row : row + y.size], y, atol=1e-12)
    y_c, h_c, n = circular_embedding(y, h, mode)
    assert n == x.size and y_c.size == circular_length(x.size, h.size, mode)
    if mode in ("full", "circular"):  # the embedding is the model itself
        x_c = np.r_[x, np.zeros(y_c.size - n)]
        np.testing.assert_allclose(np.fft.irfft(np.fft.rfft(x_c) * np.fft.rfft(h_c, y_c.size), y_c.size), y, atol=1e-12)
    elif mode == "same":  # the centred kernel: 'same' of the periodic signal
        got = np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(h_c), n)
        expected = np.roll(dl.convolve(x, h, "circular"), -first_full_row(h.size, "same"))
        np.testing.assert_allclose(got, expected, atol=1e-12)


def test_a_float32_signal_is_accepted_and_computed_in_float64():
    """Any real floating or integer dtype is a signal (float32 from an image or a sound file too)."""
    x, h = np.arange(6, dtype=np.float32), np.array([0.5, 0.5], dtype=np.float32)
    y = dl.convolve(x, h)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, np.convolve(x.astype(float), h.astype(float)))


@pytest.mark.parametrize(
    "call, named",
    [
        (lambda: dl.convolution_matrix(np.ones(9), 4, "valid"), "len(the signal (n))"),
        (lambda: dl.solution_length(3, 9, "circular"), "len(y)"),
    ],
)
def test_a_kernel_too_long_names_the_length_it_exceeds(call, named):
    """The error says which length the kernel exceeds, by the caller's name for it."""
    with pytest.raises(ValueError, match=re.escape(named)):
        call()
