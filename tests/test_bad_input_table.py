"""Every public function x every class of bad input that applies to each of its arguments.

A call with one argument spoiled must either raise a ``ValueError``/``TypeError`` whose message
names that argument, or return the finite result listed in ``DOCUMENTED`` (with the reason).
Never NaN/inf, never a numpy or scipy error from deep inside, never garbage.
"""

import numpy as np
import pytest

import deconvlab as dl

Y = np.r_[np.zeros(20), np.ones(20)]  # 40 samples
H = np.array([0.6, 0.3, 0.1])
FULL = dl.convolve(Y, H)  # 42 samples

# The classes of bad input, by the kind of argument they spoil.
SIGNAL = {
    "string": "abc",
    "None": None,
    "bool array": [True, False] * 20,
    "empty": [],
    "2-D": [[1.0, 2.0], [3.0, 4.0]],
    "ragged": [[1.0], [1.0, 2.0]],
    "NaN": [np.nan] * 40,
    "inf": [np.inf] * 40,
    "complex": np.ones(40) * 1j,
    "scalar": 1.0,
}
KERNEL = {**SIGNAL, "all zeros": np.zeros(3)}
NUMBER = {"string": "1", "None": None, "bool": True, "NaN": np.nan, "inf": np.inf, "array": [1.0, 2.0]}
NONNEGATIVE = {**NUMBER, "negative": -1.0}
POSITIVE = {**NONNEGATIVE, "zero": 0.0}
FRACTION = {**POSITIVE, "one": 1.0}
COUNT0 = {"float": 1.5, "bool": True, "string": "3", "None": None, "negative": -1, "huge": 10**12}
COUNT = {**COUNT0, "zero": 0}
MODE = {"unknown": "wrap", "None": None, "int": 1, "upper case": "FULL"}
FLAG = {"string": "no", "int": 1, "None": None}
METHOD = {"unknown": "magic", "None": None, "int": 1}
CODE = {"too short": "123", "letters": "abcdefghijkl", "None": None, "int": 400638133393, "spaces": "4006 8133393 "}


def without(kind, *names):
    return {key: value for key, value in kind.items() if key not in names}


