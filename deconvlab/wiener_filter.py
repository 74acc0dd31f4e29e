"""Wiener deconvolution: the minimum-mean-square-error linear inverse.

For ``y = h * x + e`` with white noise ``e`` and per-bin DFTs ``Y = H X + E``,
the linear per-bin estimate ``X_hat = W Y`` that minimises ``E|X_hat - X|^2`` is

    W = conj(H) / (|H|^2 + nsr),   nsr = S_ee / S_xx,

the ratio of the noise power to the signal power in that bin. ``nsr = 0`` is
the naive inverse 1/H; a large ``nsr`` shuts the bin. Compare thresholding
(notebook 03): a 0/1 weight on 1/H; Wiener's weight is ``|H|^2 / (|H|^2 + nsr)``.
"""

import warnings

import numpy as np
import scipy.fft

from ._checks import (
    as_kernel,
    as_number,
    as_signal,
    as_spectrum,
    check_kernel_fits,
    check_mode,
    solution_length,
)
from ._spectral import circular_length, spectral_filter, unresolved_bins
from .diagnostics import DeconvlabWarning
from .inverse import gaussian_cutoff

__all__ = [
    "wiener",
    "wiener_filter_factors",
    "oracle_nsr",
    "recoverable_bandwidth",
]


def wiener(y, h, nsr, *, mode="full"):
    """Deconvolve ``y`` by the Wiener filter ``W = conj(H) / (|H|^2 + nsr)``.

    The problem is made circular as in :func:`deconvlab.inverse_filter`
    (``full``: padded to ``n + k - 1``, exact; ``circular``: the textbook filter).

    Parameters
    ----------
    y : array
        The data, ``convolve(x, h, mode)`` plus noise.
    h : array
        The kernel.
    nsr : float or array
        Noise-to-signal power ratio ``S_ee(f) / S_xx(f)`` per rfft bin of the
        circular problem, in the same units as ``|H|^2`` (so for an unnormalised
        kernel it scales with the gain squared). A scalar assumes it flat; an
        array must have ``N // 2 + 1`` entries, ``N`` the circular length
        (``len(y)`` for ``full`` and ``circular``); ``inf`` shuts a bin. Where
        ``sqrt(|H|^2 + nsr)`` is at rounding level (``N eps max|H|``) a :class:`~deconvlab.DeconvlabWarning` names
        the bins: there the filter divides rounding errors.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).

    Returns
    -------
    ndarray
        The estimate of ``x``, length ``solution_length(len(y), len(h), mode)``.

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> bool(np.allclose(wiener(convolve(x, h), h, 0.0), x))   # nsr = 0: the plain inverse
    True
    """
    y = as_signal(y, "y")
    h = as_kernel(h)
    check_mode(mode)

    n_fft = circular_length(solution_length(y.size, h.size, mode), h.size, mode)

    def filter_of(H):
        W = wiener_filter_factors(H, nsr)
        _warn_about_unresolved_bins(H, nsr, n_fft)
        return W

    return spectral_filter(y, h, filter_of, mode)


def _warn_about_unresolved_bins(H, nsr, n_fft):
    """Warn, naming the bins, where ``sqrt(|H|^2 + nsr)`` is at rounding level (the package's one rule of
    solvability, :func:`deconvlab._spectral.rounding_floor`): there the filter divides rounding errors."""
    bins = unresolved_bins(H, nsr, n_fft)
    if bins.size:
        warnings.warn(
            f"wiener: sqrt(|H|^2 + nsr) is at rounding level (n eps max|H|) in {bins.size} of {H.size} rfft bins "
            f"({bins[0]}..{bins[-1]}): there the filter amplifies rounding errors; use a larger nsr",
            DeconvlabWarning,
            stacklevel=4,
        )


