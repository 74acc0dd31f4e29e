"""What the data alone tell: the noise level of a blurred signal.

A blur is a low-pass filter, so the upper part of a blurred signal's spectrum holds only noise.
For white noise of standard deviation ``sigma`` and a window ``w``, every DFT bin of ``w * e`` has
expected power ``sigma^2 sum(w^2)`` and, being a complex Gaussian, an exponentially distributed
power. The mean of an Exp(1) variable below its 90th percentile (``ln 10``) is
``c = (1 - (1 + ln 10) / 10) / 0.9 = 0.7442``, hence the estimate

    sigma_hat^2 = mean{ |DFT(w y)_k|^2 below their 90th percentile } / (c sum(w^2)),

over the bins ``k`` in the upper half of the band. Dropping the top tenth ignores the few bins where
the signal still shows (a median would too, but scatters 1.3 times more); the Hann window keeps the
signal's own spectrum (and the jump between its two ends) from leaking into those bins.
"""

import numpy as np
import scipy.fft

from ._checks import as_number, as_signal

__all__ = ["estimate_noise_std"]

#: Fewest samples for which the estimate is offered (at least 32 bins in the upper half).
MIN_SAMPLES = 128
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
    if method not in ("spectrum", "differences"):
        raise ValueError(f"method must be 'spectrum' or 'differences'; got {method!r}")
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
