"""The forward model ``y = h * x`` in four modes, as arrays, matrices and operators.

===========  ==========================  =======================
mode         len(y) for len(x)=n, len(h)=k  rows of the full result
===========  ==========================  =======================
"full"       n + k - 1                   all
"same"       n                           (k-1)//2 ... (k-1)//2 + n - 1 (numpy's centring)
"valid"      n - k + 1  (k <= n)         k-1 ... n-1 (kernel fully inside)
"circular"   n  (k <= n)                 y = ifft(fft(x) * fft(h, n)), lag 0 at h[0]
===========  ==========================  =======================
"""

import numpy as np
import scipy.fft
import scipy.linalg
import scipy.signal
import scipy.sparse
from scipy.sparse.linalg import LinearOperator

from ._checks import MODES, as_count, as_kernel, as_number, as_signal, check_kernel_fits, check_mode

__all__ = [
    "MODES",
    "output_length",
    "solution_length",
    "convolve",
    "convolve_adjoint",
    "convolution_matrix",
    "sparse_convolution_matrix",
    "first_full_row",
    "centred_kernel",
    "circular_embedding",
    "circular_length",
    "masked_circular_model",
    "spectral_filter",
    "convolution_operator",
    "transfer_function",
    "rfft_frequencies",
]


def output_length(n, k, mode):
    """Length of ``convolve(x, h, mode)`` for ``len(x) = n``, ``len(h) = k``.

    Parameters
    ----------
    n : int
        Length of the signal ``x``.
    k : int
        Length of the kernel ``h``.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`convolve`).

    Returns
    -------
    int
        ``n + k - 1`` (full), ``n`` (same, circular), ``n - k + 1`` (valid).

    Raises
    ------
    ValueError
        If the kernel does not fit (``valid``/``circular`` with ``k > n``).

    Examples
    --------
    >>> output_length(10, 3, 'valid'), output_length(10, 3, 'full')
    (8, 12)
    """
    n, k = as_count(n, "n"), as_count(k, "k")
    check_mode(mode)
    check_kernel_fits(n, k, mode)
    return {"full": n + k - 1, "same": n, "valid": n - k + 1, "circular": n}[mode]


def solution_length(m, k, mode):
    """Length of the signal a solver returns for ``len(y) = m``, ``len(h) = k``.

    The inverse of :func:`output_length`: ``m - k + 1`` for ``full``,
    ``m + k - 1`` for ``valid``, ``m`` for ``same`` and ``circular``.

    Parameters
    ----------
    m : int
        Length of the data ``y``.
    k : int
        Length of the kernel ``h``.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`convolve`).

    Returns
    -------
    int
        The length ``n`` of the signal that ``convolve`` maps to ``m`` samples.

    Examples
    --------
    >>> solution_length(8, 3, 'valid')
    10
    """
    m, k = as_count(m, "m"), as_count(k, "k")
    check_mode(mode)
    if mode == "full":
        if m < k:
            raise ValueError(f"y is shorter than h ({m} < {k}): a full convolution has len(y) >= len(h)")
        return m - k + 1
    if mode == "circular":
        check_kernel_fits(m, k, mode, n_name="y")
    return {"same": m, "valid": m + k - 1, "circular": m}[mode]


