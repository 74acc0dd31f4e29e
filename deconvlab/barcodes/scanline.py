"""Scanlines of EAN-13 symbols: a clean one (:func:`ean13_scanline`) and a measured one
(:func:`barcode_scanline`: any module width, Gaussian and motion blur, tilted light, gain, offset, noise).
"""

import numpy as np

from .._checks import as_count, as_number
from ..operators import convolve
from ..signals import gaussian_kernel
from .symbology import QUIET_LEFT, ean13_modules


def ean13_scanline(code, samples_per_module=4, quiet_modules=QUIET_LEFT):
    """A clean scanline of the symbol: 1 where the paper is light, 0 on a bar, ``samples_per_module``
    samples per module, with ``quiet_modules`` light modules on each side.

    Parameters
    ----------
    code : str
        12 or 13 digits (see :func:`ean13_modules`).
    samples_per_module : int
        Samples per module, >= 1.
    quiet_modules : int
        Light modules on each side, >= 0 (the standard asks for 11 on the left, 7 on the right).

    Returns
    -------
    ndarray
        ``(95 + 2 quiet_modules) samples_per_module`` samples, 0.0 or 1.0.

    Examples
    --------
    >>> line = ean13_scanline("400638133393", samples_per_module=2, quiet_modules=1)
    >>> line.size, line[:6].tolist()    # quiet module, then the start guard's bar and space
    (194, [1.0, 1.0, 0.0, 0.0, 1.0, 1.0])
    """
    samples_per_module = as_count(samples_per_module, "samples_per_module")
    quiet_modules = as_count(quiet_modules, "quiet_modules", minimum=0)
    modules = np.r_[np.zeros(quiet_modules, dtype=int), ean13_modules(code), np.zeros(quiet_modules, dtype=int)]
    return np.repeat(1.0 - modules, samples_per_module)


def _module_pattern(code, samples_per_module, quiet_modules, phase):
    """The light fraction of each sample (1 = light) for a possibly fractional module width: each
    sample integrates the 0/1 pattern over its own width, so the edges are exact areas."""
    modules = np.r_[np.zeros(quiet_modules, dtype=int), ean13_modules(code), np.zeros(quiet_modules, dtype=int)]
    light = 1.0 - modules.astype(float)
    length = int(np.ceil(modules.size * samples_per_module))
    edges = (np.arange(length + 1) + phase) / samples_per_module  # sample boundaries, in modules
    cumulative = np.r_[0.0, np.cumsum(light)]  # light area up to each module boundary

    def area(position):  # light area from module 0 to position (in modules); light paper beyond the end
        inside = np.clip(position, 0.0, modules.size)
        whole = np.floor(inside).astype(int)
        partial = inside - whole
        return cumulative[whole] + partial * light[np.minimum(whole, modules.size - 1)] + (position - inside)

    return (area(edges[1:]) - area(edges[:-1])) * samples_per_module


def _motion_kernel(length):
    """A centred box blur ``length`` samples long (any length > 0) for a signal of sample averages:
    ``k_m = (1/L) integral of tri(x) from m - L/2 to m + L/2``, ``tri`` the unit triangle (1 - |x|
    on [-1, 1]). It is what a piecewise-constant signal convolved with the box and averaged over
    each sample gives, so a box shorter than a sample still blurs and none shifts the signal."""

    def tri_integral(x):  # integral of tri from -1 to x
        x = np.clip(x, -1.0, 1.0)
        return np.where(x < 0, (x + 1) ** 2 / 2, 1 - (1 - x) ** 2 / 2)

    offsets = np.arange(-int(np.ceil(length / 2)) - 1, int(np.ceil(length / 2)) + 2)
    return (tri_integral(offsets + length / 2) - tri_integral(offsets - length / 2)) / length


def barcode_scanline(
    code,
    *,
    samples_per_module=4.0,
    blur=0.0,
    motion=0.0,
    tilt=0.0,
    gain=1.0,
    offset=0.0,
    noise=0.0,
    quiet_modules=15,
    phase=0.0,
    rng=None,
):
    """A measured scanline of an EAN-13 symbol: the light pattern (1 = light) at a module width of
    ``samples_per_module`` samples (any value >= 1, not only whole numbers), blurred, lit unevenly,
    scaled and noisy:

        y = offset + gain (1 + tilt u) (k * pattern) + noise gain e,

    ``k`` a Gaussian of standard deviation ``blur`` module widths, convolved with a box (motion blur)
    of ``motion`` module widths; ``u`` runs from -1 to 1 along the line; ``e`` white, unit variance.

    Parameters
    ----------
    code : str
        12 or 13 digits (see :func:`ean13_modules`).
    samples_per_module : float
        Module width in samples, >= 1.
    blur : float
        Gaussian blur, standard deviation in module widths, >= 0.
    motion : float
        Length of a box (motion) blur on top of it, in module widths, >= 0.
    tilt : float
        Illumination falling linearly from ``1 + tilt`` to ``1 - tilt`` along the line, |tilt| < 1.
    gain, offset : float
        The light level is ``offset + gain``, a bar's ``offset`` (gain > 0).
    noise : float
        Noise standard deviation as a fraction of the gain, >= 0.
    quiet_modules : int
        Light modules on each side, >= 0.
    phase : float
        Where the first sample starts inside the first module, in samples, 0 <= phase < 1.
    rng : int or numpy.random.Generator, optional
        The noise's seed or generator.

    Returns
    -------
    ndarray
        ``ceil((95 + 2 quiet_modules) samples_per_module)`` samples.

    Examples
    --------
    >>> y = barcode_scanline("400638133393", samples_per_module=3.5, blur=0.5, noise=0.02, rng=0)
    >>> y.size
    438
    """

    samples_per_module = as_number(samples_per_module, "samples_per_module", minimum=1.0)
    blur = as_number(blur, "blur", minimum=0.0)
    motion = as_number(motion, "motion", minimum=0.0)
    tilt = as_number(tilt, "tilt")
    if abs(tilt) >= 1:
        raise ValueError(f"tilt must be in (-1, 1); got {tilt}")
    gain = as_number(gain, "gain", strictly_positive=True)
    offset = as_number(offset, "offset")
    noise = as_number(noise, "noise", minimum=0.0)
    quiet_modules = as_count(quiet_modules, "quiet_modules", minimum=0)
    phase = as_number(phase, "phase", minimum=0.0)
    if phase >= 1:
        raise ValueError(f"phase must be in [0, 1); got {phase}")
    line = _module_pattern(code, samples_per_module, quiet_modules, phase)
    kernel = np.ones(1)
    if blur > 0:
        kernel = gaussian_kernel(blur * samples_per_module)
    if motion > 0:
        kernel = np.convolve(kernel, _motion_kernel(motion * samples_per_module))
    pad = kernel.size  # the quiet zones continue as light paper beyond the line
    padded = np.r_[np.ones(pad), line, np.ones(pad)]
    blurred = convolve(padded, kernel, "same")[pad:-pad] if kernel.size > 1 else line
    u = np.linspace(-1.0, 1.0, line.size)
    measured = offset + gain * (1.0 + tilt * u) * blurred
    if noise > 0:
        measured = measured + noise * gain * np.random.default_rng(rng).standard_normal(line.size)
    return measured
