"""The EAN-13 symbology: the standard's code tables, guards, parity patterns and check digit.

An EAN-13 symbol is 95 **modules** (the narrowest bar or space) wide: a start guard ``101``, six
left digits of 7 modules each, a centre guard ``01010``, six right digits, an end guard ``101``
(1 = a dark bar, 0 = a light space), with a light **quiet zone** on each side. Every digit is two bars
and two spaces, each 1 to 4 modules wide. The left digits use the L (odd parity) or G (even parity)
code, in a pattern that encodes a 13th digit, the first one; the right digits use the R code. The
last digit is a check digit. The tables are those of the standard (ISO/IEC 15420).

Here are those tables, the layout as named constants (``SYMBOL_MODULES``, ``LEFT_HALF_AT``,
``CENTRE_AT``, ``RIGHT_HALF_AT``, ``END_AT``, ``DIGITS_PER_HALF``, ``MODULES_PER_DIGIT``), the check digit
and :func:`ean13_modules`; also the tables the decoder searches with (the digits' modules as arrays, the
guards' modules, which parity prefixes are valid), the modules of many codes at once, and a code's
two-digit neighbours.
"""

import numpy as np

#: Left-hand odd-parity codes of the digits 0-9 (1 = bar).
L_CODES = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
#: Left-hand even-parity codes: the R codes read backwards.
G_CODES = ("0100111", "0110011", "0011011", "0100001", "0011101", "0111001", "0000101", "0010001", "0001001", "0010111")
#: Right-hand codes: the L codes with bars and spaces swapped.
R_CODES = ("1110010", "1100110", "1101100", "1000010", "1011100", "1001110", "1010000", "1000100", "1001000", "1110100")
#: Which left digits use L and which G, for each first digit.
PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")

#: The guards' bars (1) and spaces (0): start, centre and end.
START, CENTRE, END = "101", "01010", "101"
#: The digits the check digit is computed from (the first is drawn as the left half's parities), and
#: with it the digits of a code.
DATA_DIGITS = 12
CODE_DIGITS = DATA_DIGITS + 1
#: Digits drawn in each half of the symbol (left and right of the centre guard), and modules a digit.
DIGITS_PER_HALF = 6
MODULES_PER_DIGIT = 7
#: Where the left half, the centre guard, the right half and the end guard begin, in modules from the
#: symbol's left edge (3, 45, 50, 92).
LEFT_HALF_AT = len(START)
CENTRE_AT = LEFT_HALF_AT + DIGITS_PER_HALF * MODULES_PER_DIGIT
RIGHT_HALF_AT = CENTRE_AT + len(CENTRE)
END_AT = RIGHT_HALF_AT + DIGITS_PER_HALF * MODULES_PER_DIGIT
#: Modules of a symbol, quiet zones not counted (95), and its centre (47.5 modules from its left edge).
SYMBOL_MODULES = END_AT + len(END)
SYMBOL_CENTRE = SYMBOL_MODULES / 2
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
    digits = _digits(code, (DATA_DIGITS, CODE_DIGITS))[:DATA_DIGITS]
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
    digits = _digits(code, (DATA_DIGITS, CODE_DIGITS))
    check = ean13_check_digit(code)
    if len(digits) == CODE_DIGITS and digits[DATA_DIGITS] != check:
        raise ValueError(f"code {code!r} has check digit {digits[DATA_DIGITS]}; the first 12 digits give {check}")
    return _modules_of([digits[:DATA_DIGITS] + [check]])[0].astype(int)


_L = np.array([[int(c) for c in code] for code in L_CODES], float)
_G = np.array([[int(c) for c in code] for code in G_CODES], float)
_R = np.array([[int(c) for c in code] for code in R_CODES], float)
_LEFT = np.vstack([_L, _G])  # candidates for a left digit: L0..L9, G0..G9
#: The start, centre and end guards' modules.
_GUARD_POSITIONS = np.r_[0:LEFT_HALF_AT, CENTRE_AT:RIGHT_HALF_AT, END_AT:SYMBOL_MODULES]
_GUARD_BARS = np.zeros(SYMBOL_MODULES)
_GUARD_BARS[_GUARD_POSITIONS] = [int(c) for c in START + CENTRE + END]
_GUARD_KNOWN = np.zeros(SYMBOL_MODULES, bool)
_GUARD_KNOWN[_GUARD_POSITIONS] = True
#: _VALID_PREFIX[k, bits]: the first k left digits' parities (bit i set = G) start some PARITY pattern.
_VALID_PREFIX = np.zeros((DIGITS_PER_HALF + 1, 1 << DIGITS_PER_HALF), bool)
#: _FIRST_DIGIT[bits]: the first digit a full parity pattern encodes, -1 if none.
_FIRST_DIGIT = np.full(1 << DIGITS_PER_HALF, -1)
for _first, _pattern in enumerate(PARITY):
    _bits = sum(1 << i for i, side in enumerate(_pattern) if side == "G")
    _FIRST_DIGIT[_bits] = _first
    for _k in range(DIGITS_PER_HALF + 1):
        _VALID_PREFIX[_k, _bits & ((1 << _k) - 1)] = True
#: The modules of digit position 0..11 (left digits after the start guard, right after the centre).
_DIGIT_MODULES = [
    np.arange(half + MODULES_PER_DIGIT * p, half + MODULES_PER_DIGIT * (p + 1))
    for half in (LEFT_HALF_AT, RIGHT_HALF_AT)
    for p in range(DIGITS_PER_HALF)
]

_WEIGHTS = np.array([1, 3] * (DATA_DIGITS // 2) + [1])  # the check sum's weights: sum(w * digits) % 10 == 0
_PARITY_G = np.array([[side == "G" for side in pattern] for pattern in PARITY])


def _modules_of(codes):
    """The 95 modules of each row of ``codes`` (an (N, 13) array of digits): :func:`ean13_modules`
    for many codes at once, without checks."""
    codes = np.asarray(codes, int)
    modules = np.tile(_GUARD_BARS, (codes.shape[0], 1))
    uses_g = _PARITY_G[codes[:, 0]]
    for position, columns in enumerate(_DIGIT_MODULES):
        digit = codes[:, 1 + position]
        if position < DIGITS_PER_HALF:
            modules[:, columns] = np.where(uses_g[:, position : position + 1], _G[digit], _L[digit])
        else:
            modules[:, columns] = _R[digit]
    return modules


def _neighbours(code):
    """Every valid code that differs from ``code`` in exactly two of its 13 digits (one changed digit
    always breaks the check sum; for a change ``e`` at position ``i`` one change ``f`` at position
    ``j`` restores it: ``w_i e + w_j f = 0 (mod 10)``), as a (702, 13) array of digits."""
    digits = np.array([int(c) for c in code])
    first, second = np.triu_indices(CODE_DIGITS, k=1)
    first, second, change = np.repeat(first, 9), np.repeat(second, 9), np.tile(np.arange(1, 10), first.size)
    inverse_weight = np.where(_WEIGHTS[second] == 3, 7, 1)  # 3 * 7 = 21 = 1 (mod 10)
    other_change = (-_WEIGHTS[first] * change * inverse_weight) % 10
    codes = np.tile(digits, (first.size, 1))
    rows = np.arange(first.size)
    codes[rows, first] = (codes[rows, first] + change) % 10
    codes[rows, second] = (codes[rows, second] + other_change) % 10
    return codes
