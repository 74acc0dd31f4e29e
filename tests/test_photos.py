"""decode_ean13_photo: real photographs (the shipped ZXing photos), synthetic photos, both ways up,
its scan lines against direct sampling, its voting rule, and bad input."""

import pathlib

import numpy as np
import photos as photo_benchmark  # benchmarks/photos.py, on pytest's pythonpath
import pytest

import deconvlab as dl
from deconvlab.barcodes import photos

PHOTOS = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "data" / "photos"


def shipped(name):
    """A shipped photo's path and its label."""
    path = PHOTOS / f"{name}.png"
    return path, path.with_suffix(".txt").read_text().strip()


def synthetic_photo(code, samples_per_module, blur_modules, *, angle=0.0, noise=2.0, seed=0):
    """The benchmark's synthetic photo (benchmarks/photos.py), its noise drawn from ``seed``."""
    return photo_benchmark.synthetic_photo(
        code, samples_per_module, blur_modules, angle, noise, np.random.default_rng(seed)
    )


def zxing_reads_whole(photo):
    """What zxing-cpp alone reads on the whole photo: a set of 13-digit codes."""
    import zxingcpp

    image = np.clip(np.rint(photo), 0, 255).astype(np.uint8)
    return {result.text.zfill(13) for result in zxingcpp.read_barcodes(image) if result.valid}


@pytest.mark.parametrize("name", ["ean13-2/03", "ean13-4/09"])
def test_reads_shipped_photos_from_a_path_and_upside_down(name):
    path, label = shipped(name)
    assert dl.decode_ean13_photo(path) == label
    upside_down = photos.as_photo(path)[::-1, ::-1]
    assert dl.decode_ean13_photo(upside_down) == label


def test_reads_a_photo_zxing_alone_cannot():
    """ean13-2/01: zxing-cpp reads nothing on the whole photo; the deconvolved scan lines do."""
    path, label = shipped("ean13-2/01")
    photo = photos.as_photo(path)
    assert label not in zxing_reads_whole(photo)
    code, info = dl.decode_ean13_photo(photo, return_info=True)
    assert code == label
    assert info["symbols"][0]["code"] == label and info["symbols"][0]["lines"][label] >= photos.MIN_LINES


def test_rgb_rgba_and_integer_arrays_read_alike():
    path, label = shipped("ean13-4/01")
    from PIL import Image

    with Image.open(path) as image:
        rgb = np.asarray(image.convert("RGB"))
        rgba = np.asarray(image.convert("RGBA"))
    assert rgb.dtype == np.uint8 and rgb.ndim == 3
    assert dl.decode_ean13_photo(rgb) == label
    assert dl.decode_ean13_photo(rgba) == label
    grey = photos.as_photo(rgb)
    np.testing.assert_allclose(grey, rgb[..., :3] @ np.array([0.299, 0.587, 0.114]))


def test_synthetic_blurred_photo_is_read_where_zxing_is_not():
    """2.3 pixels a module, a Gaussian blur of 0.7 module, turned 5 degrees: zxing-cpp reads nothing,
    the deconvolved lines read the code; and turned upside down, the same."""
    code = "4006381333931"
    photo = synthetic_photo(code, 2.3, 0.7, angle=5.0)
    assert not zxing_reads_whole(photo)
    assert dl.decode_ean13_photo(photo) == code
    assert dl.decode_ean13_photo(photo[::-1, ::-1]) == code


def test_a_upc_a_symbol_reads_with_its_leading_zero():
    code = "0012345678905"  # UPC-A 012345678905
    assert dl.decode_ean13_photo(synthetic_photo(code, 3.0, 0.3)) == code


def test_two_symbols_one_above_the_other_are_two_groups():
    top, bottom = "4006381333931", "9780201379624"
    photo = np.vstack([synthetic_photo(top, 3.0, 0.3), synthetic_photo(bottom, 3.0, 0.3, seed=1)])
    code, info = dl.decode_ean13_photo(photo, return_info=True)
    found = {symbol["code"] for symbol in info["symbols"] if symbol["code"] is not None}
    assert found == {top, bottom}, info["symbols"]
    assert code in found
    centres = {symbol["code"]: symbol["centre"][0] for symbol in info["symbols"] if symbol["code"]}
    assert centres[top] < photo.shape[0] / 2 < centres[bottom]


@pytest.mark.parametrize("photo", [np.full((200, 300), 128.0), np.random.default_rng(0).uniform(0, 255, (200, 300))])
def test_no_symbol_no_code(photo):
    code, info = dl.decode_ean13_photo(photo, return_info=True)
    assert code is None and all(symbol["code"] is None for symbol in info["symbols"])


