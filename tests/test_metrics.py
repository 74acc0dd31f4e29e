import numpy as np
import pytest

import deconvlab as dl


def test_rmse_and_snr():
    truth = np.array([1.0, -1.0, 1.0, -1.0])
    estimate = truth + np.array([0.1, -0.1, 0.1, -0.1])
    assert dl.rmse(estimate, truth) == pytest.approx(0.1)
    assert dl.snr_db(estimate, truth) == pytest.approx(20.0)
    assert dl.snr_db(truth, truth) == float("inf")


def test_metrics_refuse_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        dl.rmse(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="estimate"):
        dl.snr_db([np.nan, 1.0], [1.0, 1.0])
