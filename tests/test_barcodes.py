"""EAN-13: check digits, the standard's code tables, and symbols a real reader (zxing-cpp) decodes."""

import numpy as np
import pytest
import zxingcpp

import deconvlab as dl
from deconvlab import barcodes


@pytest.mark.parametrize("code", ["4006381333931", "5901234123457", "9780201379624", "0012345678905"])
def test_check_digits_of_published_codes(code):
    assert barcodes.ean13_check_digit(code[:12]) == int(code[12])


def test_code_tables_have_the_standards_structure():
    """Every digit code is 7 modules: two bars and two spaces, 1-4 modules each; L codes have an odd
    number of bar modules, G and R an even one; R is L with bars and spaces swapped, G is R reversed;
    the ten codes of each set are distinct, and the parity patterns all start with L."""
    for table, parity in ((barcodes.L_CODES, 1), (barcodes.G_CODES, 0), (barcodes.R_CODES, 0)):
        assert len(set(table)) == 10
        for code in table:
            runs = [len(run) for run in code.replace("01", "0 1").replace("10", "1 0").split()]
            assert len(code) == 7 and len(runs) == 4 and all(1 <= run <= 4 for run in runs), code
            assert code.count("1") % 2 == parity, code
    for l_code, g_code, r_code in zip(barcodes.L_CODES, barcodes.G_CODES, barcodes.R_CODES):
        assert r_code == l_code.translate(str.maketrans("01", "10"))
        assert g_code == r_code[::-1]
    assert len(set(barcodes.PARITY)) == 10 and all(p[0] == "L" and len(p) == 6 for p in barcodes.PARITY)


def read(scanline, rows=30):
    """zxing-cpp's reading of a 1-D scanline (1 = light), as a grey image of identical rows."""
    image = np.tile(np.clip(np.rint(255 * scanline), 0, 255).astype(np.uint8), (rows, 1))
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.EAN13)
    return results[0].text if results else None


def test_clean_scanlines_of_random_codes_are_read_back_by_zxing():
    rng = np.random.default_rng(0)
    for _ in range(20):
        code = "".join(map(str, rng.integers(0, 10, 12)))
        full = code + str(barcodes.ean13_check_digit(code))
        for samples_per_module in (2, 3, 4):
            assert read(barcodes.ean13_scanline(code, samples_per_module)) == full, (code, samples_per_module)


def test_a_mild_blur_is_still_read_and_a_wrong_check_digit_is_refused():
    line = barcodes.ean13_scanline("400638133393", 4)
    blurred = dl.convolve(line, dl.gaussian_kernel(0.3 * 4), "same")  # 0.3 module widths
    assert read(blurred) == "4006381333931"
    with pytest.raises(ValueError, match="check digit"):
        barcodes.ean13_modules("4006381333932")


@pytest.mark.parametrize("bad", ["12345", "40063813339a", 4006381333931, "40063813339311"])
def test_bad_codes_are_refused(bad):
    with pytest.raises(ValueError, match="code"):
        barcodes.ean13_modules(bad)
