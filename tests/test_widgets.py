"""Explorer callbacks are plain functions: test them without a browser."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.linalg

import deconvlab as dl


def test_blur_view_draws_signal_output_and_spectra_and_follows_sigma():
    narrow = dl.widgets.blur_view(sigma_s=0.05, noise=0.0)
    wide = dl.widgets.blur_view(sigma_s=0.6, noise=0.0)
    assert len(narrow.axes) == 3
    assert [len(ax.lines) for ax in narrow.axes] == [1, 1, 3]
    blurred_narrow = narrow.axes[1].lines[0].get_ydata()
    blurred_wide = wide.axes[1].lines[0].get_ydata()
    assert np.ptp(blurred_narrow) > np.ptp(blurred_wide)  # a wider blur flattens the pulses
    assert "0.60 s" in wide.get_suptitle()
    plt.close("all")


def test_blur_view_noise_is_seeded():
    a = dl.widgets.blur_view(0.4, 0.1, seed=3).axes[1].lines[0].get_ydata()
    b = dl.widgets.blur_view(0.4, 0.1, seed=3).axes[1].lines[0].get_ydata()
    np.testing.assert_array_equal(a, b)
    plt.close("all")


def test_blur_explorer_builds_its_controls():
    interactive = dl.widgets.blur_explorer().widget
    names = [child.description for child in interactive.children[:-1]]
    assert names == ["σ (s)", "noise / jump"]
    assert all(not child.continuous_update for child in interactive.children[:-1])
    plt.close("all")


def test_naive_view_shows_failure_grow_with_sigma():
    good = dl.widgets.naive_view(sigma=1.0, noise=0.0)
    bad = dl.widgets.naive_view(sigma=3.0, noise=0.0)
    estimate_good = good.axes[0].lines[1].get_ydata()
    estimate_bad = bad.axes[0].lines[1].get_ydata()
    truth = good.axes[0].lines[0].get_ydata()
    assert dl.rmse(estimate_good, truth) < 1e-10 < 1 < dl.rmse(estimate_bad, truth)
    assert "RMSE" in bad.axes[0].get_title()
    plt.close("all")


def test_threshold_view_follows_threshold_and_taper():
    sharp = dl.widgets.threshold_view(threshold=1e-10).axes[0].lines[1].get_ydata()
    hann = dl.widgets.threshold_view(threshold=1e-10, taper="hann").axes[0].lines[1].get_ydata()
    assert sharp.max() > hann.max() + 0.2  # the taper removes the Gibbs overshoot
    plt.close("all")


def test_explorers_build_their_controls():
    names = [c.description for c in dl.widgets.naive_explorer().widget.children[:-1]]
    assert names == ["σ (samples)", "noise / jump"]
    names = [c.description for c in dl.widgets.threshold_explorer().widget.children[:-1]]
    assert names == ["threshold", "taper", "noise / jump"]
    plt.close("all")


def test_wiener_view_oracle_and_constant():
    constant = dl.widgets.wiener_view(noise=1e-3, nsr=1e-7)
    oracle = dl.widgets.wiener_view(noise=1e-3, oracle=True)
    assert "oracle" in oracle.axes[0].get_title() and "1e-07" in constant.axes[0].get_title()
    truth = constant.axes[0].lines[0].get_ydata()
    assert dl.rmse(oracle.axes[0].lines[1].get_ydata(), truth) < 0.6
    names = [c.description for c in dl.widgets.wiener_explorer().widget.children[:-1]]
    assert names == ["noise / jump", "nsr / gain²", "oracle nsr"]
    plt.close("all")


def test_regularization_view_shows_picard_and_reconstruction():
    small = dl.widgets.regularization_view(sigma=3.0, noise=1e-3, lam=1e-2)
    large = dl.widgets.regularization_view(sigma=3.0, noise=1e-3, lam=1.0)
    assert "components kept" in small.get_suptitle()

    def kept(fig):
        return int(fig.get_suptitle().split(": ")[1].split(" components")[0])

    assert kept(large) < kept(small)
    names = [c.description for c in dl.widgets.regularization_explorer().widget.children[:-1]]
    assert names == ["σ (samples)", "noise / jump", "λ"]
    plt.close("all")


def test_priors_view_methods():
    titles = {}
    for method in ("TV", "TV + quantize", "TV + joint refit"):
        fig = dl.widgets.priors_view(method=method, lam=3.0, noise=1e-2)
        titles[method] = float(fig.axes[0].get_title().split("RMSE ")[1])
    assert titles["TV + joint refit"] < titles["TV"] / 10
    names = [c.description for c in dl.widgets.priors_explorer().widget.children[:-1]]
    assert names == ["method", "λ (units)", "noise / jump"]
    plt.close("all")


def line_data(figure):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in figure.axes for line in ax.lines]


def titles(figure):
    return [figure.get_suptitle()] + [ax.get_title() for ax in figure.axes]


def test_every_view_redraws_in_place_exactly_as_a_fresh_figure():
    """An explorer's redraw (view(..., fig=old)) keeps the figure, its axes and its lines, and
    shows exactly what a new figure with the new values would: data and titles."""
    w = dl.widgets
    moves = [
        (w.blur_view, {"sigma_s": 0.2}, {"sigma_s": 0.5, "noise": 0.01}),
        (w.naive_view, {"sigma": 1.0}, {"sigma": 3.0, "noise": 1e-9}),
        (w.threshold_view, {"threshold": 1e-10}, {"threshold": 1e-4, "taper": "hann"}),
        (w.wiener_view, {"nsr": 1e-7}, {"oracle": True}),
        (w.tsvd_view, {"sigma": 3.0}, {"sigma": 5.0, "k": 20}),
        (w.regularization_view, {"sigma": 3.0}, {"sigma": 5.0, "lam": 0.1}),
        (w.priors_view, {"lam": 3.0}, {"method": "TV + quantize", "lam": 10.0}),
        (w.barcode_view, {"blur": 0.5}, {"blur": 1.2, "noise": 0.01, "samples_per_module": 3.0}),
    ]
    for view, first, second in moves:
        figure = view(**first)
        axes, lines = list(figure.axes), [line for ax in figure.axes for line in ax.lines]
        updated = view(**second, fig=figure)
        fresh = view(**second)
        assert updated is figure and figure.axes == axes, f"{view.__name__} made new axes"
        assert [line for ax in figure.axes for line in ax.lines] == lines, f"{view.__name__} made new lines"
        for old, new in zip(line_data(updated), line_data(fresh)):
            np.testing.assert_array_equal(old, new, err_msg=f"{view.__name__}: a line differs from a fresh figure")
        assert titles(updated) == titles(fresh), f"{view.__name__}: titles differ from a fresh figure"
        legend = (
            [text.get_text() for text in updated.axes[0].get_legend().get_texts()]
            if updated.axes[0].get_legend()
            else []
        )
        fresh_legend = (
            [text.get_text() for text in fresh.axes[0].get_legend().get_texts()] if fresh.axes[0].get_legend() else []
        )
        assert legend == fresh_legend, f"{view.__name__}: legend differs from a fresh figure"
        plt.close("all")


def test_explorer_redraw_shows_what_a_full_drawing_of_the_figure_shows(monkeypatch):
    """An explorer redraws only the artists that change (blitting on a kept background). What it
    sends must be what a full drawing of the same figure shows, pixel for pixel (a stale title,
    legend or tick, or a line left over from the previous move, would differ)."""
    import io

    import IPython.display
    from PIL import Image

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda image: shown.append(image.data))
    w = dl.widgets
    moves = [
        (w.blur_view, {"sigma_s": 0.5, "noise": 0.01}),
        (w.naive_view, {"sigma": 3.0, "noise": 1e-9}),
        (w.threshold_view, {"threshold": 1e-4, "taper": "hann"}),
        (w.wiener_view, {"oracle": True}),
        (w.tsvd_view, {"sigma": 5.0, "k": 20}),
        (w.regularization_view, {"sigma": 5.0, "lam": 0.1}),
        (w.priors_view, {"method": "TV + quantize", "lam": 10.0}),
    ]
    for view, values in moves:
        shown.clear()
        show = w._show(view)
        show()
        show(**values)
        show()
        show(**values)
        figure = show.state["figure"]  # the figure the explorer keeps and updates
        for artist in w._changing_artists(figure):
            artist.set_animated(False)
        figure.canvas.draw()
        full = np.asarray(figure.canvas.buffer_rgba())
        sent = np.asarray(Image.open(io.BytesIO(shown[-1])))
        assert len(shown) == 4, f"{view.__name__}: {len(shown)} images for 4 calls"
        assert sent.shape == full.shape, f"{view.__name__}: sent {sent.shape}, drawn {full.shape}"
        differing = np.mean(np.any(sent != full, axis=-1))
        assert differing < 0.002, f"{view.__name__}: {differing:.2%} of the pixels differ from a full drawing"
        assert not np.array_equal(shown[0], shown[1]), f"{view.__name__}: the move did not change the image"


def test_tsvd_view_keeps_k_components_and_equals_tsvd():
    """The TSVD explorer's filter factors keep exactly k singular values, and its reconstruction
    is the pseudo-inverse restricted to them, computed independently from numpy's SVD."""
    n, sigma, k = 64, 2.0, 12
    figure = dl.widgets.tsvd_view(sigma=sigma, noise=1e-3, k=k, n=n)
    factors = figure.axes[2].lines[0].get_ydata()  # the filter factors, on the Picard plot's twin axis
    assert np.sum(factors == 1) == k and np.sum(factors == 0) == factors.size - k
    x = dl.square_wave(n, 64, 0.5, (0.0, 1.0), delay=16)
    h = dl.gaussian_kernel(sigma)
    y = dl.add_noise(dl.convolve(x, h, "full"), std=1e-3, rng=0)
    U, s, Vt = np.linalg.svd(dl.convolution_matrix(h, n, "full"), full_matrices=False)
    reference = Vt[:k].T @ ((U[:, :k].T @ y) / s[:k])
    np.testing.assert_allclose(figure.axes[1].lines[1].get_ydata(), reference, atol=1e-8)
    plt.close("all")


