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
    with pytest.raises(ValueError, match="truth"):
        dl.snr_db([1.0, 1.0], [np.nan, 1.0])
    with pytest.raises(ValueError, match="estimate"):
        dl.rmse(np.ones((2, 2)), np.ones(2))


def test_a_failed_estimate_scores_inf_not_nan():
    assert dl.rmse([np.nan, 1.0], [1.0, 1.0]) == float("inf")
    assert dl.snr_db([np.inf, 1.0], [1.0, 1.0]) == float("-inf")


def test_overshoot_and_rise_of_a_known_edge():
    ramp = np.concatenate([np.zeros(10), np.linspace(0, 1, 11), np.ones(10)])  # 0 → 1 over 10 samples
    assert dl.rise_samples(ramp, 15, 0.0, 1.0, 15) == 8  # 10 % reached at index 11, 90 % at index 19
    bumped = ramp.copy()
    bumped[-3] = 1.09
    assert dl.overshoot(bumped, 0.0, 1.0) == pytest.approx(0.09)
    with pytest.raises(ValueError, match="high"):
        dl.overshoot(ramp, 1.0, 0.0)
    with pytest.raises(ValueError, match="90"):
        dl.rise_samples(np.zeros(30), 15, 0.0, 1.0, 10)


def test_magnitude_db():
    np.testing.assert_allclose(dl.magnitude_db([10.0, 1.0, 0.1]), [0.0, -20.0, -40.0])
    assert dl.magnitude_db([1.0, 0.0])[1] == -np.inf
    with pytest.raises(ValueError, match="reference"):
        dl.magnitude_db([1.0], reference=0)


def test_below_and_above_state_bounds_and_flag_a_broken_claim():
    assert dl.below(3.3e-16, 1e-12) == "below 10^-12"
    assert dl.below(2e-14, 4e-14) == "below 4×10^-14"
    assert dl.below(1e-12, 1e-12).startswith("1.0e-12 (NOT below")  # the bound is strict
    assert "NOT" in dl.below(float("nan"), 1.0)
    assert dl.above(2.6e15, 1e10) == "above 10^10"
    assert dl.above(float("inf"), 1.0) == dl.above(float("nan"), 1.0) == "above 10^0"
    assert dl.above(0.5, 1.0) == "5.0e-01 (NOT above 10^0)"


def test_power_of_ten_rounds_to_one_significant_digit():
    assert [dl.power_of_ten(v) for v in (1e-12, 4.4e-14, 9.6e-3, 10.0)] == ["10^-12", "4×10^-14", "10^-2", "10^1"]


def test_jump_errors_counts_found_missed_spurious_and_offsets():
    """Against hand-counted cases: exact, shifted, missing, extra, and two found jumps competing
    for one true jump (the nearer wins, the other is spurious)."""
    assert dl.jump_errors([100, 200], [100, 200]) == {
        "found": 2,
        "missed": 0,
        "spurious": 0,
        "max_offset": 0,
        "mean_offset": 0.0,
    }
    errors = dl.jump_errors([103, 199, 250], [100, 200, 300], tolerance=5)
    assert (errors["found"], errors["missed"], errors["spurious"]) == (2, 1, 1)
    assert errors["max_offset"] == 3 and errors["mean_offset"] == 2.0
    errors = dl.jump_errors([98, 101], [100], tolerance=5)
    assert (errors["found"], errors["spurious"], errors["max_offset"]) == (1, 1, 1)
    assert dl.jump_errors([], [5, 9])["missed"] == 2
    assert dl.jump_errors([106], [100], tolerance=5)["found"] == 0
    assert dl.jump_errors([105], [100], tolerance=5)["found"] == 1


def test_jump_errors_of_a_random_shift_are_the_shift():
    rng = np.random.default_rng(4)
    true = np.sort(rng.choice(np.arange(0, 10_000, 50), 40, replace=False))
    shifts = rng.integers(-3, 4, true.size)
    errors = dl.jump_errors(true + shifts, true, tolerance=3)
    assert errors["found"] == true.size and errors["max_offset"] == np.abs(shifts).max()
    assert errors["mean_offset"] == pytest.approx(np.abs(shifts).mean())
