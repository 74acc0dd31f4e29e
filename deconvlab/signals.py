"""Test signals: the question's exact square wave and Gaussian, and general ones.

The reference problem is DSP StackExchange question 55284 ("Deconvolution of
synthetic 1D signals - how to?"). Its MATLAB code is reproduced here sample for
sample, so every notebook starts from exactly the asker's data.
"""

import numpy as np

from ._checks import as_count, as_flag, as_number, as_signal, as_values

__all__ = [
    "seed_square_wave",
    "gaussmf",
    "seed_gaussian",
    "square_wave",
    "gaussian_kernel",
    "add_noise",
    "gaussian_transfer",
    "square_wave_harmonics",
    "DEFAULT_TRUNCATE",
]

#: Default truncation of :func:`gaussian_kernel`, in standard deviations:
#: sqrt(2 ln(1/eps)) = 8.49, the distance at which exp(-r^2 / (2 sigma^2))
#: falls below float64's machine epsilon (2.2e-16). Every sample that float64
#: can tell apart from zero *relative to the peak* is kept, so truncation does not
#: change the model. A shorter kernel is *not* harmless for deconvolution: cutting
#: the tails raises the floor of the spectrum and so caps the condition number
#: (notebook 05 shows it).
DEFAULT_TRUNCATE = float(np.sqrt(2.0 * np.log(1.0 / np.finfo(float).eps)))


def _matlab_round(value):
    """MATLAB's ``round``: halves go away from zero (Python's go to even)."""
    return int(np.floor(value + 0.5))


def seed_square_wave(fs=200):
    """The question's square wave, rebuilt sample for sample.

    The MATLAB code is::

        t = 1/fs : 1/fs : 3;  n = length(t);          % 600 samples at fs = 200
        sq(1 : round(n/3)) = eps;  sq(round(n/3)+1 : 2*round(n/3)) = 3; ...
        ... up to sq(8*round(n/3)+1 : 9*round(n/3)) = eps;

    Assigning past the end grows the array, so the signal has ``9 * round(n/3)``
    samples (1800 at fs = 200, i.e. 9 s, *not* the 3 s of ``t``): nine segments of
    ``round(n/3)`` samples alternating ``eps`` (2.2e-16, the baseline) and 3,
    starting and ending with ``eps``. At fs = 200 that is a square wave of period
    2 s (400 samples) with duty cycle 1/2.

    Parameters
    ----------
    fs : float
        Sampling frequency in Hz (default 200, as in the question).

    Returns
    -------
    t : ndarray
        Sample times ``(1, 2, ..., N) / fs`` in seconds (MATLAB's 1-based grid).
    x : ndarray
        The square wave, length ``N = 9 * round(n/3)``.

    Examples
    --------
    >>> t, x = seed_square_wave()
    >>> x.size, float(x.max()), float(t[-1])    # 1800 samples, levels eps and 3, 9 s
    (1800, 3.0, 9.0)
    """
    fs = as_number(fs, "fs", strictly_positive=True)
    n = int(np.floor(3.0 * fs + 1e-9))  # length(1/fs : 1/fs : 3)
    if n < 3:
        raise ValueError(f"fs must be >= 1 Hz so that 3 s hold at least 3 samples; got {fs}")
    segment = _matlab_round(n / 3)
    x = np.empty(9 * segment)
    for index in range(9):
        x[index * segment : (index + 1) * segment] = 3.0 if index % 2 else np.finfo(float).eps
    # MATLAB writes the third segment as (2*round(n/3)+1):n; n == 3*round(n/3) here.
    t = np.arange(1, x.size + 1) / fs
    return t, x


def gaussmf(t, sigma, c):
    """MATLAB's ``gaussmf(t, [sigma c])``: ``exp(-(t - c)^2 / (2 sigma^2))``.

    Peak 1 at ``t = c``; ``sigma`` is the standard deviation in the units of ``t``.

    Parameters
    ----------
    t : array
        Points at which to evaluate, 1-D.
    sigma : float
        Standard deviation, > 0, in the units of ``t``.
    c : float
        Centre.

    Returns
    -------
    ndarray
        ``exp(-(t - c)^2 / (2 sigma^2))``, same length as ``t``.

    Examples
    --------
    >>> gaussmf([0.0, 1.0], 1.0, 0.0).round(4).tolist()    # exp(-1/2) one sigma away
    [1.0, 0.6065]
    """
    t = as_signal(t, "t")
    sigma = as_number(sigma, "sigma", strictly_positive=True)
    c = as_number(c, "c")
    return np.exp(-((t - c) ** 2) / (2.0 * sigma**2))