def test_barcode_view_shows_what_the_reader_returns_for_each_row():
    """At 0.5 module widths the Wiener row reads and the raw scanline does not; at 2 module widths
    only the symbology's blind restoration reads; the pictures are the 0/1 scanlines."""
    mild = dl.widgets.barcode_view(blur=0.5)
    labels = [text.get_text() for text in mild.axes[1].texts]
    assert labels == [
        "true symbol: reads 4006381333931",
        "measured: no reading",
        "Wiener (true blur): reads 4006381333931",
        "symbology (blind): reads 4006381333931",
    ]
    wide = dl.widgets.barcode_view(blur=2.0, fig=mild)
    labels = [text.get_text() for text in wide.axes[1].texts]
    assert labels[2] == "Wiener (true blur): no reading" and labels[3] == "symbology (blind): reads 4006381333931"
    picture = wide.axes[1].images[0].get_array()
    assert picture.shape == (4, wide.axes[0].lines[0].get_xdata().size)
    assert set(np.unique(picture[[0, 2, 3]])) == {0.0, 1.0}
    plt.close("all")


def moved(explorer, **values):
    """Move an explorer's controls, by their labels, as a student does (each move redraws), and
    return the figure the explorer keeps and updates."""
    controls = {control.description: control for control in explorer.widget.children[:-1]}
    for description, value in values.items():
        controls[description].value = value
    return explorer.state["figure"]


