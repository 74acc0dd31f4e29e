"""What the data alone tell: the noise level and the blur width of a blurred signal.

**Noise.**
A blur is a low-pass filter, so the upper part of a blurred signal's spectrum holds only noise.
For white noise of standard deviation ``sigma`` and a window ``w``, every DFT bin of ``w * e`` has
expected power ``sigma^2 sum(w^2)`` and, being a complex Gaussian, an exponentially distributed
power. The mean of an Exp(1) variable below its 90th percentile (``ln 10``) is
``c = (1 - (1 + ln 10) / 10) / 0.9 = 0.7442``, hence the estimate

    sigma_hat^2 = mean{ |DFT(w y)_k|^2 below their 90th percentile } / (c sum(w^2)),

over the bins ``k`` in the upper half of the band. Dropping the top tenth ignores the few bins where
the signal still shows (a median would too, but scatters 1.3 times more); the Hann window keeps the
signal's own spectrum (and the jump between its two ends) from leaking into those bins.

**Blur**, for a Gaussian blur of a piecewise-constant signal. From one isolated edge: the step
response of a blur is the kernel's integral, so near a jump at ``t0``

    y(t) ~ a + b Phi((t - t0) / sigma),

``Phi`` the standard normal CDF; the four numbers are fitted by least squares. By model selection:
for each candidate ``sigma``, restore with a Wiener filter for ``g_sigma``, keep the two-level signal
``q_sigma`` its samples quantize to, and measure how well that explains the data,

    RSS(sigma) = min over a, b of || y - a - b (g_sigma * q_sigma) ||^2;

a ``sigma`` too small cannot explain the smooth edges, one too large smooths the steep ones.
"""

import warnings

import numpy as np
import scipy.fft
import scipy.optimize
import scipy.special

from ._checks import as_choice, as_count, as_flag, as_number, as_signal, check_mode
from .diagnostics import GridEdgeWarning
from .levels import estimate_levels, jumps_of
from .signals import gaussian_kernel
from .wiener_filter import wiener

__all__ = ["estimate_noise_std", "estimate_blur_from_edge", "estimate_blur"]

#: Fewest samples for which the estimate is offered (at least 32 bins in the upper half).
MIN_SAMPLES = 128
#: estimate_blur measures the fit this many of the largest candidate's widths away from the ends.
END_MARGIN = 4.0
#: The jump fit stops after this many evaluations (a wrong sigma's fit wanders; it is rejected anyway).
MAX_EVALUATIONS = 100
#: The mean of an Exp(1) variable below its 90th percentile ln 10: (1 - (1 + ln 10) / 10) / 0.9.
TRIMMED_EXPONENTIAL_MEAN = (1.0 - (1.0 + np.log(10.0)) / 10.0) / 0.9


