"""The blur of a real scan line, measured on a symbol whose code is known.

An optical blur is measured on a known target: ISO 12233 photographs a slanted edge, takes its
profile (the edge spread function) and differentiates it. A bar code whose digits are known is a
richer target: some 30 bars and as many spaces of known widths. With the code known, the line is
linear in the blur kernel:

    y[i] = o(t_i) + sum_j (a[j] + b[j] t_i) d[i - j] + noise,

with ``d[i]`` the fraction of pixel ``i`` that the bars cover (exact, from the module pattern, the
symbol's start, its module width and the ink spread), ``o`` a quadratic in the position ``t`` in
[-1, 1] across the part of the line fitted (the light on the paper), and ``a + b t`` the bars'
blur kernel times their contrast, which may tilt along the line (and with it the kernel, a little).
For a fixed geometry the 2 (2 radius + 1) coefficients are found by linear least squares, with no
assumption about the kernel's shape, and the kernel is ``k = a / sum(a)``; the geometry (module
width and ink spread) is the one that leaves the smallest residual. With a kernel shape given
(:func:`line_fit_rms`), the model is ``o(t_i) + (g0 + g1 t_i) (k * d)[i]``: one shape, its contrast
tilted.

The measurement uses the code, which a reader does not know: it tells what the blur of a camera
*is* (for a lesson, or to choose a reader's family of kernels), not how to read an unknown code.
"""

from typing import NamedTuple

import numpy as np

from .._checks import as_count, as_number, as_signal
from .symbology import SYMBOL_MODULES, ean13_modules

#: Half-width of the measured kernel, in pixels (2 * KERNEL_RADIUS + 1 taps).
KERNEL_RADIUS = 8
#: Ink spreads tried (modules by which every bar is wider than nominal; negative: narrower).
INK_SPREADS = np.round(np.arange(-0.2, 0.61, 0.05), 2)
#: Module widths tried, as factors of the width between the symbol's ends.
WIDTH_FACTORS = np.round(np.arange(0.99, 1.0101, 0.0025), 4)
#: Modules of paper on either side of the symbol that the fit includes (the quiet zone).
FIT_MARGIN_MODULES = 6


class LineBlur(NamedTuple):
    """A line's blur measured on a known code (:func:`measure_line_blur`)."""

    kernel: np.ndarray  #: ``2 * radius + 1`` taps summing to 1, their centroid on the middle tap
    start: float  #: where the symbol's first module begins on the line (pixels)
    module_width: float  #: pixels a module
    ink_spread: float  #: modules by which each bar is wider than nominal (refined between grid points)
    rms_residual: float  #: root mean square residual of the free fit (the line's units)
    rms_nominal: float  #: the same with bars of their nominal width (no ink spread)


def bar_coverage(n, code, start, module_width, ink_spread=0.0):
    """Fraction of each of ``n`` pixels that the bars of ``code`` cover, exactly.

    Pixel ``i`` spans ``[i - 1/2, i + 1/2]``; module ``m`` spans ``start + module_width * [m, m + 1]``,
    and every bar is widened by ``ink_spread`` modules (half on each side):

        d[i] = sum over bars [a, b] of max(0, min(b, i + 1/2) - max(a, i - 1/2)).

    Parameters
    ----------
    n : int
        Number of pixels.
    code : str
        12 or 13 digits of an EAN-13 symbol (:func:`deconvlab.ean13_modules`).
    start, module_width : float
        The first module's left edge (pixels) and the width of a module (pixels, > 0).
    ink_spread : float
        Modules added to each bar's width, in (-1, 1).

    Returns
    -------
    numpy.ndarray
        ``n`` values in [0, 1].
    """
    n = as_count(n, "n")
    start = as_number(start, "start")
    module_width = as_number(module_width, "module_width", strictly_positive=True)
    ink_spread = as_number(ink_spread, "ink_spread")
    if not -1 < ink_spread < 1:
        raise ValueError(f"ink_spread must be between -1 and 1 modules, got {ink_spread}")
    bars = np.asarray(ean13_modules(code), int)
    edges = np.flatnonzero(np.diff(np.r_[0, bars, 0])).reshape(-1, 2)  # [first, end) modules of each bar
    left = start + module_width * (edges[:, 0] - ink_spread / 2)
    right = start + module_width * (edges[:, 1] + ink_spread / 2)
    pixel = np.arange(n)[:, None]
    overlap = np.minimum(right, pixel + 0.5) - np.maximum(left, pixel - 0.5)
    return np.clip(overlap, 0.0, None).sum(axis=1)


