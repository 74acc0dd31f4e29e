"""EAN-13 bar codes: the symbol on every retail product, a square wave of bars and spaces.

An EAN-13 symbol is 95 **modules** (the narrowest bar or space) wide: a start guard ``101``, six
left digits of 7 modules each, a centre guard ``01010``, six right digits, an end guard ``101``
(1 = a dark bar, 0 = a light space), with a light **quiet zone** on each side. Every digit is two bars
and two spaces, each 1 to 4 modules wide. The left digits use the L (odd parity) or G (even parity)
code, in a pattern that encodes a 13th digit, the first one; the right digits use the R code. The
last digit is a check digit. The tables are those of the standard (ISO/IEC 15420).

This module writes symbols and their scanlines; the capstone notebook blurs them and reads them back.
"""

import itertools

import numpy as np

from ._checks import as_count, as_flag, as_number, as_signal
from .estimation import estimate_noise_std

__all__ = [
    "ean13_check_digit",
    "ean13_modules",
    "ean13_scanline",
    "barcode_scanline",
    "decode_ean13",
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


# ---------------------------------------------------------------------------------------------
# Reading a blurred scanline with the symbology as the prior: every candidate is a valid symbol.
# ---------------------------------------------------------------------------------------------

_L = np.array([[int(c) for c in code] for code in L_CODES], float)
_G = np.array([[int(c) for c in code] for code in G_CODES], float)
_R = np.array([[int(c) for c in code] for code in R_CODES], float)
_LEFT = np.vstack([_L, _G])  # candidates for a left digit: L0..L9, G0..G9
_GUARD_BARS = np.zeros(95)
_GUARD_BARS[[0, 2, 46, 48, 92, 94]] = 1.0  # the bars of the start, centre and end guards
_GUARD_KNOWN = np.zeros(95, bool)
_GUARD_KNOWN[[0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94]] = True
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
ACCEPT_RESIDUAL = 1.3
#: ... and its bars are at least this many noise standard deviations darker than the paper.
MIN_CONTRAST = 5.0


def _module_basis(n, start, width, sigma):
    """``B[t, j]``: the share of sample ``t`` that the bar of module ``j`` darkens, for modules of
    ``width`` samples from ``start`` and a Gaussian blur of ``sigma`` samples (each sample integrates
    over its width, which adds 1/12 to the variance)."""
    import scipy.special

    t = np.arange(n)[:, None] + 0.5
    left = start + width * np.arange(95)[None, :]
    spread = np.sqrt(sigma**2 + 1.0 / 12.0)
    return scipy.special.ndtr((t - left) / spread) - scipy.special.ndtr((t - left - width) / spread)


def _fit_levels(y, darkened, u):
    """Least squares ``y ~ c0 + c1 u - (d0 + d1 u) darkened``: light level and depth, both tilted.
    Returns the coefficients and the residual energy."""
    X = np.column_stack([np.ones_like(y), u, -darkened, -u * darkened])
    coefficients = np.linalg.lstsq(X, y, rcond=None)[0]
    return coefficients, float(np.sum((y - X @ coefficients) ** 2))


def _relaxed_modules(r0, Bp, ridge=1e-3):
    """Module values in [0, 1] (guards fixed) minimising ``||r0 + Bp m||^2 + ridge ||m - 1/2||^2``."""
    import scipy.optimize

    free = np.flatnonzero(~_GUARD_KNOWN)
    A = np.vstack([Bp[:, free], np.sqrt(ridge) * np.eye(free.size)])
    rhs = np.r_[-(r0 + Bp @ _GUARD_BARS), np.full(free.size, 0.5 * np.sqrt(ridge))]
    modules = _GUARD_BARS.copy()
    modules[free] = scipy.optimize.lsq_linear(A, rhs, bounds=(0.0, 1.0)).x
    return modules


def _ridge_residual(r0, Bp, ridge=1e-2):
    """Residual energy of ``r0 + Bp m`` for the module values m (guards fixed) that minimise it plus
    ``ridge ||m - 1/2||^2``: a fast, unbounded version of :func:`_relaxed_modules` for the geometry
    search (a linear solve of the free modules' normal equations)."""
    free = np.flatnonzero(~_GUARD_KNOWN)
    target = -(r0 + Bp @ _GUARD_BARS)
    columns = Bp[:, free]
    normal = columns.T @ columns + ridge * np.eye(free.size)
    m = np.linalg.solve(normal, columns.T @ target + 0.5 * ridge)
    return float(np.sum((target - columns @ m) ** 2))


def _beam_search(y, B, levels, u, fill, beam):
    """The valid codes a beam search over the 12 digits finds, best first, as (residual, code).

    The misfit of a module vector m is ``J = ||r0 + B'm||^2`` (``r0`` the data minus the light
    level, ``B'`` the basis scaled by the depth). Digits are chosen left to right; the modules not
    chosen yet keep the values of ``fill``, so every partial cost is the cost of a whole symbol.
    Left digits may be L or G only in prefixes of the parity patterns; at the end the parity
    pattern must encode a first digit and the check digit must hold."""
    c0, c1, d0, d1 = levels
    r0 = y - c0 - c1 * u
    Bp = (d0 + d1 * u)[:, None] * B
    b = Bp.T @ r0
    gram = Bp.T @ Bp
    m = _relaxed_modules(r0, Bp) if fill is None else fill
    cost = np.array([float(np.sum((r0 + Bp @ m) ** 2))])
    v = (gram @ m)[None, :]  # gram @ (current modules), one row per beam
    digits = np.zeros((1, 0), int)
    bits = np.zeros(1, int)
    for position, modules in enumerate(_DIGIT_MODULES):
        candidates = _LEFT if position < 6 else _R
        change = candidates - m[modules]
        quadratic = np.einsum("ci,ij,cj->c", change, gram[np.ix_(modules, modules)], change)
        total = cost[:, None] + 2 * change @ b[modules] + quadratic + 2 * v[:, modules] @ change.T
        if position < 6:
            new_bits = bits[:, None] | ((np.arange(20)[None, :] >= 10).astype(int) << position)
            total = np.where(_VALID_PREFIX[position + 1][new_bits], total, np.inf)
        keep = min(beam, int(np.isfinite(total).sum()))
        order = np.argsort(total, axis=None)[:keep]
        rows, columns = np.unravel_index(order, total.shape)
        cost = total[rows, columns]
        v = v[rows] + change[columns] @ gram[modules, :]
        digits = np.column_stack([digits[rows], columns % 10])
        bits = new_bits[rows, columns] if position < 6 else bits[rows]
    first = _FIRST_DIGIT[bits]
    codes = np.column_stack([first, digits])
    weights = np.array([1, 3] * 6)
    valid = (first >= 0) & ((codes[:, :12] @ weights + codes[:, 12]) % 10 == 0)
    return [(float(c), "".join(map(str, code))) for c, code in zip(cost[valid], codes[valid])]


def _paper_level(y, u, samples=20):
    """The light level ``c0 + c1 u`` of the paper, fitted to the first and last ``samples`` samples
    (the quiet zones)."""
    ends = np.r_[np.arange(samples), np.arange(y.size - samples, y.size)]
    return np.linalg.lstsq(np.column_stack([np.ones(ends.size), u[ends]]), y[ends], rcond=None)[0]


def _decode_at(y, u, start, width, sigma, depths=(0.7, 1.0), iterations=2, beam=1000):
    """Best (code, residual energy) for a given geometry and blur; light level, tilt and depth fitted."""
    B = _module_basis(y.size, start, width, sigma)
    c0, c1 = _paper_level(y, u)
    darkest = max(float(np.max(c0 + c1 * u - y)), 1e-12)
    best = (None, np.inf)
    for depth in depths:
        levels, fill = np.array([c0, c1, depth * darkest, 0.0]), None
        for _ in range(iterations):
            found = _beam_search(y, B, levels, u, fill, beam)
            if not found:
                break
            modules = ean13_modules(found[0][1]).astype(float)
            levels, rss = _fit_levels(y, B @ modules, u)
            if rss < best[1]:
                best = (found[0][1], rss)
            if levels[2] <= 0:
                break
            fill = modules
    return best


def _first_geometry(y, u, sigma_modules=(0.5, 1.5)):
    """Start and module width from where the darkness exceeds 30 % of its maximum, refined by a
    local search on a ridge fit of the modules (guards and quiet zones known), for a narrow and a
    wide blur."""
    c0, c1 = _paper_level(y, u)
    darkness = c0 + c1 * u - y
    above = np.flatnonzero(darkness > 0.3 * darkness.max())
    first, last = above[0], above[-1] + 1
    width0, centre = (last - first) / 95.0, 0.5 * (first + last)
    depth = darkness.max() / 0.8
    best = (np.inf, None, None)
    for relative, shift, blur in itertools.product(np.linspace(-0.06, 0.06, 7), np.linspace(-1, 1, 9), sigma_modules):
        width = width0 * (1 + relative)
        start = centre - 47.5 * width + shift * width
        Bp = depth * _module_basis(y.size, start, width, blur * width)
        rss = _ridge_residual(y - c0 - c1 * u, Bp)
        if rss < best[0]:
            best = (rss, start, width)
    return best[1], best[2]


def _refine_geometry(y, u, code, start, width, sigma):
    """Start, width and blur that fit ``code`` best (Nelder-Mead on the residual energy)."""
    import scipy.optimize

    modules = ean13_modules(code).astype(float)

    def misfit(params):
        s0, w, sg = params
        if w <= 0.5 or sg <= 0:
            return np.inf
        return _fit_levels(y, _module_basis(y.size, s0, w, sg) @ modules, u)[1]

    simplex = [
        [start, width, sigma],
        [start + width / 2, width, sigma],
        [start, 1.02 * width, sigma],
        [start, width, 1.3 * sigma],
    ]
    result = scipy.optimize.minimize(
        misfit,
        [start, width, sigma],
        method="Nelder-Mead",
        options={"xatol": 1e-3, "fatol": 1e-9, "maxiter": 400, "initial_simplex": simplex},
    )
    return result.x


def decode_ean13(y, *, return_info=False):
    """Read an EAN-13 symbol from a blurred, noisy scanline, using the symbology as the prior.

    Nothing about the measurement need be known: light level, tilt, depth, module width, position,
    blur width and noise are all estimated. Every candidate is a valid symbol; the one whose blurred
    model ``y ~ c(t) - d(t) (k_sigma * bars)(t)`` fits best is found by a beam search over the 12
    digits (check digit and parity patterns enforced), for a grid of blur widths, and its geometry
    refined. A reading is returned only if its residual energy is at most 1.3 times the noise's
    expected energy ``n sigma_hat^2`` (``sigma_hat`` from :func:`deconvlab.estimate_noise_std`) and
    its bars are at least 5 ``sigma_hat`` darker than the paper (noise alone fits any code with bars
    of depth 0): a wrong code is worse than none.

    Limits (see ``make bench``): with 2 % noise and 4 samples a module it reads blurs up to about
    one module width; beyond, the search often misses the best symbol and the reading is refused.

    Parameters
    ----------
    y : array
        The scanline (light = high), with a quiet zone of at least 5 modules at each end.
    return_info : bool
        Also return a dict: ``residual_ratio`` (residual energy / the noise's), ``contrast`` (bar
        depth / noise standard deviation), ``start`` and
        ``width`` (samples), ``blur`` (module widths), ``noise_std`` and, when refused, the best
        candidate as ``candidate``.

    Returns
    -------
    str or None, or (str or None, dict) with ``return_info=True``
        The 13 digits, or None when no valid symbol fits as well as the noise allows.

    Examples
    --------
    >>> y = barcode_scanline("400638133393", blur=0.8, noise=0.02, gain=1.5, tilt=0.1, rng=0)
    >>> decode_ean13(y)
    '4006381333931'
    """
    y = as_signal(y, "y")
    return_info = as_flag(return_info, "return_info")
    if y.size < 2 * 95:
        raise ValueError(f"y has {y.size} samples: a symbol of 95 modules needs at least {2 * 95} (2 a module)")
    if np.ptp(y) <= 1e-12 * max(1.0, float(np.max(np.abs(y)))):
        raise ValueError("y is constant: there are no bars to read")
    u = np.linspace(-1.0, 1.0, y.size)
    noise = estimate_noise_std(y)
    start, width = _first_geometry(y, u)
    best = (None, np.inf, start, width, width)
    for blur in (0.5, 0.8, 1.2, 1.6, 2.0, 2.5, 3.0, 3.5):
        code, rss = _decode_at(y, u, start, width, blur * width)
        if rss < best[1]:
            best = (code, rss, start, width, blur * width)
    for _ in range(2):
        code, rss, start, width, sigma = best
        if code is None:
            break
        start, width, sigma = _refine_geometry(y, u, code, start, width, sigma)
        new_code, new_rss = _decode_at(y, u, start, width, sigma, beam=2000)
        best = (new_code, new_rss, start, width, sigma) if new_rss < rss else (code, rss, start, width, sigma)
    code, rss, start, width, sigma = best
    ratio = rss / (y.size * noise**2) if noise > 0 else np.inf
    contrast = 0.0
    if code is not None:  # the fitted bar depth, in noise standard deviations: no symbol, no depth
        modules = ean13_modules(code).astype(float)
        levels, _ = _fit_levels(y, _module_basis(y.size, start, width, sigma) @ modules, u)
        contrast = levels[2] / noise if noise > 0 else np.inf
    accepted = code is not None and ratio <= ACCEPT_RESIDUAL and contrast >= MIN_CONTRAST
    info = {
        "residual_ratio": ratio,
        "contrast": contrast,
        "start": start,
        "width": width,
        "blur": sigma / width,
        "noise_std": noise,
    }
    if not accepted:
        info["candidate"] = code
    result = code if accepted else None
    return (result, info) if return_info else result
