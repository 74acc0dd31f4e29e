"""Error measures between an estimate and the true signal."""

import numbers

import numpy as np

from ._checks import as_count, as_number, as_signal, as_spectrum

__all__ = [
    "rmse",
    "snr_db",
    "magnitude_db",
    "overshoot",
    "rise_samples",
    "jump_errors",
    "power_of_ten",
    "below",
    "above",
]


def _pair(estimate, truth):
    """Check the pair. The truth must be finite; an estimate may hold inf/NaN (a failed deconvolution)."""
    truth = as_signal(truth, "truth")
    try:
        estimate = np.asarray(estimate)
    except ValueError:
        raise ValueError("estimate must be a 1-D array; got a ragged sequence") from None
    if estimate.dtype == bool or not np.issubdtype(estimate.dtype, np.number) or np.iscomplexobj(estimate):
        raise TypeError(f"estimate must be an array of real numbers; got dtype {estimate.dtype}")
    if estimate.ndim != 1:
        raise ValueError(f"estimate must be 1-D; got an array of shape {estimate.shape}")
    if estimate.shape != truth.shape:
        raise ValueError(f"estimate and truth must have the same length; got {estimate.size} and {truth.size}")
    return estimate.astype(np.float64), truth


def rmse(estimate, truth):
    """Root-mean-square error ``sqrt(mean((estimate - truth)^2))``.

    ``inf`` if the estimate holds inf or NaN (e.g. a naive inverse that divided by 0).

    Parameters
    ----------
    estimate : array
        The estimate (inf/NaN allowed: a failed method).
    truth : array
        The true signal, same length, finite.

    Returns
    -------
    float
        The root-mean-square error.

    Examples
    --------
    >>> round(rmse([1.0, 2.0], [1.0, 4.0]), 4)
    1.4142
    """
    estimate, truth = _pair(estimate, truth)
    if not np.all(np.isfinite(estimate)):
        return float("inf")
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


def snr_db(estimate, truth):
    """Signal-to-error ratio in dB: ``10 log10(sum(truth^2) / sum((estimate - truth)^2))``.

    ``inf`` for a perfect estimate, ``-inf`` for one holding inf or NaN.

    Parameters
    ----------
    estimate : array
        The estimate (inf/NaN allowed: a failed method).
    truth : array
        The true signal, same length, finite.

    Returns
    -------
    float
        The signal-to-error ratio in dB.

    Examples
    --------
    >>> round(snr_db([1.1, 1.9], [1.0, 2.0]), 1)    # 10 log10(5 / 0.02)
    24.0
    """
    estimate, truth = _pair(estimate, truth)
    if not np.all(np.isfinite(estimate)):
        return float("-inf")
    error = np.sum((estimate - truth) ** 2)
    if error == 0:
        return float("inf")
    return float(10 * np.log10(np.sum(truth**2) / error))


def magnitude_db(values, reference=None):
    """``20 log10(|values| / reference)``, the reference defaulting to ``max |values|``.

    Exact zeros map to -inf dB; use a plotting limit rather than a fudge factor.

    Parameters
    ----------
    values : array
        Real or complex values (e.g. a spectrum), 1-D, finite.
    reference : float, optional
        The 0 dB level, > 0 (default ``max |values|``).

    Returns
    -------
    ndarray
        ``20 log10(|values| / reference)``; -inf where a value is 0.

    Examples
    --------
    >>> magnitude_db([1.0, 0.1, 0.0]).tolist()
    [0.0, -20.0, -inf]
    """
    values = as_spectrum(values, "values")
    magnitude = np.abs(values)
    if reference is None:
        reference = magnitude.max()
        if reference == 0:
            raise ValueError("values are all zero: give a reference > 0")
    reference = as_number(reference, "reference", strictly_positive=True)
    with np.errstate(divide="ignore"):
        return 20.0 * np.log10(magnitude / reference)


