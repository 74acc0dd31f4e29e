"""Reading a photograph of an EAN-13 bar code: :func:`decode_ean13_photo`.

A photographed bar code is the collection's problem on a real measurement: a square wave of bars
and spaces blurred by the lens (defocus), with ink spread, perspective, uneven light and the noise of
a compressed image. A reader such as zxing-cpp binarises each line it scans at a threshold; once the
blur is comparable to a module (1.5-3 pixels a module in a phone photo), the narrow bars no longer
cross the threshold and the line does not read. Deconvolving the line first restores them.

:func:`decode_ean13_photo`

1. cuts lines across the photo at several angles (the bars need not be upright: ``SCAN_ANGLES``) and
   offsets (``LINE_SPACING``), each the average of ``LINE_ROWS`` neighbouring parallel lines;
2. restores each line by Wiener deconvolution for each blur of a family (``WIENER_BLURS``, Gaussian
   standard deviations in pixels, since the blur is not known; ``WIENER_NSR``), and keeps the line
   as it is too;
3. reads every version with zxing-cpp in both directions (:func:`read_line`), keeping where on the
   photo each reading lies;
4. groups the readings by where they lie (one group a symbol on the photo: a photo may show two)
   and, in each group, accepts the code read on the most lines only when at least ``MIN_LINES``
   lines read it, ``DOMINANCE`` times as many lines as read any other code there, and at least
   ``MIN_RESTORATIONS`` different restorations. Deconvolution
   can create a false bar (ringing), so one line's reading is not trusted alone: a wrong code must
   then win on many lines at once.

The photo's answer is the accepted code read on the most lines, or None.

The angles, blurs and spacing follow the physics (bars within 15 degrees of upright, a defocus of
0.3-1 module at 2-3 pixels a module); ``MIN_LINES`` and ``DOMINANCE`` were set looking at the rival
counts on the shipped photos (the largest, a misread on 46 lines against the label's 191), so the
shipped photos are not an out-of-sample test of them.
"""

import os

import numpy as np
from scipy import ndimage
from scipy.sparse.csgraph import connected_components

from .._checks import as_flag, as_kernel, as_signal
from ..signals import gaussian_kernel
from ..wiener_filter import wiener
from .symbology import CODE_DIGITS, SYMBOL_MODULES

#: Angles of the scan lines, in degrees from the photo's rows (bars within about 15 degrees of upright).
SCAN_ANGLES = tuple(range(-15, 16, 3))
#: Scan lines are cut this fraction of the photo's height apart, perpendicular to their direction.
LINE_SPACING = 0.025
#: Each scan line is the average of this many neighbouring parallel lines, one pixel apart.
LINE_ROWS = 3
#: Gaussian blurs (standard deviation, pixels) each line is deconvolved for: defocus of a phone photo.
WIENER_BLURS = (0.7, 1.0, 1.4, 2.0, 2.8)
#: Noise-to-signal power ratio of the Wiener filter (flat): the gain ``|H|^2 / (|H|^2 + nsr)`` halves
#: where the blur has cut a frequency's power to 1 %.
WIENER_NSR = 1e-2
#: Lines are resampled to this many samples a pixel before zxing-cpp reads them.
READ_UPSAMPLING = 3
#: Readings more than this many scan lines apart across the bars are of two symbols (see ``_symbols``).
SYMBOL_GAP = 3
#: A code is accepted only if at least this many scan lines read it ...
MIN_LINES = 3
#: ... and at least this many times as many lines as read any other code at the same place.
DOMINANCE = 3.0
#: ... and only if it was read after at least this many different restorations: a true bar is restored
#: by every kernel near the true blur, a false one (ringing) by one kernel's ringing. At 2 pixels a
#: module and a blur of 0.75 module, synthetic photos gave wrong codes read on many lines, all after
#: the same kernel.
MIN_RESTORATIONS = 2
#: The fewest pixels along a line: a symbol needs 1.5 pixels a module.
MIN_PIXELS = int(np.ceil(1.5 * SYMBOL_MODULES))