# function: (valid arguments by name, {argument: its classes of bad input})
SPECS = {
    dl.seed_square_wave: ({"fs": 200}, {"fs": POSITIVE}),
    dl.gaussmf: ({"t": Y, "sigma": 1.0, "c": 0.0}, {"t": SIGNAL, "sigma": POSITIVE, "c": NUMBER}),
    dl.seed_gaussian: ({"n": 100, "fs": 200}, {"n": COUNT, "fs": POSITIVE}),
    dl.square_wave: (
        {"n": 100, "period": 20, "duty": 0.5, "levels": (0.0, 1.0), "delay": 0},
        {"n": COUNT, "period": COUNT, "duty": FRACTION, "delay": COUNT0},
    ),
    dl.gaussian_kernel: (
        {"sigma": 2.0, "radius": 6, "normalize": True},
        {"sigma": POSITIVE, "radius": without(COUNT0, "None"), "normalize": FLAG},
    ),
    dl.add_noise: ({"y": Y, "std": 0.1, "rng": 0}, {"y": SIGNAL, "std": NONNEGATIVE}),
    dl.gaussian_transfer: ({"f": Y, "sigma": 2.0}, {"f": SIGNAL, "sigma": POSITIVE}),
    dl.square_wave_harmonics: (
        {"period": 2.0, "jump": 1.0, "count": 5},
        {"period": POSITIVE, "jump": NUMBER, "count": COUNT},
    ),
    dl.output_length: ({"n": 10, "k": 3, "mode": "full"}, {"n": COUNT, "k": COUNT, "mode": MODE}),
    dl.solution_length: ({"m": 12, "k": 3, "mode": "full"}, {"m": COUNT, "k": COUNT, "mode": MODE}),
    dl.convolve: ({"x": Y, "h": H, "mode": "full"}, {"x": SIGNAL, "h": KERNEL, "mode": MODE}),
    dl.convolve_adjoint: (
        {"y": FULL, "h": H, "n": 40, "mode": "full"},
        {"y": SIGNAL, "h": KERNEL, "n": COUNT, "mode": MODE},
    ),
    dl.convolution_matrix: ({"h": H, "n": 40, "mode": "full"}, {"h": KERNEL, "n": COUNT, "mode": MODE}),
    dl.sparse_convolution_matrix: ({"h": H, "n": 40, "mode": "full"}, {"h": KERNEL, "n": COUNT, "mode": MODE}),
    dl.convolution_operator: ({"h": H, "n": 40, "mode": "full"}, {"h": KERNEL, "n": COUNT, "mode": MODE}),
    dl.transfer_function: ({"h": H, "n_fft": 64}, {"h": KERNEL, "n_fft": COUNT}),
    dl.rfft_frequencies: ({"n_fft": 64, "fs": 1.0}, {"n_fft": COUNT, "fs": POSITIVE}),
    dl.inverse_filter: (
        {"y": FULL, "h": H, "threshold": 0.1, "mode": "full", "taper": None},
        {
            "y": SIGNAL,
            "h": KERNEL,
            "threshold": without(FRACTION, "zero"),
            "mode": MODE,
            "taper": without(METHOD, "None"),
        },
    ),
    dl.kept_bandwidth: (
        {"h": H, "threshold": 0.5, "fs": 1.0, "n_fft": 64},
        {"h": KERNEL, "threshold": POSITIVE, "fs": POSITIVE, "n_fft": without(COUNT, "None")},
    ),
    dl.gaussian_cutoff: (
        {"sigma": 2.0, "threshold": 0.1, "fs": 1.0},
        {"sigma": POSITIVE, "threshold": FRACTION, "fs": POSITIVE},
    ),
    dl.ideal_lowpass: (
        {"x": Y, "n_bins": 5, "n_fft": 64},
        {"x": SIGNAL, "n_bins": COUNT0, "n_fft": without(COUNT, "None")},
    ),
    dl.wiener: (
        {"y": FULL, "h": H, "nsr": 0.01, "mode": "full"},
        {"y": SIGNAL, "h": KERNEL, "nsr": without(NONNEGATIVE, "inf", "array"), "mode": MODE},
    ),
    dl.oracle_nsr: (
        {"x": np.random.default_rng(0).standard_normal(40), "h": H, "noise_std": 0.1, "mode": "full"},
        {"x": SIGNAL, "h": KERNEL, "noise_std": NONNEGATIVE, "mode": MODE},
    ),
    dl.recoverable_bandwidth: (
        {"sigma": 2.0, "snr_db": 40.0, "fs": 1.0},
        {"sigma": POSITIVE, "snr_db": POSITIVE, "fs": POSITIVE},
    ),
    dl.wiener_filter_factors: (
        {"H": np.fft.rfft(H, 8), "nsr": 0.01},
        {"H": without(SIGNAL, "scalar", "complex", "bool array"), "nsr": without(NONNEGATIVE, "inf", "array")},
    ),
    dl.tikhonov_filter_factors: (
        {"singular_values": np.array([2.0, 1.0, np.inf]), "lam": 0.5},
        {"singular_values": without(SIGNAL, "inf", "scalar"), "lam": NONNEGATIVE},
    ),
    dl.tsvd_filter_factors: (
        {"singular_values": np.array([2.0, 1.0, 0.5]), "k": 2},
        {"singular_values": without(SIGNAL, "inf", "scalar"), "k": {**COUNT0, "too many": 4}},
    ),
    dl.spectral_filter: (
        {"y": FULL, "h": H, "filter_of": np.conj, "mode": "full"},
        {"y": SIGNAL, "h": KERNEL, "filter_of": {"string": "1/H", "None": None, "int": 1}, "mode": MODE},
    ),
    dl.ean13_check_digit: ({"code": "400638133393"}, {"code": CODE}),
    dl.ean13_modules: ({"code": "400638133393"}, {"code": {**CODE, "wrong check digit": "4006381333932"}}),
    dl.ean13_scanline: (
        {"code": "400638133393", "samples_per_module": 2, "quiet_modules": 3},
        {"code": CODE, "samples_per_module": COUNT, "quiet_modules": COUNT0},
    ),
    dl.barcode_scanline: (
        {
            "code": "400638133393",
            "samples_per_module": 3.5,
            "blur": 0.5,
            "motion": 0.5,
            "tilt": 0.1,
            "gain": 2.0,
            "offset": 0.1,
            "noise": 0.01,
            "quiet_modules": 5,
            "phase": 0.25,
        },
        {
            "code": CODE,
            "samples_per_module": {**POSITIVE, "below one": 0.5},
            "blur": NONNEGATIVE,
            "motion": NONNEGATIVE,
            "tilt": {**NUMBER, "one": 1.0},
            "gain": POSITIVE,
            "offset": NUMBER,
            "noise": NONNEGATIVE,
            "quiet_modules": COUNT0,
            "phase": {**NONNEGATIVE, "one": 1.0},
        },
    ),
    dl.decode_ean13: (
        {"y": dl.barcode_scanline("400638133393", blur=0.6, noise=0.02, rng=0), "blur": None, "return_info": False},
        {"y": SIGNAL, "blur": without(POSITIVE, "None"), "return_info": FLAG},
    ),
    dl.decode_ean13_photo: (
        {"image": np.tile(40 + 180 * dl.ean13_scanline("400638133393", 3), (60, 1)), "return_info": False},
        {
            "image": {
                "None": None,
                "empty": np.zeros((0, 400)),
                "1-D": np.ones(400),
                "2 channels": np.ones((60, 400, 2)),
                "4-D": np.ones((2, 60, 400, 3)),
                "NaN": np.full((60, 400), np.nan),
                "complex": np.ones((60, 400)) * 1j,
                "strings": np.full((60, 400), "a"),
                "too small": np.ones((60, 100)),
            },
            "return_info": FLAG,
        },
    ),
    dl.jump_errors: (
        {"found": [10, 20], "true": [11, 30], "tolerance": 3},
        {
            "found": without(SIGNAL, "empty", "scalar", "all zeros"),
            "true": without(SIGNAL, "empty", "scalar"),
            "tolerance": COUNT0,
        },
    ),
    dl.estimate_blur_from_edge: (
        {"y": dl.convolve(np.repeat([0.0, 1.0, 0.0], 60), dl.gaussian_kernel(3.0), "same"), "return_info": False},
        {"y": without(SIGNAL, "scalar"), "return_info": FLAG},
    ),
    dl.estimate_blur: (
        {
            "y": dl.convolve(np.repeat([0.0, 1.0, 0.0, 1.0], 100), dl.gaussian_kernel(3.0), "same"),
            "sigmas": [2.0, 3.0, 4.0],
            "mode": "same",
            "noise_std": 0.01,
            "return_info": False,
        },
        {
            "y": SIGNAL,
            "sigmas": without(SIGNAL, "scalar"),
            "mode": MODE,
            "noise_std": without(NONNEGATIVE, "None"),
            "return_info": FLAG,
        },
    ),
    dl.restore_barcode: (
        {"y": dl.barcode_scanline("400638133393", blur=0.6, noise=0.02, rng=0)},
        {"y": SIGNAL},
    ),
    dl.binarize_scanline: (
        {
            "y": dl.barcode_scanline("400638133393", blur=0.6, noise=0.02, rng=0),
            "blur": 2.4,
            "method": "wiener",
            "lam": None,
        },
        {"y": SIGNAL, "blur": POSITIVE, "method": METHOD, "lam": without(POSITIVE, "None")},
    ),
    dl.read_ean13: (
        {"scanline": dl.ean13_scanline("400638133393", 3), "rows": 10},
        {"scanline": SIGNAL, "rows": COUNT},
    ),
    dl.estimate_noise_std: (
        {"y": np.random.default_rng(0).standard_normal(200), "method": "spectrum", "band": 0.5},
        {"y": SIGNAL, "method": METHOD, "band": {**POSITIVE, "above one": 2.0}},
    ),
    dl.difference_matrix: ({"n": 10, "order": 1}, {"n": COUNT, "order": COUNT0}),
    dl.svd_factorization: (
        {"h": H, "n": 40, "mode": "full", "order": 0},
        {"h": KERNEL, "n": COUNT, "mode": MODE, "order": COUNT0},
    ),
    dl.tikhonov: (
        {"y": FULL, "h": H, "lam": 0.1, "mode": "full", "order": 0, "method": "auto"},
        {"y": SIGNAL, "h": KERNEL, "lam": NONNEGATIVE, "mode": MODE, "order": COUNT0, "method": METHOD},
    ),
    dl.tsvd: ({"y": FULL, "h": H, "k": 5, "mode": "full"}, {"y": SIGNAL, "h": KERNEL, "k": COUNT, "mode": MODE}),
    dl.picard: ({"y": FULL, "h": H, "mode": "full"}, {"y": SIGNAL, "h": KERNEL, "mode": MODE}),
    dl.condition_number: ({"h": H, "n": 40, "mode": "full"}, {"h": KERNEL, "n": COUNT, "mode": MODE}),
    dl.gaussian_condition_number: ({"sigma": 2.0}, {"sigma": POSITIVE}),
    dl.choose_lambda: (
        {"y": FULL, "h": H, "rule": "discrepancy", "mode": "full", "noise_std": 0.01, "tau": 1.0, "order": 0},
        {
            "y": SIGNAL,
            "h": KERNEL,
            "rule": METHOD,
            "mode": MODE,
            "noise_std": without(POSITIVE, "None"),
            "tau": {**NUMBER, "below one": 0.5},
            "order": COUNT0,
        },
    ),
    dl.tv: (
        {"y": FULL, "h": H, "lam": 0.01, "mode": "full", "nonneg": False, "tol": 1e-8, "return_info": False},
        {
            "y": SIGNAL,
            "h": KERNEL,
            "lam": NONNEGATIVE,
            "mode": MODE,
            "nonneg": FLAG,
            "tol": POSITIVE,
            "return_info": FLAG,
            "method": METHOD,
            "max_iter": without(COUNT, "None"),
        },
    ),
    dl.tv_objective: (
        {"x": Y, "y": FULL, "h": H, "lam": 0.1, "mode": "full"},
        {"x": SIGNAL, "y": SIGNAL, "h": KERNEL, "lam": NONNEGATIVE, "mode": MODE},
    ),
    dl.quantize: ({"x": Y, "levels": [0.0, 1.0]}, {"x": SIGNAL, "levels": SIGNAL}),
    dl.estimate_levels: (
        {"x": Y, "count": 2, "iterations": 100},
        {"x": SIGNAL, "count": COUNT, "iterations": COUNT},
    ),
    dl.jumps_of: ({"x": Y}, {"x": SIGNAL}),
    dl.piecewise_constant_fit: (
        {"y": FULL, "h": H, "jumps": [20], "mode": "full", "two_levels": False, "return_info": False},
        {"y": SIGNAL, "h": KERNEL, "mode": MODE, "two_levels": FLAG, "return_info": FLAG},
    ),
    dl.piecewise_refit: (
        {"y": FULL, "h": H, "estimate": Y, "mode": "full", "max_rounds": 10},
        {"y": SIGNAL, "h": KERNEL, "estimate": SIGNAL, "mode": MODE, "max_rounds": COUNT, "return_info": FLAG},
    ),
    dl.richardson_lucy: (
        {"y": FULL, "h": H, "iterations": 5, "mode": "full"},
        {"y": SIGNAL, "h": KERNEL, "iterations": without(COUNT0, "huge"), "mode": MODE},
    ),
    dl.rmse: ({"estimate": Y, "truth": Y}, {"estimate": SIGNAL, "truth": SIGNAL}),
    dl.snr_db: ({"estimate": Y + 0.1, "truth": Y}, {"estimate": SIGNAL, "truth": SIGNAL}),
    dl.magnitude_db: ({"values": Y + 1.0}, {"values": SIGNAL}),
    dl.overshoot: ({"estimate": Y, "low": 0.0, "high": 1.0}, {"estimate": SIGNAL, "low": NUMBER, "high": NUMBER}),
    dl.rise_samples: (
        {"estimate": Y, "edge": 20, "low": 0.0, "high": 1.0, "half_window": 5},
        {"estimate": SIGNAL, "edge": COUNT0, "low": NUMBER, "high": NUMBER, "half_window": COUNT},
    ),
    dl.power_of_ten: ({"value": 1e-12}, {"value": POSITIVE}),
    dl.below: ({"value": 1e-13, "bound": 1e-12}, {"value": NONNEGATIVE, "bound": POSITIVE}),
    dl.above: ({"value": 1e11, "bound": 1e10}, {"value": NONNEGATIVE, "bound": POSITIVE}),
}

