"""deconvlab: the helper package of a teaching collection on 1D deconvolution.

Notebooks write ``import deconvlab as dl``; everything they need is here.
"""

from .barcodes import (
    barcode_scanline,
    binarize_scanline,
    decode_ean13,
    decode_ean13_photo,
    ean13_check_digit,
    ean13_modules,
    ean13_scanline,
    read_ean13,
    restore_barcode,
)
from .diagnostics import ConvergenceWarning, DeconvlabWarning, GridEdgeWarning
from .estimation import estimate_blur, estimate_blur_from_edge, estimate_noise_std
from .inverse import gaussian_cutoff, ideal_lowpass, inverse_filter, kept_bandwidth
from .levels import estimate_levels, jumps_of, piecewise_constant_fit, piecewise_refit, quantize
from .metrics import above, below, jump_errors, magnitude_db, overshoot, power_of_ten, rise_samples, rmse, snr_db
from .operators import (
    MODES,
    convolution_matrix,
    convolution_operator,
    convolve,
    convolve_adjoint,
    output_length,
    rfft_frequencies,
    solution_length,
    sparse_convolution_matrix,
    spectral_filter,
    transfer_function,
)
from .positivity import richardson_lucy
from .regularization import (
    Picard,
    SVDFactorization,
    choose_lambda,
    condition_number,
    difference_matrix,
    gaussian_condition_number,
    picard,
    svd_factorization,
    tikhonov,
    tikhonov_filter_factors,
    tsvd,
    tsvd_filter_factors,
)
from .signals import (
    DEFAULT_TRUNCATE,
    add_noise,
    gaussian_kernel,
    gaussian_transfer,
    gaussmf,
    seed_gaussian,
    seed_square_wave,
    square_wave,
    square_wave_harmonics,
)
from .total_variation import tv, tv_objective
from .wiener_filter import oracle_nsr, recoverable_bandwidth, wiener, wiener_filter_factors

__version__ = "0.1.0"

# Figures and explorers load matplotlib.pyplot (and ipywidgets): import them on first use, so that
# `import deconvlab` stays light for scripts and tests that only compute.
_LAZY_MODULES = ("plotting", "widgets")


def __getattr__(name):
    """Import ``dl.plotting`` and ``dl.widgets`` the first time they are used."""
    if name in _LAZY_MODULES:
        import importlib

        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'deconvlab' has no attribute {name!r}")