def as_photo(image, name="image"):
    """The photo as a 2-D float64 array of brightness (light = high).

    ``image`` is a path to an image file (read with Pillow, converted to grey), or an array: 2-D
    (grey, any real dtype), or 3-D with 3 (RGB) or 4 (RGBA, alpha ignored) channels last, converted to
    grey with the ITU-R BT.601 weights 0.299 R + 0.587 G + 0.114 B.

    Raises
    ------
    FileNotFoundError
        If ``image`` is a path to no file.
    TypeError
        If the array is not of real numbers, or ``image`` is neither a path nor an array.
    ValueError
        If the file is not an image, the array has another shape, is empty, holds NaN or inf, or is
        narrower than ``MIN_PIXELS`` (1.5 pixels for each of the 95 modules).
    """
    if isinstance(image, (str, os.PathLike)):
        from PIL import Image, UnidentifiedImageError

        path = os.fspath(image)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{name}: no such file: {path!r}")
        try:
            with Image.open(path) as opened:
                # a palette with transparency goes through RGBA (Pillow warns on a direct conversion)
                colour = opened.convert("RGBA") if opened.mode == "P" else opened
                array = np.asarray(colour.convert("L"), dtype=np.float64)
        except UnidentifiedImageError:
            raise ValueError(f"{name}: {path!r} is not an image file Pillow can read") from None
    else:
        try:
            array = np.asarray(image)
        except ValueError:
            raise ValueError(f"{name} must be a 2-D array or a path; got a ragged sequence") from None
        if array.dtype == object or not (array.dtype == bool or np.issubdtype(array.dtype, np.number)):
            raise TypeError(f"{name} must be a path or an array of real numbers; got {type(image).__name__}")
        if np.issubdtype(array.dtype, np.complexfloating):
            raise TypeError(f"{name} must be real; got a complex array")
        if array.ndim == 3 and array.shape[2] in (3, 4):
            array = array[..., :3].astype(np.float64) @ np.array([0.299, 0.587, 0.114])
        elif array.ndim != 2:
            raise ValueError(
                f"{name} must be 2-D (grey) or 3-D with 3 or 4 channels last (RGB, RGBA); got shape {array.shape}"
            )
        array = array.astype(np.float64)
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape})")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds NaN or inf at {int(np.sum(~np.isfinite(array)))} pixel(s)")
    if max(array.shape) < MIN_PIXELS:
        raise ValueError(
            f"{name} is {array.shape[1]} x {array.shape[0]} pixels: a symbol of {SYMBOL_MODULES} modules "
            f"needs at least {MIN_PIXELS} (1.5 a module)"
        )
    return array


def scan_line(photo, angle, offset, rows=LINE_ROWS):
    """Brightness along a straight line across ``photo``, and the line's geometry.

    The line runs at ``angle`` degrees from the photo's rows (positive: downward to the right, as
    rows are numbered) at a distance ``offset`` pixels from the photo's centre, perpendicular to it;
    it is sampled once a pixel (linear interpolation) where it lies inside the photo, as the mean of
    ``rows`` parallel lines one pixel apart.

    Returns
    -------
    line : ndarray
        The brightness along the line.
    origin, direction : ndarray
        (row, column) of the line's first sample, and the unit step between samples: sample ``t`` of
        ``line`` lies at ``origin + t * direction``.
    """
    height, width = photo.shape
    theta = np.deg2rad(angle)
    direction = np.array([np.sin(theta), np.cos(theta)])
    normal = np.array([np.cos(theta), -np.sin(theta)])
    centre = np.array([(height - 1) / 2, (width - 1) / 2]) + offset * normal
    half = np.hypot(height, width) / 2
    t = np.arange(-np.floor(half), np.floor(half) + 1)
    points = centre[:, None] + direction[:, None] * t
    inside = (points[0] >= 0) & (points[0] <= height - 1) & (points[1] >= 0) & (points[1] <= width - 1)
    if not np.any(inside):
        return np.empty(0), centre, direction
    t = t[inside]
    shifts = np.arange(rows) - (rows - 1) / 2
    samples = [
        ndimage.map_coordinates(photo, centre[:, None] + normal[:, None] * s + direction[:, None] * t, order=1)
        for s in shifts
    ]
    return np.mean(samples, axis=0), centre + t[0] * direction, direction


def deconvolved(line, blur, nsr=WIENER_NSR):
    """``line`` deconvolved by a Wiener filter for a Gaussian blur of ``blur`` pixels.

    ``nsr`` is the filter's noise-to-signal power ratio (:func:`deconvlab.wiener`); the line is
    mirrored at each end first (``3 len(kernel)`` samples), so that its ends are not wrapped onto
    each other. :func:`deconvolved_by` does the same for any kernel.
    """
    return deconvolved_by(line, gaussian_kernel(blur), nsr)


