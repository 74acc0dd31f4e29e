"""Figure helpers. No maths here (it lives in the other modules) and no plotting elsewhere.

Every helper takes ready-made data, draws it with labelled axes and units, and
returns the matplotlib ``Figure`` so a notebook can show it or a test can inspect it.
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


def _autoscale_keeping_limits(ax):
    """Autoscale ``ax`` to its data, but keep its old y limits when they still hold the data and
    the data fill at least half of them (on the axis' own scale, linear or log).

    An explorer then redraws only its lines for most slider moves; its axes, ticks and labels
    are drawn again only when the data outgrow the limits or shrink to a corner of them.
    """
    old = ax.get_ylim()
    ax.relim()
    ax.autoscale_view()
    new = ax.get_ylim()
    scale = np.log10 if ax.get_yscale() == "log" else np.asarray
    (old_low, old_high), (new_low, new_high) = scale(old), scale(new)
    if old_low <= new_low and new_high <= old_high and new_high - new_low >= 0.5 * (old_high - old_low):
        ax.set_ylim(old)


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
        Spectra in dB against ``f``, with their labels.
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
    if fig is not None:
        axes = fig.axes
        axes[0].lines[0].set_data(t, x)
        axes[1].lines[0].set_data(t, y)
        for line, (db, _) in zip(axes[2].lines, spectra_db):
            line.set_data(f, db)
        for ax in axes[:2]:
            _autoscale_keeping_limits(ax)
        fig.suptitle(title)
        return fig
    fig, axes = plt.subplots(3, 1, figsize=(FIGURE_WIDTH, 7.5), layout="constrained")
    axes[0].plot(t, x, color="C0")
    axes[0].set_ylabel("x (original)")
    axes[0].set_xlabel("time (s)")
    axes[1].plot(t, y, color="C1")
    axes[1].set_ylabel("y = h * x + noise")
    axes[1].set_xlabel("time (s)")
    for db, label in spectra_db:
        axes[2].plot(f, db, label=label)
    axes[2].set_xlim(0, 5)
    axes[2].set_ylim(-340, 10)
    axes[2].set_xlabel("frequency (Hz)")
    axes[2].set_ylabel("magnitude (dB re peak)")
    axes[2].legend(loc="lower left", fontsize="small")
    for ax in axes:
        ax.grid(True, alpha=0.3)
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
        A figure this function made before: its lines get the new data in place (an explorer's
        redraw), instead of a new figure.

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
    if fig is not None:  # an explorer's redraw: new data and labels in the same lines
        ax = fig.axes[0]
        ax.lines[0].set_data(t, truth)
        for line, (label, estimate) in zip(ax.lines[1:], estimates.items()):
            line.set_data(t, estimate[0] if isinstance(estimate, tuple) else estimate)
            line.set_label(label)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
        ax.set_title(title or "")
        return fig
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 3.6), layout="constrained")
    ax.plot(t, truth, color="black", linewidth=2.5, alpha=0.35, label="true x")
    for label, estimate in estimates.items():
        estimate, style = estimate if isinstance(estimate, tuple) else (estimate, {})
        ax.plot(t, estimate, label=label, **{"linewidth": 1, **style})
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("amplitude")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    if title:
        ax.set_title(title)
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
    index = np.arange(picard_data.singular_values.size)
    ax.semilogy(index, picard_data.singular_values, label="singular value s_i")
    ax.semilogy(index, picard_data.coefficients, ".", markersize=3, label="|u_i^T y|")
    ax.semilogy(index, picard_data.ratio, ".", markersize=3, label="|u_i^T y| / s_i")
    ax.set_xlabel("index i (singular values in decreasing order)")
    ax.set_ylabel("magnitude")
    ax.grid(True, alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if filter_factors:
        right = ax.twinx()
        for i, (label, factors) in enumerate(filter_factors.items()):
            (line,) = right.plot(index, factors, color=f"C{3 + i}", linestyle="--", label=label)
            handles.append(line)
            labels.append(label)
        right.set_ylim(-0.05, 1.05)
        right.set_ylabel("filter factor f_i")
    ax.legend(handles, labels, loc="lower left", fontsize="small")
    if title:
        ax.set_title(title)
    return fig


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
        The regularisation's name, for the labels ("Tikhonov", "TSVD").

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
    if fig is not None:  # an explorer's redraw: new data in the same lines
        picard_axis, reconstruction, factor_axis = fig.axes
        index = np.arange(picard_data.singular_values.size)
        for line, values in zip(picard_axis.lines, picard_data):
            line.set_data(index, values)
        factor_axis.lines[0].set_data(index, factors)
        reconstruction.lines[0].set_data(t, truth)
        reconstruction.lines[1].set_data(t, estimate)
        _autoscale_keeping_limits(picard_axis)
        fig.suptitle(title)
        return fig
    fig, axes = plt.subplots(2, 1, figsize=(FIGURE_WIDTH, 7.0), layout="constrained")
    plot_picard(picard_data, {f"{method} filter factors": factors}, ax=axes[0])
    axes[1].plot(t, truth, color="black", linewidth=2.5, alpha=0.35, label="true x")
    axes[1].plot(t, estimate, linewidth=1, label=method)
    axes[1].set_xlabel("sample")
    axes[1].set_ylabel("amplitude")
    axes[1].set_ylim(-0.75, 1.75)
    axes[1].grid(True, alpha=0.3)
    axes[1].legend(loc="upper right", fontsize="small")
    fig.suptitle(title)
    return fig


def plot_barcode_explorer(y, rows, title, fig=None):
    """A measured scanline above the bar codes made from it, each drawn as a picture and labelled
    with what a reader returned.

    Parameters
    ----------
    y : array
        The measured scanline (light = high).
    rows : dict
        Label -> (0/1 scanline of ``len(y)`` samples, 1 = light; the reader's answer or None).
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
    samples = np.arange(y.size)
    picture = np.array([row for row, _ in rows.values()])
    labels = [f"{label}: reads {answer}" if answer else f"{label}: no reading" for label, (_, answer) in rows.items()]
    if fig is not None:
        top, bottom = fig.axes
        top.lines[0].set_data(samples, y)
        _autoscale_keeping_limits(top)
        bottom.images[0].set_data(picture)
        for text, label in zip(bottom.texts, labels):
            text.set_text(label)
        fig.texts[0].set_text(title)
        return fig
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(FIGURE_WIDTH, 4.6), sharex=True, layout="constrained", height_ratios=[1.2, 1.0]
    )
    top.plot(samples, y, color="tab:blue", linewidth=1)
    top.set_ylabel("measured light")
    top.grid(True, alpha=0.3)
    bottom.imshow(
        picture,
        aspect="auto",
        cmap="gray",
        vmin=0,
        vmax=1,
        interpolation="nearest",
        extent=(-0.5, y.size - 0.5, len(rows) - 0.5, -0.5),
    )
    bottom.set_yticks([])
    for row, label in enumerate(labels):  # beside the picture, so no bar is hidden
        bottom.text(1.01, row, label, va="center", fontsize="small", transform=bottom.get_yaxis_transform())
    bottom.set_xlabel("sample")
    fig.suptitle(title, fontsize="medium")
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