def seed_gaussian(n, fs=200):
    """The question's kernel: ``4 * gaussmf(t1, [0.4 4.5])``, ``t1 = (1..n)/fs``.

    With the question's ``n = 1800`` and ``fs = 200`` the kernel is as long as the
    signal, peaks at sample index 899 (t = 4.5 s), has a standard deviation of
    0.4 s = 80 samples, and is **not normalised**: its sum (the DC gain) is
    ``4 * sqrt(2 pi) * 80 = 802.1``.

    Parameters
    ----------
    n : int
        Number of samples (the question uses the signal's length, 1800).
    fs : float
        Sampling frequency in Hz.

    Returns
    -------
    ndarray
        The kernel, ``n`` samples.

    Examples
    --------
    >>> h = seed_gaussian(1800)
    >>> int(h.argmax()), round(float(h.sum()), 1)    # peak at t = 4.5 s, DC gain 4 sqrt(2 pi) 80
    (899, 802.1)
    """
    n = as_count(n, "n")
    fs = as_number(fs, "fs", strictly_positive=True)
    t1 = np.arange(1, n + 1) / fs
    return 4.0 * gaussmf(t1, 0.4, 4.5)


def square_wave(n, period, duty=0.5, levels=(0.0, 1.0), delay=0):
    """A sampled square wave: ``high`` where ``(i - delay) mod period < duty * period``.

    Parameters
    ----------
    n : int
        Number of samples.
    period : int
        Period in samples.
    duty : float
        Fraction of each period at the high level, in (0, 1).
    levels : (float, float)
        ``(low, high)``.
    delay : int
        Index of the first rising edge (mod ``period``).

    Returns
    -------
    ndarray
        ``n`` samples, each ``low`` or ``high``.

    Examples
    --------
    The question's signal is ``square_wave(1800, 400, 0.5, (eps, 3), delay=200)``:

    >>> import numpy as np
    >>> eps = np.finfo(float).eps
    >>> bool(np.array_equal(square_wave(1800, 400, 0.5, (eps, 3.0), delay=200), seed_square_wave()[1]))
    True
    """
    n = as_count(n, "n")
    period = as_count(period, "period", minimum=2)
    duty = as_number(duty, "duty", strictly_positive=True)
    if duty >= 1:
        raise ValueError(f"duty must be in (0, 1); got {duty}")
    if np.ndim(levels) != 1 or len(levels) != 2:
        raise ValueError(f"levels must be a pair (low, high); got {levels!r}")
    low, high = (as_number(level, "levels") for level in levels)
    delay = as_count(delay, "delay", minimum=0)
    phase = (np.arange(n) - delay) % period
    return np.where(phase < duty * period, high, low)