@pytest.mark.parametrize("angle", [-12.0, 0.0, 7.5])
def test_scan_line_samples_the_line_it_says(angle):
    """On a photo that is linear in (row, column), linear interpolation is exact: every sample of the
    line (and the mean of its parallel neighbours) equals the plane at origin + t direction."""
    rows, columns = np.mgrid[0:120, 0:200]
    plane = 2.0 * rows + 3.0 * columns + 1.0
    line, origin, direction = photos.scan_line(plane, angle, 9.0, rows=3)
    points = origin[:, None] + direction[:, None] * np.arange(line.size)
    np.testing.assert_allclose(line, 2.0 * points[0] + 3.0 * points[1] + 1.0, atol=1e-9)
    assert np.isclose(np.hypot(*direction), 1.0)
    assert np.isclose(np.degrees(np.arctan2(direction[0], direction[1])), angle)
    assert np.all((points >= -1e-9) & (points <= np.array([[119], [199]]) + 1e-9))


def test_read_line_says_where_the_symbol_is_in_either_direction():
    line = 40 + 180 * dl.ean13_scanline("4006381333931", 3, quiet_modules=20)
    first_bar = 20 * 3
    last_bar = first_bar + 95 * 3
    for reverse in (False, True):
        readings = photos.read_line(line[::-1] if reverse else line)
        assert readings, "the clean line was not read"
        for code, first, last in readings:
            assert code == "4006381333931"
            if reverse:
                first, last = line.size - 1 - last, line.size - 1 - first
            assert abs(first - first_bar) <= 3 and abs(last - last_bar) <= 3, (first, last)


def test_verdict_needs_enough_lines_dominance_and_two_restorations():
    def group(counts, blurs=(0.0, 1.0)):
        return [
            (code, ("line", i), None, None, 0.0, blurs[i % len(blurs)])
            for code, count in counts.items()
            for i in range(count)
        ]

    assert photos._verdict(group({"A": photos.MIN_LINES}))[0] == "A"
    assert photos._verdict(group({"A": photos.MIN_LINES - 1}))[0] is None
    runner_up = 4
    enough = int(np.ceil(photos.DOMINANCE * runner_up))
    assert photos._verdict(group({"A": enough, "B": runner_up}))[0] == "A"
    assert photos._verdict(group({"A": enough - 1, "B": runner_up}))[0] is None
    # many lines, but all after one kernel: refused
    assert photos._verdict(group({"A": 50}, blurs=(1.4,)))[0] is None
    # a line that reads the code several times (several restorations) counts once
    repeated = [("A", ("line", 0), None, None, 0.0, blur) for blur in (0.0, 1.0, 2.0)] * 3
    assert photos._verdict(repeated)[1] == {"A": 1}


@pytest.mark.parametrize(
    "code, blur_modules, angle, seed",
    [("9216187343743", 0.7401708915230654, 0.0, 18), ("6585645682353", 0.7361934092056395, 3.0, 22)],
)
def test_no_wrong_code_at_two_pixels_a_module(code, blur_modules, angle, seed):
    """Two synthetic photos (2 pixels a module exactly, a blur of 0.74 module) on which one kernel of
    the family misread the symbol the same way on 13-16 lines: they returned wrong codes before
    MIN_RESTORATIONS; the true code or None now."""
    photo = synthetic_photo(code, 2.0, blur_modules, angle=angle, seed=seed)
    assert dl.decode_ean13_photo(photo) in (code, None)


def test_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="image"):
        dl.decode_ean13_photo(tmp_path / "missing.png")
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("not an image")
    with pytest.raises(ValueError, match="not an image"):
        dl.decode_ean13_photo(not_an_image)
    with pytest.raises(ValueError, match="image must be 2-D"):
        dl.decode_ean13_photo(np.zeros((200, 300, 2)))
    with pytest.raises(ValueError, match="image must be 2-D"):
        dl.decode_ean13_photo(np.zeros(300))
    with pytest.raises(ValueError, match="image is empty"):
        dl.decode_ean13_photo(np.zeros((0, 300)))
    nan = np.full((200, 300), 100.0)
    nan[5, 7] = np.nan
    with pytest.raises(ValueError, match="image holds NaN"):
        dl.decode_ean13_photo(nan)
    with pytest.raises(ValueError, match="1.5 a module"):
        dl.decode_ean13_photo(np.zeros((50, 100)))
    with pytest.raises(TypeError, match="image must be real"):
        dl.decode_ean13_photo(np.zeros((200, 300), dtype=complex))
    with pytest.raises(TypeError, match="image must be a path or an array"):
        dl.decode_ean13_photo(np.array([["a"] * 300] * 200))
    with pytest.raises(TypeError, match="image must be a path or an array"):
        dl.decode_ean13_photo(None)
    with pytest.raises(TypeError, match="return_info"):
        dl.decode_ean13_photo(np.zeros((200, 300)), return_info="yes")


