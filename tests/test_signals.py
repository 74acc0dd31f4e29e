import numpy as np
import pytest

import deconvlab as dl

EPS = np.finfo(float).eps


def matlab_seed_square_wave():
    """Line-by-line transcription of the question's MATLAB (1-based ranges)."""
    fs = 200
    n = len(np.arange(1, 3 * fs + 1))  # t = 1/fs : 1/fs : 3
    r = round(n / 3)
    sq = np.zeros(0)

    def assign(first, last, value):  # MATLAB sq(first:last) = value, growing the array
        nonlocal sq
        if last > sq.size:
            sq = np.concatenate([sq, np.zeros(last - sq.size)])
        sq[first - 1 : last] = value

    assign(1, r, EPS)
    assign(r + 1, 2 * r, 3)
    assign(2 * r + 1, n, EPS)
    assign(3 * r + 1, 4 * r, 3)
    assign(4 * r + 1, 5 * r, EPS)
    assign(5 * r + 1, 6 * r, 3)
    assign(6 * r + 1, 7 * r, EPS)
    assign(7 * r + 1, 8 * r, 3)
    assign(8 * r + 1, 9 * r, EPS)
    return sq


def test_seed_square_wave_matches_the_matlab_code_sample_for_sample():
    t, x = dl.seed_square_wave()
    reference = matlab_seed_square_wave()
    assert x.size == 1800 and t.size == 1800
    np.testing.assert_array_equal(x, reference)
    assert t[0] == 1 / 200 and t[-1] == pytest.approx(9.0)
    assert set(np.unique(x)) == {EPS, 3.0}


def test_seed_square_wave_is_a_general_square_wave():
    _, x = dl.seed_square_wave()
    np.testing.assert_array_equal(x, dl.square_wave(1800, 400, 0.5, (EPS, 3.0), delay=200))


def test_seed_gaussian_is_4_gaussmf_with_matlab_grid():
    h = dl.seed_gaussian(1800)
    t1 = np.arange(1, 1801) / 200
    np.testing.assert_allclose(h, 4 * np.exp(-((t1 - 4.5) ** 2) / (2 * 0.4**2)), rtol=1e-15)
    assert h.argmax() == 899 and h.max() == pytest.approx(4.0)
    # Unnormalised: the gain is 4 sqrt(2 pi) 80 = 802.1
    assert h.sum() == pytest.approx(4 * np.sqrt(2 * np.pi) * 80, rel=1e-9)


def test_gaussmf_has_matlab_meaning():
    assert dl.gaussmf([2.0], 0.5, 2.0)[0] == 1.0
    assert dl.gaussmf([2.5], 0.5, 2.0)[0] == pytest.approx(np.exp(-0.5))


def test_gaussian_kernel_is_odd_centred_and_normalised():
    h = dl.gaussian_kernel(3.0)
    assert h.size % 2 == 1
    assert h.argmax() == h.size // 2
    np.testing.assert_allclose(h, h[::-1])
    assert h.sum() == pytest.approx(1.0)
    assert h.size == 2 * int(np.ceil(dl.DEFAULT_TRUNCATE * 3.0)) + 1


def test_gaussian_kernel_default_radius_drops_only_tails_below_eps():
    sigma = 5.0
    h = dl.gaussian_kernel(sigma, normalize=False)
    radius = h.size // 2
    assert h[0] < EPS  # the edge sample is already below eps (relative to the peak, 1)
    assert np.exp(-((radius - 1) ** 2) / (2 * sigma**2)) > EPS / 10
    wider = dl.gaussian_kernel(sigma, radius=3 * radius, normalize=False)
    dropped = np.concatenate([wider[: 2 * radius], wider[-2 * radius :]])
    assert dropped.max() < EPS


def test_gaussian_kernel_explicit_radius():
    assert dl.gaussian_kernel(2.0, radius=3).size == 7


def test_square_wave_levels_and_duty():
    x = dl.square_wave(20, 10, duty=0.3, levels=(-1.0, 2.0), delay=2)
    np.testing.assert_array_equal(x[:10], [-1, -1, 2, 2, 2, -1, -1, -1, -1, -1])
    np.testing.assert_array_equal(x[10:], x[:10])


def test_add_noise_is_reproducible_and_has_requested_level():
    y = np.ones(200_000)
    a = dl.add_noise(y, std=0.1, rng=3)
    np.testing.assert_array_equal(a, dl.add_noise(y, std=0.1, rng=3))
    assert not np.array_equal(a, dl.add_noise(y, std=0.1, rng=4))
    assert np.std(a - y) == pytest.approx(0.1, rel=0.01)
    b = dl.add_noise(y, snr_db=20)
    assert 10 * np.log10(1 / np.var(b - y)) == pytest.approx(20, abs=0.1)
    generator = np.random.default_rng(5)
    np.testing.assert_array_equal(
        dl.add_noise(np.zeros(9), std=1, rng=generator), np.random.default_rng(5).standard_normal(9)
    )


@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: dl.gaussian_kernel(-1.0), ValueError, "sigma"),
        (lambda: dl.gaussian_kernel(0.0), ValueError, "sigma"),
        (lambda: dl.gaussian_kernel(float("nan")), ValueError, "sigma"),
        (lambda: dl.gaussian_kernel("wide"), TypeError, "sigma"),
        (lambda: dl.gaussian_kernel(1.0, radius=-2), ValueError, "radius"),
        (lambda: dl.gaussmf([1.0], -0.4, 4.5), ValueError, "sigma"),
        (lambda: dl.gaussmf([[1.0]], 0.4, 4.5), ValueError, "t"),
        (lambda: dl.seed_gaussian(0), ValueError, "n"),
        (lambda: dl.seed_square_wave(fs=-200), ValueError, "fs"),
        (lambda: dl.square_wave(10, 4, duty=1.5), ValueError, "duty"),
        (lambda: dl.square_wave(10, 4, levels=(1, 2, 3)), ValueError, "levels"),
        (lambda: dl.add_noise([1.0, 2.0]), ValueError, "std or snr_db"),
        (lambda: dl.add_noise([1.0, 2.0], std=1, snr_db=3), ValueError, "std or snr_db"),
        (lambda: dl.add_noise([1.0, 2.0], std=-1), ValueError, "std"),
        (lambda: dl.add_noise([1.0, np.nan], std=1), ValueError, "y"),
        (lambda: dl.add_noise([], std=1), ValueError, "y"),
    ],
)
def test_bad_input_names_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()
