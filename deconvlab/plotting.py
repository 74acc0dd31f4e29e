"""Figure helpers. No maths here (it lives in the other modules) and no plotting elsewhere.

Every helper takes ready-made data, draws it with labelled axes and units, and
returns the matplotlib ``Figure`` so a notebook can show it or a test can inspect it.

An explorer's figure (``plot_blur_explorer``, ``plot_reconstruction``,
``plot_regularization_explorer``, ``plot_barcode_explorer``) is built one way: a private
``_*_figure`` function draws the axes, labels and empty artists once and keeps the artists the data
go into, by name, in ``figure.named_artists``; the public function then puts the data into those
named artists, on the first drawing and on every redraw alike (``fig=`` the figure it made
before), so that a redraw changes the data and titles and nothing else.
"""

import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "plot_panels",
    "plot_matrices",
    "plot_spectra",
    "plot_blur_explorer",
    "plot_roots",
    "plot_reconstruction",
    "plot_picard",
    "plot_regularization_explorer",
    "plot_barcode_explorer",
    "plot_decode_rates",
    "FIGURE_WIDTH",
]

FIGURE_WIDTH = 10.0


def _sample_axis(ax, fs):
    """Add a second x axis on top that reads the same times in samples (t * fs)."""
    top = ax.secondary_xaxis("top", functions=(lambda s: s * fs, lambda n: n / fs))
    top.set_xlabel("samples")
    return top


def plot_panels(panels, xlabel, title=None, fs=None, height=2.4, sharex=True, logy=False, logx=False):
    """Stacked panels sharing the x axis, one per quantity.

    Parameters
    ----------
    panels : list of (ylabel, list of (x, y, label) or (x, y, label, style_dict))
        One entry per panel; each panel holds one or more lines.
    xlabel : str
        Label of the shared x axis (with units).
    fs : float, optional
        If given, the top panel gets a second x axis in samples (x * fs).
    logy, logx : bool
        Logarithmic y (x) axes.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (call ``plt.show()`` or save it).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.linspace(0, 1, 50)
    >>> fig = plot_panels([("x", [(t, t, "ramp")]), ("x²", [(t, t**2, "square")])], xlabel="time (s)")
    >>> len(fig.axes)
    2
    """
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(FIGURE_WIDTH, height * len(panels) + 0.6),
        sharex=sharex,
        squeeze=False,
        layout="constrained",
    )
    for ax, (ylabel, lines) in zip(axes[:, 0], panels):
        for line in lines:
            x, y, label = line[:3]
            style = line[3] if len(line) > 3 else {}
            ax.plot(x, y, label=label, **style)
        ax.set_ylabel(ylabel)
        if logy:
            ax.set_yscale("log")
        if logx:
            ax.set_xscale("log")
        ax.grid(True, alpha=0.3)
        if any(line[2] for line in lines):
            ax.legend(loc="best", fontsize="small")
    axes[-1, 0].set_xlabel(xlabel)
    if fs is not None:
        _sample_axis(axes[0, 0], fs)
    if title:
        fig.suptitle(title)
    return fig


def plot_matrices(matrices, title=None):
    """Show each matrix as an image (rows down, columns across) with its shape in the title.

    ``matrices`` maps a name (e.g. the mode) to a 2-D array.

    Parameters
    ----------
    matrices : dict of str to 2-D array
        What to show, by name (e.g. the mode).
    title : str, optional
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (call ``plt.show()`` or save it).

    Examples
    --------
    >>> from deconvlab import convolution_matrix
    >>> matrices = {mode: convolution_matrix([1.0, 2.0], 4, mode) for mode in ("full", "valid")}
    >>> fig = plot_matrices(matrices)
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['full: 5×4', 'valid: 3×4']
    """
    fig, axes = plt.subplots(1, len(matrices), figsize=(FIGURE_WIDTH, 3.4), layout="constrained")
    axes = np.atleast_1d(axes)
    vmax = max(m.max() for m in matrices.values())
    vmin = min(0.0, min(m.min() for m in matrices.values()))
    for ax, (name, matrix) in zip(axes, matrices.items()):
        image = ax.imshow(matrix, cmap="Blues", vmin=vmin, vmax=vmax, interpolation="nearest")
        ax.set_title(f"{name}: {matrix.shape[0]}×{matrix.shape[1]}")
        ax.set_xlabel("column (input sample)")
    axes[0].set_ylabel("row (output sample)")
    fig.colorbar(image, ax=axes.tolist(), shrink=0.8, label="matrix entry")
    if title:
        fig.suptitle(title)
    return fig


