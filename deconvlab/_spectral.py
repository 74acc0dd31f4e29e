"""The frequency-domain machinery every FFT method shares (as scikit-image's ``uft`` serves its
``restoration`` module): the circular period a mode is embedded in, the kernel's spectrum, the one
filter pipeline, the symbol of the normal equations, and the rule that says which singular values
(or DFT bins) float64 resolves. No other module takes the FFT of a kernel itself.

Two circular models stand for a mode:

- the *embedding* of the filters (:func:`circular_embedding`, period :func:`circular_length`):
  ``n + k - 1`` for ``full`` (nothing wraps: exact), ``n`` otherwise (``valid``: the wrapped rows
  are unmeasured, set to 0; ``same``: periodic edges; ``circular``: itself);
- the *masked* model of the exact solvers (:func:`masked_circular_model`): the mode's rows of a
  circular convolution long enough that nothing wraps (``n + k - 1`` for ``full`` and ``same``).
"""

import numpy as np
import scipy.fft

from ._checks import as_count, as_kernel, as_signal, check_mode, solution_length

EPS = np.finfo(float).eps


def circular_length(n, k, mode):
    """The period ``N`` of :func:`circular_embedding` for a signal of ``n`` and a kernel of ``k``
    samples: ``n + k - 1`` for ``full`` (padded so nothing wraps), ``n`` for the other modes.

    Parameters
    ----------
    n : int
        Length of the signal.
    k : int
        Length of the kernel.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`deconvlab.convolve`).

    Returns
    -------
    int
        The period ``N``.

    Examples
    --------
    >>> circular_length(10, 3, "full"), circular_length(10, 3, "same")
    (12, 10)
    """
    n, k = as_count(n, "n"), as_count(k, "k")
    check_mode(mode)
    return n + k - 1 if mode == "full" else n


