"""What a bar-code reader makes of a scanline: :func:`read_ean13` (zxing-cpp, an independent reader),
and two restorations for it: :func:`restore_barcode` (the symbol :func:`decode_ean13` reads, drawn
clean) and :func:`binarize_scanline` (a model-free deconvolution and threshold).
"""

import numpy as np

from .._checks import as_choice, as_count, as_number, as_signal
from ..estimation import estimate_noise_std
from ..levels import estimate_levels
from ..signals import gaussian_kernel
from ..total_variation import tv
from ..wiener_filter import wiener
from .decoder import _as_scanline, decode_ean13
from .model import _paper_level
from .symbology import SYMBOL_MODULES, ean13_modules


def _render(code, n, start, width):
    """``n`` samples of the symbol ``code`` (1 = light): a sample is dark when its centre lies on a
    bar of modules ``width`` samples wide starting at ``start``."""
    modules = ean13_modules(code)
    index = np.floor((np.arange(n) + 0.5 - start) / width).astype(int)
    on_symbol = (index >= 0) & (index < SYMBOL_MODULES)
    line = np.ones(n)
    line[on_symbol] = 1.0 - modules[index[on_symbol]]
    return line


def read_ean13(scanline, *, rows=30):
    """What zxing-cpp, an independent and widely used bar-code reader, reads in a scanline: the
    13 digits of an EAN-13 symbol, or None.

    The scanline (light = high) becomes a grey image of ``rows`` identical rows, scaled so that
    its largest value is white (255) and zero is black.

    Parameters
    ----------
    scanline : array
        Light = high; values below 0 count as black.
    rows : int
        Height of the image, >= 1.

    Returns
    -------
    str or None
        The digits of the first valid EAN-13 symbol zxing-cpp finds, or None.

    Examples
    --------
    >>> from deconvlab.barcodes import ean13_scanline
    >>> read_ean13(ean13_scanline("400638133393", 3))
    '4006381333931'
    """
    import zxingcpp

    scanline = as_signal(scanline, "scanline")
    rows = as_count(rows, "rows")
    top = float(np.max(scanline))
    if top <= 0:
        return None
    image = np.tile(np.clip(np.rint(255 * scanline / top), 0, 255).astype(np.uint8), (rows, 1))
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.EAN13)
    found = [result.text for result in results if result.valid and result.text]
    return found[0] if found else None


def restore_barcode(y):
    """Restore a blurred scanline of an EAN-13 symbol to a clean 0/1 scanline (1 = light) of the
    same length, ready for any reader: the symbol :func:`decode_ean13` reads, drawn at the position
    and module width it fitted; or blank paper (all ones) when no symbol fits convincingly, so a
    reader finds nothing rather than a wrong code.

    Parameters
    ----------
    y : array
        The scanline (light = high); gain, offset, tilt, blur, module width and noise unknown.

    Returns
    -------
    ndarray
        ``len(y)`` values, 0.0 or 1.0.

    Examples
    --------
    >>> from deconvlab.barcodes import barcode_scanline
    >>> y = barcode_scanline("400638133393", blur=1.0, noise=0.02, rng=0)
    >>> clean = restore_barcode(y)
    >>> clean.size == y.size, sorted(set(clean.tolist()))
    (True, [0.0, 1.0])
    """
    code, info = decode_ean13(y, return_info=True)
    if code is None:
        return np.ones(np.size(y))
    return _render(code, np.size(y), info["start"], info["width"])


def binarize_scanline(y, blur, *, method="wiener", lam=None):
    """A model-free restoration for a reader, knowing only the blur: the scanline divided by the
    paper's level (fitted to the quiet zones: gain and tilt removed), deconvolved, and thresholded
    half-way between its two k-means levels (1 = light, 0 = dark).

    - ``wiener``: ``wiener(z, g, nsr, mode="same")``, ``nsr = noise_std^2 / var(z)``, the noise
      estimated by :func:`deconvlab.estimate_noise_std`;
    - ``tv``: ``tv(z, g, lam, mode="same")``, ``lam`` default ``0.05 noise_std`` (at least
      ``1e-6``): small, because on bar codes with 2 % noise larger weights merge the narrow bars
      (zxing-cpp read fewer codes at every weight from 0.03 to 0.3 noise_std as it grew).

    ``g`` is :func:`deconvlab.gaussian_kernel` (``blur``). Nothing about bar codes is used but two
    levels: the bars narrower than what the blur leaves are lost.

    Parameters
    ----------
    y : array
        The scanline (light = high), quiet zones of at least 20 samples at each end.
    blur : float
        Standard deviation of the Gaussian blur, in samples, > 0 (known or estimated, e.g. by
        :func:`deconvlab.estimate_blur`).
    method : {"wiener", "tv"}
        The restoration.
    lam : float, optional
        The TV weight (``method="tv"`` only).

    Returns
    -------
    ndarray
        ``len(y)`` values, 0.0 or 1.0.

    Examples
    --------
    >>> from deconvlab.barcodes import barcode_scanline, ean13_scanline
    >>> y = barcode_scanline("400638133393", blur=0.5, noise=0.01, rng=0)
    >>> clean = binarize_scanline(y, 2.0)
    >>> int(np.sum(clean != ean13_scanline("400638133393", 4, quiet_modules=15)))
    0
    """

    y = _as_scanline(y)
    blur = as_number(blur, "blur", strictly_positive=True)
    method = as_choice(method, "method", ("wiener", "tv"))
    if lam is not None:
        lam = as_number(lam, "lam", strictly_positive=True)
    u = np.linspace(-1.0, 1.0, y.size)
    c0, c1 = _paper_level(y, u)
    paper = c0 + c1 * u
    if np.any(paper <= 0):
        raise ValueError("y: the paper (the quiet zones) must be lighter than zero; is light high?")
    z = y / paper
    g = gaussian_kernel(blur)
    if g.size > y.size:
        raise ValueError(f"blur={blur} samples needs a kernel of {g.size} samples, longer than y ({y.size})")
    noise = estimate_noise_std(z)
    if method == "wiener":
        restored = wiener(z, g, max(noise**2, 1e-12) / float(np.var(z)), mode="same")
    else:
        lam = max(0.05 * noise, 1e-6) if lam is None else lam
        restored = tv(z, g, lam, mode="same")
    low, high = estimate_levels(restored, 2)
    return (restored > 0.5 * (low + high)).astype(float)