def plot_spectra(
    curves,
    xlabel="frequency (Hz)",
    ylabel="magnitude (dB)",
    markers=(),
    hlines=(),
    title=None,
    xlim=None,
    ylim=None,
    ax=None,
):
    """Magnitude spectra in dB on one axis, with optional point markers and reference levels.

    Parameters
    ----------
    curves : list of (f, db, label) or (f, db, label, style_dict)
    markers : list of (f, db, label)
        Drawn as points (e.g. the harmonics of a square wave).
    hlines : list of (db, label)
        Horizontal reference levels (e.g. float64's epsilon).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (call ``plt.show()`` or save it).

    Examples
    --------
    >>> import numpy as np
    >>> f = np.linspace(0, 1, 20)
    >>> fig = plot_spectra([(f, -20 * f, "a line")], hlines=[(-10.0, "-10 dB")])
    >>> fig.axes[0].get_ylabel()
    'magnitude (dB)'
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.2), layout="constrained")
    else:
        fig = ax.figure
    for curve in curves:
        f, db, label = curve[:3]
        ax.plot(f, db, label=label, **(curve[3] if len(curve) > 3 else {}))
    for f, db, label in markers:
        ax.plot(f, db, "o", label=label, markersize=6)
    for level, label in hlines:
        ax.axhline(level, color="gray", linestyle=":", label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if xlim:
        ax.set_xlim(*xlim)
    if ylim:
        ax.set_ylim(*ylim)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    if title:
        ax.set_title(title)
    return fig


def _fit_limits(ax, keep=False):
    """Fit ``ax``'s limits (those it autoscales) to its data.

    With ``keep`` (an explorer's redraw), keep the old y limits when they still hold the data and
    the data fill at least half of them (on the axis' own scale, linear or log): an explorer then
    redraws only its lines for most slider moves; its axes, ticks and labels are drawn again only
    when the data outgrow the limits or shrink to a corner of them.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes whose data changed.
    keep : bool
        Keep the old y limits where they still fit (a redraw); False on a first drawing.
    """
    old = ax.get_ylim() if keep else None
    ax.relim()
    ax.autoscale_view()
    if not keep:
        return
    scale = np.log10 if ax.get_yscale() == "log" else np.asarray
    (old_low, old_high), (new_low, new_high) = scale(old), scale(ax.get_ylim())
    if old_low <= new_low and new_high <= old_high and new_high - new_low >= 0.5 * (old_high - old_low):
        ax.set_ylim(old)


def _blur_figure(spectrum_labels):
    """The blur explorer's axes, labels and empty named artists (see ``plot_blur_explorer``)."""
    fig, axes = plt.subplots(3, 1, figsize=(FIGURE_WIDTH, 7.5), layout="constrained")
    (signal,) = axes[0].plot([], [], color="C0")
    axes[0].set_ylabel("x (original)")
    axes[0].set_xlabel("time (s)")
    (output,) = axes[1].plot([], [], color="C1")
    axes[1].set_ylabel("y = h * x + noise")
    axes[1].set_xlabel("time (s)")
    spectra = {label: axes[2].plot([], [], label=label)[0] for label in spectrum_labels}
    axes[2].set_xlim(0, 5)
    axes[2].set_ylim(-340, 10)
    axes[2].set_xlabel("frequency (Hz)")
    axes[2].set_ylabel("magnitude (dB re peak)")
    axes[2].legend(loc="lower left", fontsize="small")
    for ax in axes:
        ax.grid(True, alpha=0.3)
    fig.named_artists = {"signal": signal, "output": output, "spectra": spectra}
    return fig


def plot_blur_explorer(t, x, y, f, spectra_db, title, fig=None):
    """The three views of the blur explorer: signal, blurred (noisy) output, spectra in dB.

    ``spectra_db`` is a list of (db, label) drawn against ``f``.

    Parameters
    ----------
    t : array
        Time axis (s).
    x, y : array
        The signal and the blurred (noisy) output.
    f : array
        Frequencies of the spectra (Hz).
    spectra_db : list of (array, str)
        Spectra in dB against ``f``, with their labels (on a redraw, the labels first drawn).
    title : str
        The figure's title.
    fig : matplotlib.figure.Figure, optional
        A figure this function made before: its lines get the new data in place (an explorer's
        redraw), instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (call ``plt.show()`` or save it).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(10) / 10
    >>> fig = plot_blur_explorer(t, t, t, np.arange(6.0), [(np.zeros(6), "flat")], "demo")
    >>> len(fig.axes)
    3
    """
    redraw = fig is not None
    if not redraw:
        fig = _blur_figure([label for _, label in spectra_db])
    artists = fig.named_artists
    artists["signal"].set_data(t, x)
    artists["output"].set_data(t, y)
    for db, label in spectra_db:
        artists["spectra"][label].set_data(f, db)
    _fit_limits(artists["signal"].axes, keep=redraw)
    _fit_limits(artists["output"].axes, keep=redraw)
    fig.suptitle(title)
    return fig


def plot_roots(roots, title=None, radius=2.5):
    """Roots of a polynomial, two ways: in the complex plane near the unit circle, and as
    ``|root|`` (log scale) against the angle, where the unit circle is the line ``|root| = 1``.

    Roots outside the circle make the recursive inverse filter 1/H(z) unstable. A real kernel's
    roots come in conjugate pairs (mirror images across the real axis); a symmetric kernel's
    also in reciprocal pairs ``r``, ``1/r`` (mirror images across the line ``|root| = 1``).

    Parameters
    ----------
    roots : complex array
        The roots.
    title : str, optional
        The figure's title.
    radius : float
        Half-width of the complex-plane view; roots beyond it are counted in its legend.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (call ``plt.show()`` or save it).

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_roots(np.array([0.5, 2.0, -1j]))
    >>> fig.axes[0].get_aspect(), fig.axes[1].get_yscale()
    (1.0, 'log')
    """
    roots = np.asarray(roots, dtype=complex)
    inside = np.abs(roots) <= 1
    fig, (plane, polar) = plt.subplots(1, 2, figsize=(FIGURE_WIDTH, 4.4), layout="constrained")
    angle = np.linspace(0, 2 * np.pi, 400)
    plane.plot(np.cos(angle), np.sin(angle), color="gray", label="unit circle |z| = 1")
    shown = np.abs(roots) <= radius * np.sqrt(2)
    plane.plot(roots.real[inside], roots.imag[inside], "o", color="C0", label=f"{inside.sum()} inside (stable)")
    plane.plot(
        roots.real[~inside & shown],
        roots.imag[~inside & shown],
        "x",
        color="C3",
        label=f"{(~inside).sum()} outside (unstable), {(~inside & ~shown).sum()} beyond this view",
    )
    plane.set_xlim(-radius, radius)
    plane.set_ylim(-radius, radius)
    plane.set_aspect("equal")
    plane.set_xlabel("real part")
    plane.set_ylabel("imaginary part")
    plane.grid(True, alpha=0.3)
    plane.legend(loc="upper left", fontsize="small")
    plane.set_title("complex plane")
    degrees = np.degrees(np.angle(roots))
    polar.axhline(1.0, color="gray", label="|root| = 1 (the unit circle)")
    polar.semilogy(degrees[inside], np.abs(roots[inside]), "o", color="C0", label="inside")
    polar.semilogy(degrees[~inside], np.abs(roots[~inside]), "x", color="C3", label="outside")
    polar.set_xlim(-185, 185)
    polar.set_xticks([-180, -90, 0, 90, 180])
    polar.set_xlabel("angle of the root (degrees)")
    polar.set_ylabel("|root| (log scale)")
    polar.grid(True, alpha=0.3)
    polar.legend(loc="center", fontsize="small")
    polar.set_title("every root: distance from 0 against angle")
    if title:
        fig.suptitle(title)
    return fig


def plot_reconstruction(t, truth, estimates, title=None, ylim=None, xlabel="time (s)", fig=None):
    """The true signal and one or more estimates on one axis.

    ``estimates`` maps a label to an array, or to ``(array, style_dict)``;
    ``ylim`` keeps a wild estimate from squashing the truth.

    Parameters
    ----------
    t : array
        The x axis (time).
    truth : array
        The true signal.
    estimates : dict
        Label -> array, or label -> ``(array, style_dict)``.
    title : str, optional
        The axis title.
    ylim : (float, float), optional
        y limits (keep a wild estimate from squashing the truth).
    xlabel : str
        Label of the x axis.
    fig : matplotlib.figure.Figure, optional
        A figure this function made before: its lines get the new data and labels in place (an
        explorer's redraw; as many estimates as first drawn, their styles kept), instead of a new
        figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (call ``plt.show()`` or save it).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(5.0)
    >>> fig = plot_reconstruction(t, t, {"estimate": t + 0.1})
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['true x', 'estimate']
    """
    redraw = fig is not None
    if not redraw:
        fig = _reconstruction_figure([_split_style(estimate)[1] for estimate in estimates.values()], ylim, xlabel)
    artists = fig.named_artists
    artists["truth"].set_data(t, truth)
    for line, (label, estimate) in zip(artists["estimates"], estimates.items()):
        line.set_data(t, _split_style(estimate)[0])
        line.set_label(label)
    ax = artists["truth"].axes
    _fit_limits(ax, keep=redraw)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    ax.set_title(title or "")
    return fig


def _split_style(estimate):
    """``(array, style_dict)`` of an estimate given as an array or as ``(array, style_dict)``."""
    return estimate if isinstance(estimate, tuple) else (estimate, {})


def _reconstruction_figure(styles, ylim, xlabel):
    """The reconstruction's axes, labels and empty named lines: the truth, then one line per
    estimate with its style (see ``plot_reconstruction``)."""
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 3.6), layout="constrained")
    (truth,) = ax.plot([], [], color="black", linewidth=2.5, alpha=0.35, label="true x")
    estimates = [ax.plot([], [], **{"linewidth": 1, **style})[0] for style in styles]
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("amplitude")
    ax.grid(True, alpha=0.3)
    fig.named_artists = {"truth": truth, "estimates": estimates}
    return fig