def check_problem(y, h, mode):
    """Validate a deconvolution problem; return ``(y, h, n)`` with ``n`` the solution length."""
    y = as_signal(y, "y")
    h = as_kernel(h)
    check_mode(mode)
    return y, h, solution_length(y.size, h.size, mode)


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
        The convolution model (see :func:`convolve`).

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
        The convolution model (see :func:`convolve`).

    Returns
    -------
    y_c, h_c : ndarray
        The data and kernel of the circular problem, period ``N = len(y_c)``.
    n : int
        The length of the solution of ``mode``.

    Examples
    --------
    >>> import numpy as np
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

    Returns
    -------
    ndarray
        The estimate, ``solution_length(len(y), len(h), mode)`` samples.

    Examples
    --------
    >>> import numpy as np
    >>> x, h = np.r_[np.zeros(20), np.ones(20)], np.array([0.6, 0.3, 0.1])
    >>> bool(np.allclose(spectral_filter(convolve(x, h), h, lambda H: 1 / H), x))   # W = 1/H
    True
    """
    if not callable(filter_of):
        raise TypeError(f"filter_of must be a function H -> W; got {type(filter_of).__name__}")
    y_c, h_c, n = circular_embedding(y, h, mode)
    n_fft = y_c.size
    H = scipy.fft.rfft(h_c, n_fft)
    W = np.asarray(filter_of(H))
    if W.shape != H.shape or W.dtype.kind not in "iufc":  # inf/NaN allowed: a naive inverse may divide by 0
        raise ValueError(f"filter_of must return one number for each of the {H.size} rfft bins; got shape {W.shape}")
    return scipy.fft.irfft(W * scipy.fft.rfft(y_c), n_fft)[:n]


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
        The convolution model (see :func:`convolve`).

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
        The convolution model (see :func:`convolve`).

    Returns
    -------
    N : int
        The period.
    start : int
        The first row of the circular convolution that ``mode`` measures.

    Examples
    --------
    >>> import numpy as np
    >>> x, h = np.arange(6.0), np.array([1.0, 2.0, 3.0])
    >>> N, start = masked_circular_model(6, 3, "same")
    >>> circular = convolve(np.r_[x, np.zeros(N - 6)], np.r_[h, np.zeros(N - 3)], "circular")
    >>> bool(np.allclose(circular[start : start + 6], convolve(x, h, "same")))
    True
    """
    n, k = as_count(n, "n"), as_count(k, "k")
    check_mode(mode)
    return (n + k - 1 if mode in ("full", "same") else n), first_full_row(k, mode)


def convolve(x, h, mode="full"):
    """Convolve signal ``x`` with kernel ``h``: ``y[i] = sum_j h[j] x[i - j]``.

    ``full``, ``same`` and ``valid`` equal ``numpy.convolve(x, h, mode)`` (for
    ``same`` with ``len(h) > len(x)`` numpy returns ``len(h)`` samples; here it
    is always ``len(x)``). ``scipy.signal.convolve`` picks direct or FFT
    evaluation, whichever is faster. ``circular`` is
    ``irfft(rfft(x) * rfft(h, n), n)``: periodic with period ``n = len(x)``.

    Parameters
    ----------
    x : array
        The signal, 1-D, finite.
    h : array
        The kernel, 1-D, finite, not all zero.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`convolve`).

    Returns
    -------
    ndarray
        ``output_length(len(x), len(h), mode)`` samples.

    Examples
    --------
    >>> convolve([1.0, 2.0, 3.0], [1.0, 1.0]).tolist()
    [1.0, 3.0, 5.0, 3.0]
    >>> convolve([1.0, 2.0, 3.0], [1.0, 1.0], 'circular').tolist()
    [4.0, 3.0, 5.0]
    """
    x = as_signal(x, "x")
    h = as_kernel(h)
    check_mode(mode)
    check_kernel_fits(x.size, h.size, mode)
    if mode == "circular":
        return scipy.fft.irfft(scipy.fft.rfft(x) * scipy.fft.rfft(h, x.size), x.size)
    if mode == "same":
        start = first_full_row(h.size, mode)
        return scipy.signal.convolve(x, h, mode="full")[start : start + x.size]
    return scipy.signal.convolve(x, h, mode=mode)


