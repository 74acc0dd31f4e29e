"""Error measures between an estimate and the true signal."""

import numpy as np

from ._checks import as_signal


def _pair(estimate, truth):
    estimate = as_signal(estimate, "estimate")
    truth = as_signal(truth, "truth")
    if estimate.shape != truth.shape:
        raise ValueError(f"estimate and truth must have the same length; got {estimate.size} and {truth.size}")
    return estimate, truth


def rmse(estimate, truth):
    """Root-mean-square error ``sqrt(mean((estimate - truth)^2))``."""
    estimate, truth = _pair(estimate, truth)
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


def snr_db(estimate, truth):
    """Signal-to-error ratio in dB: ``10 log10(sum(truth^2) / sum((estimate - truth)^2))``.

    ``inf`` for a perfect estimate.
    """
    estimate, truth = _pair(estimate, truth)
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
