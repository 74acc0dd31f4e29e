"""ipywidgets explorers. Each explorer is a thin ``interact`` around a plain
function (``*_view``) that takes the slider values and returns a matplotlib
figure, so it can be tested without a browser.

An explorer draws its figure once; every later slider move passes that figure back to the
view (``fig=``), which puts the new data into the same lines and titles (no new figure, no
new axes) and shows it again with the layout of the first drawing.
"""

import functools
import io
import pathlib
import warnings

import IPython.display
import ipywidgets as widgets
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import scipy.fft
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .barcodes import barcode_scanline, binarize_scanline, read_ean13, restore_barcode
from .barcodes.known_target import measure_line_blur
from .barcodes.photos import as_photo, deconvolved, deconvolved_by, read_line, scan_line, symbol_ends
from .inverse import inverse_filter, kept_bandwidth
from .levels import piecewise_refit, quantize
from .metrics import magnitude_db, rmse
from .operators import circular_length, convolve, rfft_frequencies, transfer_function
from .plotting import plot_barcode_explorer, plot_blur_explorer, plot_reconstruction, plot_regularization_explorer
from .regularization import picard, svd_factorization, tikhonov, tikhonov_filter_factors, tsvd, tsvd_filter_factors
from .signals import add_noise, gaussian_kernel, seed_gaussian, seed_square_wave, square_wave
from .total_variation import tv
from .wiener_filter import oracle_nsr, wiener

__all__ = [
    "blur_view",
    "naive_view",
    "blur_explorer",
    "naive_explorer",
    "threshold_view",
    "threshold_explorer",
    "wiener_view",
    "wiener_explorer",
    "tsvd_view",
    "tsvd_explorer",
    "regularization_view",
    "regularization_explorer",
    "priors_view",
    "priors_explorer",
    "barcode_view",
    "barcode_explorer",
    "photo_view",
    "photo_explorer",
    "FS",
    "JUMP",
    "NOISE_LABEL",
    "LABEL_STYLE",
]

FS = 200.0
#: The question's square wave jumps from eps to 3.
JUMP = 3.0
#: Every explorer's noise level ν is a fraction of the square wave's jump as the data see it:
#: the noise standard deviation is ν × jump × gain (notebook 01 states the convention).
NOISE_LABEL = "noise / jump"


# Wide enough for the longest control label ("nsr / gain²") so that none is cut off.
LABEL_STYLE = {"description_width": "8em"}


def _blurred_square_wave(h, std, seed, mode="full"):
    """The question's square wave (sampled at ``FS``), blurred by ``h`` in ``mode`` and with white
    noise of standard deviation ``std`` drawn from ``seed``.

    Parameters
    ----------
    h : array
        The blur kernel.
    std : float
        Standard deviation of the noise, >= 0.
    seed : int
        Seed of the noise.
    mode : str
        The convolution's mode (see :func:`deconvlab.convolve`).

    Returns
    -------
    t, x, y : array
        The time axis (s), the square wave and the blurred noisy data.
    """
    t, x = seed_square_wave(FS)
    return t, x, add_noise(convolve(x, h, mode), std=std, rng=seed)


def _question_problem(noise, seed):
    """The question's exact problem: its square wave blurred by its Gaussian (σ = 80 samples,
    gain 802, mode ``full``), with white noise of ``noise`` × the jump as the data see it.

    Parameters
    ----------
    noise : float
        Noise level, a fraction of the jump as the data see it, >= 0.
    seed : int
        Seed of the noise.

    Returns
    -------
    t, x, h, y : array
        The time axis (s), the square wave, the kernel and the blurred noisy data.
    std : float
        The noise's standard deviation, ``noise × 3 × gain``.
    """
    h = seed_gaussian(seed_square_wave(FS)[1].size, FS)
    std = noise * JUMP * h.sum()
    t, x, y = _blurred_square_wave(h, std, seed)
    return t, x, h, y, std


