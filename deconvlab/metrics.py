"""Error measures between an estimate and the true signal."""

import numpy as np

from ._checks import as_signal

__all__ = [
    "rmse",
    "snr_db",
    "magnitude_db",
    "overshoot",
    "rise_samples",
    "power_of_ten",
    "below",
    "above",
]


def _pair(estimate, truth):
    """Check the pair. The truth must be finite; an estimate may hold inf/NaN (a failed deconvolution)."""
    truth = as_signal(truth, "truth")
    estimate = np.asarray(estimate)
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
    """
    magnitude = np.abs(np.asarray(values))
    if magnitude.size == 0:
        raise ValueError("values must not be empty")
    reference = magnitude.max() if reference is None else float(reference)
    if not reference > 0:
        raise ValueError(f"reference must be > 0; got {reference}")
    with np.errstate(divide="ignore"):
        return 20.0 * np.log10(magnitude / reference)


def overshoot(estimate, low, high):
    """Largest excursion above ``high``, as a fraction of the jump: ``(max(estimate) - high) / (high - low)``.

    For an ideal low-pass of a step it tends to the Wilbraham-Gibbs constant 0.0895.
    """
    estimate = as_signal(estimate, "estimate")
    if not high > low:
        raise ValueError(f"high must be > low; got low={low}, high={high}")
    return float((estimate.max() - high) / (high - low))


def rise_samples(estimate, edge, low, high, half_window):
    """10-90 % rise width, in samples, of a rising edge near index ``edge``.

    Looks in ``estimate[edge - half_window : edge + half_window]`` for the last
    sample below ``low + 0.1 (high - low)`` before the first sample above
    ``low + 0.9 (high - low)``, and returns the distance between them.
    """
    estimate = as_signal(estimate, "estimate")
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

    Examples
    --------
    >>> power_of_ten(1e-12), power_of_ten(4e-14), power_of_ten(10.0)
    ('10^-12', '4×10^-14', '10^1')
    """
    mantissa, exponent = f"{float(value):.0e}".split("e")
    return f"10^{int(exponent)}" if mantissa == "1" else f"{mantissa}×10^{int(exponent)}"


def below(value, bound):
    """Say that ``value`` is below ``bound``: ``"below 10^-12"``.

    The platform-stable way to print an error that is pure rounding: its digits differ
    between CPUs (AVX2 and AVX-512 round ``exp`` differently), BLAS thread counts and library
    versions, but the bound does not. If ``value`` is not below ``bound`` (or is NaN) the
    result says so and shows the value, so a broken claim is visible in the output.

    Examples
    --------
    >>> below(3.3e-16, 1e-12)
    'below 10^-12'
    """
    value = float(value)
    if value < bound:
        return f"below {power_of_ten(bound)}"
    return f"{value:.1e} (NOT below {power_of_ten(bound)})"


def above(value, bound):
    """Say that ``value`` is above ``bound``: ``"above 10^10"`` (``inf`` and NaN count as above).

    For errors whose size is set by amplified rounding (a naive inverse), stable only in
    order of magnitude. If ``value`` is not above ``bound`` the result says so.

    Examples
    --------
    >>> above(2.6e15, 1e10)
    'above 10^10'
    """
    value = float(value)
    if not value <= bound:
        return f"above {power_of_ten(bound)}"
    return f"{value:.1e} (NOT above {power_of_ten(bound)})"