def disk_line_spread(radius, half_width=KERNEL_RADIUS):
    """The line spread of a uniform disk of ``radius`` pixels (a defocused lens), pixel-integrated.

    A disk's profile across a line is ``sqrt(r^2 - x^2)`` (a semicircle); its integral is
    ``F(x) = (x sqrt(r^2 - x^2) + r^2 arcsin(x / r)) / 2``, so tap ``j`` is
    ``F(j + 1/2) - F(j - 1/2)`` (``x`` clipped to ``[-r, r]``), normalised to sum to 1.

    Returns ``2 * half_width + 1`` taps, centred.
    """
    radius = float(radius)
    if not (np.isfinite(radius) and radius > 0):
        raise ValueError(f"radius must be a positive number, got {radius}")
    half_width = as_count(half_width, "half_width")
    if radius > half_width + 0.5:
        raise ValueError(f"radius {radius} does not fit in {2 * half_width + 1} taps; raise half_width")

    def integral(x):
        x = np.clip(x, -radius, radius)
        return 0.5 * (x * np.sqrt(np.maximum(radius**2 - x**2, 0.0)) + radius**2 * np.arcsin(x / radius))

    taps = np.arange(-half_width, half_width + 1)
    kernel = integral(taps + 0.5) - integral(taps - 0.5)
    return kernel / kernel.sum()


def _light_and_bars(n, blurred):
    """Columns of the line's model: the light ``1, t, t^2`` and the contrast ``(1, t) * blurred``."""
    t = np.linspace(-1.0, 1.0, n)[:, None]
    blurred = blurred.reshape(n, -1)
    return np.hstack([np.ones((n, 1)), t, t**2, blurred, t * blurred])


def _fit(y, code, start, module_width, ink_spread, kernel, radius):
    """Least-squares fit of the line: ``(rms residual, taps)``. With ``kernel`` None the taps are the
    fitted ``a`` of the module docstring (the kernel times minus the bars' contrast), else ``kernel``."""
    n = y.size
    coverage = bar_coverage(n + 2 * radius, code, start + radius, module_width, ink_spread)
    if kernel is None:
        shifted = np.column_stack([coverage[radius - j : radius - j + n] for j in range(-radius, radius + 1)])
    else:
        shifted = np.convolve(coverage, kernel, mode="same")[radius : radius + n]
    design = _light_and_bars(n, shifted)
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coefficients
    rms = float(np.sqrt(np.mean(residual**2)))
    if kernel is not None:
        return rms, kernel
    return rms, coefficients[3 : 3 + 2 * radius + 1]


#: The bars' fitted contrast must exceed this share of the line's range, and ...
MIN_CONTRAST_SHARE = 0.05
#: ... this many times the fit's rms residual: otherwise there is no symbol of this code there.
MIN_CONTRAST_TO_RESIDUAL = 5.0


def _as_kernel(taps, line, rms):
    """The fitted ``a`` as a kernel ``a / sum(a)``, or a ValueError when the bars are not darker than
    the paper there: ``-sum(a)``, the bars' contrast, must exceed ``MIN_CONTRAST_SHARE`` of the line's
    range and ``MIN_CONTRAST_TO_RESIDUAL`` times the fit's rms residual."""
    contrast, extent = -float(taps.sum()), float(np.ptp(line))
    if not contrast > max(MIN_CONTRAST_SHARE * extent, MIN_CONTRAST_TO_RESIDUAL * rms):
        raise ValueError(
            f"line: between first and last its bars are not darker than its paper by a visible contrast "
            f"({contrast:.3g}; the line's range {extent:.3g}, the fit's rms residual {rms:.3g}): "
            f"not the symbol of this code there"
        )
    return taps / taps.sum()


def _window(line, first, last):
    """The samples the fit uses: the symbol and ``FIT_MARGIN_MODULES`` of paper on each side."""
    margin = FIT_MARGIN_MODULES * (last - first) / SYMBOL_MODULES
    low, high = max(0, int(np.floor(first - margin))), min(line.size, int(np.ceil(last + margin)) + 1)
    return line[low:high], low


def _check_ends(line, first, last, names=("first", "last")):
    first, last = as_number(first, names[0]), as_number(last, names[1])
    if not 0 <= first < last <= line.size - 1:
        raise ValueError(
            f"{names[0]} and {names[1]} must be sample positions on the line ({line.size} samples) with "
            f"{names[0]} < {names[1]}, got {first}, {last}"
        )
    if (last - first) / SYMBOL_MODULES < 1.0:
        raise ValueError(f"{names[0]} and {names[1]} are {last - first:.1f} samples apart: fewer than 1 a module")
    return first, last


