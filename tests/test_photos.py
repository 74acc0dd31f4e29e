"""decode_ean13_photo: real photographs (the shipped ZXing photos), synthetic photos, both ways up,
its scan lines against direct sampling, its voting rule, and bad input."""

import pathlib

import numpy as np
import pytest
from scipy import ndimage

import deconvlab as dl
from deconvlab.barcodes import photos

PHOTOS = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "data" / "photos"


def shipped(name):
    """A shipped photo's path and its label."""
    path = PHOTOS / f"{name}.png"
    return path, path.with_suffix(".txt").read_text().strip()


def synthetic_photo(code, samples_per_module, blur_modules, *, angle=0.0, noise=2.0, seed=0, fine=8):
    """A photo of a printed symbol: drawn ``fine`` pixels a module (bars 60 modules tall on paper,
    dark 40, light 220), turned by ``angle`` degrees, blurred by a Gaussian of ``blur_modules``
    modules, resampled to ``samples_per_module`` pixels a module, with Gaussian noise."""
    line = dl.ean13_scanline(code, fine, quiet_modules=12)
    height = 60 * fine
    paper = np.ones((2 * height, line.size + 40 * fine))
    paper[height // 2 : height // 2 + height, 20 * fine : 20 * fine + line.size] = line
    photo = ndimage.rotate(40 + 180 * paper, angle, reshape=False, order=1, mode="nearest")
    photo = ndimage.zoom(ndimage.gaussian_filter(photo, blur_modules * fine), samples_per_module / fine, order=1)
    return photo + noise * np.random.default_rng(seed).standard_normal(photo.shape)


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


def test_verdict_needs_enough_lines_and_dominance():
    def group(counts):
        return [(code, ("line", i), None, None, 0.0) for code, count in counts.items() for i in range(count)]

    assert photos._verdict(group({"A": photos.MIN_LINES}))[0] == "A"
    assert photos._verdict(group({"A": photos.MIN_LINES - 1}))[0] is None
    runner_up = 4
    enough = int(np.ceil(photos.DOMINANCE * runner_up))
    assert photos._verdict(group({"A": enough, "B": runner_up}))[0] == "A"
    assert photos._verdict(group({"A": enough - 1, "B": runner_up}))[0] is None
    # a line that reads the code several times (several restorations) counts once
    repeated = [("A", ("line", 0), None, None, 0.0)] * 10
    assert photos._verdict(repeated)[1] == {"A": 1}


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
