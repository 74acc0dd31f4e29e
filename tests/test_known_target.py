"""The blur measured on a known code (deconvlab.barcodes.known_target): exact pieces against closed
forms and brute-force integration, the measurement on lines made with a known kernel and ink
spread, and on a real line of a shipped photo."""

import pathlib

import numpy as np
import pytest
from scipy import integrate

import deconvlab as dl
from deconvlab.barcodes import known_target as kt
from deconvlab.barcodes import photos

PHOTOS = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "data" / "photos"
CODE = "9780804816632"


def brute_coverage(n, code, start, width, spread, subsamples=4000):
    """The bars' coverage of each pixel by averaging many points across it (midpoint rule)."""
    bars = dl.ean13_modules(code)
    points = np.arange(n)[:, None] - 0.5 + (np.arange(subsamples) + 0.5) / subsamples
    module = (points - start) / width
    edges = np.flatnonzero(np.diff(np.r_[0, bars, 0])).reshape(-1, 2)
    dark = np.zeros(points.shape, bool)
    for first, end in edges:
        dark |= (module >= first - spread / 2) & (module < end + spread / 2)
    return dark.mean(axis=1)


@pytest.mark.parametrize("start, width, spread", [(20.0, 3.0, 0.0), (17.3, 2.71, 0.25), (11.9, 1.5, -0.2)])
def test_bar_coverage_is_the_exact_overlap(start, width, spread):
    n = int(start + 95 * width) + 15
    exact = kt.bar_coverage(n, CODE, start, width, spread)
    assert np.max(np.abs(exact - brute_coverage(n, CODE, start, width, spread))) < 1e-3
    bars = dl.ean13_modules(CODE)
    widened = (bars.sum() + spread * np.count_nonzero(np.diff(np.r_[0, bars, 0]) == 1)) * width
    assert exact.sum() == pytest.approx(widened, rel=1e-12)  # all of every bar is on the line


@pytest.mark.parametrize("radius", [0.3, 1.0, 2.5, 4.2])
def test_disk_line_spread_integrates_the_semicircle(radius):
    kernel = kt.disk_line_spread(radius, half_width=6)
    assert kernel.sum() == pytest.approx(1.0) and np.allclose(kernel, kernel[::-1])
    taps = np.arange(-6, 7)
    profile = [integrate.quad(lambda x: np.sqrt(max(radius**2 - x**2, 0.0)), j - 0.5, j + 0.5)[0] for j in taps]
    assert np.allclose(kernel, np.array(profile) / np.sum(profile), atol=1e-10)


def synthetic_line(kernel, spread, *, start=40.3, width=2.7, noise=0.5, seed=0):
    """A line made by the measurement's own model: light 200 tilted, contrast 150, ``kernel``."""
    n = int(start + 95 * width + 40)
    radius = kernel.size // 2
    coverage = kt.bar_coverage(n + 2 * radius, CODE, start + radius, width, spread)
    blurred = np.convolve(coverage, kernel, mode="same")[radius : radius + n]
    t = np.linspace(-1, 1, n)
    rng = np.random.default_rng(seed)
    return 200 + 10 * t - (150 - 20 * t) * blurred + noise * rng.standard_normal(n), start, width


@pytest.mark.parametrize("shape", ["disk", "asymmetric"])
def test_measure_line_blur_recovers_a_kernel_that_is_not_gaussian(shape):
    if shape == "disk":
        truth = kt.disk_line_spread(2.4)
    else:  # a one-sided, motion-like blur whose centroid is one pixel right of its middle tap
        truth = np.r_[np.zeros(8), 0.5, 0.25, 0.1, 0.05, 0.1, np.zeros(4)]
    line, start, width = synthetic_line(truth, 0.3)
    blur = kt.measure_line_blur(line, CODE, start + 1.0, start + 95 * width - 0.8)  # ends a pixel off
    taps = np.arange(-8, 9)
    centroid = taps @ truth
    moved = np.roll(truth, -round(centroid))  # the truth, centred as the measurement centres it
    assert abs(blur.ink_spread - 0.3) < 0.03, blur.ink_spread
    assert abs(blur.module_width - width) < 0.01, blur.module_width
    assert abs(blur.start - (start + centroid)) < 0.1, (blur.start, start + centroid)
    assert abs(taps @ blur.kernel) < 0.02 and blur.kernel.sum() == pytest.approx(1.0)
    assert np.max(np.abs(blur.kernel - moved)) < 0.03, np.round(blur.kernel - moved, 3)
    assert blur.rms_residual < 0.8 < 2 < blur.rms_nominal  # near the noise (0.5); nominal bars do not fit


def test_line_fit_rms_prefers_the_true_shape():
    truth = kt.disk_line_spread(2.4)
    line, start, width = synthetic_line(truth, 0.0)
    blur = kt.measure_line_blur(line, CODE, start, start + 95 * width)
    gaussian = np.exp(-0.5 * (np.arange(-8, 9) / np.sqrt(truth @ np.arange(-8, 9) ** 2)) ** 2)
    assert kt.line_fit_rms(line, CODE, blur, truth) < 0.6 < kt.line_fit_rms(line, CODE, blur, gaussian / gaussian.sum())