def measure_line_blur(line, code, first, last, *, radius=KERNEL_RADIUS):
    """Measure the blur kernel and ink spread of a scan line whose code is known.

    Fits the model of the module docstring for every module width ``w`` in
    ``WIDTH_FACTORS * (last - first) / 95`` and ink spread in ``INK_SPREADS``, with a free kernel
    of ``2 * radius + 1`` taps (and their tilt along the line), on the symbol and
    ``FIT_MARGIN_MODULES`` of paper on either side; keeps the pair with the smallest residual,
    refines the ink spread by a parabola through its neighbours (not at either end of the grid), and
    re-centres the symbol's start on the kernel's centroid (``start += sum(j k[j])``) and refits, so
    that the kernel it returns is centred (one pass: its centroid within a few hundredths of a pixel
    of its middle tap on the lines tested).

    Parameters
    ----------
    line : array_like
        One scan line (light = high), 1-D.
    code : str
        The symbol's 12 or 13 digits.
    first, last : float
        Where on the line the symbol's first and last modules lie, roughly (to a pixel or two:
        e.g. what zxing-cpp reports for a reading of the line, :func:`photos.read_line`).
    radius : int
        Half-width of the kernel, in pixels.

    Returns
    -------
    LineBlur

    Raises
    ------
    ValueError
        For a bad argument (named), or a line whose bars between ``first`` and ``last`` are not
        darker than its paper by a visible contrast (not this symbol there).
    """
    y = as_signal(line, "line")
    radius = as_count(radius, "radius")
    first, last = _check_ends(y, first, last)
    window, low = _window(y, first, last)
    if window.size < 4 * (2 * radius + 1) + 6:
        raise ValueError(f"the symbol spans {window.size} samples: too few for a kernel of {2 * radius + 1} taps")
    start, nominal_width = first - low, (last - first) / SYMBOL_MODULES
    fits = {
        (factor, spread): _fit(window, code, start, factor * nominal_width, spread, None, radius)[0]
        for factor in WIDTH_FACTORS
        for spread in INK_SPREADS
    }
    factor, spread = min(fits, key=fits.get)
    width = factor * nominal_width
    index = int(np.flatnonzero(INK_SPREADS == spread)[0])
    if 0 < index < INK_SPREADS.size - 1:  # the parabola through the best spread and its two neighbours
        below, at, above = (fits[factor, INK_SPREADS[i]] ** 2 for i in (index - 1, index, index + 1))
        step = INK_SPREADS[1] - INK_SPREADS[0]
        curvature = below - 2 * at + above
        if curvature > 0:
            spread = float(spread + 0.5 * step * (below - above) / curvature)
    rms, taps = _fit(window, code, start, width, spread, None, radius)
    kernel = _as_kernel(taps, y, rms)
    start += float(np.arange(-radius, radius + 1) @ kernel)
    rms, taps = _fit(window, code, start, width, spread, None, radius)
    kernel = _as_kernel(taps, y, rms)
    rms_nominal, _ = _fit(window, code, start, width, 0.0, None, radius)
    return LineBlur(kernel, start + low, width, float(spread), rms, rms_nominal)


def line_fit_rms(line, code, blur, kernel):
    """Root mean square residual of ``line`` modelled with a given kernel shape and ``blur``'s geometry.

    The light and the tilted contrast are fitted (the module docstring's model for a given shape:
    ``o(t) + (g0 + g1 t) (kernel * d)``); ``blur`` is a :class:`LineBlur` of the same line, whose
    start, module width and ink spread are used. Comparing it across shapes (the measured kernel,
    a Gaussian, a disk) says which describes the real blur best.
    """
    y = as_signal(line, "line")
    if not isinstance(blur, LineBlur):
        raise TypeError(f"blur must be a LineBlur (measure_line_blur's result), got {type(blur).__name__}")
    kernel = as_signal(kernel, "kernel")
    if kernel.size % 2 == 0:
        raise ValueError(f"kernel must have an odd number of taps (centred), got {kernel.size}")
    radius = kernel.size // 2
    width = blur.module_width
    names = ("blur.start", "blur.start + 95 blur.module_width")
    first, last = _check_ends(y, blur.start, blur.start + SYMBOL_MODULES * width, names)
    window, low = _window(y, first, last)
    return _fit(window, code, first - low, width, blur.ink_spread, kernel, radius)[0]
