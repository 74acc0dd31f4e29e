"""ipywidgets explorers. Each explorer is a thin ``interact`` around a plain
function (``*_view``) that takes the slider values and returns a matplotlib
figure, so it can be tested without a browser.
"""

import matplotlib.pyplot as plt
import numpy as np

from .metrics import magnitude_db
from .operators import convolve, rfft_frequencies, transfer_function
from .plotting import plot_blur_explorer
from .signals import add_noise, gaussian_kernel, seed_square_wave

FS = 200.0


def blur_view(sigma_s=0.4, noise_std=0.0, seed=0):
    """Blur the question's square wave by a unit-gain Gaussian of ``sigma_s`` seconds.

    Returns the figure: signal, blurred output with white noise of standard
    deviation ``noise_std``, and the spectra |X|, |H|, |Y| in dB.
    """
    t, x = seed_square_wave(FS)
    h = gaussian_kernel(sigma_s * FS)
    y = add_noise(convolve(x, h, "same"), std=noise_std, rng=seed)
    n_fft = x.size + h.size - 1
    f = rfft_frequencies(n_fft, FS)
    X = np.fft.rfft(x, n_fft)
    Y = np.fft.rfft(y, n_fft)
    H = transfer_function(h, n_fft)
    spectra = [
        (magnitude_db(X), "|X| signal"),
        (magnitude_db(H), "|H| blur"),
        (magnitude_db(Y, np.abs(X).max()), "|Y| blurred + noise (re |X| peak)"),
    ]
    title = f"Gaussian blur σ = {sigma_s:.2f} s ({sigma_s * FS:.0f} samples), noise std = {noise_std:g}"
    return plot_blur_explorer(t, x, y, f, spectra, title)


def _show(view):
    """Wrap a ``*_view`` function so that ``interact`` displays its figure."""

    def show(**values):
        view(**values)
        plt.show()

    return show


def blur_explorer():
    """Sliders for the blur width and the noise level (notebook 01)."""
    import ipywidgets as widgets

    return widgets.interact(
        _show(blur_view),
        sigma_s=widgets.FloatSlider(value=0.4, min=0.01, max=1.0, step=0.01, description="σ (s)",
                                    continuous_update=False),
        noise_std=widgets.FloatLogSlider(value=1e-3, base=10, min=-8, max=0, description="noise std",
                                         continuous_update=False),
        seed=widgets.fixed(0),
    )