def test_a_real_line_prints_wide_bars_and_blurs_like_a_gaussian_more_than_a_disk():
    """ean13-2/01, the line notebook 09 measures: bars about 0.2 module wider than nominal, a blur
    that a Gaussian describes better than the disk of a defocused lens."""
    photo = photos.as_photo(PHOTOS / "ean13-2" / "01.png")
    line, _, _ = photos.scan_line(photo, 0.0, -27.0)
    first, last = min((a, b) for code, a, b in photos.read_line(photos.deconvolved(line, 2.0)) if code == CODE)
    blur = kt.measure_line_blur(line, CODE, first, last)
    assert 0.1 < blur.ink_spread < 0.4 and 2.9 < blur.module_width < 3.1, blur
    assert blur.rms_residual < 0.6 * blur.rms_nominal, blur
    taps = np.arange(-8, 9)
    sigma = np.sqrt(taps**2 @ blur.kernel)
    gaussian = np.exp(-0.5 * (taps / sigma) ** 2)
    disk = kt.disk_line_spread(np.sqrt(4 * sigma**2))  # a disk's line spread has variance r^2 / 4
    assert kt.line_fit_rms(line, CODE, blur, gaussian / gaussian.sum()) < kt.line_fit_rms(line, CODE, blur, disk)
    read = {code for code, _, _ in photos.read_line(photos.deconvolved_by(line, blur.kernel))}
    assert read == {CODE}, read


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"first": 50.0, "last": 40.0}, "first < last"),
        ({"first": -1.0}, "first < last"),
        ({"first": np.nan}, "first must be finite"),
        ({"first": "abc"}, "first must be a real number"),
        ({"last": 60.0}, "fewer than 1 a module"),
        ({"code": "9780804816633"}, "check digit"),
        ({"radius": 0}, "radius"),
        ({"line": np.ones((3, 300))}, "line"),
    ],
)
def test_bad_input_names_the_argument(kwargs, match):
    line, start, width = synthetic_line(kt.disk_line_spread(2.0), 0.0)
    arguments = {"line": line, "code": CODE, "first": start, "last": start + 95 * width} | kwargs
    error = TypeError if "real number" in match else ValueError
    with pytest.raises(error, match=match):
        positional = [arguments.pop(name) for name in ("line", "code", "first", "last")]
        kt.measure_line_blur(*positional, **arguments)


def test_the_ink_spread_is_refined_between_grid_points():
    """0.33 module lies between the grid's 0.30 and 0.35: the parabola through the residuals finds it."""
    line, start, width = synthetic_line(kt.disk_line_spread(2.0), 0.33, noise=0.05)
    blur = kt.measure_line_blur(line, CODE, start, start + 95 * width)
    assert abs(blur.ink_spread - 0.33) < 0.01, blur.ink_spread


@pytest.mark.parametrize("make", ["flat", "light bars", "elsewhere"])
def test_a_line_without_the_symbol_there_is_refused(make):
    """No silent kernel: a flat line, bars lighter than the paper, or ends that miss the symbol."""
    line, start, width = synthetic_line(kt.disk_line_spread(2.0), 0.0)
    first, last = start, start + 95 * width
    if make == "flat":
        line = 200 + 0.5 * np.random.default_rng(1).standard_normal(line.size)
    elif make == "light bars":
        line = 400 - line
    else:  # the ends of a symbol where the line is blank paper
        line = np.r_[200 + 0.5 * np.random.default_rng(2).standard_normal(400), line]
        first, last = 20.0, 20.0 + 95 * width
    with pytest.raises(ValueError, match="not darker than its paper"):
        kt.measure_line_blur(line, CODE, first, last)


def test_line_fit_rms_names_its_arguments():
    line, start, width = synthetic_line(kt.disk_line_spread(2.0), 0.0)
    blur = kt.measure_line_blur(line, CODE, start, start + 95 * width)
    with pytest.raises(TypeError, match="blur must be a LineBlur"):
        kt.line_fit_rms(line, CODE, (start, width), kt.disk_line_spread(2.0))
    with pytest.raises(ValueError, match="blur.start"):
        kt.line_fit_rms(line[:200], CODE, blur, kt.disk_line_spread(2.0))
    with pytest.raises(ValueError, match="odd number"):
        kt.line_fit_rms(line, CODE, blur, np.ones(4) / 4)


def test_deconvolved_by_checks_its_kernel_and_line():
    line = np.linspace(0, 1, 100)
    with pytest.raises(ValueError, match="odd number"):
        photos.deconvolved_by(line, np.ones(4) / 4)
    with pytest.raises(ValueError, match="kernel is all zeros"):
        photos.deconvolved_by(line, np.zeros(5))
    with pytest.raises(ValueError, match="line"):
        photos.deconvolved_by(np.ones((2, 50)), np.ones(3) / 3)
    np.testing.assert_allclose(photos.deconvolved_by(line, dl.gaussian_kernel(1.5)), photos.deconvolved(line, 1.5))


def test_bad_geometry_and_radius_are_refused():
    with pytest.raises(ValueError, match="module_width"):
        kt.bar_coverage(100, CODE, 0.0, 0.0)
    with pytest.raises(ValueError, match="ink_spread"):
        kt.bar_coverage(100, CODE, 0.0, 1.0, 1.5)
    with pytest.raises(ValueError, match="radius"):
        kt.disk_line_spread(-1.0)
    with pytest.raises(ValueError, match="half_width"):
        kt.disk_line_spread(9.0)