def gaussian_kernel(sigma, radius=None, normalize=True):
    """A sampled Gaussian ``exp(-j^2 / (2 sigma^2))``, ``j = -radius..radius``.

    Parameters
    ----------
    sigma : float
        Standard deviation in samples, > 0.
    radius : int, optional
        Half-width; the kernel has ``2 * radius + 1`` samples (odd, centred).
        Default ``ceil(DEFAULT_TRUNCATE * sigma)`` = ``ceil(8.49 sigma)``: the
        tails dropped are below float64's epsilon relative to the peak, so the
        truncated kernel *is* the sampled Gaussian to float64 precision. Smaller
        radii cap the condition number of the blur (see notebook 05).
    normalize : bool
        If True (default) the samples sum to 1 (DC gain 1).

    Returns
    -------
    ndarray
        ``2 * radius + 1`` samples, peak at the centre.

    Examples
    --------
    >>> k = gaussian_kernel(1.0)
    >>> k.size, round(float(k.sum()), 12)   # radius ceil(8.49 σ), unit gain
    (19, 1.0)
    """
    sigma = as_number(sigma, "sigma", strictly_positive=True)
    if radius is None:
        radius = int(np.ceil(DEFAULT_TRUNCATE * sigma))
    radius = as_count(radius, "radius", minimum=0)
    j = np.arange(-radius, radius + 1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # 1 at the centre even when 2 sigma^2 underflows to 0 (sigma < 1e-154: a delta, not NaN)
        kernel = np.where(j == 0, 1.0, np.exp(-(j**2) / (2.0 * sigma**2)))
    return kernel / kernel.sum() if as_flag(normalize, "normalize") else kernel


def add_noise(y, std=None, snr_db=None, rng=0):
    """Return ``y + std * e`` with ``e`` standard normal white noise.

    Give exactly one of ``std`` (the noise standard deviation) or ``snr_db``
    (then ``std = sqrt(mean(y^2) / 10^(snr_db / 10))``).

    Parameters
    ----------
    y : array
        The clean signal.
    std : float, optional
        The noise standard deviation, >= 0.
    snr_db : float, optional
        The signal-to-noise ratio in dB, instead of ``std``.
    rng : int or numpy.random.Generator
        Seed or generator; the default seed 0 makes every call reproducible.

    Returns
    -------
    ndarray
        ``y`` plus the noise, same length.

    Raises
    ------
    ValueError
        Unless exactly one of ``std`` and ``snr_db`` is given, or for ``|snr_db| > 600``.

    Examples
    --------
    >>> import numpy as np
    >>> noisy = add_noise(np.zeros(100_000), std=0.5, rng=1)
    >>> round(float(noisy.std()), 2)
    0.5
    """
    y = as_signal(y, "y")
    if (std is None) == (snr_db is None):
        raise ValueError("give exactly one of std or snr_db")
    if std is not None:
        std = as_number(std, "std", minimum=0.0)
    else:
        snr_db = as_number(snr_db, "snr_db")
        if abs(snr_db) > 600:
            raise ValueError(f"snr_db must be within ±600 dB (beyond, the noise is all or nothing); got {snr_db}")
        std = float(np.sqrt(np.mean(y**2)) * 10 ** (-snr_db / 20))
    if isinstance(rng, np.random.Generator):
        generator = rng
    else:
        generator = np.random.default_rng(as_count(rng, "rng", minimum=0, maximum=None))
    return y + std * generator.standard_normal(y.size)


def gaussian_transfer(f, sigma, gain=1.0):
    """Closed-form spectrum of a Gaussian: ``gain * exp(-2 pi^2 sigma^2 f^2)``.

    The Fourier transform of a Gaussian of standard deviation ``sigma`` (seconds,
    or samples) is a Gaussian of standard deviation ``1 / (2 pi sigma)`` (Hz, or
    cycles per sample); ``gain`` is its value at f = 0, the kernel's sum.

    Parameters
    ----------
    f : float or array
        Frequency (Hz for ``sigma`` in seconds, cycles per sample for ``sigma`` in samples).
    sigma : float
        Standard deviation of the Gaussian, > 0.
    gain : float
        The kernel's sum, the value at ``f = 0``.

    Returns
    -------
    float array
        ``gain * exp(-2 pi^2 sigma^2 f^2)``, the shape of ``f``.

    Examples
    --------
    >>> round(float(gaussian_transfer(0.5, 0.4)), 4)    # the question's blur at its fundamental, 0.5 Hz
    0.454
    """
    f = as_values(f, "f")
    sigma = as_number(sigma, "sigma", strictly_positive=True)
    gain = as_number(gain, "gain")
    return gain * np.exp(-2.0 * np.pi**2 * sigma**2 * f**2)


def square_wave_harmonics(period, jump, count):
    """Frequencies and amplitudes of the first ``count`` harmonics of a 50% square wave.

    A square wave of period ``P`` that jumps by ``jump`` has only odd harmonics
    ``m = 1, 3, 5, ...`` at ``m / P`` with amplitude ``2 jump / (pi m)`` (its
    Fourier series ``mean + sum_m 2 jump / (pi m) sin(2 pi m t / P)``).

    Parameters
    ----------
    period : float
        Period, > 0.
    jump : float
        High level minus low level.
    count : int
        How many harmonics (the odd ones, 1, 3, 5, ...).

    Returns
    -------
    frequencies, amplitudes : ndarray
        ``count`` values each; frequencies in the inverse unit of ``period``.

    Examples
    --------
    >>> f, a = square_wave_harmonics(2.0, 3.0, 2)    # the question's wave: 0.5 and 1.5 Hz
    >>> f.tolist(), a.round(3).tolist()
    ([0.5, 1.5], [1.91, 0.637])
    """
    period = as_number(period, "period", strictly_positive=True)
    jump = as_number(jump, "jump")
    count = as_count(count, "count")
    m = np.arange(1, 2 * count, 2)
    return m / period, 2.0 * abs(jump) / (np.pi * m)
