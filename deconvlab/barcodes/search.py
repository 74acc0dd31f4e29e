"""The search for candidate readings: a beam search over valid symbols at a given geometry (its
results :class:`Scored`), the first guess of the geometry, :class:`_Fit`, one reading attempt (light
level and tilt, relaxed geometry, search, refinement of the geometry for a code, the polish of a code's
rivals, and the chain of refinements and searches; its readings :class:`Candidate`), the blind attempts
:func:`~deconvlab.barcodes.decode_ean13` starts from, and the constants that set how widely it searches.
"""

from typing import NamedTuple

import numpy as np

from .model import _blurred_bars, _fit_levels, _levels_design, _module_basis, _paper_level, _relaxed_modules
from .symbology import (
    _DIGIT_MODULES,
    _FIRST_DIGIT,
    _GUARD_BARS,
    _GUARD_KNOWN,
    _L,
    _LEFT,
    _R,
    _VALID_PREFIX,
    _WEIGHTS,
    CODE_DIGITS,
    DATA_DIGITS,
    DIGITS_PER_HALF,
    SYMBOL_CENTRE,
    SYMBOL_MODULES,
    _modules_of,
    _neighbours,
    ean13_modules,
)

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


class Scored(NamedTuple):
    """A valid code the beam search found, with its cost (the misfit with the depth fitted)."""

    cost: float
    code: str