def plot_picard(picard_data, filter_factors=None, title=None, ax=None):
    """Picard plot: singular values, |u_i^T y| and their ratio against the index i (log scale).

    ``filter_factors`` maps a label to factors f_i drawn on a second axis (0 to 1).

    Parameters
    ----------
    picard_data : Picard
        From :func:`deconvlab.picard`.
    filter_factors : dict of str to array, optional
        Filter factors to draw on a second axis.
    title : str, optional
        The axis title.
    ax : matplotlib axis, optional
        Draw there instead of in a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (call ``plt.show()`` or save it).

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve, picard
    >>> h = np.array([0.6, 0.3, 0.1])
    >>> fig = plot_picard(picard(convolve(np.ones(10), h), h))
    >>> fig.axes[0].get_yscale()
    'log'
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.0), layout="constrained")
    else:
        fig = ax.figure
    filter_factors = filter_factors or {}
    lines = _picard_lines(ax, list(filter_factors))
    _set_picard(lines, picard_data, filter_factors, keep=False)
    if title:
        ax.set_title(title)
    return fig


def _picard_lines(ax, factor_labels):
    """A Picard plot's axes, labels and empty named lines on ``ax``: ``singular_values``,
    ``coefficients``, ``ratio`` and ``factors`` (label -> line, on a twin axis from 0 to 1)."""
    lines = {
        "singular_values": ax.semilogy([], [], label="singular value s_i")[0],
        "coefficients": ax.semilogy([], [], ".", markersize=3, label="|u_i^T y|")[0],
        "ratio": ax.semilogy([], [], ".", markersize=3, label="|u_i^T y| / s_i")[0],
        "factors": {},
    }
    ax.set_xlabel("index i (singular values in decreasing order)")
    ax.set_ylabel("magnitude")
    ax.grid(True, alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if factor_labels:
        right = ax.twinx()
        for i, label in enumerate(factor_labels):
            (line,) = right.plot([], [], color=f"C{3 + i}", linestyle="--", label=label)
            lines["factors"][label] = line
            handles.append(line)
            labels.append(label)
        right.set_ylim(-0.05, 1.05)
        right.set_ylabel("filter factor f_i")
    ax.legend(handles, labels, loc="lower left", fontsize="small")
    return lines


def _set_picard(lines, picard_data, filter_factors, keep):
    """Put a Picard plot's data into its named lines (from ``_picard_lines``) and fit its limits
    (``keep``: an explorer's redraw, see ``_fit_limits``)."""
    index = np.arange(picard_data.singular_values.size)
    for name in ("singular_values", "coefficients", "ratio"):
        lines[name].set_data(index, getattr(picard_data, name))
    for label, factors in filter_factors.items():
        lines["factors"][label].set_data(index, factors)
    _fit_limits(lines["singular_values"].axes, keep=keep)


def plot_regularization_explorer(picard_data, factors, t, truth, estimate, title, fig=None, method="Tikhonov"):
    """The two views of the regularisation explorer: Picard plot with filter factors, reconstruction.

    Parameters
    ----------
    picard_data : Picard
        From :func:`deconvlab.picard`.
    factors : array
        The filter factors of the current lambda.
    t : array
        Time axis of the reconstruction.
    truth, estimate : array
        The true signal and the estimate.
    title : str
        The figure's title.
    fig : matplotlib.figure.Figure, optional
        A figure this function made before: its lines get the new data in place (an explorer's
        redraw), instead of a new figure.
    method : str
        The regularisation's name, for the labels ("Tikhonov", "TSVD"; on a redraw, the one first
        drawn).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (call ``plt.show()`` or save it).

    Examples
    --------
    >>> import numpy as np
    >>> from deconvlab import convolve, picard
    >>> h = np.array([0.6, 0.3, 0.1])
    >>> p = picard(convolve(np.ones(10), h), h)
    >>> fig = plot_regularization_explorer(p, np.ones(10), np.arange(10.0), np.ones(10), np.ones(10), "demo")
    >>> len(fig.axes) >= 2
    True
    """
    redraw = fig is not None
    if not redraw:
        fig = _regularization_figure(method)
    artists = fig.named_artists
    _set_picard(artists["picard"], picard_data, {f"{method} filter factors": factors}, keep=redraw)
    artists["truth"].set_data(t, truth)
    artists["estimate"].set_data(t, estimate)
    _fit_limits(artists["truth"].axes, keep=redraw)
    fig.suptitle(title)
    return fig


def _regularization_figure(method):
    """The regularisation explorer's axes, labels and empty named artists: the Picard plot's lines
    (``picard``), the truth and the estimate (see ``plot_regularization_explorer``)."""
    fig, (picard_axis, reconstruction) = plt.subplots(2, 1, figsize=(FIGURE_WIDTH, 7.0), layout="constrained")
    picard_lines = _picard_lines(picard_axis, [f"{method} filter factors"])
    (truth,) = reconstruction.plot([], [], color="black", linewidth=2.5, alpha=0.35, label="true x")
    (estimate,) = reconstruction.plot([], [], linewidth=1, label=method)
    reconstruction.set_xlabel("sample")
    reconstruction.set_ylabel("amplitude")
    reconstruction.set_ylim(-0.75, 1.75)
    reconstruction.grid(True, alpha=0.3)
    reconstruction.legend(loc="upper right", fontsize="small")
    fig.named_artists = {"picard": picard_lines, "truth": truth, "estimate": estimate}
    return fig


def plot_barcode_explorer(y, rows, title, fig=None):
    """A measured scanline above the bar codes made from it, each drawn as a picture and labelled
    with what a reader returned.

    Parameters
    ----------
    y : array
        The measured scanline (light = high).
    rows : dict
        Label -> (0/1 scanline of ``len(y)`` samples, 1 = light; the reader's answer or None); on a
        redraw, the labels first drawn.
    title : str
        The figure's title.
    fig : matplotlib.figure.Figure, optional
        A figure this function made before, to update in place (an explorer's redraw).

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_barcode_explorer(np.ones(10), {"clean": (np.ones(10), "123")}, "a title")
    >>> fig.axes[1].texts[0].get_text()
    'clean: reads 123'
    """
    redraw = fig is not None
    if not redraw:
        fig = _barcode_figure(list(rows))
    artists = fig.named_artists
    artists["scanline"].set_data(np.arange(y.size), y)
    _fit_limits(artists["scanline"].axes, keep=redraw)
    artists["picture"].set_data(np.array([row for row, _ in rows.values()]))
    artists["picture"].set_extent((-0.5, y.size - 0.5, len(rows) - 0.5, -0.5))
    for label, (_, answer) in rows.items():
        artists["readings"][label].set_text(f"{label}: reads {answer}" if answer else f"{label}: no reading")
    fig.suptitle(title, fontsize="medium")
    return fig


def _barcode_figure(row_labels):
    """The bar-code explorer's axes, labels and empty named artists: the measured ``scanline``,
    the ``picture`` of the rows and each row's ``readings`` text, by label (see
    ``plot_barcode_explorer``)."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(FIGURE_WIDTH, 4.6), sharex=True, layout="constrained", height_ratios=[1.2, 1.0]
    )
    (scanline,) = top.plot([], [], color="tab:blue", linewidth=1)
    top.set_ylabel("measured light")
    top.grid(True, alpha=0.3)
    picture = bottom.imshow(
        np.zeros((len(row_labels), 1)), aspect="auto", cmap="gray", vmin=0, vmax=1, interpolation="nearest"
    )
    bottom.set_yticks([])
    readings = {  # beside the picture, so no bar is hidden
        label: bottom.text(1.01, row, "", va="center", fontsize="small", transform=bottom.get_yaxis_transform())
        for row, label in enumerate(row_labels)
    }
    bottom.set_xlabel("sample")
    fig.named_artists = {"scanline": scanline, "picture": picture, "readings": readings}
    return fig


def plot_decode_rates(blurs, rates, title=None):
    """Share of codes read against the blur, one line with error bars per method.

    Parameters
    ----------
    blurs : array
        Blur widths (module widths), the x axis.
    rates : dict
        Label -> (read fraction, lower error, upper error, style dict), arrays like ``blurs``.
    title : str, optional
        The axis title.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_decode_rates([0.5, 1.0], {"a": (np.array([1.0, 0.5]), np.zeros(2), np.zeros(2), {})})
    >>> fig.axes[0].get_ylabel()
    'codes read (%)'
    """
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.4), layout="constrained")
    for label, (rate, lower, upper, style) in rates.items():
        ax.errorbar(
            blurs,
            100 * rate,
            yerr=100 * np.vstack([lower, upper]),
            label=label,
            capsize=2,
            **{"marker": "o", "markersize": 3, **style},
        )
    ax.axhline(95, color="gray", linewidth=0.8, linestyle=":", label="95 %")
    ax.set_xscale("log")
    ax.set_xticks(blurs, [f"{b:g}" for b in blurs])
    ax.minorticks_off()
    ax.set_xlabel("Gaussian blur σ (module widths, log scale)")
    ax.set_ylabel("codes read (%)")
    ax.set_ylim(-3, 103)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    if title:
        ax.set_title(title)
    return fig