def _slider(description, value, min, max, step=None, *, kind="linear"):
    """One explorer control: a slider that updates when released, labelled ``description``.

    Parameters
    ----------
    description : str
        The label shown beside the slider.
    value, min, max : float
        The initial value and the range; for ``kind="log"``, ``min`` and ``max`` are powers of 10.
    step : float, optional
        The slider's step (ipywidgets' default when None).
    kind : "linear", "log" or "int"
        ``FloatSlider``, ``FloatLogSlider`` (base 10) or ``IntSlider``.

    Returns
    -------
    ipywidgets.Widget
        The slider.
    """
    slider = {"linear": widgets.FloatSlider, "log": widgets.FloatLogSlider, "int": widgets.IntSlider}[kind]
    options = {} if step is None else {"step": step}
    return slider(
        value=value,
        min=min,
        max=max,
        description=description,
        style=LABEL_STYLE,
        continuous_update=False,
        **options,
    )


def _explorer(view, **controls):
    """``ipywidgets.interact`` of ``view`` (see ``_show``) with ``controls``, the noise seed fixed at 0."""
    return widgets.interact(_show(view), **controls, seed=widgets.fixed(0))


def blur_view(sigma_s=0.4, noise=0.0, seed=0, fig=None):
    """Blur the question's square wave by a unit-gain Gaussian of ``sigma_s`` seconds.

    Returns the figure: signal, blurred output with white noise of standard
    deviation ``noise × 3`` (a fraction of the jump; the kernel has gain 1), and the
    spectra |X|, |H|, |Y| in dB.

    Parameters
    ----------
    sigma_s : float
        Standard deviation of the blur in seconds, > 0.
    noise : float
        Noise level, a fraction of the jump, >= 0.
    seed : int
        Seed of the noise.
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = blur_view(0.4, 0.0)
    >>> [len(ax.lines) for ax in fig.axes]    # signal, blurred output, three spectra
    [1, 1, 3]
    """
    h = gaussian_kernel(sigma_s * FS)
    t, x, y = _blurred_square_wave(h, noise * JUMP, seed, mode="same")
    n_fft = circular_length(x.size, h.size, "full")
    f = rfft_frequencies(n_fft, FS)
    X = scipy.fft.rfft(x, n_fft)
    Y = scipy.fft.rfft(y, n_fft)
    H = transfer_function(h, n_fft)
    spectra = [
        (magnitude_db(X), "|X| signal"),
        (magnitude_db(H), "|H| blur"),
        (magnitude_db(Y, np.abs(X).max()), "|Y| blurred + noise (re |X| peak)"),
    ]
    title = f"Gaussian blur σ = {sigma_s:.2f} s ({sigma_s * FS:.0f} samples), noise {noise:g} × jump"
    return plot_blur_explorer(t, x, y, f, spectra, title, fig=fig)