def convolve_adjoint(y, h, n, mode="full"):
    """Apply the transpose ``A^T`` of the convolution matrix ``A`` of :func:`convolve`.

    ``A^T y`` is a correlation with ``h``: ``(A^T y)[i] = sum_j h[j] y_full[i + j]``,
    where ``y_full`` is ``y`` placed at the rows of the full result that ``mode``
    keeps (zeros elsewhere). For ``circular`` it is ``irfft(conj(H) Y)``.
    Satisfies ``dot(A x, y) == dot(x, A^T y)`` to rounding (the "dot test").

    Parameters
    ----------
    y : array
        A vector in the output space, ``output_length(n, len(h), mode)`` samples.
    h : array
        The kernel.
    n : int
        Length of the signal space.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`convolve`).

    Returns
    -------
    ndarray
        ``A^T y``, ``n`` samples.

    Examples
    --------
    >>> import numpy as np
    >>> x, h, y = np.arange(5.0), np.array([1.0, -2.0]), np.array([1.0, 0.0, 2.0, 1.0, 3.0, -1.0])
    >>> bool(np.isclose(convolve(x, h) @ y, x @ convolve_adjoint(y, h, 5)))   # the dot test
    True
    """
    y = as_signal(y, "y")
    h = as_kernel(h)
    n = as_count(n, "n")
    expected = output_length(n, h.size, mode)
    if y.size != expected:
        raise ValueError(f"y must have {expected} samples for n={n}, len(h)={h.size}, mode={mode!r}; got {y.size}")
    if mode == "circular":
        return scipy.fft.irfft(np.conj(scipy.fft.rfft(h, n)) * scipy.fft.rfft(y), n)
    y_full = np.zeros(n + h.size - 1)
    start = first_full_row(h.size, mode)
    y_full[start : start + y.size] = y
    return scipy.signal.correlate(y_full, h, mode="valid")


def convolution_matrix(h, n, mode="full"):
    """The dense matrix ``A`` with ``A @ x == convolve(x, h, mode)`` for ``len(x) = n``.

    Toeplitz for ``full``/``same``/``valid`` (``scipy.linalg.convolution_matrix``),
    circulant for ``circular`` (``scipy.linalg.circulant`` of ``h`` zero-padded to ``n``).
    Shape ``(output_length(n, k, mode), n)``.

    Parameters
    ----------
    h : array
        The kernel.
    n : int
        Length of the signal.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`convolve`).

    Returns
    -------
    ndarray
        ``A``, shape ``(output_length(n, k, mode), n)``.

    Examples
    --------
    >>> convolution_matrix([1.0, 2.0], 3)
    array([[1., 0., 0.],
           [2., 1., 0.],
           [0., 2., 1.],
           [0., 0., 2.]])
    """
    h = as_kernel(h)
    n = as_count(n, "n")
    check_mode(mode)
    check_kernel_fits(n, h.size, mode, n_name="the signal (n)")
    if mode == "circular":
        return scipy.linalg.circulant(np.concatenate([h, np.zeros(n - h.size)]))
    if mode == "same":
        start = first_full_row(h.size, mode)
        return scipy.linalg.convolution_matrix(h, n, "full")[start : start + n]
    return scipy.linalg.convolution_matrix(h, n, mode)


def sparse_convolution_matrix(h, n, mode="full"):
    """:func:`convolution_matrix` as a ``scipy.sparse`` CSR matrix: ``k`` diagonals (``2k`` for
    ``circular``, whose diagonals wrap), O(n k) memory instead of O(n^2).

    ``A[i, j] = h[i + s - j]`` for the rows ``s .. s + m - 1`` of the full convolution that ``mode``
    keeps (see :func:`output_length`); circular: ``A[i, j] = h[(i - j) mod n]``.

    Parameters
    ----------
    h : array
        The kernel.
    n : int
        Length of the signal.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`convolve`).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``A``, shape ``(output_length(n, k, mode), n)``.

    Examples
    --------
    >>> import numpy as np
    >>> A = sparse_convolution_matrix([1.0, 2.0, 3.0], 5, "same")
    >>> bool(np.array_equal(A.toarray(), convolution_matrix([1.0, 2.0, 3.0], 5, "same")))
    True
    """
    h = as_kernel(h)
    n = as_count(n, "n")
    check_mode(mode)
    check_kernel_fits(n, h.size, mode, n_name="the signal (n)")
    k = h.size
    if mode == "circular":
        offsets = [-d for d in range(k)] + [n - d for d in range(1, k)]
        values = list(h) + list(h[1:])
        return scipy.sparse.diags(values, offsets, shape=(n, n), format="csr")
    full = scipy.sparse.diags(list(h), [-d for d in range(k)], shape=(n + k - 1, n), format="csr")
    start = first_full_row(k, mode)
    return full[start : start + output_length(n, k, mode)]


