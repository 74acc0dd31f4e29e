"""Frequency-domain inverses: divide by the transfer function, with or without a threshold.

Every function here turns the model that ``mode`` names into a circular
(periodic) problem of some length ``N``, where convolution is a product of DFTs,
divides, and maps back. The docstring of :func:`inverse_filter` states exactly
which circular problem each mode becomes.
"""

import warnings

import numpy as np
import scipy.fft

from ._checks import as_count, as_kernel, as_number, as_signal, check_mode, solution_length
from ._spectral import circular_length, unresolved_bins
from .diagnostics import DeconvlabWarning
from .operators import rfft_frequencies, spectral_filter

__all__ = [
    "inverse_filter",
    "kept_bandwidth",
    "gaussian_cutoff",
    "ideal_lowpass",
    "TAPERS",
]

TAPERS = (None, "hann", "lanczos")


def _taper_weights(kept, taper):
    """Smooth roll-off over the kept band ``0 .. b_c`` (``b_c`` the last kept bin).

    ``hann``: ``(1 + cos(pi b / (b_c + 1))) / 2``; ``lanczos``: ``sinc(b / (b_c + 1))``
    (Lanczos sigma factors). Both are 1 at DC and reach 0 at the first dropped bin.
    """
    if taper is None:
        return np.ones(kept.size)
    last_kept = np.flatnonzero(kept).max()
    ratio = np.arange(kept.size) / (last_kept + 1)
    if taper == "hann":
        return np.where(ratio < 1, 0.5 * (1 + np.cos(np.pi * np.minimum(ratio, 1))), 0.0)
    return np.where(ratio < 1, np.sinc(ratio), 0.0)


def _warn_about_unresolved_bins(H, n_fft):
    """Warn, naming the bins, where the naive division cannot be trusted: ``|H|`` at or below the
    package's one rule of solvability, :func:`deconvlab._spectral.rounding_floor` (``n_fft eps max|H|``)."""
    bins = unresolved_bins(H, 0.0, n_fft)
    if not bins.size:
        return
    zeros = np.flatnonzero(H == 0)
    message = (
        f"inverse_filter: |H| is at rounding level (n eps max|H|, n = {n_fft}) in {bins.size} of {H.size} "
        f"frequency bins (rfft bins {bins[0]}..{bins[-1]}): "
        "there the division amplifies rounding errors by more than 1/(n eps)"
    )
    if zeros.size:
        message += f"; |H| is exactly 0 in bins {zeros.tolist()[:10]}, so the result is inf/NaN"
    warnings.warn(message, DeconvlabWarning, stacklevel=6)  # the caller of inverse_filter


def inverse_filter(y, h, threshold=0.0, *, mode="full", taper=None):
    """Deconvolve by dividing spectra: ``X = Y / H`` on the kept bins, 0 elsewhere.

    The problem is first made circular (see :func:`circular_embedding`: exact
    for ``full``, ``valid`` and ``circular``; periodic edges for ``same``).

    Parameters
    ----------
    y : array
        The measured signal, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    threshold : float
        0 (default) is the naive division on every bin. It reproduces the
        classic failure honestly: where ``|H| <= N eps max|H|`` (``N`` the
        circular length, the package's one rule of solvability,
        :func:`deconvlab._spectral.rounding_floor`) a :class:`~deconvlab.DeconvlabWarning` names
        the bins, and an exact zero of ``H`` gives inf/NaN. With
        ``threshold > 0`` the bins with ``|H| <= threshold * max|H|`` are set to 0
        (an ideal low-pass for a kernel whose |H| falls with frequency).
    taper : None, "hann" or "lanczos"
        Multiply the kept band by a smooth roll-off (1 at DC, 0 at the first
        dropped bin) instead of cutting it sharply: less overshoot, wider edges.

    Returns
    -------
    ndarray
        The estimate of ``x``, length ``solution_length(len(y), len(h), mode)``.

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> bool(np.allclose(inverse_filter(convolve(x, h), h), x))   # no noise, |H| far from 0
    True
    """
    y = as_signal(y, "y")
    h = as_kernel(h)
    threshold = as_number(threshold, "threshold", minimum=0.0)
    if threshold >= 1:
        raise ValueError(f"threshold must be < 1 (it is a fraction of max|H|); got {threshold}")
    if taper not in TAPERS:
        raise ValueError(f"taper must be one of {TAPERS}; got {taper!r}")
    check_mode(mode)
    n_fft = circular_length(solution_length(y.size, h.size, mode), h.size, mode)
    return spectral_filter(y, h, lambda H: _inverse_filter_factors(H, threshold, taper, n_fft), mode)