def estimate_noise_std(y, *, method="spectrum", band=0.5):
    """Estimate the standard deviation of white noise in a blurred signal, from the signal alone.

    - ``spectrum`` (default): ``sigma_hat^2 = mean(P_k below their 90th percentile) / (0.7442 sum(w^2))``,
      ``P_k = |DFT(w y)_k|^2`` over the rFFT bins in the top ``band`` of the frequency range (DC and
      Nyquist excluded), ``w`` a Hann window (see the module's docstring). Right when the blurred
      signal's spectrum there is below the noise. Its relative scatter is about 2.5 % for 3600
      samples (``band = 0.5``).
    - ``differences``: ``sigma_hat = median |d - median(d)| / (0.6745 sqrt(2))`` with
      ``d = diff(y)`` (the MAD of first differences). Right when the signal changes little from
      one sample to the next compared with the noise (a narrow blur of slow pieces); biased upwards
      on steep slopes.

    Parameters
    ----------
    y : array
        The blurred, noisy signal, at least 128 samples.
    method : {"spectrum", "differences"}
        The estimator.
    band : float
        For ``spectrum``: the fraction of the band, counted down from the Nyquist frequency,
        assumed to hold only noise; 0 < band <= 1.

    Returns
    -------
    float
        The estimated noise standard deviation (0 for noise-free data of exact zeros).

    Raises
    ------
    ValueError
        For a signal shorter than 128 samples, an unknown method or a band outside (0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import add_noise, convolve, gaussian_kernel
    >>> y = add_noise(convolve(np.repeat([0.0, 3.0, 0.0], 1000), gaussian_kernel(5.0)), std=0.5, rng=0)
    >>> round(estimate_noise_std(y), 1)
    0.5
    """
    y = as_signal(y, "y")
    if y.size < MIN_SAMPLES:
        raise ValueError(f"y has {y.size} samples: the noise estimate needs at least {MIN_SAMPLES}")
    method = as_choice(method, "method", ("spectrum", "differences"))
    band = as_number(band, "band", strictly_positive=True)
    if band > 1:
        raise ValueError(f"band must be in (0, 1]; got {band}")
    if method == "differences":
        d = np.diff(y)
        return float(np.median(np.abs(d - np.median(d))) / (0.6744897501960817 * np.sqrt(2.0)))
    window = np.hanning(y.size)
    power = np.abs(scipy.fft.rfft(window * y)) ** 2
    first = int(np.floor((1.0 - band) * (power.size - 1)))
    upper = power[max(first, 1) : power.size - 1]  # no DC, no Nyquist (real bins: a different law)
    lower_nine_tenths = upper[upper <= np.quantile(upper, 0.9)]
    return float(np.sqrt(np.mean(lower_nine_tenths) / (TRIMMED_EXPONENTIAL_MEAN * np.sum(window**2))))


