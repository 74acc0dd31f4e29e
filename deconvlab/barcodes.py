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

from ._checks import as_count, as_flag, as_number, as_signal
from .estimation import estimate_noise_std

__all__ = [
    "ean13_check_digit",
    "ean13_modules",
    "ean13_scanline",
    "barcode_scanline",
    "decode_ean13",
    "restore_barcode",
    "read_ean13",
    "binarize_scanline",
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
    return _modules_of([digits[:12] + [check]])[0].astype(int)


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
        kernel = np.convolve(kernel, _motion_kernel(motion * samples_per_module))
    pad = kernel.size  # the quiet zones continue as light paper beyond the line
    padded = np.r_[np.ones(pad), line, np.ones(pad)]
    blurred = convolve(padded, kernel, "same")[pad:-pad] if kernel.size > 1 else line
    u = np.linspace(-1.0, 1.0, line.size)
    measured = offset + gain * (1.0 + tilt * u) * blurred
    if noise > 0:
        measured = measured + noise * gain * np.random.default_rng(rng).standard_normal(line.size)
    return measured


# ---------------------------------------------------------------------------------------------
# Reading a blurred scanline with the symbology as the prior: every candidate is a valid symbol.
# ---------------------------------------------------------------------------------------------

_L = np.array([[int(c) for c in code] for code in L_CODES], float)
_G = np.array([[int(c) for c in code] for code in G_CODES], float)
_R = np.array([[int(c) for c in code] for code in R_CODES], float)
_LEFT = np.vstack([_L, _G])  # candidates for a left digit: L0..L9, G0..G9
_GUARD_POSITIONS = np.r_[0:3, 45:50, 92:95]  # the start, centre and end guards' modules
_GUARD_BARS = np.zeros(95)
_GUARD_BARS[_GUARD_POSITIONS] = [int(c) for c in START + CENTRE + END]
_GUARD_KNOWN = np.zeros(95, bool)
_GUARD_KNOWN[_GUARD_POSITIONS] = True
#: _VALID_PREFIX[k, bits]: the first k left digits' parities (bit i set = G) start some PARITY pattern.
_VALID_PREFIX = np.zeros((7, 64), bool)
#: _FIRST_DIGIT[bits]: the first digit a full parity pattern encodes, -1 if none.
_FIRST_DIGIT = np.full(64, -1)
for _first, _pattern in enumerate(PARITY):
    _bits = sum(1 << i for i, side in enumerate(_pattern) if side == "G")
    _FIRST_DIGIT[_bits] = _first
    for _k in range(7):
        _VALID_PREFIX[_k, _bits & ((1 << _k) - 1)] = True
#: The modules of digit position 0..11 (left digits after the start guard, right after the centre).
_DIGIT_MODULES = [np.arange(3 + 7 * p, 10 + 7 * p) for p in range(6)] + [
    np.arange(50 + 7 * p, 57 + 7 * p) for p in range(6)
]
#: Accept a reading when its residual is at most this multiple of the noise's expected energy ...
ACCEPT_RESIDUAL = 1.5
#: ... and its bars are at least this many noise standard deviations darker than the paper ...
MIN_CONTRAST = 5.0
#: ... and the runner-up fits worse by at least ``MIN_MARGIN`` noise variances when the fitted blur
#: is ``MARGIN_BLURS[1]`` module widths or more, ``LIGHT_MARGIN`` when it is ``MARGIN_BLURS[0]`` or
#: less, and in between linearly: the heavier the blur, the more rivals lie close to the true code
#: and the fewer of them a search finds (calibrated by ``python benchmarks/barcodes.py margins``).
MIN_MARGIN = 15.0
LIGHT_MARGIN = 6.0
MARGIN_BLURS = (3.1, 3.4)
#: Dark modules of a typical symbol (33 to 58 over all codes; 47 is the median).
TYPICAL_BAR_MODULES = 47
#: The ridge of the relaxed fit that refines the first guess of the geometry (per sample of module
#: width, in units of the darkness's maximum squared).
RELAXED_RIDGE = 1e-3
#: Blur widths (module widths) tried on the first guess of the geometry, and the beam width used there.
BLUR_GRID = (0.5, 0.8, 1.2, 1.6, 2.0, 2.5, 3.0, 3.5)
SCAN_BEAM = 300
#: How many of the best blur widths of that scan are followed up.
CHAINS = 3
#: Relative changes of the module width (about the symbol's centre) that the search also starts from.
STRETCHES = (-0.008, 0.008)
#: Changes of the blur width the search also starts from, alone and with each stretch.
BLUR_FACTORS = (1.0, 0.9, 1.1)
#: How many of the best code's rivals (two-digit neighbours and codes found near its geometry) are
#: refitted (rivals, or a better code), and how often.
POLISH_KEEP = 6
POLISH_ROUNDS = 3
#: Geometries near the best code's at which its rivals are searched for and scored: (blur factor,
#: relative change of the module width about the symbol's centre).
RIVAL_GEOMETRIES = ((1.0, 0.0), (0.94, 0.0), (1.06, 0.0), (1.0, -0.006), (1.0, 0.006))


def required_margin(blur_modules):
    """The margin (in noise variances) by which a reading must beat every rival found, at a fitted
    blur of ``blur_modules`` module widths: ``LIGHT_MARGIN`` (6) up to ``MARGIN_BLURS[0]`` (3.1),
    ``MIN_MARGIN`` (15) from ``MARGIN_BLURS[1]`` (3.4) on, linear in between."""
    return float(np.interp(blur_modules, MARGIN_BLURS, (LIGHT_MARGIN, MIN_MARGIN)))


def _module_basis(n, start, width, sigma):
    """``B[t, j]``: the share of sample ``t`` that the bar of module ``j`` darkens, for modules of
    ``width`` samples from ``start`` and a Gaussian blur of ``sigma`` samples (each sample integrates
    over its width, which adds 1/12 to the variance): ``Phi((t - e_j)/s) - Phi((t - e_{j+1})/s)``,
    ``e_j = start + j width`` the module edges, ``s^2 = sigma^2 + 1/12``."""
    import scipy.special

    t = np.arange(n)[:, None] + 0.5
    edges = start + width * np.arange(96)[None, :]
    below_edge = scipy.special.ndtr((t - edges) / np.sqrt(sigma**2 + 1.0 / 12.0))
    return below_edge[:, :-1] - below_edge[:, 1:]


def _blurred_bars(n, start, width, sigma, modules, derivatives=False):
    """The bars ``modules`` (95 values) blurred and sampled, ``B @ modules`` of :func:`_module_basis`
    summed edge by edge: ``sum_k s_k Phi((t - e_k)/s)``, ``e_k = start + j_k width`` the module edges
    where a bar begins (``s_k = +1``) or ends (``s_k = -1``), ``s^2 = sigma^2 + 1/12``. With
    ``derivatives``: also its derivatives with respect to ``start``, ``width`` and ``sigma`` (columns),
    ``-sum_k s_k phi(z_k) (1, j_k, z_k sigma / s) / s``, ``z_k = (t - e_k)/s``."""
    import scipy.special

    steps = np.diff(np.r_[0.0, modules, 0.0])
    edges = np.flatnonzero(steps)
    spread = np.sqrt(sigma**2 + 1.0 / 12.0)
    z = (np.arange(n)[:, None] + 0.5 - start - width * edges[None, :]) / spread
    darkened = scipy.special.ndtr(z) @ steps[edges]
    if not derivatives:
        return darkened
    slopes = np.exp(-0.5 * z**2) * (steps[edges] / (spread * np.sqrt(2.0 * np.pi)))
    return darkened, -np.column_stack([slopes.sum(axis=1), slopes @ edges, (slopes * z).sum(axis=1) * (sigma / spread)])


def _levels_design(darkened, u):
    """The design of the levels' fit ``y ~ o + g (1 + tau u) (1 - darkened)``, the paper's light
    ``o + g`` under an illumination tilted by ``tau`` on top of an even offset ``o``: columns ``1``,
    ``-darkened``, ``u (1 - darkened)`` for the coefficients ``(o + g, g, g tau)`` (``g`` the bars'
    depth at the centre). The tilt scales bars and paper alike, so it costs one coefficient, not two."""
    return np.column_stack([np.ones_like(darkened), -darkened, u * (1.0 - darkened)])


def _fit_levels(y, darkened, u):
    """Least squares ``y ~ o + g (1 + tau u) (1 - darkened)`` (:func:`_levels_design`): returns the
    coefficients ``(o + g, g, g tau)`` and the residual vector."""
    X = _levels_design(darkened, u)
    coefficients = np.linalg.lstsq(X, y, rcond=None)[0]
    return coefficients, y - X @ coefficients


def _relaxed_modules(r0, Bp, ridge=1e-2):
    """Module values (guards fixed) minimising ``||r0 + Bp m||^2 + ridge ||m - 1/2||^2``, clipped to
    [0, 1]: the fill of the beam search's modules not chosen yet (a linear solve of the free
    modules' normal equations)."""
    free = np.flatnonzero(~_GUARD_KNOWN)
    columns = Bp[:, free]
    normal = columns.T @ columns + ridge * np.eye(free.size)
    modules = _GUARD_BARS.copy()
    modules[free] = np.clip(np.linalg.solve(normal, columns.T @ -(r0 + Bp @ _GUARD_BARS) + 0.5 * ridge), 0.0, 1.0)
    return modules


def _smallest(values, keep):
    """The indices of the ``keep`` smallest ``values``, smallest first, ties in index order:
    ``np.argsort(values, kind="stable")[:keep]``, with a partition (linear time) instead of a sort."""
    if keep >= values.size:
        return np.argsort(values, kind="stable")[:keep]
    if keep <= 0:
        return np.zeros(0, int)
    bound = np.partition(values, keep - 1)[keep - 1]
    below = np.flatnonzero(values < bound)
    tied = np.flatnonzero(values == bound)[: keep - below.size]
    chosen = np.r_[below, tied]
    return chosen[np.argsort(values[chosen], kind="stable")]


def _beam_search(darkness, P, fill, beam):
    """The valid codes a beam search over the 12 digits finds, best first, as (cost, code).

    The model is ``darkness ~ d P m`` (``darkness`` the paper level minus the data, ``P`` the module
    basis times the illumination's profile, ``m`` the 95 modules) with the depth ``d`` fitted to
    every candidate: its cost is ``||darkness||^2 - a^2 / q``, ``a = b.m``, ``b = P^T darkness``,
    ``q = m^T G m``, ``G = P^T P`` (``a > 0``, else ``||darkness||^2``). Digits are chosen left to
    right; the modules not chosen yet keep the values of ``fill``, so every partial cost is the cost
    of a whole symbol, and ``a``, ``q`` and ``G m`` are updated digit by digit. Left digits may be L
    or G only in prefixes of the parity patterns; at the end the parity pattern must encode a first
    digit and the check digit must hold."""
    b = P.T @ darkness
    gram = P.T @ P
    m = fill
    a, q = np.array([b @ m]), np.array([m @ gram @ m])
    v = (gram @ m)[None, :]  # gram @ (current modules), one row per beam
    digits = np.zeros((1, 0), int)
    bits = np.zeros(1, int)
    for position, modules in enumerate(_DIGIT_MODULES):
        candidates = _LEFT if position < 6 else _R
        change = candidates - m[modules]
        new_a = a[:, None] + change @ b[modules]
        new_q = (
            q[:, None]
            + 2 * v[:, modules] @ change.T
            + np.einsum("ci,ij,cj->c", change, gram[np.ix_(modules, modules)], change)
        )
        total = -np.where(new_a > 0, new_a**2 / new_q, 0.0)
        if position < 6:
            new_bits = bits[:, None] | ((np.arange(20)[None, :] >= 10).astype(int) << position)
            total = np.where(_VALID_PREFIX[position + 1][new_bits], total, np.inf)
        keep = min(beam, int(np.isfinite(total).sum()))
        order = _smallest(total.ravel(), keep)
        rows, columns = np.unravel_index(order, total.shape)
        a, q = new_a[rows, columns], new_q[rows, columns]
        v = v[rows] + change[columns] @ gram[modules, :]
        digits = np.column_stack([digits[rows], columns % 10])
        bits = new_bits[rows, columns] if position < 6 else bits[rows]
    cost = float(darkness @ darkness) - np.where(a > 0, a**2 / q, 0.0)
    first = _FIRST_DIGIT[bits]
    codes = np.column_stack([first, digits])
    valid = (first >= 0) & ((codes[:, :12] @ np.array([1, 3] * 6) + codes[:, 12]) % 10 == 0)
    order = np.argsort(cost[valid], kind="stable")
    return [(float(c), "".join(map(str, code))) for c, code in zip(cost[valid][order], codes[valid][order])]


_WEIGHTS = np.array([1, 3] * 6 + [1])  # the check sum's weights: sum(w * digits) % 10 == 0
_PARITY_G = np.array([[side == "G" for side in pattern] for pattern in PARITY])


def _modules_of(codes):
    """The 95 modules of each row of ``codes`` (an (N, 13) array of digits): :func:`ean13_modules`
    for many codes at once, without checks."""
    codes = np.asarray(codes, int)
    modules = np.tile(_GUARD_BARS, (codes.shape[0], 1))
    uses_g = _PARITY_G[codes[:, 0]]
    for position, columns in enumerate(_DIGIT_MODULES):
        digit = codes[:, 1 + position]
        if position < 6:
            modules[:, columns] = np.where(uses_g[:, position : position + 1], _G[digit], _L[digit])
        else:
            modules[:, columns] = _R[digit]
    return modules


def _neighbours(code):
    """Every valid code that differs from ``code`` in exactly two of its 13 digits (one changed digit
    always breaks the check sum; for a change ``e`` at position ``i`` one change ``f`` at position
    ``j`` restores it: ``w_i e + w_j f = 0 (mod 10)``), as a (702, 13) array of digits."""
    digits = np.array([int(c) for c in code])
    first, second = np.triu_indices(13, k=1)
    first, second, change = np.repeat(first, 9), np.repeat(second, 9), np.tile(np.arange(1, 10), first.size)
    inverse_weight = np.where(_WEIGHTS[second] == 3, 7, 1)  # 3 * 7 = 21 = 1 (mod 10)
    other_change = (-_WEIGHTS[first] * change * inverse_weight) % 10
    codes = np.tile(digits, (first.size, 1))
    rows = np.arange(first.size)
    codes[rows, first] = (codes[rows, first] + change) % 10
    codes[rows, second] = (codes[rows, second] + other_change) % 10
    return codes


def _paper_level(y, u, samples=20):
    """The light level ``c0 + c1 u`` of the paper, fitted to the first and last ``samples`` samples
    (the quiet zones)."""
    ends = np.r_[np.arange(samples), np.arange(y.size - samples, y.size)]
    return np.linalg.lstsq(np.column_stack([np.ones(ends.size), u[ends]]), y[ends], rcond=None)[0]


def _symbol_extent(darkness):
    """First guess of the symbol's start and module width: a blurred box ``A (Phi((t - a)/s) -
    Phi((t - b)/s))`` fitted to the darkness, ``width = (b - a) / 95``."""
    import scipy.optimize
    import scipy.special

    t = np.arange(darkness.size) + 0.5
    above = np.flatnonzero(darkness > 0.3 * darkness.max())
    first, last = float(above[0]), float(above[-1] + 1)

    def misfit(params):
        height, a, b, spread = params
        return height * (scipy.special.ndtr((t - a) / spread) - scipy.special.ndtr((t - b) / spread)) - darkness

    guess = [float(np.mean(darkness[int(first) : int(last)])), first, last, (last - first) / 95]
    _, a, b, _ = scipy.optimize.least_squares(misfit, guess).x
    if not (np.isfinite(a) and np.isfinite(b) and 0.7 < (b - a) / (last - first) < 1.3):
        a, b = first, last  # the box fit went astray (a very uneven symbol): keep the threshold's guess
    return a, (b - a) / 95


class _Fit:
    """Light level, tilt and geometry of one reading attempt, and the best code it found."""

    def __init__(self, y, sigma=None):
        self.y = y
        self.sigma = sigma  # the blur in samples when it is known; None: fitted
        self.u = np.linspace(-1.0, 1.0, y.size)
        c0, c1 = _paper_level(y, self.u)
        self.darkness = c0 + c1 * self.u - y
        self.profile = 1.0 + (c1 / c0 if c0 > 0 else 0.0) * self.u  # the illumination, relative

    def relaxed_geometry(self, start, width):
        """Start, width and blur at which the guards (known modules) and the other 84 modules, each
        free to take any value, explain the darkness best: least squares over (start, width, sigma)
        of ``||darkness - d P g - P_free v||^2 + r ||v||^2`` with the depth ``d`` and the free
        modules' darkness ``v`` solved linearly inside (``g`` the guard bars, ``r = RELAXED_RIDGE
        width max(darkness)^2``). The guards next to the quiet zones pin the symbol's ends, where a
        blurred box fitted to the darkness is pulled by the bars' uneven density. Returns the first
        guess unchanged (and a blur of 1.5 modules) when the fit goes astray."""
        import scipy.optimize

        free = np.flatnonzero(~_GUARD_KNOWN)
        ridge = np.sqrt(RELAXED_RIDGE * width) * max(float(np.max(self.darkness)), 1e-12) * np.eye(free.size + 1)[1:]
        target = np.r_[self.darkness, np.zeros(free.size)]

        def residual(params):
            P = self.profile[:, None] * _module_basis(self.y.size, params[0], params[1], abs(params[2]))
            design = np.vstack([np.column_stack([P @ _GUARD_BARS, P[:, free]]), ridge])
            return target - design @ np.linalg.lstsq(design, target, rcond=None)[0]

        guess = [start, width, 1.5 * width]
        new_start, new_width, sigma = scipy.optimize.least_squares(residual, guess, x_scale=[1.0, 0.01 * width, 1.0]).x
        if not (np.isfinite(new_start) and 0.8 < new_width / width < 1.25):
            return start, width, 1.5 * width
        return new_start, new_width, abs(sigma)

    def search(self, start, width, sigma, code=None, beam=1000):
        """Best valid code for this geometry (``code``: the fill for modules not chosen yet; else
        the relaxed modules at the depth the darkness's area suggests), with its residual energy
        after fitting the levels, and the runner-up's cost margin."""
        B = _module_basis(self.y.size, start, width, sigma)
        P = self.profile[:, None] * B
        if code is None:
            depth = max(float(np.sum(self.darkness)), 1e-12) / (width * TYPICAL_BAR_MODULES)
            fill = _relaxed_modules(-self.darkness, depth * P)
        else:
            fill = ean13_modules(code).astype(float)
        found = _beam_search(self.darkness, P, fill, beam)
        if not found:
            return None, np.inf, 0.0
        margin = found[1][0] - found[0][0] if len(found) > 1 else np.inf
        residual = _fit_levels(self.y, B @ ean13_modules(found[0][1]), self.u)[1]
        return found[0][1], float(residual @ residual), margin

    def refine(self, code, start, width, sigma):
        """Start, width and blur that fit ``code`` best: least squares over them of the residual
        after fitting the levels (variable projection), with Kaufman's Jacobian ``(I - Q Q^T) g (1 +
        tau u) dD/dtheta`` (``Q`` an orthonormal basis of the levels' design (:func:`_levels_design`),
        ``D`` the blurred bars)."""
        import scipy.optimize

        modules = ean13_modules(code).astype(float)
        free_blur = self.sigma is None

        last = {}

        def parts(params):  # the residual and the Jacobian are asked for at the same point: computed once
            key = tuple(params)
            if last.get("key") != key:
                last.update(key=key, value=fitted_parts(params))
            return last["value"]

        def fitted_parts(params):
            blur = abs(params[2]) if free_blur else self.sigma
            darkened, slopes = _blurred_bars(self.y.size, params[0], params[1], blur, modules, derivatives=True)
            X = _levels_design(darkened, self.u)
            Q, R = np.linalg.qr(X)
            coefficients = np.linalg.lstsq(R, Q.T @ self.y, rcond=None)[0]
            return X, Q, coefficients, slopes

        def residual(params):
            X, _, coefficients, _ = parts(params)
            return self.y - X @ coefficients

        def jacobian(params):
            _, Q, coefficients, slopes = parts(params)
            if free_blur:
                slopes = slopes * np.r_[1.0, 1.0, -1.0 if params[2] < 0 else 1.0]
            else:
                slopes = slopes[:, :2]
            J = (coefficients[1] + coefficients[2] * self.u)[:, None] * slopes
            return J - Q @ (Q.T @ J)

        params = [start, width, sigma] if free_blur else [start, width]
        params = scipy.optimize.least_squares(
            residual, params, jac=jacobian, x_scale=[1.0, 0.01 * width, 1.0][: len(params)]
        ).x
        r = residual(params)
        return params[0], params[1], abs(params[2]) if free_blur else self.sigma, float(r @ r)

    def polish(self, code, start, width, sigma, keep=POLISH_KEEP):
        """The ``keep`` codes other than ``code`` that fit best near this geometry, each with its
        geometry refined: a list of (residual energy, code, start, width, sigma, margin unknown =
        inf). The candidates are every valid code two digits from ``code`` and every valid code a beam
        search (1000 kept) finds at the geometries ``RIVAL_GEOMETRIES`` (the blur 6 % narrower and
        wider, the modules 0.6 % narrower and wider about the centre); each is scored by its best
        cost over those geometries (depth fitted as in the beam search). They are the rivals the
        searches miss when the geometry they searched at suits ``code`` better than the rival (a
        better code, or the closest rivals the margin must beat)."""
        geometries = [(blur, stretch) for blur, stretch in RIVAL_GEOMETRIES if self.sigma is None or blur == 1.0]
        centre = start + 47.5 * width
        bases = [
            self.profile[:, None]
            * _module_basis(self.y.size, centre - 47.5 * (1 + stretch) * width, (1 + stretch) * width, blur * sigma)
            for blur, stretch in geometries
        ]
        fill = ean13_modules(code).astype(float)
        found = [rival for P in bases for _, rival in _beam_search(self.darkness, P, fill, 1000)]
        found = np.array([[int(c) for c in rival] for rival in found], int).reshape(-1, 13)
        candidates = np.unique(np.vstack([_neighbours(code), found]), axis=0)
        candidates = candidates[np.any(candidates != np.array([int(c) for c in code]), axis=1)]
        modules = _modules_of(candidates)
        fit_gain = np.zeros(len(candidates))
        for P in bases:
            a, q = modules @ (P.T @ self.darkness), np.einsum("ij,ij->i", modules @ (P.T @ P), modules)
            fit_gain = np.maximum(fit_gain, np.where(a > 0, a**2 / q, 0.0))
        rivals = []
        for row in np.argsort(-fit_gain, kind="stable")[:keep]:
            rival = "".join(map(str, candidates[row]))
            new_start, new_width, new_sigma, rss = self.refine(rival, start, width, sigma)
            rivals.append((rss, rival, new_start, new_width, new_sigma, np.inf))
        return rivals

    def chain(self, start, width, sigma, code=None, rounds=4):
        """Alternate: refine the geometry for the code, search again there; stop when the code stays.
        Returns the best (residual energy, code, start, width, sigma, margin) seen."""
        margin = 0.0
        if code is None:
            code, rss, margin = self.search(start, width, sigma)
        else:
            rss = np.inf
        best = (rss, code, start, width, sigma, margin)
        for _ in range(rounds):
            if code is None or width < 1.0:  # under a sample a module: the refinement went astray
                break
            start, width, sigma, _ = self.refine(code, start, width, sigma)
            new_code, rss, margin = self.search(start, width, sigma, code=code)
            if rss < best[0]:
                best = (rss, new_code, start, width, sigma, margin)
            if new_code == code:
                break
            code = new_code
        return best


def _as_scanline(y):
    """``y`` as a 1-D float array long enough to hold a symbol (2 samples a module) and not constant."""
    y = as_signal(y, "y")
    if y.size < 2 * 95:
        raise ValueError(f"y has {y.size} samples: a symbol of 95 modules needs at least {2 * 95} (2 a module)")
    if np.ptp(y) <= 1e-12 * max(1.0, float(np.max(np.abs(y)))):
        raise ValueError("y is constant: there are no bars to read")
    return y


def _blind_attempts(fit):
    """Every (residual energy, code, start, width, sigma, margin) the blind search ends on: chains
    from the best blurs of a scan at the first geometry, then from the best geometry moved by 0.6
    module either way, and from it stretched by 0.8 % either way about its centre (its ends move by
    0.4 module) or not, with its blur 10 % narrower, wider or unchanged (8 starts)."""
    start, width, _ = fit.relaxed_geometry(*_symbol_extent(fit.darkness))
    scanned = sorted(
        (fit.search(start, width, factor * width, beam=SCAN_BEAM)[:2] + (factor * width,) for factor in BLUR_GRID),
        key=lambda attempt: attempt[1],
    )
    attempts = [fit.chain(start, width, sigma, code) for code, _, sigma in scanned[:CHAINS] if code is not None]
    if not attempts:
        return [(np.inf, None, start, width, width, 0.0)]
    _, _, start, width, sigma, _ = min(attempts, key=lambda attempt: attempt[0])
    attempts += [fit.chain(start + shift * width, width, sigma) for shift in (-0.6, 0.6)]
    geometries = [(start, width)] + [(start - 47.5 * stretch * width, (1 + stretch) * width) for stretch in STRETCHES]
    moves = [(new_start, new_width, factor * sigma) for new_start, new_width in geometries for factor in BLUR_FACTORS]
    return attempts + [fit.chain(*move) for move in moves[1:]]  # moves[0] is the best geometry itself


def decode_ean13(y, *, blur=None, return_info=False):
    """Read an EAN-13 symbol from a blurred, noisy scanline, using the symbology as the prior.

    Nothing about the measurement need be known: light level, tilt, depth, module width, position,
    blur width and noise are all estimated. The model is

        y(t) ~ o + g (1 + tau u(t)) (1 - (k_sigma * bars)(t)),

    ``o`` an even offset, ``g`` the light (the bars' depth), ``tau`` its tilt along the line (uneven
    light scales bars and paper alike; ``u`` runs from -1 to 1), the bars on a grid of modules
    ``width`` samples wide from ``start``, ``k_sigma`` a Gaussian. Every candidate is a valid symbol:

    1. a first geometry from a blurred box fitted to the darkness, refined by letting the known
       guards and 84 freely valued modules explain it (the guards pin the symbol's ends); for each
       blur of a grid (0.5 ... 3.5 module widths) a beam search over the 12 digits (300 kept) with
       the depth fitted to every candidate in closed form, the parity patterns and the check digit
       enforced;
    2. from the 3 best blurs, from the best geometry moved by 0.6 module either way, and from it
       stretched by 0.8 % either way or not with its blur 10 % narrower, wider or unchanged: refine
       (start, width, sigma) by least squares for the code (levels projected out, exact Jacobian),
       search again there (1000 kept), until the code stays;
    3. score every valid code two digits away from the best (702; one changed digit breaks the
       check digit) and every code a beam search finds at five geometries near the best one (blur
       6 % narrower and wider, modules 0.6 % narrower and wider) at those geometries, and refit the
       6 best: a better code (the searches had settled where the geometry suits another code), or
       the closest rivals, which the margin must beat; repeated from a better code, up to 3 times;
    4. accept the best code only if its residual energy is at most ``ACCEPT_RESIDUAL`` (1.5) times
       the noise's ``n sigma_hat^2`` (``sigma_hat`` from :func:`deconvlab.estimate_noise_std`), its
       bars are at least ``MIN_CONTRAST`` (5) ``sigma_hat`` deep (noise alone fits any code with bars
       of depth 0), and every other code found fits worse by at least ``required_margin(blur)``
       ``sigma_hat^2`` (6 up to a fitted blur of 3.1 module widths, 15 from 3.4 on): a wrong code is
       worse than none, and the heavier the blur, the closer the rivals a search does not find.

    Measured range (``make bench-barcodes``; 2 % noise, 3-5 samples a module, unknown gain and
    offset, with and without a motion blur and tilted light on top): see the README.

    Parameters
    ----------
    y : array
        The scanline (light = high), with a quiet zone of at least 5 modules at each end.
    blur : float, optional
        The Gaussian blur's standard deviation in samples, when it is known: every code the blind
        search finds is then refitted with the blur held at this value, and judged by that fit.
    return_info : bool
        Also return a dict: ``code`` (the best candidate, accepted or not), ``residual_ratio``
        (residual energy / the noise's), ``contrast`` (bar depth / ``sigma_hat``), ``margin`` (the
        runner-up's extra residual / ``sigma_hat^2``; a reading needs ``required_margin(blur)``),
        ``start`` and ``width`` (samples), ``blur`` (module widths), ``noise_std`` and ``fitted``
        (the best candidate's model of ``y``).

    Returns
    -------
    str or None, or (str or None, dict) with ``return_info=True``
        The 13 digits, or None when no valid symbol fits convincingly.

    Examples
    --------
    >>> y = barcode_scanline("400638133393", blur=0.8, noise=0.02, gain=1.5, tilt=0.1, rng=0)
    >>> decode_ean13(y)
    '4006381333931'
    """
    y = _as_scanline(y)
    return_info = as_flag(return_info, "return_info")
    if blur is not None:
        blur = as_number(blur, "blur", strictly_positive=True)
    noise = estimate_noise_std(y)
    attempts = _blind_attempts(_Fit(y))
    fit = _Fit(y, blur)
    if blur is not None:  # every code the blind search found, refitted with the blur held at its value
        for _, code, start, width, _, _ in attempts[:]:
            if code is not None:
                start, width, _, _ = fit.refine(code, start, width, blur)
                new_code, rss, margin = fit.search(start, width, blur, code=code)
                attempts.append((rss, new_code, start, width, blur, margin))
        attempts = [attempt for attempt in attempts if attempt[4] == blur]
    best = min(attempts, key=lambda attempt: attempt[0])
    for _ in range(POLISH_ROUNDS):  # the best code's neighbours: better codes, or its closest rivals
        if best[1] is None or best[3] < 1.0:
            break
        attempts += fit.polish(*best[1:5])
        new_best = min(attempts, key=lambda attempt: attempt[0])
        if new_best[1] == best[1]:
            break
        best = new_best
    rivals = [attempt[0] - best[0] for attempt in attempts if attempt[1] != best[1]]
    best = best[:5] + (min([best[5]] + rivals),)  # the margin over the runner-up, wherever it was found
    rss, code, start, width, sigma, margin = best
    expected = y.size * noise**2
    ratio = rss / expected if expected > 0 else np.inf
    contrast, fitted = 0.0, np.full(y.size, np.nan)
    if code is not None:  # the fitted bar depth, in noise standard deviations: no symbol, no depth
        levels, residual = _fit_levels(y, _module_basis(y.size, start, width, sigma) @ ean13_modules(code), fit.u)
        contrast = levels[1] / noise if noise > 0 else np.inf
        fitted = y - residual
    accepted = (
        code is not None
        and ratio <= ACCEPT_RESIDUAL
        and contrast >= MIN_CONTRAST
        and margin >= required_margin(sigma / width) * noise**2
    )
    info = {
        "residual_ratio": ratio,
        "contrast": contrast,
        "margin": margin / noise**2 if noise > 0 else np.inf,
        "start": start,
        "width": width,
        "blur": sigma / width,
        "noise_std": noise,
        "code": code,
        "fitted": fitted,
    }
    result = code if accepted else None
    return (result, info) if return_info else result


def _render(code, n, start, width):
    """``n`` samples of the symbol ``code`` (1 = light): a sample is dark when its centre lies on a
    bar of modules ``width`` samples wide starting at ``start``."""
    modules = ean13_modules(code)
    index = np.floor((np.arange(n) + 0.5 - start) / width).astype(int)
    on_symbol = (index >= 0) & (index < 95)
    line = np.ones(n)
    line[on_symbol] = 1.0 - modules[index[on_symbol]]
    return line


def read_ean13(scanline, *, rows=30):
    """What zxing-cpp, an independent and widely used bar-code reader, reads in a scanline: the
    13 digits of an EAN-13 symbol, or None.

    The scanline (light = high) becomes a grey image of ``rows`` identical rows, scaled so that
    its largest value is white (255) and zero is black.

    Parameters
    ----------
    scanline : array
        Light = high; values below 0 count as black.
    rows : int
        Height of the image, >= 1.

    Returns
    -------
    str or None
        The digits of the first valid EAN-13 symbol zxing-cpp finds, or None.

    Examples
    --------
    >>> read_ean13(ean13_scanline("400638133393", 3))
    '4006381333931'
    """
    import zxingcpp

    scanline = as_signal(scanline, "scanline")
    rows = as_count(rows, "rows")
    top = float(np.max(scanline))
    if top <= 0:
        return None
    image = np.tile(np.clip(np.rint(255 * scanline / top), 0, 255).astype(np.uint8), (rows, 1))
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.EAN13)
    found = [result.text for result in results if result.valid and result.text]
    return found[0] if found else None


