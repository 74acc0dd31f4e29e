"""EAN-13 bar codes: the symbol on every retail product, a square wave of bars and spaces.

An EAN-13 symbol is 95 **modules** (the narrowest bar or space) wide: a start guard ``101``, six
left digits of 7 modules each, a centre guard ``01010``, six right digits, an end guard ``101``
(1 = a dark bar, 0 = a light space), with a light **quiet zone** on each side. Every digit is two bars
and two spaces, each 1 to 4 modules wide. The left digits use the L (odd parity) or G (even parity)
code, in a pattern that encodes a 13th digit, the first one; the right digits use the R code. The
last digit is a check digit. The tables are those of the standard (ISO/IEC 15420).

This module writes symbols and their scanlines; the capstone notebook blurs them and reads them back.
"""

import numpy as np

from ._checks import as_count, as_number

__all__ = [
    "ean13_check_digit",
    "ean13_modules",
    "ean13_scanline",
    "barcode_scanline",
    "L_CODES",
    "G_CODES",
    "R_CODES",
    "PARITY",
]

#: Left-hand odd-parity codes of the digits 0-9 (1 = bar).
L_CODES = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
#: Left-hand even-parity codes: the R codes read backwards.
G_CODES = ("0100111", "0110011", "0011011", "0100001", "0011101", "0111001", "0000101", "0010001", "0001001", "0010111")
#: Right-hand codes: the L codes with bars and spaces swapped.
R_CODES = ("1110010", "1100110", "1101100", "1000010", "1011100", "1001110", "1010000", "1000100", "1001000", "1110100")
#: Which left digits use L and which G, for each first digit.
PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")

START, CENTRE, END = "101", "01010", "101"
#: Quiet zones of the standard, in modules: at least 11 on the left, 7 on the right.
QUIET_LEFT, QUIET_RIGHT = 11, 7


def _digits(code, lengths):
    if not isinstance(code, str) or not code.isdigit() or len(code) not in lengths:
        raise ValueError(f"code must be a string of {' or '.join(map(str, lengths))} digits; got {code!r}")
    return [int(c) for c in code]


def ean13_check_digit(code):
    """The check digit of the first 12 digits: ``(10 - (sum of odd positions + 3 sum of even)) mod 10``,
    positions counted from 1 at the left.

    Parameters
    ----------
    code : str
        12 digits (or 13: the 13th is ignored).

    Returns
    -------
    int
        The check digit.

    Examples
    --------
    >>> ean13_check_digit("400638133393")
    1
    """
    digits = _digits(code, (12, 13))[:12]
    weighted = sum(digits[0::2]) + 3 * sum(digits[1::2])
    return (10 - weighted % 10) % 10


def ean13_modules(code):
    """The 95 modules of an EAN-13 symbol (1 = bar, 0 = space), without quiet zones.

    Parameters
    ----------
    code : str
        12 digits (the check digit is appended) or 13 (the check digit must be right).

    Returns
    -------
    ndarray of int
        95 values, 0 or 1.

    Raises
    ------
    ValueError
        For anything but 12 or 13 digits, or a wrong check digit.

    Examples
    --------
    >>> modules = ean13_modules("400638133393")
    >>> modules.size, "".join(map(str, modules[:10]))    # start guard 101, then '0' in L code
    (95, '1010001101')
    """
    digits = _digits(code, (12, 13))
    check = ean13_check_digit(code)
    if len(digits) == 13 and digits[12] != check:
        raise ValueError(f"code {code!r} has check digit {digits[12]}; the first 12 digits give {check}")
    digits = digits[:12] + [check]
    parity = PARITY[digits[0]]
    left = "".join((L_CODES if side == "L" else G_CODES)[d] for side, d in zip(parity, digits[1:7]))
    right = "".join(R_CODES[d] for d in digits[7:])
    return np.array([int(c) for c in START + left + CENTRE + right + END])


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
    from .operators import convolve
    from .signals import gaussian_kernel

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
        length = motion * samples_per_module
        whole = int(np.floor(length))
        box = np.r_[np.ones(whole), length - whole] if length > whole else np.ones(whole)
        kernel = np.convolve(kernel, box / box.sum())
    pad = kernel.size  # the quiet zones continue as light paper beyond the line
    padded = np.r_[np.ones(pad), line, np.ones(pad)]
    blurred = convolve(padded, kernel, "same")[pad:-pad] if kernel.size > 1 else line
    u = np.linspace(-1.0, 1.0, line.size)
    measured = offset + gain * (1.0 + tilt * u) * blurred
    if noise > 0:
        measured = measured + noise * gain * np.random.default_rng(rng).standard_normal(line.size)
    return measured