def overshoot(estimate, low, high):
    """Largest excursion above ``high``, as a fraction of the jump: ``(max(estimate) - high) / (high - low)``.

    For an ideal low-pass of a step it tends to the Wilbraham-Gibbs constant 0.0895.

    Parameters
    ----------
    estimate : array
        An estimate of a step or square wave.
    low, high : float
        The true levels, ``high > low``.

    Returns
    -------
    float
        The overshoot as a fraction of the jump (negative if the estimate stays below ``high``).

    Examples
    --------
    >>> round(overshoot([0.0, 1.09, 1.0], 0.0, 1.0), 6)
    0.09
    """
    estimate = as_signal(estimate, "estimate")
    low, high = as_number(low, "low"), as_number(high, "high")
    if not high > low:
        raise ValueError(f"high must be > low; got low={low}, high={high}")
    return float((estimate.max() - high) / (high - low))


def _as_positions(values, name):
    """Jump positions: a 1-D sequence of whole numbers (possibly empty)."""
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be a sequence of sample indices; got {type(values).__name__}")
    try:
        positions = np.asarray(values)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a sequence of sample indices") from None
    if positions.size and positions.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold sample indices (integers); got dtype {positions.dtype}")
    positions = positions.astype(float)
    if positions.ndim != 1 or not np.all(np.isfinite(positions)) or np.any(positions != np.round(positions)):
        raise ValueError(f"{name} must be a 1-D sequence of whole sample indices")
    return np.sort(positions.astype(np.int64))


def jump_errors(found, true, *, tolerance=5):
    """Compare the jump positions a method found with the true ones.

    Each true jump is paired with the nearest found jump within ``tolerance`` samples (nearest
    pairs first, each jump used at most once). The unpaired true jumps are *missed*, the unpaired
    found jumps *spurious*; the paired ones have a position error ``|found - true|`` in samples.

    Parameters
    ----------
    found : sequence of int
        The jump positions of an estimate (e.g. ``jumps_of(quantize(estimate, levels))``).
    true : sequence of int
        The true jump positions (``jumps_of(x)``).
    tolerance : int
        The farthest a found jump may be from a true one and still count as finding it, >= 0.

    Returns
    -------
    dict
        ``found`` (pairs), ``missed``, ``spurious`` (counts), ``max_offset`` and ``mean_offset``
        (samples, over the pairs; 0 when there are none).

    Examples
    --------
    >>> errors = jump_errors([99, 205, 300], [100, 200, 400])
    >>> errors["found"], errors["missed"], errors["spurious"], errors["max_offset"]
    (2, 1, 1, 5)
    """
    found = _as_positions(found, "found")
    true = _as_positions(true, "true")
    tolerance = as_count(tolerance, "tolerance", minimum=0)
    distance = np.abs(found[:, None] - true[None, :])
    pairs = sorted((d, i, j) for (i, j), d in np.ndenumerate(distance) if d <= tolerance)
    used_found, used_true, offsets = set(), set(), []
    for d, i, j in pairs:
        if i not in used_found and j not in used_true:
            used_found.add(i)
            used_true.add(j)
            offsets.append(int(d))
    return {
        "found": len(offsets),
        "missed": int(true.size - len(offsets)),
        "spurious": int(found.size - len(offsets)),
        "max_offset": max(offsets, default=0),
        "mean_offset": float(np.mean(offsets)) if offsets else 0.0,
    }