# Spoiled arguments with a finite, documented meaning: (function, argument, class) -> why.
DOCUMENTED = {
    ("gaussian_transfer", "f", "scalar"): "the spectrum at one frequency",
    ("magnitude_db", "values", "complex"): "magnitude_db takes |values|: complex spectra are its input",
    ("rmse", "estimate", "inf"): "an estimate holding inf has rmse inf (a naive inverse that divided by 0)",
    ("rmse", "estimate", "NaN"): "an estimate holding NaN has rmse inf (a naive inverse that divided 0 by 0)",
    ("snr_db", "estimate", "inf"): "an estimate holding inf has snr_db -inf",
    ("snr_db", "estimate", "NaN"): "an estimate holding NaN has snr_db -inf",
    ("below", "value", "NaN"): "below(NaN, bound) says 'nan (NOT below ...)': a broken claim stays visible",
    ("below", "value", "inf"): "below(inf, bound) says 'inf (NOT below ...)'",
    ("above", "value", "NaN"): "above(NaN, bound) says 'above ...': a naive inverse's NaN error is above any bound",
    ("above", "value", "inf"): "above(inf, bound) says 'above ...'",
}

# The documented results that are inf by design (a failed estimate scores as a failure).
NON_FINITE = {
    ("rmse", "estimate", "inf"),
    ("rmse", "estimate", "NaN"),
    ("snr_db", "estimate", "inf"),
    ("snr_db", "estimate", "NaN"),
}