def _steepest_edge(y):
    """The sample where the data, smoothed over ``max(3, n / 50)`` samples, change fastest."""
    width = max(3, y.size // 50)
    slope = np.abs(np.convolve(np.diff(y), np.ones(width) / width, mode="same"))
    return int(np.argmax(slope))


def estimate_blur_from_edge(y, *, edge=None, half_width=None, return_info=False):
    """Estimate a Gaussian blur's standard deviation (samples) from one step edge of the data:
    ``y(t) ~ a + b Phi((t + 1/2 - t0) / sigma)`` fitted by least squares around the edge.

    The step response of a blur is the integral of its kernel, so the edge's width is the blur's.
    Right when the step is isolated: the window must hold the whole rise (several ``sigma`` each
    side) and no other edge; a neighbouring edge inside it biases the estimate.

    Parameters
    ----------
    y : array
        The blurred signal, at least 8 samples.
    edge : int, optional
        A sample on the edge (default: the steepest point of the data, smoothed over 3 samples).
    half_width : int, optional
        Samples used on each side of ``edge`` (default: ``5 sigma``, sigma from the fit, refitted
        until the window stays; pass a smaller one when another edge is that close).
    return_info : bool
        Also return a dict with the fitted ``a``, ``b``, ``t0`` and the ``window`` (first, stop).

    Returns
    -------
    float, or (float, dict) with ``return_info=True``
        The estimated ``sigma`` in samples.

    Examples
    --------
    >>> from deconvlab import add_noise, convolve, gaussian_kernel
    >>> y = add_noise(convolve(np.repeat([0.0, 1.0, 0.0], 300), gaussian_kernel(12.0), "same"), std=0.01, rng=0)
    >>> round(estimate_blur_from_edge(y))
    12
    """
    y = as_signal(y, "y")
    return_info = as_flag(return_info, "return_info")
    if y.size < 8:
        raise ValueError(f"y has {y.size} samples: an edge needs at least 8")
    if np.ptp(y) == 0:
        raise ValueError("y is constant: it has no edge")
    if edge is not None:
        edge = as_count(edge, "edge", minimum=0, maximum=y.size - 1)
    if half_width is not None:
        half_width = as_count(half_width, "half_width", minimum=2)
    edge = _steepest_edge(y) if edge is None else edge
    fixed = half_width is not None
    half = half_width if fixed else max(4, y.size // 20)
    params = None
    for _ in range(1 if fixed else 6):  # default window: 5 sigma each side, sigma from the last fit
        first, stop = max(0, edge - half), min(y.size, edge + half + 2)
        t, part = np.arange(first, stop) + 0.5, y[first:stop]

        def misfit(p, t=t, part=part):
            a, b, t0, sigma = p
            return a + b * scipy.special.ndtr((t - t0) / sigma) - part

        if params is None:
            params = [part[:3].mean(), part[-3:].mean() - part[:3].mean(), edge + 1.0, max(1.0, half / 4)]
        params = scipy.optimize.least_squares(misfit, params, x_scale=[1, 1, half / 4, half / 4]).x
        new_half = int(np.clip(np.ceil(5 * abs(params[3])), 4, y.size))
        if new_half == half:
            break
        half = new_half
    a, b, t0, sigma = params
    sigma = abs(float(sigma))
    info = {"a": float(a), "b": float(b), "t0": float(t0), "window": (first, stop)}
    return (sigma, info) if return_info else sigma


def _blurred_steps(t, jumps, signs, sigma):
    """``sum_k signs_k Phi((t - jumps_k) / sigma)``: unit steps at ``jumps``, blurred."""
    return scipy.special.ndtr((t[:, None] - jumps[None, :]) / sigma) @ signs


def _two_level_fit(y, inside, jumps, signs, sigma, fit_sigma):
    """Least-squares levels ``a, b``, jump positions (and ``sigma`` if ``fit_sigma``) of
    ``y ~ a + b sum_k s_k Phi((t - t_k) / sigma)`` over the samples ``inside`` (Gauss-Newton with the
    exact Jacobian). Returns (rss, jumps, sigma)."""
    t = np.arange(y.size)[inside] + 0.5
    part = y[inside]
    count = jumps.size

    def unpack(params):
        width = max(abs(params[-1]), 1e-3) if fit_sigma else sigma
        return params[0], params[1], params[2 : 2 + count], width

    def residual(params):
        a, b, positions, width = unpack(params)
        return a + b * _blurred_steps(t, positions, signs, width) - part

    def jacobian(params):
        _, b, positions, width = unpack(params)
        z = np.clip((t[:, None] - positions[None, :]) / width, -40.0, 40.0)  # the density is 0 beyond
        density = signs * np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi)
        columns = [np.ones(t.size), _blurred_steps(t, positions, signs, width), -b * density / width]
        if fit_sigma:
            columns.append(-b * np.sum(density * z, axis=1) / width)
        return np.column_stack(columns)

    steps = _blurred_steps(t, np.asarray(jumps, float), signs, sigma)
    a, b = np.linalg.lstsq(np.column_stack([np.ones(t.size), steps]), part, rcond=None)[0]
    start = np.r_[a, b, jumps, sigma] if fit_sigma else np.r_[a, b, jumps]
    params = scipy.optimize.least_squares(residual, start, jac=jacobian, method="lm", max_nfev=MAX_EVALUATIONS).x
    r = residual(params)
    _, _, positions, width = unpack(params)
    return float(r @ r), positions, width


def estimate_blur(y, sigmas, *, mode="full", noise_std=None, return_info=False):
    """Estimate a Gaussian blur's standard deviation (samples) by model selection: the width whose
    two-level model explains the data best,

        RSS(sigma) = min over a, b, t_k of || y - a - b sum_k s_k Phi((t - t_k) / sigma) ||^2,

    the jumps ``t_k`` (signs ``s_k`` alternating) first found in the Wiener restoration
    ``wiener(y, g_sigma, nsr, mode)`` quantized to two levels (k-means), ``nsr = noise_std^2 /
    var(y)``, then moved continuously. ``RSS`` is computed for every candidate; the best one is
    then refined with ``sigma`` free in the same least squares (kept only if it stays within the
    candidates' range; otherwise the best candidate is returned, with a
    :class:`~deconvlab.GridEdgeWarning` when that candidate is the grid's first or last: the minimum
    may lie beyond the grid, or the data may not determine ``sigma``). The fit counts the samples at least
    ``4 max(sigmas)`` from either end (what lies beyond the ends is unknown). Needs a two-level
    signal whose plateaus are wider than the blur.

    Parameters
    ----------
    y : array
        The blurred, noisy signal (at least 128 samples when ``noise_std`` is not given).
    sigmas : array
        The candidate standard deviations, samples, all > 0.
    mode : {"full", "same", "valid", "circular"}
        The forward model's mode for the Wiener restoration (see :func:`deconvlab.convolve`).
    noise_std : float, optional
        The noise's standard deviation (default: :func:`estimate_noise_std` of ``y``).
    return_info : bool
        Also return a dict with ``sigmas`` and ``rss`` (one per candidate), the refined fit's
        ``jumps`` and ``at_grid_edge`` (whether the warning above was given).

    Returns
    -------
    float, or (float, dict) with ``return_info=True``
        The refined estimate.

    Examples
    --------
    >>> from deconvlab import add_noise, convolve, gaussian_kernel, square_wave
    >>> x = square_wave(1200, 300, 0.5, (0.0, 1.0))
    >>> y = add_noise(convolve(x, gaussian_kernel(20.0), "same"), std=0.01, rng=0)
    >>> round(estimate_blur(y, np.arange(10.0, 31.0, 5.0), mode="same"))
    20
    """
    y = as_signal(y, "y")
    sigmas = as_signal(sigmas, "sigmas")
    if np.any(sigmas <= 0):
        raise ValueError("sigmas must all be > 0")
    mode = check_mode(mode)
    return_info = as_flag(return_info, "return_info")
    if np.ptp(y) == 0:
        raise ValueError("y is constant: it holds no blur to measure")
    trim = int(np.ceil(END_MARGIN * sigmas.max()))
    if y.size <= 2 * trim + 16:
        raise ValueError(f"y has {y.size} samples: the largest of sigmas needs more than {2 * trim + 16}")
    inside = slice(trim, y.size - trim)
    noise_std = estimate_noise_std(y) if noise_std is None else as_number(noise_std, "noise_std", minimum=0.0)
    nsr = max(noise_std**2, 1e-12 * float(np.var(y))) / float(np.var(y))
    fits = []
    for sigma in sigmas:
        estimate = wiener(y, gaussian_kernel(float(sigma)), nsr, mode=mode)
        low, high = estimate_levels(estimate, 2)
        q = (estimate > 0.5 * (low + high)).astype(float)
        jumps = jumps_of(q).astype(float)
        if jumps.size == 0:
            fits.append((np.inf, jumps, np.zeros(0)))
            continue
        signs = np.sign(q[jumps.astype(int)] - q[jumps.astype(int) - 1])
        rss, moved, _ = _two_level_fit(y, inside, jumps, signs, float(sigma), fit_sigma=False)
        fits.append((rss, moved, signs))
    rss = np.array([fit[0] for fit in fits])
    best = int(np.argmin(rss))
    if not np.isfinite(rss[best]):
        raise ValueError("y shows no jump at any of sigmas: nothing to measure the blur on")
    _, jumps, signs = fits[best]
    _, refined_jumps, refined = _two_level_fit(y, inside, jumps, signs, float(sigmas[best]), fit_sigma=True)
    sigma = refined
    at_grid_edge = False
    if sigmas.min() <= sigma <= sigmas.max():  # a refinement that leaves the candidates' range is not trusted
        jumps = refined_jumps
    else:
        at_grid_edge = sigmas.size > 1 and sigmas[best] in (sigmas.min(), sigmas.max())
        sigma = float(sigmas[best])
    if at_grid_edge:
        warnings.warn(
            f"estimate_blur: the best candidate is the edge of sigmas ({sigma:g}) and the refined fit leaves the "
            f"grid ({float(refined):.3g}): the minimum of RSS(sigma) may lie beyond it, or the data may not "
            "determine sigma; widen sigmas, or see info['rss']",
            GridEdgeWarning,
            stacklevel=2,
        )
    info = {"sigmas": sigmas, "rss": rss, "jumps": jumps, "at_grid_edge": bool(at_grid_edge)}
    return (sigma, info) if return_info else sigma