def test_photo_view_shows_the_line_and_what_zxing_reads_before_and_after():
    """The explorer's figure draws the line it says (the photo's samples along it), its Wiener
    restoration, and zxing-cpp's readings; a redraw in place equals a fresh drawing."""
    import matplotlib.pyplot as plt

    image, label = photos.as_photo(PHOTOS / "ean13-2/01.png"), shipped("ean13-2/01")[1]
    fig = dl.widgets.photo_view("ean13-2/01", offset=-27.0, blur=2.0)
    line, _, _ = photos.scan_line(image, 0.0, -27.0)
    np.testing.assert_allclose(fig.axes[1].lines[0].get_ydata(), line)
    np.testing.assert_allclose(fig.axes[2].lines[0].get_ydata(), photos.deconvolved(line, 2.0))
    assert "reads nothing" in fig.axes[1].get_title()
    assert f"reads {label} (the label)" in fig.axes[2].get_title()
    moved = dl.widgets.photo_view("ean13-2/01", offset=30.0, blur=1.0, angle=5.0, fig=fig)
    fresh = dl.widgets.photo_view("ean13-2/01", offset=30.0, blur=1.0, angle=5.0)
    assert moved is fig
    for old, new in zip(moved.axes, fresh.axes):
        assert old.get_title() == new.get_title()
        for a, b in zip(old.lines, new.lines):
            np.testing.assert_allclose(a.get_xydata(), b.get_xydata())
    with pytest.raises(ValueError, match="photo"):
        dl.widgets.photo_view("ean13-9/99")
    plt.close("all")


def test_photo_view_deconvolves_for_the_kernel_measured_on_the_line():
    """kernel="measured on the line": the restored line is the Wiener restoration for the kernel
    measure_line_blur measures there; where the symbol cannot be found the Gaussian is used and the
    title says so; an unknown kernel is refused."""
    import matplotlib.pyplot as plt

    from deconvlab.barcodes import known_target

    image, label = photos.as_photo(PHOTOS / "ean13-2/01.png"), shipped("ean13-2/01")[1]
    line, _, _ = photos.scan_line(image, 0.0, -27.0)
    ends = photos.symbol_ends(line, label)
    kernel = known_target.measure_line_blur(line, label, *ends).kernel
    fig = dl.widgets.photo_view("ean13-2/01", offset=-27.0, kernel="measured on the line")
    np.testing.assert_allclose(fig.axes[2].lines[0].get_ydata(), photos.deconvolved_by(line, kernel))
    assert "kernel measured on it" in fig.axes[2].get_title() and f"reads {label}" in fig.axes[2].get_title()
    missed = dl.widgets.photo_view("ean13-2/01", offset=-140.0, blur=1.5, kernel="measured on the line")
    line_missed, _, _ = photos.scan_line(image, 0.0, -140.0)
    np.testing.assert_allclose(missed.axes[2].lines[0].get_ydata(), photos.deconvolved(line_missed, 1.5))
    assert "no kernel measured" in missed.axes[2].get_title()
    short = dl.widgets.photo_view("ean13-4/01", offset=-135.0, angle=15.0, kernel="measured on the line")
    assert "no kernel measured" in short.axes[2].get_title()  # a line shorter than the family's widest kernel
    with pytest.raises(ValueError, match="kernel"):
        dl.widgets.photo_view("ean13-2/01", kernel="disk")
    plt.close("all")


def test_photo_explorer_builds_its_controls():
    import matplotlib.pyplot as plt

    controls = dl.widgets.photo_explorer().widget.children[:-1]
    assert [control.description for control in controls] == ["σ (pixels)", "offset (px)", "angle (°)", "kernel"]
    assert all(not control.continuous_update for control in controls[:3])
    assert controls[3].options == dl.widgets.PHOTO_KERNELS
    plt.close("all")


def test_without_deconvolution_one_restoration_is_all_the_rule_asks():
    """With WIENER_BLURS empty (the benchmark's 'lines' column) the rule asks for the one
    restoration there is, and a sharp photo still reads."""
    code = "4006381333931"
    saved = photos.WIENER_BLURS
    photos.WIENER_BLURS = ()
    try:
        assert dl.decode_ean13_photo(synthetic_photo(code, 3.0, 0.2)) == code
    finally:
        photos.WIENER_BLURS = saved


def test_symbol_ends_finds_the_symbol_where_a_restoration_reads_it():
    """On ean13-2/01's line at -27 (which zxing-cpp does not read raw) the ends span 95 modules of about
    3 pixels; a blank line, another code, or a line shorter than every kernel give None."""
    image, label = photos.as_photo(PHOTOS / "ean13-2/01.png"), shipped("ean13-2/01")[1]
    line, _, _ = photos.scan_line(image, 0.0, -27.0)
    assert not any(code == label for code, _, _ in photos.read_line(line))
    first, last = photos.symbol_ends(line, label)
    assert 0 < first < last < line.size and 2.9 < (last - first) / 95 < 3.1, (first, last)
    assert photos.symbol_ends(line, "4006381333931") is None
    assert photos.symbol_ends(np.full(300, 200.0), label) is None
    assert photos.symbol_ends(line[:10], label) is None