def cases():
    for function, (valid, spoilers) in SPECS.items():
        for argument, kind in spoilers.items():
            for label, value in kind.items():
                yield pytest.param(
                    function, valid, argument, label, value, id=f"{function.__name__}-{argument}-{label}"
                )


def finite(result):
    """True if every number in the result (arrays, tuples, dicts of them) is finite."""
    if isinstance(result, dict):
        return all(finite(value) for value in result.values())
    if isinstance(result, tuple):
        return all(finite(value) for value in result)
    try:
        values = np.asarray(result, dtype=complex)
    except (TypeError, ValueError):
        return True  # operators, strings: not numbers
    return bool(np.all(np.isfinite(values)))


def test_every_public_function_is_in_the_table():
    import inspect

    public = {name for name in dir(dl) if not name.startswith("_") and inspect.isfunction(getattr(dl, name))}
    assert public - {function.__name__ for function in SPECS} == set(), "public functions missing from SPECS"


def test_every_valid_call_works():
    for function, (valid, _) in SPECS.items():
        assert finite(function(**valid)), f"{function.__name__}({valid}) is not finite"


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("function, valid, argument, label, value", list(cases()))
def test_bad_input_names_the_argument_or_is_documented(function, valid, argument, label, value):
    arguments = {**valid, argument: value}
    key = (function.__name__, argument, label)
    try:
        result = function(**arguments)
    except (ValueError, TypeError) as error:
        assert key not in DOCUMENTED, f"{key} is documented as a finite result but raised {error!r}"
        assert argument in str(error), f"{function.__name__}: {label} {argument} raised {error!r}, not naming it"
        return
    assert key in DOCUMENTED, f"{function.__name__}({argument}={label}) returned instead of raising"
    assert finite(result) or key in NON_FINITE, f"{key} gave a non-finite result"


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: dl.convolve_adjoint(np.ones(41), H, 40, "full"), "y"),
        (lambda: dl.tv_objective(np.ones(39), FULL, H, 0.1), "x"),
        (lambda: dl.rmse(np.ones(39), Y), "truth"),
        (lambda: dl.snr_db(np.ones(39), Y), "truth"),
        (lambda: dl.piecewise_refit(FULL, H, np.ones(39)), "estimate"),
        (lambda: dl.convolve(np.ones(2), np.ones(3), "valid"), "h"),
        (lambda: dl.tikhonov(np.ones(2), np.ones(5), 0.1, mode="circular"), "h"),
        (lambda: dl.wiener(FULL, H, np.ones(3)), "nsr"),
        (lambda: dl.piecewise_constant_fit(FULL, H, [0]), "jumps"),
        (lambda: dl.piecewise_constant_fit(FULL, H, [np.nan]), "jumps"),
        (lambda: dl.quantize(Y, []), "levels"),
        (lambda: dl.estimate_levels(Y, 41), "count"),
        (lambda: dl.tsvd(FULL, H, 41), "k"),
        (lambda: dl.tikhonov(FULL, H, 0.1, svd=dl.svd_factorization(np.array([0.5, 0.5]), 40)), "svd"),
        (lambda: dl.add_noise(Y, std=0.1, snr_db=20), "std"),
        (lambda: dl.add_noise(Y), "std"),
        (lambda: dl.spectral_filter(FULL, H, "1/H"), "filter_of"),
        (lambda: dl.spectral_filter(FULL, H, lambda spectrum: spectrum[:-1]), "filter_of"),
        (lambda: dl.spectral_filter(FULL, H, lambda spectrum: spectrum.astype(str)), "filter_of"),
    ],
)
def test_mismatched_arguments_are_named(call, argument):
    """Arguments that are fine alone but do not fit together (lengths, kernels, factorisations)."""
    with pytest.raises((ValueError, TypeError), match=argument):
        call()
