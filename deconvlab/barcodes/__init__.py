"""EAN-13 bar codes: the symbol on every retail product, a square wave of bars and spaces.

The subpackage writes symbols and their scanlines; the capstone notebook (08) blurs them and reads
them back. Its files, in the order they build on each other:

- ``symbology``: the standard's tables (L, G, R codes, parity patterns), guards, the layout's
  constants (``SYMBOL_MODULES``, where the guards and halves begin), check digit,
  :func:`ean13_modules`, and the same tables as arrays for the decoder;
- ``scanline``: :func:`ean13_scanline` (clean) and :func:`barcode_scanline` (measured: blurred,
  lit unevenly, noisy);
- ``model``: the forward model the decoder fits (module basis, blurred bars, the levels' fit);
- ``search``: the beam search over valid symbols, the first geometry, and one reading attempt
  (refinement of the geometry, the polish of rivals, chains of refinements and searches), each
  reading a ``Candidate`` (residual energy, code, start, width, sigma, margin);
- ``decoder``: :func:`decode_ean13` and its acceptance rule (:func:`required_margin` and the constants
  it uses);
- ``readers``: :func:`read_ean13` (zxing-cpp), :func:`restore_barcode`, :func:`binarize_scanline`;
- ``photos``: :func:`decode_ean13_photo`, a photograph's scan lines deconvolved and read by zxing-cpp,
  with a code accepted only when many lines agree;
- ``known_target``: a real line's blur kernel and ink spread, measured on a symbol whose code is
  known (:func:`known_target.measure_line_blur`; a measurement of the camera, not a reader).

Every name ``deconvlab.barcodes`` had as one module (``barcodes.py``) is imported here, public ones and
``_module_basis`` (the benchmarks draw with it), and so are the layout's constants.
"""

from . import known_target  # noqa: F401  (dl.barcodes.known_target: the blur measured on a known code)
from .decoder import (
    ACCEPT_RESIDUAL,
    LIGHT_MARGIN,
    MARGIN_BLURS,
    MIN_CONTRAST,
    MIN_MARGIN,
    decode_ean13,
    required_margin,
)
from .model import _module_basis  # benchmarks/barcodes.py draws the model with it
from .photos import (
    DOMINANCE,
    LINE_ROWS,
    LINE_SPACING,
    MIN_LINES,
    MIN_RESTORATIONS,
    SCAN_ANGLES,
    SYMBOL_GAP,
    WIENER_BLURS,
    WIENER_NSR,
    decode_ean13_photo,
)
from .readers import binarize_scanline, read_ean13, restore_barcode
from .scanline import barcode_scanline, ean13_scanline
from .search import (
    BLUR_FACTORS,
    BLUR_GRID,
    CHAINS,
    POLISH_KEEP,
    POLISH_ROUNDS,
    RELAXED_RIDGE,
    RIVAL_GEOMETRIES,
    SCAN_BEAM,
    STRETCHES,
    TYPICAL_BAR_MODULES,
)
from .symbology import (
    CENTRE,
    CENTRE_AT,
    CODE_DIGITS,
    DATA_DIGITS,
    DIGITS_PER_HALF,
    END,
    END_AT,
    G_CODES,
    L_CODES,
    LEFT_HALF_AT,
    MODULES_PER_DIGIT,
    PARITY,
    QUIET_LEFT,
    QUIET_RIGHT,
    R_CODES,
    RIGHT_HALF_AT,
    START,
    SYMBOL_CENTRE,
    SYMBOL_MODULES,
    ean13_check_digit,
    ean13_modules,
)

__all__ = [
    "ean13_check_digit",
    "ean13_modules",
    "ean13_scanline",
    "barcode_scanline",
    "decode_ean13",
    "decode_ean13_photo",
    "restore_barcode",
    "read_ean13",
    "binarize_scanline",
    "L_CODES",
    "G_CODES",
    "R_CODES",
    "PARITY",
]
