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

from ._checks import (
    MODES,
    as_count,
    as_kernel,
    as_number,
    as_signal,
    check_kernel_fits,
    check_mode,
    output_length,
    solution_length,
)
from ._spectral import (
    centred_kernel,
    circular_embedding,
    circular_length,
    first_full_row,
    kernel_spectrum,
    masked_circular_model,
    spectral_filter,
)

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
        return scipy.fft.irfft(scipy.fft.rfft(x) * kernel_spectrum(h, x.size), x.size)
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
        return scipy.fft.irfft(np.conj(kernel_spectrum(h, n)) * scipy.fft.rfft(y), n)
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
    ``f = 0 .. n_fft // 2`` (see :func:`rfft_frequencies`): the same ``H`` every FFT
    method of the package uses (they agree on lag 0 at ``h[0]``).

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
    return kernel_spectrum(h, n_fft)


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
