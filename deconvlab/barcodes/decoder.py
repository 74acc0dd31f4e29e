"""Reading a blurred scanline with the symbology as the prior: :func:`decode_ean13`, and the rule
that accepts its best candidate (residual, contrast, and the margin over its rivals, :func:`required_margin`).
"""

import numpy as np

from .._checks import as_flag, as_number, as_signal
from ..estimation import estimate_noise_std
from .model import _fit_levels, _module_basis
from .search import POLISH_ROUNDS, _blind_attempts, _Fit
from .symbology import SYMBOL_MODULES, ean13_modules

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


def required_margin(blur_modules):
    """The margin (in noise variances) by which a reading must beat every rival found, at a fitted
    blur of ``blur_modules`` module widths: ``LIGHT_MARGIN`` (6) up to ``MARGIN_BLURS[0]`` (3.1),
    ``MIN_MARGIN`` (15) from ``MARGIN_BLURS[1]`` (3.4) on, linear in between."""
    return float(np.interp(blur_modules, MARGIN_BLURS, (LIGHT_MARGIN, MIN_MARGIN)))


def _as_scanline(y):
    """``y`` as a 1-D float array long enough to hold a symbol (2 samples a module) and not constant."""
    y = as_signal(y, "y")
    shortest = 2 * SYMBOL_MODULES
    if y.size < shortest:
        symbol = f"a symbol of {SYMBOL_MODULES} modules"
        raise ValueError(f"y has {y.size} samples: {symbol} needs at least {shortest} (2 a module)")
    if np.ptp(y) <= 1e-12 * max(1.0, float(np.max(np.abs(y)))):
        raise ValueError("y is constant: there are no bars to read")
    return y


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
    >>> from deconvlab.barcodes import barcode_scanline
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
        for attempt in attempts[:]:
            if attempt.code is not None:
                start, width, _, _ = fit.refine(attempt.code, attempt.start, attempt.width, blur)
                attempts.append(fit.search(start, width, blur, code=attempt.code))
        attempts = [attempt for attempt in attempts if attempt.sigma == blur]
    best = min(attempts, key=lambda attempt: attempt.rss)
    for _ in range(POLISH_ROUNDS):  # the best code's neighbours: better codes, or its closest rivals
        if best.code is None or best.width < 1.0:
            break
        attempts += fit.polish(best.code, best.start, best.width, best.sigma)
        new_best = min(attempts, key=lambda attempt: attempt.rss)
        if new_best.code == best.code:
            break
        best = new_best
    rivals = [attempt.rss - best.rss for attempt in attempts if attempt.code != best.code]
    best = best._replace(margin=min([best.margin] + rivals))  # the margin over the runner-up, wherever it was found
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