def deconvolved_by(line, kernel, nsr=WIENER_NSR):
    """``line`` deconvolved by a Wiener filter for the blur ``kernel`` (centred, odd length), as
    :func:`deconvolved` does for a Gaussian: mirrored at its ends, then ``wiener(..., mode="same")``."""
    line, kernel = as_signal(line, "line"), as_kernel(kernel, "kernel")
    if kernel.size % 2 == 0:
        raise ValueError(f"kernel must have an odd number of taps (centred), got {kernel.size}")
    if line.size < kernel.size:
        raise ValueError(f"line has {line.size} samples, fewer than the blur's kernel ({kernel.size})")
    pad = min(3 * kernel.size, line.size - 1)
    padded = np.pad(line, pad, mode="reflect")
    return wiener(padded, kernel, nsr, mode="same")[pad : pad + line.size]


def read_line(line, upsampling=READ_UPSAMPLING):
    """What zxing-cpp reads on one line, in either direction: a list of ``(code, first, last)``.

    ``code`` is 13 digits (zxing-cpp reads a UPC-A symbol as the EAN-13 with a leading 0; a reader
    that gives its 12 digits gets the 0 put back), ``first`` and ``last`` the samples of ``line``
    where the symbol starts and ends. The line is scaled to 0-255 between its 1st and 99th
    percentiles, resampled ``upsampling`` times finer (linear interpolation) and repeated as 8 rows
    of a grey image.
    """
    import zxingcpp  # imported here, as in read_ean13: the reader loads only when a photo is read

    low, high = np.percentile(line, [1, 99])
    if high - low <= 0:
        return []
    fine = np.linspace(0, line.size - 1, upsampling * (line.size - 1) + 1)
    scaled = np.clip((np.interp(fine, np.arange(line.size), line) - low) / (high - low), 0, 1)
    readings = []
    for reverse in (False, True):
        row = scaled[::-1] if reverse else scaled
        image = np.tile(np.rint(255 * row).astype(np.uint8), (8, 1))
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.EAN13, try_rotate=False):
            code = result.text
            if not result.valid or not code.isdigit() or len(code) not in (CODE_DIGITS - 1, CODE_DIGITS):
                continue
            xs = [result.position.top_left.x, result.position.bottom_right.x]
            if reverse:
                xs = [fine.size - 1 - x for x in xs]
            first, last = sorted(x / upsampling for x in xs)
            readings.append((code.zfill(CODE_DIGITS), first, last))
    return readings


def symbol_ends(line, code):
    """Where on ``line`` zxing-cpp finds the symbol ``code`` after a Wiener restoration for a blur of
    the family (``WIENER_BLURS``; blurs whose kernel is longer than the line are skipped): the
    ``(first, last)`` samples of the reading that starts first, or None if no restoration reads it.
    With the code known, these are the ends :func:`known_target.measure_line_blur` needs."""
    ends = [
        (first, last)
        for blur in WIENER_BLURS
        if gaussian_kernel(blur).size <= line.size
        for found, first, last in read_line(deconvolved(line, blur))
        if found == code
    ]
    return min(ends) if ends else None