def wiener_filter_factors(H, nsr):
    """``W = conj(H) / (|H|^2 + nsr)`` per bin; 0 where ``nsr`` is ``inf``.

    Also Tikhonov's filter on a circular problem, with ``nsr = lam^2``. Raises where
    ``nsr = 0`` meets ``H = 0`` (the filter is undefined there).

    Parameters
    ----------
    H : complex array
        The transfer function on the rfft bins.
    nsr : float or array
        Noise-to-signal power ratio, >= 0 (per bin if an array; ``inf`` shuts a bin).

    Returns
    -------
    complex ndarray
        ``W``, one value per bin.

    Examples
    --------
    >>> import numpy as np
    >>> wiener_filter_factors(np.array([2.0, 1.0, 0.0]), 1.0).tolist()   # 2/5, 1/2, 0/1
    [0.4, 0.5, 0.0]
    """
    H = as_spectrum(H, "H")
    nsr = _check_nsr(nsr, H.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        W = np.where(np.isinf(nsr), 0.0, np.conj(H) / (np.abs(H) ** 2 + np.where(np.isinf(nsr), 1.0, nsr)))
    if np.any(~np.isfinite(W)):
        bins = np.flatnonzero(~np.isfinite(W))
        raise ValueError(
            f"nsr is 0 where H is 0 (bins {bins.tolist()[:10]}): the filter is undefined there; use nsr > 0"
        )
    return W


def _check_nsr(nsr, n_bins):
    """A non-negative scalar, or an array of ``n_bins`` non-negative values (inf allowed)."""
    if np.ndim(nsr) == 0:
        return np.full(n_bins, as_number(nsr, "nsr", minimum=0.0))
    values = np.asarray(nsr, dtype=float)
    if values.ndim != 1 or values.size != n_bins:
        raise ValueError(f"nsr must be a scalar or have {n_bins} entries (one per rfft bin); got shape {values.shape}")
    if np.any(np.isnan(values)) or np.any(values < 0):
        raise ValueError("nsr must be >= 0 everywhere (inf allowed, NaN not)")
    return values


def oracle_nsr(x, h, noise_std, *, mode="full"):
    """The per-bin ``nsr`` of the MMSE filter for a *known* signal and noise level.

    ``nsr[f] = N noise_std^2 / |X[f]|^2``: ``N noise_std^2`` is the expected
    power of white noise in one bin of an ``N``-point DFT, ``|X[f]|^2`` the
    power of the true signal there (``x`` zero-padded to the circular length
    ``N`` of ``mode``). Bins where ``X = 0`` get ``inf`` (shut). No real
    deconvolution knows ``x``: this is the best any per-bin linear filter can do.

    Parameters
    ----------
    x : array
        The *true* signal (which no real problem gives you).
    h : array
        The kernel.
    noise_std : float
        The noise standard deviation, >= 0.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).

    Returns
    -------
    ndarray
        ``N // 2 + 1`` values, ``N`` the circular length of ``mode``.

    Examples
    --------
    >>> import numpy as np
    >>> oracle_nsr(np.ones(4), np.array([1.0]), 0.5).tolist()    # N sigma^2 / |X|^2 = 4 0.25 / 16; X = 0 elsewhere
    [0.0625, inf, inf]
    """
    x = as_signal(x, "x")
    h = as_kernel(h)
    noise_std = as_number(noise_std, "noise_std", minimum=0.0)
    check_mode(mode)
    check_kernel_fits(x.size, h.size, mode)
    n_fft = circular_length(x.size, h.size, mode)
    power = np.abs(scipy.fft.rfft(x, n_fft)) ** 2
    with np.errstate(divide="ignore"):
        return np.where(power > 0, n_fft * noise_std**2 / np.where(power > 0, power, 1.0), np.inf)


def recoverable_bandwidth(sigma, snr_db, fs=1.0):
    """Highest frequency at which a Gaussian-blurred signal's spectrum is still above the noise.

    With the blur ``|H(f)| / |H(0)| = exp(-2 pi^2 sigma^2 f^2)`` (``sigma`` in
    samples) and the noise floor ``snr_db`` below the signal's spectrum at DC
    (an amplitude ratio ``SNR = 10^(snr_db / 20)``):

        f_max = fs * sqrt(ln(SNR) / (2 pi^2 sigma^2)).

    It is :func:`deconvlab.gaussian_cutoff` at the threshold ``1 / SNR``.

    Parameters
    ----------
    sigma : float
        Standard deviation of the blur, > 0 (samples, or seconds with ``fs = 1``).
    snr_db : float
        How far the noise floor lies below the signal's spectrum at DC, in dB, > 0.
    fs : float
        Sampling frequency, > 0.

    Returns
    -------
    float
        ``f_max`` in the units of ``fs``.

    Examples
    --------
    >>> round(recoverable_bandwidth(80, 200, fs=200), 2)   # σ = 0.4 s at 200 dB: harmonics 1, 3, 5
    2.7
    """
    snr_db = as_number(snr_db, "snr_db", strictly_positive=True)
    return gaussian_cutoff(sigma, 10 ** (-snr_db / 20), fs)