def restore_barcode(y):
    """Restore a blurred scanline of an EAN-13 symbol to a clean 0/1 scanline (1 = light) of the
    same length, ready for any reader: the symbol :func:`decode_ean13` reads, drawn at the position
    and module width it fitted; or blank paper (all ones) when no symbol fits convincingly, so a
    reader finds nothing rather than a wrong code.

    Parameters
    ----------
    y : array
        The scanline (light = high); gain, offset, tilt, blur, module width and noise unknown.

    Returns
    -------
    ndarray
        ``len(y)`` values, 0.0 or 1.0.

    Examples
    --------
    >>> y = barcode_scanline("400638133393", blur=1.0, noise=0.02, rng=0)
    >>> clean = restore_barcode(y)
    >>> clean.size == y.size, sorted(set(clean.tolist()))
    (True, [0.0, 1.0])
    """
    code, info = decode_ean13(y, return_info=True)
    if code is None:
        return np.ones(np.size(y))
    return _render(code, np.size(y), info["start"], info["width"])


def binarize_scanline(y, blur, *, method="wiener", lam=None):
    """A model-free restoration for a reader, knowing only the blur: the scanline divided by the
    paper's level (fitted to the quiet zones: gain and tilt removed), deconvolved, and thresholded
    half-way between its two k-means levels (1 = light, 0 = dark).

    - ``wiener``: ``wiener(z, g, nsr, mode="same")``, ``nsr = noise_std^2 / var(z)``, the noise
      estimated by :func:`deconvlab.estimate_noise_std`;
    - ``tv``: ``tv(z, g, lam, mode="same")``, ``lam`` default ``0.05 noise_std`` (at least
      ``1e-6``): small, because on bar codes with 2 % noise larger weights merge the narrow bars
      (zxing-cpp read fewer codes at every weight from 0.03 to 0.3 noise_std as it grew).

    ``g`` is :func:`deconvlab.gaussian_kernel` (``blur``). Nothing about bar codes is used but two
    levels: the bars narrower than what the blur leaves are lost.

    Parameters
    ----------
    y : array
        The scanline (light = high), quiet zones of at least 20 samples at each end.
    blur : float
        Standard deviation of the Gaussian blur, in samples, > 0 (known or estimated, e.g. by
        :func:`deconvlab.estimate_blur`).
    method : {"wiener", "tv"}
        The restoration.
    lam : float, optional
        The TV weight (``method="tv"`` only).

    Returns
    -------
    ndarray
        ``len(y)`` values, 0.0 or 1.0.

    Examples
    --------
    >>> y = barcode_scanline("400638133393", blur=0.5, noise=0.01, rng=0)
    >>> clean = binarize_scanline(y, 2.0)
    >>> int(np.sum(clean != ean13_scanline("400638133393", 4, quiet_modules=15)))
    0
    """
    from .levels import estimate_levels
    from .signals import gaussian_kernel
    from .total_variation import tv
    from .wiener_filter import wiener

    y = _as_scanline(y)
    blur = as_number(blur, "blur", strictly_positive=True)
    if method not in ("wiener", "tv"):
        raise ValueError(f"method must be 'wiener' or 'tv'; got {method!r}")
    if lam is not None:
        lam = as_number(lam, "lam", strictly_positive=True)
    u = np.linspace(-1.0, 1.0, y.size)
    c0, c1 = _paper_level(y, u)
    paper = c0 + c1 * u
    if np.any(paper <= 0):
        raise ValueError("y: the paper (the quiet zones) must be lighter than zero; is light high?")
    z = y / paper
    g = gaussian_kernel(blur)
    if g.size > y.size:
        raise ValueError(f"blur={blur} samples needs a kernel of {g.size} samples, longer than y ({y.size})")
    noise = estimate_noise_std(z)
    if method == "wiener":
        restored = wiener(z, g, max(noise**2, 1e-12) / float(np.var(z)), mode="same")
    else:
        lam = max(0.05 * noise, 1e-6) if lam is None else lam
        restored = tv(z, g, lam, mode="same")
    low, high = estimate_levels(restored, 2)
    return (restored > 0.5 * (low + high)).astype(float)