def first_full_row(k, mode):
    """Index of the full convolution's sample that is the first sample of ``mode``.

    ``0`` for ``full`` (and ``circular``, which has no full convolution to cut), ``(k - 1) // 2``
    for ``same`` (numpy's centring: the kernel's sample ``(k - 1) // 2`` is its centre), ``k - 1``
    for ``valid``. The one place where the centring of every mode is written down.

    Parameters
    ----------
    k : int
        Length of the kernel.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`deconvlab.convolve`).

    Returns
    -------
    int
        The row of the full convolution where ``mode``'s output starts.

    Examples
    --------
    >>> first_full_row(5, "same"), first_full_row(4, "same"), first_full_row(5, "valid")
    (2, 1, 4)
    """
    k = as_count(k, "k")
    check_mode(mode)
    return {"full": 0, "same": (k - 1) // 2, "valid": k - 1, "circular": 0}[mode]


def masked_circular_model(n, k, mode):
    """The circular problem of length ``N`` that contains ``mode`` exactly.

    Returns ``(N, start)``: ``convolve(x, h, mode)`` equals rows ``start .. start + m - 1``
    of the circular convolution of ``x`` zero-padded to ``N`` with ``h`` zero-padded to ``N``
    (``N = n + k - 1`` for ``full`` and ``same``, ``n`` for ``valid`` and ``circular``).

    Parameters
    ----------
    n : int
        Length of the signal.
    k : int
        Length of the kernel.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`deconvlab.convolve`).

    Returns
    -------
    N : int
        The period.
    start : int
        The first row of the circular convolution that ``mode`` measures.

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve
    >>> x, h = np.arange(6.0), np.array([1.0, 2.0, 3.0])
    >>> N, start = masked_circular_model(6, 3, "same")
    >>> circular = convolve(np.r_[x, np.zeros(N - 6)], np.r_[h, np.zeros(N - 3)], "circular")
    >>> bool(np.allclose(circular[start : start + 6], convolve(x, h, "same")))
    True
    """
    n, k = as_count(n, "n"), as_count(k, "k")
    check_mode(mode)
    return (n + k - 1 if mode in ("full", "same") else n), first_full_row(k, mode)


def centred_kernel(h, n):
    """``h`` zero-padded to ``n`` and rotated so that its centre (``first_full_row(k, "same")``)
    sits at lag 0: the circular kernel whose convolution is ``same`` for a periodic signal.

    Parameters
    ----------
    h : array
        The kernel, ``k`` samples.
    n : int
        The period, ``>= k``.

    Returns
    -------
    ndarray
        ``n`` samples: ``h[c:]``, zeros, ``h[:c]`` with ``c = (k - 1) // 2``.

    Examples
    --------
    >>> centred_kernel([1.0, 2.0, 3.0], 5).tolist()    # centre 2.0 at lag 0, 1.0 wraps to lag -1
    [2.0, 3.0, 0.0, 0.0, 1.0]
    """
    h = as_kernel(h)
    n = as_count(n, "n")
    if n < h.size:
        raise ValueError(f"n must be >= len(h) = {h.size}; got {n}")
    return np.roll(np.concatenate([h, np.zeros(n - h.size)]), -first_full_row(h.size, "same"))


def kernel_spectrum(h, n_fft):
    """``H = rfft(h, n_fft)``: the kernel's DTFT on the ``n_fft // 2 + 1`` bins ``f = b / n_fft``,
    lag 0 at ``h[0]``. Every FFT method of the package takes its ``H`` from here.

    Parameters
    ----------
    h : ndarray
        The kernel, validated, ``len(h) <= n_fft``.
    n_fft : int
        The DFT length.

    Returns
    -------
    complex ndarray
        ``n_fft // 2 + 1`` bins.

    Examples
    --------
    >>> kernel_spectrum(np.array([0.5, 0.5]), 4).round(3).tolist()
    [(1+0j), (0.5-0.5j), 0j]
    """
    return scipy.fft.rfft(h, n_fft)


def circular_embedding(y, h, mode):
    """The circular problem ``y_c = h_c (*) x_c`` (period ``N``) that stands for ``mode``.

    Returns ``(y_c, h_c, n)``: the solution of the mode is ``x_c[:n]``.

    - ``circular``: itself, ``N = len(y)``.
    - ``full``: ``N = len(y) = n + k - 1``. Linear convolution zero-padded to
      ``N`` does not wrap, so if ``y`` is a full convolution then ``x_c`` is
      ``x`` followed by ``k - 1`` zeros. Exact.
    - ``valid``: ``N = n = len(y) + k - 1``. The valid samples are rows
      ``k-1 .. n-1`` of the circular convolution of period ``n``; the ``k - 1``
      rows that wrap around are unmeasured and set to zero. The result solves
      the valid model exactly (one of its many solutions).
    - ``same``: ``N = n = len(y)``, the kernel centred (:func:`centred_kernel`).
      Exact for a periodic ``x``; otherwise the edges are approximate (the
      ``(k-1)//2`` samples nearest each end wrap around).

    Parameters
    ----------
    y : array
        The data of ``mode``.
    h : array
        The kernel.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`deconvlab.convolve`).

    Returns
    -------
    y_c, h_c : ndarray
        The data and kernel of the circular problem, period ``N = len(y_c)``.
    n : int
        The length of the solution of ``mode``.

    Examples
    --------
    >>> y_c, h_c, n = circular_embedding(np.ones(4), np.array([1.0, 1.0, 1.0]), "valid")
    >>> y_c.tolist(), n    # two unmeasured wrap rows, set to 0
    ([0.0, 0.0, 1.0, 1.0, 1.0, 1.0], 6)
    """
    y, h = as_signal(y, "y"), as_kernel(h)
    check_mode(mode)
    n = solution_length(y.size, h.size, mode)
    if mode in ("full", "circular"):
        return y, h, n
    if mode == "valid":
        return np.concatenate([np.zeros(h.size - 1), y]), h, n
    if h.size > n:
        raise ValueError(f"h is longer than y ({h.size} > {n}): mode='same' inversion needs len(h) <= len(y)")
    return y, centred_kernel(h, n), n


def spectral_filter(y, h, filter_of, mode="full"):
    """Deconvolve by a filter on the DFT bins: ``x = crop_n(irfft(W * rfft(y_c)))``, ``W = filter_of(H)``.

    The one pipeline of every frequency-domain method: make the problem circular
    (:func:`circular_embedding`: ``y_c``, ``h_c`` of period ``N``), take ``H = rfft(h_c)``,
    multiply the data's spectrum by the filter ``W`` the method computes from ``H``, transform
    back and keep the first ``n`` samples. The methods differ only in ``W``: the inverse filter
    ``1 / H`` (on the kept bins), Wiener ``conj(H) / (|H|^2 + nsr)``, Tikhonov the same with
    ``nsr = lam^2``.

    Parameters
    ----------
    y, h : array
        Data and kernel (validated by the caller).
    filter_of : callable
        ``H -> W``: an array of the ``N // 2 + 1`` filter values, one per rfft bin.
    mode : {"full", "same", "valid", "circular"}
        The convolution model that made ``y`` (see :func:`deconvlab.convolve`).

    Returns
    -------
    ndarray
        The estimate, ``solution_length(len(y), len(h), mode)`` samples.

    Examples
    --------
    >>> from deconvlab import convolve
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> bool(np.allclose(spectral_filter(convolve(x, h), h, lambda H: 1 / H), x))   # W = 1/H
    True
    """
    if not callable(filter_of):
        raise TypeError(f"filter_of must be a function H -> W; got {type(filter_of).__name__}")
    y_c, h_c, n = circular_embedding(y, h, mode)
    n_fft = y_c.size
    H = kernel_spectrum(h_c, n_fft)
    W = np.asarray(filter_of(H))
    if W.shape != H.shape or W.dtype.kind not in "iufc":  # inf/NaN allowed: a naive inverse may divide by 0
        raise ValueError(f"filter_of must return one number for each of the {H.size} rfft bins; got shape {W.shape}")
    return scipy.fft.irfft(W * scipy.fft.rfft(y_c), n_fft)[:n]


def rounding_floor(largest, size):
    """The smallest singular value float64 resolves in a problem of ``size`` rows or columns whose
    largest singular value is ``largest``: ``size * eps * largest`` (LAPACK's, and numpy's
    ``matrix_rank``, rank tolerance).

    The one rule of solvability: a singular value (or ``|H|`` on a DFT bin, the singular values of a
    circulant) at or below it is rounding noise, and dividing by it returns rounding errors
    multiplied by more than ``1 / (size eps)``. Every solver refuses, and every filter warns, there.

    Parameters
    ----------
    largest : float
        The largest singular value.
    size : int
        ``max(m, n)`` of the matrix (the DFT length for a spectrum).

    Returns
    -------
    float
        ``size * eps * largest``.

    Examples
    --------
    >>> float(rounding_floor(1.0, 1000) / EPS)
    1000.0
    """
    return size * EPS * largest


def unresolved_bins(H, penalty, n_fft):
    """The rfft bins where ``sqrt(|H|^2 + penalty)``, the singular value of the circular problem
    with the Tikhonov (or Wiener) term ``penalty``, is at or below :func:`rounding_floor` of
    ``max|H|``.

    Parameters
    ----------
    H : complex ndarray
        The kernel's spectrum on the rfft bins of a DFT of length ``n_fft``.
    penalty : float or ndarray
        ``lam^2`` (Tikhonov) or ``nsr`` (Wiener, per bin), >= 0 (``inf`` resolves a bin).
    n_fft : int
        The DFT length.

    Returns
    -------
    ndarray of int
        The unresolved bins, in increasing order.

    Examples
    --------
    >>> unresolved_bins(np.array([1.0, 1e-3, 1e-17]), 0.0, 4).tolist()
    [2]
    """
    magnitude = np.abs(H)
    floor = rounding_floor(magnitude.max(), n_fft)
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(magnitude**2 + penalty <= floor**2)


def difference_stencil(order):
    """The ``order``-th forward difference as a stencil: ``[-1, 1]`` for 1, ``[1, -2, 1]`` for 2,
    ``[1]`` for 0 (the coefficients of ``(z - 1)^order``; ``np.diff(v, order)[i] = stencil @ v[i : i + order + 1]``).

    Parameters
    ----------
    order : int
        The order, >= 0.

    Returns
    -------
    ndarray
        ``order + 1`` coefficients.

    Examples
    --------
    >>> difference_stencil(2).tolist()
    [1.0, -2.0, 1.0]
    """
    return np.diff(np.eye(order + 1), order, axis=0)[0]


def normal_symbol(h, lam, order, n):
    """The DFT of the circular version of ``A^T A + lam^2 L^T L`` (length ``n``, rfft bins):
    ``|H_b|^2 + lam^2 |D_b|^2``, with ``D`` the DFT of the ``order``-th difference stencil. Only
    magnitudes enter, so it is the same for every mode (where the kernel is centred is a phase).

    Parameters
    ----------
    h : ndarray
        The kernel (validated); a kernel longer than ``n`` is wrapped around the period (its circulant).
    lam : float
        The regularisation weight.
    order : int
        The difference order of the penalty.
    n : int
        The period.

    Returns
    -------
    ndarray
        ``n // 2 + 1`` non-negative values.

    Examples
    --------
    >>> normal_symbol(np.array([1.0]), 1.0, 1, 4).round(12).tolist()   # 1 + |1 - e^{-i w}|^2 at w = 0, pi/2, pi
    [1.0, 3.0, 5.0]
    """
    kernel = h if h.size <= n else np.bincount(np.arange(h.size) % n, weights=h, minlength=n)  # h wrapped
    H2 = np.abs(kernel_spectrum(kernel, n)) ** 2
    D2 = np.abs(kernel_spectrum(difference_stencil(order), n)) ** 2
    return H2 + lam**2 * D2