def _inverse_filter_factors(H, threshold, taper, n_fft):
    """``W = taper / H`` on the kept bins (``|H| > threshold max|H|``), 0 elsewhere; ``1 / H``
    everywhere for ``threshold = 0``, with a warning where ``|H|`` is at rounding level for a DFT of
    length ``n_fft``."""
    magnitude = np.abs(H)
    if threshold == 0:
        _warn_about_unresolved_bins(H, n_fft)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _taper_weights(np.ones(H.size, dtype=bool), taper) / H
    kept = magnitude > threshold * magnitude.max()
    return np.where(kept, _taper_weights(kept, taper) * kept / np.where(kept, H, 1.0), 0.0)


def kept_bandwidth(h, threshold, fs=1.0, n_fft=None):
    """The cut-off a threshold implies: the highest frequency of the band ``0 .. f_c``
    in which every bin has ``|H| > threshold * max|H|``.

    Measured on ``rfft(h, n_fft)`` (default ``n_fft = max(len(h), 8192)``), so it is
    accurate to one bin, ``fs / n_fft``. Returns the frequency in the units of ``fs``.

    Parameters
    ----------
    h : array
        The kernel.
    threshold : float
        Fraction of ``max|H|``, > 0.
    fs : float
        Sampling frequency, > 0.
    n_fft : int, optional
        DFT length, ``>= len(h)``.

    Returns
    -------
    float
        ``f_c``, in the units of ``fs``.

    Examples
    --------
    >>> from deconvlab import gaussian_kernel
    >>> round(kept_bandwidth(gaussian_kernel(80.0), 1e-10, fs=200), 1)    # gaussian_cutoff(80, 1e-10, 200): 2.70 Hz
    2.7
    """
    h = as_kernel(h)
    threshold = as_number(threshold, "threshold", strictly_positive=True)
    fs = as_number(fs, "fs", strictly_positive=True)
    n_fft = max(h.size, 8192) if n_fft is None else as_count(n_fft, "n_fft")
    if n_fft < h.size:
        raise ValueError(f"n_fft must be >= len(h) = {h.size} (else the kernel is cut); got {n_fft}")
    magnitude = np.abs(scipy.fft.rfft(h, n_fft))
    dropped = np.flatnonzero(magnitude <= threshold * magnitude.max())
    last_kept = (dropped[0] - 1) if dropped.size else magnitude.size - 1
    return float(rfft_frequencies(n_fft, fs)[max(last_kept, 0)])


def gaussian_cutoff(sigma, threshold, fs=1.0):
    """Closed-form cut-off of a threshold on a Gaussian blur of ``sigma`` samples:
    ``|H(f)| / |H(0)| = exp(-2 pi^2 sigma^2 f^2) = threshold`` gives
    ``f_c = fs * sqrt(ln(1/threshold) / (2 pi^2 sigma^2))``.

    Parameters
    ----------
    sigma : float
        Standard deviation of the blur, in samples, > 0.
    threshold : float
        Fraction of the peak, in (0, 1).
    fs : float
        Sampling frequency, > 0.

    Returns
    -------
    float
        ``f_c`` in the units of ``fs``.

    Examples
    --------
    >>> round(gaussian_cutoff(80, 1e-10, fs=200), 2)   # the question's blur, in Hz
    2.7
    """
    sigma = as_number(sigma, "sigma", strictly_positive=True)
    threshold = as_number(threshold, "threshold", strictly_positive=True)
    if threshold >= 1:
        raise ValueError(f"threshold must be < 1; got {threshold}")
    fs = as_number(fs, "fs", strictly_positive=True)
    return float(fs * np.sqrt(np.log(1 / threshold) / (2 * np.pi**2 * sigma**2)))


def ideal_lowpass(x, n_bins, n_fft=None):
    """Keep the rfft bins ``0 .. n_bins - 1`` of ``x`` (zero-padded to ``n_fft``) and
    return the first ``len(x)`` samples: the ideal low-pass a thresholded inverse
    performs on the true signal.

    Parameters
    ----------
    x : array
        The signal.
    n_bins : int
        How many rfft bins to keep, from DC, >= 0.
    n_fft : int, optional
        DFT length, ``>= len(x)`` (default ``len(x)``).

    Returns
    -------
    ndarray
        ``len(x)`` samples.

    Examples
    --------
    >>> import numpy as np
    >>> ideal_lowpass(np.array([1.0, -1.0, 1.0, -1.0]), 1).tolist()    # keep only DC: the mean, 0
    [0.0, 0.0, 0.0, 0.0]
    """
    x = as_signal(x, "x")
    n_fft = x.size if n_fft is None else as_count(n_fft, "n_fft")
    if n_fft < x.size:
        raise ValueError(f"n_fft must be >= len(x) = {x.size} (else x is cut); got {n_fft}")
    n_bins = as_count(n_bins, "n_bins", minimum=0)
    X = scipy.fft.rfft(x, n_fft)
    X[n_bins:] = 0
    return scipy.fft.irfft(X, n_fft)[: x.size]