def naive_view(sigma=2.0, noise=0.0, seed=0, fig=None):
    """Naive FFT division (``threshold = 0``) of the question's square wave blurred by a
    unit-gain Gaussian of ``sigma`` samples, with white noise of std ``noise × 3`` (a fraction of the jump).

    Returns the figure: truth and estimate (the y axis is clipped to [-2, 5]; the
    title gives the RMSE and the largest value, however large).

    Parameters
    ----------
    sigma : float
        Standard deviation of the blur in samples, > 0.
    noise : float
        Noise level, a fraction of the jump, >= 0.
    seed : int
        Seed of the noise.
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = naive_view(sigma=1.0)
    >>> "RMSE" in fig.axes[0].get_title()
    True
    """
    h = gaussian_kernel(sigma)
    t, x, y = _blurred_square_wave(h, noise * JUMP, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the failure is the point here
        estimate = inverse_filter(y, h, mode="full")
    error = rmse(estimate, x)
    title = (
        f"naive division, σ = {sigma:.1f} samples, noise {noise:g} × jump: "
        f"RMSE {error:.1e}, max |estimate| {np.max(np.abs(estimate)):.1e}"
    )
    return plot_reconstruction(t, x, {"FFT(y) / FFT(h)": estimate}, title=title, ylim=(-2, 5), fig=fig)


def _changing_artists(figure):
    """What a view updates: every axes' lines, collections, images, texts, title and legend, and
    the figure's own texts; and the spines, which a full drawing puts over the data. Everything
    else (axes, ticks, labels, grid) stays as first drawn."""
    artists = list(figure.texts)
    for ax in figure.axes:
        artists += [*ax.lines, *ax.collections, *ax.images, *ax.texts, ax.title, *ax.spines.values()]
        if ax.get_legend() is not None:
            artists.append(ax.get_legend())
    return artists


def _axes_limits(figure):
    """Every axes' x and y limits: when one moves, the ticks must be drawn again."""
    return [(*ax.get_xlim(), *ax.get_ylim()) for ax in figure.axes]


def _png_of(figure):
    """The figure's canvas as PNG bytes, compressed lightly (speed over a few kB)."""
    png = io.BytesIO()
    pixels = np.asarray(figure.canvas.buffer_rgba())
    matplotlib.image.imsave(png, pixels, format="png", pil_kwargs={"compress_level": 1})
    return png.getvalue()


def _redraw(figure, state):
    """Draw ``figure`` for an explorer, redrawing only what changes (blitting).

    The artists a view updates are marked animated, so a full draw leaves them out; that draw
    (axes, ticks, labels, grid) is kept as the background. A redraw restores the background and
    draws the changing artists on it; a full draw happens again only when an axis' limits moved.
    """
    canvas = figure.canvas
    changing = _changing_artists(figure)
    for artist in changing:
        artist.set_animated(True)
    limits = _axes_limits(figure)
    if state.get("limits") != limits:
        canvas.draw()
        state["background"] = canvas.copy_from_bbox(figure.bbox)
        state["limits"] = limits
    else:
        canvas.restore_region(state["background"])
    for artist in sorted(changing, key=lambda artist: artist.get_zorder()):
        figure.draw_artist(artist)
    return _png_of(figure)


def _show(view):
    """Wrap a ``*_view`` function for ``interact``: the first call draws the figure, every later
    call updates that figure in place (``view(..., fig=figure)``) and displays it again.

    The figure is closed in pyplot (so the inline backend does not show a second copy), its
    layout is frozen after the first drawing (the layout engine would otherwise run on every
    redraw), only the artists that change are drawn again (see ``_redraw``) and the figure is
    sent as a PNG of the whole canvas.
    """
    state = {"figure": None}

    def show(**values):
        first = state["figure"] is None
        figure = view(**values, fig=state["figure"])
        if first:
            plt.close(figure)  # pyplot lets go of it (and gives it a bare canvas): draw it with Agg
            FigureCanvasAgg(figure)
            figure.canvas.draw()
            figure.set_layout_engine("none")
            state["figure"] = figure
        IPython.display.display(IPython.display.Image(data=_redraw(figure, state), format="png"))

    show.state = state  # the kept figure and background, for tests
    return show


def blur_explorer():
    """Sliders for the blur width and the noise level (notebook 01).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = blur_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['σ (s)', 'noise / jump']
    """
    return _explorer(
        blur_view, sigma_s=_slider("σ (s)", 0.4, 0.01, 1.0, 0.01), noise=_slider(NOISE_LABEL, 1e-3, -8, 0, kind="log")
    )


def naive_explorer():
    """Sliders for the blur width (samples) and the noise level (notebook 02).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = naive_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['σ (samples)', 'noise / jump']
    """
    return _explorer(
        naive_view,
        sigma=_slider("σ (samples)", 2.0, np.log10(0.5), np.log10(80.0), 0.02, kind="log"),  # to the question's 80
        noise=_slider(NOISE_LABEL, 1e-9, -16, -1, kind="log"),
    )


def threshold_view(threshold=1e-10, taper=None, noise=0.0, seed=0, fig=None):
    """Thresholded inverse of the question's exact problem (σ = 80 samples, gain 802).

    ``noise`` is a fraction of the jump as the data see it (std ``noise × 3 × gain``). Returns the
    figure: truth and estimate,
    with the cut-off, overshoot and RMSE in the title.

    Parameters
    ----------
    threshold : float
        Fraction of ``max|H|`` below which bins are dropped, in (0, 1).
    taper : None, "hann" or "lanczos"
        Roll-off of the kept band.
    noise : float
        Noise level, a fraction of the jump as the data see it, >= 0.
    seed : int
        Seed of the noise.
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = threshold_view(1e-10, "hann")
    >>> "taper hann" in fig.axes[0].get_title()
    True
    """
    t, x, h, y, _ = _question_problem(noise, seed)
    estimate = inverse_filter(y, h, mode="full", threshold=threshold, taper=taper)
    cutoff = kept_bandwidth(h, threshold, FS, n_fft=y.size)
    title = (
        f"threshold {threshold:.0e}, taper {taper or 'none'}, noise {noise:g} × jump: "
        f"cut-off {cutoff:.2f} Hz, RMSE {rmse(estimate, x):.2f}"
    )
    return plot_reconstruction(t, x, {"thresholded inverse": estimate}, title=title, ylim=(-1.5, 4.5), fig=fig)


def threshold_explorer():
    """Sliders for the threshold, the taper and the noise level (notebook 03).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = threshold_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['threshold', 'taper', 'noise / jump']
    """
    taper = widgets.Dropdown(
        options=[("none (sharp cut)", None), ("hann", "hann"), ("lanczos", "lanczos")],
        value=None,
        description="taper",
        style=LABEL_STYLE,
    )
    return _explorer(
        threshold_view,
        threshold=_slider("threshold", 1e-10, -16, -1, kind="log"),
        taper=taper,
        noise=_slider(NOISE_LABEL, 1e-12, -16, -1, kind="log"),
    )


def wiener_view(noise=1e-3, nsr=1e-7, oracle=False, seed=0, fig=None):
    """Wiener deconvolution of the question's exact problem (σ = 80 samples, gain 802).

    ``noise`` is a fraction of the jump as the data see it (std ``noise × 3 × gain``); ``nsr`` is
    relative to the kernel's gain squared, ``|H(0)|^2`` (ignored when ``oracle`` is True: then the
    per-bin MMSE ratio of :func:`deconvlab.oracle_nsr` is used).

    Parameters
    ----------
    noise : float
        Noise level, a fraction of the jump as the data see it, >= 0.
    nsr : float
        Flat noise-to-signal ratio relative to the gain squared, >= 0.
    oracle : bool
        Use the per-bin ratio computed from the true signal instead.
    seed : int
        Seed of the noise.
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = wiener_view(oracle=True)
    >>> fig.axes[0].lines[1].get_label()
    'Wiener, oracle per-bin nsr'
    """
    t, x, h, y, std = _question_problem(noise, seed)
    if oracle:
        ratio = oracle_nsr(x, h, max(std, np.finfo(float).eps * JUMP * h.sum()))
        label = "Wiener, oracle per-bin nsr"
    else:
        ratio = nsr * h.sum() ** 2
        label = f"Wiener, nsr = {nsr:.0e} × gain²"
    estimate = wiener(y, h, ratio)
    title = f"noise {noise:g} × jump: {label}, RMSE {rmse(estimate, x):.3f}"
    return plot_reconstruction(t, x, {label: estimate}, title=title, ylim=(-1.5, 4.5), fig=fig)


def wiener_explorer():
    """Sliders for the noise level and nsr, and an oracle switch (notebook 04).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = wiener_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['noise / jump', 'nsr / gain²', 'oracle nsr']
    """
    return _explorer(
        wiener_view,
        noise=_slider(NOISE_LABEL, 1e-3, -12, -1, kind="log"),
        nsr=_slider("nsr / gain²", 1e-7, -30, 0, kind="log"),
        oracle=widgets.Checkbox(value=False, description="oracle nsr", style=LABEL_STYLE),
    )


@functools.lru_cache(maxsize=16)
def _svd_of(sigma, n):
    """The SVD of the full-mode blur by a Gaussian of ``sigma`` samples (kept: a slider moved back
    and forth finds it again)."""
    return svd_factorization(gaussian_kernel(sigma), n, "full")


def _svd_problem(sigma, noise, n, seed):
    """The explorers' SVD problem: a square wave (period 64, jump 1), its blurred noisy data and
    the blur's SVD."""
    x = square_wave(n, 64, 0.5, (0.0, 1.0), delay=16)
    h = gaussian_kernel(sigma)
    y = add_noise(convolve(x, h, "full"), std=noise, rng=seed)
    return x, h, y, _svd_of(sigma, n)


def _svd_explorer(view, **method_control):
    """The SVD explorers' controls: σ and noise sliders, the method's own control, n = 256, seed 0."""
    return _explorer(
        view,
        sigma=_slider("σ (samples)", 3.0, 0.5, 8.0, 0.1),
        noise=_slider(NOISE_LABEL, 1e-3, -10, -0.5, kind="log"),
        **method_control,
        n=widgets.fixed(256),
    )


def tsvd_view(sigma=3.0, noise=1e-3, k=40, n=256, seed=0, fig=None):
    """Truncated SVD on a square wave (n samples, period 64) blurred by a unit-gain Gaussian of
    ``sigma`` samples (mode ``full``) with white noise of std ``noise`` (the wave jumps by 1).

    Returns the figure: Picard plot with the filter factors (1 for the ``k`` largest singular
    values, 0 for the rest), and the reconstruction.

    Parameters
    ----------
    sigma : float
        Standard deviation of the blur in samples, > 0.
    noise : float
        Standard deviation of the noise, >= 0.
    k : int
        Number of singular values kept, 1 ... n.
    n : int
        Length of the signal.
    seed : int
        Seed of the noise.
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = tsvd_view(k=30)
    >>> "k = 30" in fig.get_suptitle()
    True
    """
    x, h, y, operator = _svd_problem(sigma, noise, n, seed)
    data = picard(y, h, mode="full", svd=operator)
    factors = tsvd_filter_factors(data.singular_values, k)
    estimate = tsvd(y, h, k, mode="full", svd=operator)
    title = f"σ = {sigma:.1f} samples, noise {noise:g} × jump, k = {k}: RMSE {rmse(estimate, x):.3f}"
    return plot_regularization_explorer(data, factors, np.arange(n), x, estimate, title, fig=fig, method="TSVD")


def tsvd_explorer():
    """Sliders for the blur width, the noise and the number of singular values kept (notebook 05).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = tsvd_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['σ (samples)', 'noise / jump', 'k kept']
    """
    return _svd_explorer(tsvd_view, k=_slider("k kept", 40, 1, 256, kind="int"))


def regularization_view(sigma=3.0, noise=1e-3, lam=1e-2, n=256, seed=0, fig=None):
    """Tikhonov on a square wave (n samples, period 64) blurred by a unit-gain Gaussian of
    ``sigma`` samples (mode ``full``) with white noise of std ``noise`` (the wave jumps by 1, so
    that is the fraction of the jump).

    Returns the figure: Picard plot with the filter factors of ``lam``, and the reconstruction.

    Parameters
    ----------
    sigma : float
        Standard deviation of the blur in samples, > 0.
    noise : float
        Standard deviation of the noise, >= 0.
    lam : float
        The Tikhonov parameter, > 0.
    n : int
        Length of the signal.
    seed : int
        Seed of the noise.
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = regularization_view(lam=0.1)
    >>> "λ = 1.0e-01" in fig.get_suptitle()
    True
    """
    x, h, y, operator = _svd_problem(sigma, noise, n, seed)
    data = picard(y, h, mode="full", svd=operator)
    factors = tikhonov_filter_factors(data.singular_values, lam)
    estimate = tikhonov(y, h, lam, mode="full", svd=operator)
    title = (
        f"σ = {sigma:.1f} samples, noise {noise:g} × jump, λ = {lam:.1e}: "
        f"{int(np.sum(factors > 0.5))} components kept, RMSE {rmse(estimate, x):.3f}"
    )
    return plot_regularization_explorer(data, factors, np.arange(n), x, estimate, title, fig=fig)


def regularization_explorer():
    """Sliders for the blur width, the noise and lambda (notebook 06).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = regularization_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['σ (samples)', 'noise / jump', 'λ']
    """
    return _svd_explorer(regularization_view, lam=_slider("λ", 1e-2, -8, 0, kind="log"))


def priors_view(method="TV", lam=3.0, noise=1e-2, seed=0, fig=None):
    """TV-based reconstructions of the question's exact problem (σ = 80 samples, gain 802).

    ``noise`` is a fraction of the jump as the data see it (std ``noise × 3 × gain``); ``lam`` is
    in units of ``std × gain``
    (the scale at which TV starts to suppress the noise). ``method``: ``"TV"``,
    ``"TV + quantize"`` (snap to the two levels eps and 3) or ``"TV + joint refit"``
    (:func:`deconvlab.piecewise_refit`).

    Parameters
    ----------
    method : "TV", "TV + quantize" or "TV + joint refit"
        What to show.
    lam : float
        TV weight in units of ``std × gain`` (``std`` the noise's), > 0.
    noise : float
        Noise level, a fraction of the jump as the data see it, > 0.
    seed : int
        Seed of the noise.
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = priors_view("TV + quantize")
    >>> sorted(set(fig.axes[0].lines[1].get_ydata().round(6).tolist()))    # two levels only: eps and 3
    [0.0, 3.0]
    """
    t, x, h, y, std = _question_problem(noise, seed)
    estimate = tv(y, h, lam * max(std, 1e-3 * JUMP * h.sum()) * h.sum())
    if method == "TV + quantize":
        estimate = quantize(estimate, [np.finfo(float).eps, 3.0])
    elif method == "TV + joint refit":
        estimate = piecewise_refit(y, h, estimate)
    title = f"{method}, λ = {lam:g} units, noise {noise:g} × jump: RMSE {rmse(estimate, x):.4f}"
    return plot_reconstruction(t, x, {method: estimate}, title=title, ylim=(-1.0, 4.0), fig=fig)


def priors_explorer():
    """Method, λ and noise controls (notebook 07).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = priors_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['method', 'λ (units)', 'noise / jump']
    """
    method = widgets.Dropdown(
        options=["TV", "TV + quantize", "TV + joint refit"], value="TV", description="method", style=LABEL_STYLE
    )
    return _explorer(
        priors_view,
        method=method,
        lam=_slider("λ (units)", 3.0, -1, 2, kind="log"),
        noise=_slider(NOISE_LABEL, 1e-2, -4, -1, kind="log"),
    )


BARCODE_EXAMPLE = "400638133393"


def barcode_view(blur=1.5, noise=0.02, samples_per_module=4.0, seed=0, fig=None):
    """An EAN-13 scanline blurred by ``blur`` module widths with noise ``noise`` (a fraction of the
    light level), ``samples_per_module`` samples a module, and what zxing-cpp reads: in the
    scanline itself, after a Wiener restoration told the true blur
    (:func:`deconvlab.binarize_scanline`), and after the symbology's blind restoration
    (:func:`deconvlab.restore_barcode`, which knows nothing of the measurement).

    Parameters
    ----------
    blur : float
        Gaussian blur, standard deviation in module widths, >= 0.
    noise : float
        Noise standard deviation as a fraction of the light level, >= 0.
    samples_per_module : float
        Module width in samples, >= 2.
    seed : int
        Seed of the noise.
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = barcode_view(blur=0.2)
    >>> fig.axes[1].texts[0].get_text()
    'true symbol: reads 4006381333931'
    """

    y = barcode_scanline(BARCODE_EXAMPLE, samples_per_module=samples_per_module, blur=blur, noise=noise, rng=seed)
    truth = barcode_scanline(BARCODE_EXAMPLE, samples_per_module=samples_per_module)
    wiener_line = binarize_scanline(y, blur * samples_per_module) if blur > 0 else (y > 0.5).astype(float)
    symbol_line = restore_barcode(y)
    rows = {
        "true symbol": ((truth > 0.5).astype(float), read_ean13(truth)),
        "measured": (np.clip(y, 0, 1), read_ean13(y)),
        "Wiener (true blur)": (wiener_line, read_ean13(wiener_line)),
        "symbology (blind)": (symbol_line, read_ean13(symbol_line)),
    }
    title = f"blur σ = {blur:.2f} modules, noise {noise:.1%}, {samples_per_module:g} samples a module"
    return plot_barcode_explorer(y, rows, title, fig=fig)


def barcode_explorer():
    """Blur, noise and module-width (samples) sliders on an EAN-13 scanline, with what the reader returns
    (notebook 08). Each move decodes the scanline blind (up to a second).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = barcode_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['σ (modules)', 'noise / light', 'module width']
    """
    return _explorer(
        barcode_view,
        blur=_slider("σ (modules)", 1.5, 0.0, 3.5, 0.05),
        noise=_slider("noise / light", 0.02, -3, -1, kind="log"),
        samples_per_module=_slider("module width", 4.0, 2.0, 6.0, 0.1),
    )


#: The shipped photographs (notebooks/data/photos), which the photo explorer offers.
PHOTO_DIRECTORY = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "data" / "photos"


def _photo_and_label(name):
    """The shipped photo ``name`` ("ean13-2/01") as a grey array, and its label (13 digits)."""
    path = PHOTO_DIRECTORY / f"{name}.png"
    if not path.is_file():
        raise ValueError(f"photo {name!r}: no such shipped photo in {PHOTO_DIRECTORY}")
    return as_photo(path), path.with_suffix(".txt").read_text().strip()


#: The kernels :func:`photo_view` deconvolves for: a Gaussian of the slider's width, or the kernel
#: measured on the line itself with the label known (notebook 09 §3).
PHOTO_KERNELS = ("Gaussian", "measured on the line")


def _measured_kernel(line, label):
    """The kernel measured on ``line`` with its ``label`` known (:func:`measure_line_blur`), the symbol
    located by zxing-cpp after a Wiener restoration of the family; None where no restoration reads it
    (or the line is too short for one) or the measurement refuses the line."""
    ends = symbol_ends(line, label)
    if ends is None:
        return None
    try:
        return measure_line_blur(line, label, *ends).kernel
    except ValueError:  # the symbol's span too short for the kernel, or no visible bars where it was read
        return None


def photo_view(photo="ean13-2/01", offset=0.0, blur=2.0, angle=0.0, kernel="Gaussian", fig=None):
    """One scan line of a shipped bar-code photograph, as it is and Wiener-deconvolved for a Gaussian
    blur of ``blur`` pixels (or for the kernel measured on the line), and what zxing-cpp reads on each
    (notebook 09).

    Parameters
    ----------
    photo : str
        A shipped photo, ``"<set>/<number>"`` (e.g. ``"ean13-4/12"``).
    offset : float
        The line's distance from the photo's centre, in pixels (positive: lower).
    blur : float
        The Gaussian blur the line is deconvolved for (standard deviation, pixels), > 0.
    angle : float
        The line's angle to the photo's rows, in degrees.
    kernel : {"Gaussian", "measured on the line"}
        Deconvolve for a Gaussian of ``blur`` pixels, or for the kernel measured on this very line
        with the photo's label known (:func:`deconvlab.barcodes.known_target.measure_line_blur`; it
        needs the label, which a reader does not have, and a line on which the symbol can be found:
        otherwise the Gaussian is used and the title says so).
    fig : matplotlib.figure.Figure, optional
        A figure this view made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (``fig`` itself when given).

    Examples
    --------
    >>> fig = photo_view(blur=2.0)
    >>> fig.axes[1].get_title()
    'the line as photographed: zxing-cpp reads nothing'
    """
    if kernel not in PHOTO_KERNELS:
        raise ValueError(f"kernel must be one of {PHOTO_KERNELS}, got {kernel!r}")
    image, label = _photo_and_label(photo)
    line, origin, direction = scan_line(image, angle, offset)
    if line.size < 2:
        raise ValueError(f"offset={offset}: the line misses the photo")
    measured = _measured_kernel(line, label) if kernel == "measured on the line" else None
    if measured is not None:
        restored, restoration = (
            deconvolved_by(line, measured),
            "deconvolved for the kernel measured on it (label known)",
        )
    else:
        restored, restoration = deconvolved(line, blur), f"deconvolved for σ = {blur:.1f} px"
        if kernel == "measured on the line":
            restoration += " (symbol not found: no kernel measured)"

    def reading(values):
        codes = sorted({code for code, _, _ in read_line(values)})
        if not codes:
            return "zxing-cpp reads nothing"
        return "zxing-cpp reads " + ", ".join(
            code + (" (the label)" if code == label else " (not the label)") for code in codes
        )

    ends = origin[:, None] + direction[:, None] * np.array([0, line.size - 1])
    samples = np.arange(line.size)
    if fig is None:
        fig = _photo_figure(image, f"{photo} (label {label})")
    artists = fig.named_artists
    artists["path"].set_data(ends[1], ends[0])
    for name, values, title in (
        ("line", line, f"the line as photographed: {reading(line)}"),
        ("restored", restored, f"{restoration}: {reading(restored)}"),
    ):
        artists[name].set_data(samples, values)
        artists[name].axes.set_title(title, fontsize=10)
        artists[name].axes.set_xlim(0, line.size - 1)
    low, high = min(0.0, float(restored.min())), max(255.0, float(restored.max()))
    artists["restored"].axes.set_ylim(low - 0.05 * (high - low), high + 0.05 * (high - low))
    return fig


def _photo_figure(image, title):
    """The photo explorer's axes and empty named artists: the ``path`` of the scan line on the photo,
    the ``line`` as photographed and the ``restored`` line (see ``photo_view``)."""
    fig = plt.figure(figsize=(10, 6.2), layout="constrained")
    grid = fig.add_gridspec(2, 2, width_ratios=(1, 2.2))
    photo_ax = fig.add_subplot(grid[:, 0])
    line_ax, restored_ax = fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 1])
    photo_ax.imshow(image, cmap="gray", vmin=0, vmax=255)
    (path,) = photo_ax.plot([], [], color="tab:red", lw=1.5)
    photo_ax.set_axis_off()
    photo_ax.set_title(title, fontsize=10)
    (line,) = line_ax.plot([], [], color="0.2", lw=1)
    (restored,) = restored_ax.plot([], [], color="tab:blue", lw=1)
    for ax in (line_ax, restored_ax):
        ax.set_ylabel("brightness (0–255)")
    restored_ax.set_xlabel("pixels along the line")
    line_ax.set_ylim(0, 255)
    fig.named_artists = {"path": path, "line": line, "restored": restored}
    return fig


def photo_explorer(photo="ean13-2/01"):
    """The deconvolution blur (or the kernel measured on the line), the line's offset and its angle on
    a shipped bar-code photograph, and what zxing-cpp reads on the line before and after (notebook 09).

    Parameters
    ----------
    photo : str
        A shipped photo, ``"<set>/<number>"`` (see :func:`photo_view`).

    Returns
    -------
    function
        The explorer (``ipywidgets.interact``'s result); ``.widget`` holds its controls and output.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter the figure would be printed
    ...     explorer = photo_explorer()
    >>> [control.description for control in explorer.widget.children[:-1]]
    ['σ (pixels)', 'offset (px)', 'angle (°)', 'kernel']
    """
    view = functools.partial(photo_view, photo)
    return widgets.interact(  # not _explorer: the photo view draws nothing at random, it has no seed
        _show(view),
        blur=_slider("σ (pixels)", 2.0, 0.3, 4.0, 0.1),
        offset=_slider("offset (px)", 0.0, -150, 150, 3),
        angle=_slider("angle (°)", 0.0, -15, 15, 1),
        kernel=widgets.ToggleButtons(options=PHOTO_KERNELS, value="Gaussian", description="kernel"),
    )