def convolution_operator(h, n, mode="full"):
    """Matrix-free ``scipy.sparse.linalg.LinearOperator`` for :func:`convolve`.

    ``A @ x`` is :func:`convolve`, ``A.T @ y`` (``rmatvec``) is
    :func:`convolve_adjoint`: O(n log n) memory and time, so it scales to
    n = 10^6 where the dense matrix would not fit.

    Parameters
    ----------
    h : array
        The kernel.
    n : int
        Length of the signal.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`convolve`).

    Returns
    -------
    scipy.sparse.linalg.LinearOperator
        Shape ``(output_length(n, k, mode), n)``, float64.

    Examples
    --------
    >>> import numpy as np
    >>> A = convolution_operator([1.0, 2.0], 3)
    >>> (A @ np.ones(3)).tolist(), (A.T @ np.ones(4)).tolist()
    ([1.0, 3.0, 3.0, 2.0], [3.0, 3.0, 3.0])
    """
    h = as_kernel(h)
    n = as_count(n, "n")
    m = output_length(n, h.size, mode)
    return LinearOperator(
        shape=(m, n),
        matvec=lambda x: convolve(np.ravel(x), h, mode),
        rmatvec=lambda y: convolve_adjoint(np.ravel(y), h, n, mode),
        dtype=np.float64,
    )


def transfer_function(h, n_fft):
    """Samples of the kernel's DTFT, ``H[f] = sum_j h[j] exp(-2 pi i f j / n_fft)``.

    Returns ``rfft(h, n_fft)``: the ``n_fft // 2 + 1`` non-negative frequency bins
    ``f = 0 .. n_fft // 2`` (see :func:`rfft_frequencies`). Used by every FFT
    method so they agree on lag 0 at ``h[0]``.

    Parameters
    ----------
    h : array
        The kernel.
    n_fft : int
        DFT length, ``>= len(h)``.

    Returns
    -------
    complex ndarray
        ``H``, ``n_fft // 2 + 1`` bins.

    Examples
    --------
    >>> transfer_function([0.5, 0.5], 4).round(3).tolist()    # 1 at DC, 0 at Nyquist
    [(1+0j), (0.5-0.5j), 0j]
    """
    h = as_kernel(h)
    n_fft = as_count(n_fft, "n_fft")
    if n_fft < h.size:
        raise ValueError(f"n_fft must be >= len(h) = {h.size} (else the kernel is aliased); got {n_fft}")
    return scipy.fft.rfft(h, n_fft)


def rfft_frequencies(n_fft, fs=1.0):
    """Frequencies of the bins of :func:`transfer_function`, in cycles per unit of ``1/fs``.

    Parameters
    ----------
    n_fft : int
        DFT length.
    fs : float
        Sampling frequency, > 0.

    Returns
    -------
    ndarray
        ``n_fft // 2 + 1`` frequencies ``b fs / n_fft``, ``b = 0 .. n_fft // 2``.

    Examples
    --------
    >>> rfft_frequencies(8, fs=200).tolist()    # 25 Hz per bin
    [0.0, 25.0, 50.0, 75.0, 100.0]
    """
    return scipy.fft.rfftfreq(as_count(n_fft, "n_fft"), d=1.0 / as_number(fs, "fs", strictly_positive=True))
