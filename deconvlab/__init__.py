"""deconvlab: the helper package of a teaching collection on 1D deconvolution.

Notebooks write ``import deconvlab as dl``; everything they need is here.
"""

from . import plotting, widgets
from .inverse import gaussian_cutoff, ideal_lowpass, inverse_filter, kept_bandwidth, quantize
from .priors import (
    estimate_levels,
    jumps_of,
    piecewise_constant_fit,
    piecewise_refit,
    richardson_lucy,
    tv,
    tv_objective,
)
from .regularization import (
    Picard,
    SVDOperator,
    choose_lambda,
    condition_number,
    difference_matrix,
    gaussian_condition_number,
    picard,
    svd_operator,
    tikhonov,
    tsvd,
)
from .wiener import oracle_nsr, recoverable_bandwidth, wiener
from .metrics import above, below, magnitude_db, power_of_ten, overshoot, rise_samples, rmse, snr_db
from .operators import (
    MODES,
    convolution_matrix,
    convolution_operator,
    convolve,
    convolve_adjoint,
    output_length,
    rfft_frequencies,
    solution_length,
    transfer_function,
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

__version__ = "0.1.0"
