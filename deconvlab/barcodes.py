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

from ._checks import as_count

__all__ = ["ean13_check_digit", "ean13_modules", "ean13_scanline", "L_CODES", "G_CODES", "R_CODES", "PARITY"]

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
