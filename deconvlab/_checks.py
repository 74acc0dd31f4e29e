"""Input checks shared by every public function.

Each check raises a ``TypeError`` or ``ValueError`` whose message starts with
the argument's name, so a user sees *which* input was wrong and *why* instead
of a numpy traceback from deep inside a solver.
"""

import numbers

import numpy as np

MODES = ("full", "same", "valid", "circular")


def _real_vector(values, name):
    """``values`` as a non-empty 1-D float64 array of real numbers (NaN and inf not yet checked)."""
    try:
        array = np.asarray(values)
    except ValueError:  # numpy refuses ragged nested sequences
        raise ValueError(f"{name} must be a 1-D array; got a ragged sequence") from None
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        if np.issubdtype(array.dtype, np.complexfloating):
            raise TypeError(f"{name} must be real; got a complex array (deconvlab works on real signals)")
        raise TypeError(f"{name} must be an array of real numbers; got dtype {array.dtype}")
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    return array.astype(np.float64, copy=False)


def as_signal(values, name):
    """Return ``values`` as a finite, non-empty, 1-D float64 array.

    Raises
    ------
    TypeError
        If the values are not real numbers (complex, strings, objects).
    ValueError
        If the array is not 1-D, is empty, or holds NaN or inf.
    """
    array = _real_vector(values, name)
    if not np.all(np.isfinite(array)):
        bad = np.flatnonzero(~np.isfinite(array))
        raise ValueError(f"{name} holds NaN or inf at {bad.size} index(es), first at {bad[0]}")
    return array


def as_kernel(values, name="h"):
    """Like :func:`as_signal`, and also refuse an all-zero kernel (nothing to invert)."""
    kernel = as_signal(values, name)
    if not np.any(kernel):
        raise ValueError(f"{name} is all zeros: a zero kernel destroys the signal and cannot be inverted")
    return kernel


def check_mode(mode):
    """Return ``mode`` if it is one of :data:`MODES`, else raise ``ValueError``."""
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
    return mode


def check_kernel_fits(n, k, mode, n_name="x"):
    """Raise ``ValueError`` if a kernel of length ``k`` is too long for a signal of length ``n``.

    ``valid`` and ``circular`` need ``k <= n``; ``full`` and ``same`` accept any length.
    """
    if mode in ("valid", "circular") and k > n:
        raise ValueError(f"h is longer than {n_name} ({k} > {n}): mode={mode!r} needs len(h) <= len({n_name})")


def as_number(value, name, minimum=None, strictly_positive=False):
    """Return ``value`` as a finite float, checking its lower bound.

    ``minimum`` (inclusive) or ``strictly_positive`` (> 0) bound the value.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if strictly_positive and value <= 0:
        raise ValueError(f"{name} must be > 0; got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return value


def as_flag(value, name):
    """Return ``value`` if it is a bool (``True``/``False``), else raise ``TypeError``.

    A string such as ``"no"`` is truthy in Python: accepting it would silently mean the opposite.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


#: Largest count (of samples, bins, iterations) any function accepts: 10^8 samples are 800 MB.
MAX_COUNT = 10**8


def as_count(value, name, minimum=1, maximum=MAX_COUNT):
    """Return ``value`` as an int in ``minimum .. maximum`` (``maximum=None``: no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum:.0e} (sizes beyond that run out of memory or time); got {value}")
    return int(value)


def as_values(values, name):
    """Like :func:`as_signal`, but a scalar is also accepted (returned as a 0-d array)."""
    array = np.asarray(values) if np.ndim(values) == 0 else None
    if array is None:
        return as_signal(values, name)
    if isinstance(values, (bool, np.bool_)) or not isinstance(array.item(), numbers.Real):
        raise TypeError(f"{name} must be a real number or a 1-D array of them; got {type(values).__name__}")
    if not np.isfinite(float(array)):
        raise ValueError(f"{name} must be finite; got {float(array)}")
    return array.astype(np.float64)


def output_length(n, k, mode):
    """Length of ``convolve(x, h, mode)`` for ``len(x) = n``, ``len(h) = k``.

    Parameters
    ----------
    n : int
        Length of the signal ``x``.
    k : int
        Length of the kernel ``h``.
    mode : {"full", "same", "valid", "circular"}
        The convolution model (see :func:`deconvlab.convolve`).

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
        The convolution model (see :func:`deconvlab.convolve`).

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


def as_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices`` (strings, or ``None``), else raise ``ValueError``
    naming the argument and listing the choices.

    Examples
    --------
    >>> as_choice("gcv", "rule", ("gcv", "lcurve"))
    'gcv'
    """
    if not any(value is choice or (isinstance(value, str) and value == choice) for choice in choices):
        listed = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value


def check_sees_constant(h, mode, penalty):
    """Raise ``ValueError`` if ``mode`` cannot see a constant signal, which ``penalty`` leaves free.

    In ``valid`` and ``circular``, ``A 1 = sum(h) 1``: a kernel that sums to zero maps the constant to 0,
    and a penalty on differences (Tikhonov of order >= 1, total variation) does not fix it either, so
    the minimiser is not unique.
    """
    if mode in ("valid", "circular") and abs(h.sum()) <= h.size * np.finfo(float).eps * np.abs(h).max():
        raise ValueError(
            f"h sums to zero, so mode={mode!r} cannot see a constant, which the {penalty} leaves free: "
            "the minimiser is not unique"
        )


def as_singular_values(values, name):
    """Return ``values`` as a non-empty 1-D float64 array of values ``>= 0`` (``inf`` allowed: the
    generalised singular value of a direction a penalty leaves free); NaN and negatives raise."""
    array = _real_vector(values, name)
    if np.any(np.isnan(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be >= 0 everywhere (inf allowed, NaN not)")
    return array


def as_spectrum(values, name):
    """Return ``values`` as a non-empty, finite 1-D array of real or complex numbers (a spectrum, such
    as a transfer function on its rfft bins); bools, strings and objects raise ``TypeError``."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers; got {type(values).__name__}")
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-D array of numbers; got a ragged sequence") from None
    if array.dtype == bool or array.dtype.kind not in "iufc":
        raise TypeError(f"{name} must be an array of (real or complex) numbers; got dtype {array.dtype}")
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds NaN or inf")
    return array