def _scan_offsets(photo, angle):
    """Perpendicular offsets (pixels from the centre) of the scan lines at ``angle``: ``LINE_SPACING``
    of the photo's height apart, over the whole photo."""
    height, width = photo.shape
    theta = np.deg2rad(angle)
    reach = (abs(height * np.cos(theta)) + abs(width * np.sin(theta))) / 2
    step = max(LINE_SPACING * height, 1.0)
    count = int(reach // step)
    return step * np.arange(-count, count + 1)


def _readings(photo):
    """Every reading of every scan line and restoration: rows of (code, line, centre, direction,
    length), ``line`` the scan line's (angle, offset), ``centre`` the (row, column) of the symbol on
    the photo, ``direction`` the line's unit step, ``length`` the symbol's length in pixels."""
    readings = []
    for angle in SCAN_ANGLES:
        for offset in _scan_offsets(photo, angle):
            line, origin, direction = scan_line(photo, angle, offset)
            if line.size < MIN_PIXELS:
                continue
            key = (angle, float(offset))
            versions = [(0.0, line)] + [(blur, deconvolved(line, blur)) for blur in WIENER_BLURS]
            for blur, version in versions:
                for code, first, last in read_line(version):
                    centre = origin + 0.5 * (first + last) * direction
                    readings.append((code, key, centre, direction, last - first, blur))
    return readings


def _symbols(readings, spacing):
    """Group readings by where they lie, one group a symbol: two readings are neighbours when their
    symbols overlap along the scan line (centres less than half their lengths' sum apart) and are less than
    ``SYMBOL_GAP`` scan lines (``spacing`` pixels apart) across it, and a group holds the readings
    linked by neighbours (single linkage). Two symbols one above the other stay apart: across the
    bars, one symbol's readings follow each other a line apart, and the next symbol starts beyond
    the gap between them."""
    if not readings:
        return []
    centres = np.array([reading[2] for reading in readings])
    directions = np.array([reading[3] for reading in readings])
    lengths = np.array([reading[4] for reading in readings])
    apart = centres[:, None, :] - centres[None, :, :]
    along = np.abs(np.sum(apart * directions[:, None, :], axis=2))
    across = np.abs(apart[..., 0] * directions[:, None, 1] - apart[..., 1] * directions[:, None, 0])
    near = (along < 0.5 * (lengths[:, None] + lengths[None, :]) / 2) & (across < SYMBOL_GAP * spacing)
    near = near | near.T
    _, labels = connected_components(near)
    return [[readings[i] for i in np.flatnonzero(labels == label)] for label in np.unique(labels)]


def _verdict(group, available=None):
    """The code a group of readings of one symbol gives, with its support: the code read on the most
    scan lines if it has at least ``MIN_LINES`` and ``DOMINANCE`` times any other code's, and was read
    after at least ``MIN_RESTORATIONS`` different restorations (blurs of the family, the line as it is
    counting as one; fewer if only ``available`` restorations were made); else None."""
    if available is None:
        available = len(WIENER_BLURS) + 1
    lines, restorations = {}, {}
    for code, key, *_, blur in group:
        lines.setdefault(code, set()).add(key)
        restorations.setdefault(code, set()).add(blur)
    support = sorted(((len(keys), code) for code, keys in lines.items()), reverse=True)
    best_count, best = support[0]
    runner_up = support[1][0] if len(support) > 1 else 0
    accepted = (
        best_count >= MIN_LINES
        and best_count >= DOMINANCE * runner_up
        and len(restorations[best]) >= min(MIN_RESTORATIONS, available)
    )
    return (best if accepted else None), {code: count for count, code in support}


def decode_ean13_photo(image, *, return_info=False):
    """Read the EAN-13 (or UPC-A) bar code in a photograph: deconvolve scan lines, let zxing-cpp
    read them, and accept a code only when many lines agree.

    The bars must be within about 15 degrees of the photo's columns, either way up; nothing else
    need be known (the blur, the light, where the symbol is). See the module's docstring for the
    steps and the constants that set them.

    Parameters
    ----------
    image : str, path or array
        An image file, or the photo as a 2-D array of brightness (any real dtype, light = high) or a
        3-D RGB / RGBA array.
    return_info : bool
        Also return a dict: ``symbols``, one entry per place on the photo where lines read a code
        (``code``: the accepted code or None, ``lines``: how many scan lines read each code there,
        ``centre``: (row, column) of the symbol), best supported first, and ``lines``: the number
        of scan lines cut.

    Returns
    -------
    str or None, or (str or None, dict) with ``return_info=True``
        The 13 digits (a UPC-A symbol with its leading 0), or None when no code is clear.

    Raises
    ------
    FileNotFoundError, TypeError, ValueError
        For a missing file or an array that is not a photo: see :func:`as_photo`.

    Examples
    --------
    >>> from deconvlab.barcodes import ean13_scanline
    >>> line = 40 + 180 * ean13_scanline("400638133393", samples_per_module=3)
    >>> decode_ean13_photo(np.tile(line, (60, 1)))    # a sharp, upright symbol: 60 equal rows
    '4006381333931'
    >>> decode_ean13_photo(np.full((60, 400), 128.0)) is None    # grey paper: no code
    True
    """
    photo = as_photo(image)
    return_info = as_flag(return_info, "return_info")
    readings = _readings(photo)
    symbols = []
    for group in _symbols(readings, max(LINE_SPACING * photo.shape[0], 1.0)):
        code, lines = _verdict(group)
        centre = np.mean([reading[2] for reading in group], axis=0)
        symbols.append({"code": code, "lines": lines, "centre": (float(centre[0]), float(centre[1]))})
    symbols.sort(key=lambda symbol: -max(symbol["lines"].values()))
    accepted = [symbol for symbol in symbols if symbol["code"] is not None]
    result = accepted[0]["code"] if accepted else None
    if return_info:
        cut = sum(len(_scan_offsets(photo, angle)) for angle in SCAN_ANGLES)
        return result, {"symbols": symbols, "lines": cut}
    return result