def rise_samples(estimate, edge, low, high, half_window):
    """10-90 % rise width, in samples, of a rising edge near index ``edge``.

    Looks in ``estimate[edge - half_window : edge + half_window]`` for the last
    sample below ``low + 0.1 (high - low)`` before the first sample above
    ``low + 0.9 (high - low)``, and returns the distance between them.

    Parameters
    ----------
    estimate : array
        An estimate with a rising edge.
    edge : int
        Index near which the edge lies.
    low, high : float
        The levels, ``high > low``.
    half_window : int
        Half-width of the window searched around ``edge``.

    Returns
    -------
    int
        The 10-90 % rise width in samples.

    Raises
    ------
    ValueError
        If the window holds no rise from 10 % to 90 %.

    Examples
    --------
    >>> rise_samples([0.0, 0.0, 0.2, 0.5, 0.8, 1.0, 1.0], 3, 0.0, 1.0, 3)    # 0.0 at 1, 1.0 at 5
    4
    """
    estimate = as_signal(estimate, "estimate")
    edge = as_count(edge, "edge", minimum=0)
    low, high = as_number(low, "low"), as_number(high, "high")
    if not high > low:
        raise ValueError(f"high must be > low; got low={low}, high={high}")
    half_window = as_count(half_window, "half_window")
    if edge >= estimate.size:
        raise ValueError(f"edge must be an index of estimate (< {estimate.size}); got {edge}")
    segment = estimate[max(edge - half_window, 0) : edge + half_window]
    level = (segment - low) / (high - low)
    above = np.flatnonzero(level >= 0.9)
    if above.size == 0:
        raise ValueError("estimate never reaches 90 % of the jump near edge")
    below = np.flatnonzero(level[: above[0]] <= 0.1)
    if below.size == 0:
        raise ValueError("estimate never falls to 10 % of the jump before the edge")
    return int(above[0] - below[-1])


def power_of_ten(value):
    """Write a positive ``value`` as ``"10^-12"`` or ``"4×10^-14"`` (one significant digit).

    Parameters
    ----------
    value : float
        A positive number.

    Returns
    -------
    str
        The value to one significant digit, as a power of ten.

    Examples
    --------
    >>> power_of_ten(1e-12), power_of_ten(4e-14), power_of_ten(10.0)
    ('10^-12', '4×10^-14', '10^1')
    """
    value = as_number(value, "value", strictly_positive=True)
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"10^{int(exponent)}" if mantissa == "1" else f"{mantissa}×10^{int(exponent)}"


def _error_and_bound(value, bound):
    """An error size (a real number >= 0; inf and NaN allowed, they are what a broken method gives)
    and a bound (> 0)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a real number; got {type(value).__name__}")
    value = float(value)
    if value < 0:
        raise ValueError(f"value must be >= 0 (an error size); got {value}")
    return value, as_number(bound, "bound", strictly_positive=True)


def below(value, bound):
    """Say that ``value`` is below ``bound``: ``"below 10^-12"``.

    The platform-stable way to print an error that is pure rounding: its digits differ
    between CPUs (AVX2 and AVX-512 round ``exp`` differently), BLAS thread counts and library
    versions, but the bound does not. If ``value`` is not below ``bound`` (or is NaN) the
    result says so and shows the value, so a broken claim is visible in the output.

    Parameters
    ----------
    value : float
        An error size, >= 0 (inf and NaN allowed).
    bound : float
        The bound, > 0.

    Returns
    -------
    str
        The statement, or the value with "NOT ..." when the statement is false.

    Examples
    --------
    >>> below(3.3e-16, 1e-12)
    'below 10^-12'
    """
    value, bound = _error_and_bound(value, bound)
    if value < bound:
        return f"below {power_of_ten(bound)}"
    return f"{value:.1e} (NOT below {power_of_ten(bound)})"


def above(value, bound):
    """Say that ``value`` is above ``bound``: ``"above 10^10"`` (``inf`` and NaN count as above).

    For errors whose size is set by amplified rounding (a naive inverse), stable only in
    order of magnitude. If ``value`` is not above ``bound`` the result says so.

    Parameters
    ----------
    value : float
        An error size, >= 0 (inf and NaN allowed).
    bound : float
        The bound, > 0.

    Returns
    -------
    str
        The statement, or the value with "NOT ..." when the statement is false.

    Examples
    --------
    >>> above(2.6e15, 1e10)
    'above 10^10'
    """
    value, bound = _error_and_bound(value, bound)
    if not value <= bound:
        return f"above {power_of_ten(bound)}"
    return f"{value:.1e} (NOT above {power_of_ten(bound)})"