def question_data(noise, seed=0):
    """The question's exact problem, built here from the thread's MATLAB with numpy: nine segments
    of 200 samples alternating eps and 3 at 200 Hz (t = 1/200 ... 9 s), blurred (full) by
    4 gaussmf(t, [0.4, 4.5]) on the same grid, with noise of std ``noise`` × 3 × gain."""
    t = np.arange(1, 1801) / 200
    x = np.where((np.arange(1800) // 200) % 2 == 1, 3.0, np.finfo(float).eps)
    h = 4 * np.exp(-((t - 4.5) ** 2) / (2 * 0.4**2))
    std = noise * 3 * h.sum()
    y = np.convolve(x, h) + std * np.random.default_rng(seed).standard_normal(x.size + h.size - 1)
    return t, x, h, y, std


def test_question_problem_is_the_threads_set_up():
    """The three explorers of the question's problem (threshold, Wiener, priors) share one set-up;
    it is the thread's square wave and Gaussian, with the noise the docstrings state."""
    t, x, h, y, std = dl.widgets._question_problem(1e-3, seed=4)
    t_ref, x_ref, h_ref, y_ref, std_ref = question_data(1e-3, seed=4)
    np.testing.assert_allclose(t, t_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(x, x_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(h, h_ref, rtol=1e-12)
    assert std == pytest.approx(std_ref, rel=1e-12)
    assert dl.rmse(y, y_ref) < 1e-9 * np.abs(y_ref).max()


def test_a_slider_move_puts_a_direct_computation_into_the_named_lines():
    """Moving the threshold explorer's sliders redraws its kept figure: the estimate line holds the
    thresholded inverse of the new data, computed here directly (numpy's FFT of the full model)."""
    figure = moved(dl.widgets.threshold_explorer(), threshold=1e-6, **{"noise / jump": 1e-4})
    assert figure is not None
    _, x, h, y, _ = question_data(1e-4)
    n = y.size
    H, Y = np.fft.rfft(h, n), np.fft.rfft(y)
    kept = np.abs(H) > 1e-6 * np.abs(H).max()
    reference = np.fft.irfft(np.where(kept, Y / np.where(kept, H, 1), 0), n)[: x.size]
    (estimate,) = figure.named_artists["estimates"]
    np.testing.assert_allclose(estimate.get_ydata(), reference, atol=1e-6 * np.abs(reference).max())
    np.testing.assert_array_equal(figure.named_artists["truth"].get_ydata(), dl.seed_square_wave(dl.widgets.FS)[1])
    assert "threshold 1e-06" in figure.axes[0].get_title() and "noise 0.0001" in figure.axes[0].get_title()
    plt.close("all")


def test_a_lambda_move_redraws_tikhonov_and_its_filter_factors():
    """The regularisation explorer after a λ move: the estimate is the Tikhonov solution of the
    normal equations (scipy's convolution matrix), the filter factors s^2 / (s^2 + λ^2) of numpy's SVD."""
    figure = moved(dl.widgets.regularization_explorer(), λ=0.05, **{"σ (samples)": 2.5})
    n, lam = 256, 0.05
    x = dl.square_wave(n, 64, 0.5, (0.0, 1.0), delay=16)
    h = dl.gaussian_kernel(2.5)
    y = dl.add_noise(dl.convolve(x, h, "full"), std=1e-3, rng=0)
    A = scipy.linalg.convolution_matrix(h, n, mode="full")
    reference = np.linalg.solve(A.T @ A + lam**2 * np.eye(n), A.T @ y)
    s = np.linalg.svd(A, compute_uv=False)
    artists = figure.named_artists
    np.testing.assert_allclose(artists["estimate"].get_ydata(), reference, atol=1e-9)
    np.testing.assert_allclose(artists["picard"]["singular_values"].get_ydata(), s, rtol=1e-9, atol=1e-14)
    factors = artists["picard"]["factors"]["Tikhonov filter factors"].get_ydata()
    np.testing.assert_allclose(factors, s**2 / (s**2 + lam**2), atol=1e-12)
    assert "λ = 5.0e-02" in figure.get_suptitle()
    plt.close("all")


def test_barcode_redraw_follows_a_new_module_width():
    """A module-width move changes the scanline's length: the picture's extent and the shared x axis
    follow it, as in a new figure (they kept the first scanline's length before)."""
    figure = dl.widgets.barcode_view(blur=0.5, samples_per_module=4.0)
    figure = dl.widgets.barcode_view(blur=0.5, samples_per_module=3.0, fig=figure)
    fresh = dl.widgets.barcode_view(blur=0.5, samples_per_module=3.0)
    picture = figure.named_artists["picture"]
    assert picture.get_extent() == fresh.named_artists["picture"].get_extent()
    assert picture.get_extent()[1] == figure.named_artists["scanline"].get_xdata().size - 0.5
    assert [ax.get_xlim() for ax in figure.axes] == [ax.get_xlim() for ax in fresh.axes]
    plt.close("all")


def test_reconstruction_redraw_relabels_its_named_lines():
    """plot_reconstruction's redraw puts new data and labels into the lines it drew, and the
    legend and title follow."""
    t = np.arange(20.0)
    figure = dl.plotting.plot_reconstruction(t, np.sin(t), {"first": np.cos(t)}, title="one", ylim=(-2, 2))
    same = dl.plotting.plot_reconstruction(t, np.sin(2 * t), {"second": t / 20}, title="two", fig=figure)
    assert same is figure and len(figure.axes[0].lines) == 2
    (line,) = figure.named_artists["estimates"]
    np.testing.assert_array_equal(line.get_ydata(), t / 20)
    np.testing.assert_array_equal(figure.named_artists["truth"].get_ydata(), np.sin(2 * t))
    assert [text.get_text() for text in figure.axes[0].get_legend().get_texts()] == ["true x", "second"]
    assert figure.axes[0].get_title() == "two" and figure.axes[0].get_ylim() == (-2, 2)
    plt.close("all")


def test_slider_factory_makes_released_sliders_of_each_kind():
    """Every explorer slider updates on release; a log slider's range is in powers of ten."""
    log = dl.widgets._slider("a", 1e-3, -8, 0, kind="log")
    linear = dl.widgets._slider("b", 0.4, 0.01, 1.0, 0.01)
    integer = dl.widgets._slider("c", 40, 1, 256, kind="int")
    assert (log.value, log.min, log.max, log.base) == (1e-3, -8, 0, 10)
    assert (linear.value, linear.step, type(integer).__name__) == (0.4, 0.01, "IntSlider")
    assert not any(slider.continuous_update for slider in (log, linear, integer))