class Candidate(NamedTuple):
    """A candidate reading: a code, how well it fits, and the geometry it was fitted at."""

    #: Residual energy after fitting the levels (``inf`` when nothing was fitted yet).
    rss: float
    #: The 13 digits, or None when no valid code was found.
    code: str | None
    #: Where the symbol starts and how wide a module is, in samples.
    start: float
    width: float
    #: The blur's standard deviation, in samples.
    sigma: float
    #: How much worse the runner-up of its search fits (``inf``: not measured).
    margin: float


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
    """The valid codes a beam search over the 12 digits finds, best first, as :class:`Scored` (cost, code).

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
        candidates = _LEFT if position < DIGITS_PER_HALF else _R
        change = candidates - m[modules]
        new_a = a[:, None] + change @ b[modules]
        new_q = (
            q[:, None]
            + 2 * v[:, modules] @ change.T
            + np.einsum("ci,ij,cj->c", change, gram[np.ix_(modules, modules)], change)
        )
        total = -np.where(new_a > 0, new_a**2 / new_q, 0.0)
        if position < DIGITS_PER_HALF:  # rows of _LEFT from len(_L) on are G codes
            new_bits = bits[:, None] | ((np.arange(len(_LEFT))[None, :] >= len(_L)).astype(int) << position)
            total = np.where(_VALID_PREFIX[position + 1][new_bits], total, np.inf)
        keep = min(beam, int(np.isfinite(total).sum()))
        order = _smallest(total.ravel(), keep)
        rows, columns = np.unravel_index(order, total.shape)
        a, q = new_a[rows, columns], new_q[rows, columns]
        v = v[rows] + change[columns] @ gram[modules, :]
        digits = np.column_stack([digits[rows], columns % 10])
        bits = new_bits[rows, columns] if position < DIGITS_PER_HALF else bits[rows]
    cost = float(darkness @ darkness) - np.where(a > 0, a**2 / q, 0.0)
    first = _FIRST_DIGIT[bits]
    codes = np.column_stack([first, digits])
    valid = (first >= 0) & ((codes[:, :DATA_DIGITS] @ _WEIGHTS[:DATA_DIGITS] + codes[:, DATA_DIGITS]) % 10 == 0)
    order = np.argsort(cost[valid], kind="stable")
    return [Scored(float(c), "".join(map(str, code))) for c, code in zip(cost[valid][order], codes[valid][order])]


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

    guess = [float(np.mean(darkness[int(first) : int(last)])), first, last, (last - first) / SYMBOL_MODULES]
    _, a, b, _ = scipy.optimize.least_squares(misfit, guess).x
    if not (np.isfinite(a) and np.isfinite(b) and 0.7 < (b - a) / (last - first) < 1.3):
        a, b = first, last  # the box fit went astray (a very uneven symbol): keep the threshold's guess
    return a, (b - a) / SYMBOL_MODULES


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
        the relaxed modules at the depth the darkness's area suggests), as a :class:`Candidate`: its
        residual energy after fitting the levels, this geometry, and the runner-up's cost margin (no
        code found: ``code`` None, ``rss`` inf, ``margin`` 0)."""
        B = _module_basis(self.y.size, start, width, sigma)
        P = self.profile[:, None] * B
        if code is None:
            depth = max(float(np.sum(self.darkness)), 1e-12) / (width * TYPICAL_BAR_MODULES)
            fill = _relaxed_modules(-self.darkness, depth * P)
        else:
            fill = ean13_modules(code).astype(float)
        found = _beam_search(self.darkness, P, fill, beam)
        if not found:
            return Candidate(np.inf, None, start, width, sigma, 0.0)
        margin = found[1].cost - found[0].cost if len(found) > 1 else np.inf
        residual = _fit_levels(self.y, B @ ean13_modules(found[0].code), self.u)[1]
        return Candidate(float(residual @ residual), found[0].code, start, width, sigma, margin)

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
        geometry refined: a list of :class:`Candidate` (their margins unknown, inf). The candidates
        are every valid code two digits from ``code`` and every valid code a beam search (1000 kept)
        finds at the geometries ``RIVAL_GEOMETRIES`` (the blur 6 % narrower and wider, the modules
        0.6 % narrower and wider about the centre); each is scored by its best cost over those
        geometries (depth fitted as in the beam search). They are the rivals the searches miss when
        the geometry they searched at suits ``code`` better than the rival (a better code, or the
        closest rivals the margin must beat)."""
        geometries = [(blur, stretch) for blur, stretch in RIVAL_GEOMETRIES if self.sigma is None or blur == 1.0]
        centre = start + SYMBOL_CENTRE * width
        bases = [
            self.profile[:, None]
            * _module_basis(
                self.y.size, centre - SYMBOL_CENTRE * (1 + stretch) * width, (1 + stretch) * width, blur * sigma
            )
            for blur, stretch in geometries
        ]
        fill = ean13_modules(code).astype(float)
        found = [rival.code for P in bases for rival in _beam_search(self.darkness, P, fill, 1000)]
        found = np.array([[int(c) for c in rival] for rival in found], int).reshape(-1, CODE_DIGITS)
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
            rivals.append(Candidate(rss, rival, new_start, new_width, new_sigma, np.inf))
        return rivals

    def chain(self, start, width, sigma, code=None, rounds=4):
        """Alternate: refine the geometry for the code, search again there; stop when the code stays.
        Returns the best :class:`Candidate` seen (given a ``code``, it starts as that code unfitted:
        residual energy inf, margin 0)."""
        if code is None:
            best = self.search(start, width, sigma)
            code = best.code
        else:
            best = Candidate(np.inf, code, start, width, sigma, 0.0)
        for _ in range(rounds):
            if code is None or width < 1.0:  # under a sample a module: the refinement went astray
                break
            start, width, sigma, _ = self.refine(code, start, width, sigma)
            found = self.search(start, width, sigma, code=code)
            if found.rss < best.rss:
                best = found
            if found.code == code:
                break
            code = found.code
        return best


def _blind_attempts(fit):
    """Every :class:`Candidate` the blind search ends on: chains
    from the best blurs of a scan at the first geometry, then from the best geometry moved by 0.6
    module either way, and from it stretched by 0.8 % either way about its centre (its ends move by
    0.4 module) or not, with its blur 10 % narrower, wider or unchanged (8 starts)."""
    start, width, _ = fit.relaxed_geometry(*_symbol_extent(fit.darkness))
    scanned = sorted(
        (fit.search(start, width, factor * width, beam=SCAN_BEAM) for factor in BLUR_GRID),
        key=lambda attempt: attempt.rss,
    )
    attempts = [fit.chain(start, width, scan.sigma, scan.code) for scan in scanned[:CHAINS] if scan.code is not None]
    if not attempts:
        return [Candidate(np.inf, None, start, width, width, 0.0)]
    best = min(attempts, key=lambda attempt: attempt.rss)
    start, width, sigma = best.start, best.width, best.sigma
    attempts += [fit.chain(start + shift * width, width, sigma) for shift in (-0.6, 0.6)]
    geometries = [(start, width)] + [
        (start - SYMBOL_CENTRE * stretch * width, (1 + stretch) * width) for stretch in STRETCHES
    ]
    moves = [(new_start, new_width, factor * sigma) for new_start, new_width in geometries for factor in BLUR_FACTORS]
    return attempts + [fit.chain(*move) for move in moves[1:]]  # moves[0] is the best geometry itself
