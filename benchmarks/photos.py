"""Photographs of bar codes read by dl.decode_ean13_photo and by zxing-cpp (not part of `make test`):
`make bench-photos` writes notebooks/data/photo_reads.csv, which the photo notebook reads.

Every shipped photo (notebooks/data/photos/<set>/NN.png, its 13 digits in NN.txt), upright and
turned upside down (180 degrees), read four ways:

- ``zxing``: zxing-cpp on the whole photo (EAN-13, which reads UPC-A too; no 90-degree rotation tried), a reader
  alone; its first valid EAN-13 is its answer;
- ``lines``: decode_ean13_photo's scan lines and vote with no deconvolution (WIENER_BLURS empty; the
  rule of two restorations then asks for the one there is): what many lines and a vote buy by themselves;
- ``wiener``: decode_ean13_photo as shipped: each line also Wiener-deconvolved for a family of blurs;
- the median seconds a photo of ``wiener``.

Each answer is ``read`` (the photo's label), ``other symbol`` (a code printed on the photographed
object but not its label: the Japanese book of ean13-2's photos 13-28 carries two symbols, its ISBN
9784872348880 and its price code 1920081045006, and a photo may show either or both), ``wrong``
(no symbol on the object), or ``none``.

    python benchmarks/photos.py          # -> notebooks/data/photo_reads.csv and the table printed
    python benchmarks/photos.py synthetic  # synthetic photos the decoder was not tuned on (printed)

``synthetic``: 60 photos of random codes drawn 8 pixels a module, turned up to 10 degrees, blurred by
a Gaussian of 0.3-0.9 module, resampled to 1.6-3.2 pixels a module, with noise of 1-6 grey levels;
and 30 more at exactly 2 pixels a module (the grid in phase with the modules, the hardest case for
a vote: every line sees the same pattern). Read by decode_ean13_photo and by zxing-cpp.
"""

import csv
import pathlib
import statistics
import sys
import time

import numpy as np

import deconvlab as dl
from deconvlab.barcodes import photos

ROOT = pathlib.Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "notebooks" / "data" / "photos"
RESULTS = ROOT / "notebooks" / "data" / "photo_reads.csv"
#: The other symbol printed on the object a label belongs to (seen on the photos: the Japanese book's
#: back carries its ISBN and its price code); a code read that is there is not a misread.
SAME_OBJECT = {"9784872348880": {"1920081045006"}, "1920081045006": {"9784872348880"}}


def zxing_whole(photo):
    """zxing-cpp's first valid EAN-13 / UPC-A reading of the whole photo (13 digits), or None."""
    import zxingcpp

    image = np.clip(np.rint(photo), 0, 255).astype(np.uint8)
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.EAN13, try_rotate=False)  # UPC-A too
    found = [result.text.zfill(13) for result in found if result.valid]
    return found[0] if found else None


def verdict(code, label):
    """``read``, ``other symbol``, ``wrong`` or ``none`` for one answer."""
    if code is None:
        return "none"
    if code == label:
        return "read"
    return "other symbol" if code in SAME_OBJECT.get(label, ()) else "wrong"


def without_deconvolution(photo):
    """decode_ean13_photo with no Wiener restoration: the raw scan lines only."""
    saved = photos.WIENER_BLURS
    photos.WIENER_BLURS = ()
    try:
        return dl.decode_ean13_photo(photo)
    finally:
        photos.WIENER_BLURS = saved


def main():
    rows = []
    for path in sorted(PHOTOS.glob("*/*.png")):
        label = path.with_suffix(".txt").read_text().strip()
        photo_set = path.parent.name
        upright = photos.as_photo(path)
        for orientation, photo in (("upright", upright), ("upside down", upright[::-1, ::-1])):
            start = time.perf_counter()
            code, info = dl.decode_ean13_photo(photo, return_info=True)
            seconds = time.perf_counter() - start
            answers = {"zxing": zxing_whole(photo), "lines": without_deconvolution(photo), "wiener": code}
            row = {"set": photo_set, "photo": path.stem, "orientation": orientation, "label": label}
            for name, answer in answers.items():
                row[name] = answer or ""
                row[f"{name}_verdict"] = verdict(answer, label)
            row["support"] = max((max(s["lines"].values()) for s in info["symbols"] if s["code"] == code), default=0)
            row["seconds"] = f"{seconds:.2f}"
            rows.append(row)
            print(path.relative_to(PHOTOS), orientation, {k: row[f"{k}_verdict"] for k in answers}, flush=True)
    with open(RESULTS, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")
    for photo_set in sorted({row["set"] for row in rows}):
        for orientation in ("upright", "upside down"):
            chosen = [r for r in rows if r["set"] == photo_set and r["orientation"] == orientation]
            counts = {
                name: {v: sum(r[f"{name}_verdict"] == v for r in chosen) for v in ("read", "other symbol", "wrong")}
                for name in ("zxing", "lines", "wiener")
            }
            print(f"{photo_set} {orientation} ({len(chosen)} photos): {counts}")
    print(f"median seconds a photo: {statistics.median(float(r['seconds']) for r in rows):.2f}")


def synthetic_photo(code, samples_per_module, blur_modules, angle, noise, rng, fine=8):
    """A photo of a printed symbol: drawn ``fine`` pixels a module (bars 60 modules tall, dark 40,
    light 220), turned by ``angle`` degrees, blurred by a Gaussian of ``blur_modules`` modules,
    resampled to ``samples_per_module`` pixels a module, with Gaussian noise of ``noise`` grey levels."""
    from scipy import ndimage

    line = dl.ean13_scanline(code, fine, quiet_modules=12)
    height = 60 * fine
    paper = np.ones((2 * height, line.size + 40 * fine))
    paper[height // 2 : height // 2 + height, 20 * fine : 20 * fine + line.size] = line
    photo = ndimage.rotate(40 + 180 * paper, angle, reshape=False, order=1, mode="nearest")
    photo = ndimage.zoom(ndimage.gaussian_filter(photo, blur_modules * fine), samples_per_module / fine, order=1)
    return photo + noise * rng.standard_normal(photo.shape)


def synthetic():
    rng = np.random.default_rng(2026)
    settings = [(rng.uniform(1.6, 3.2), rng.uniform(0.3, 0.9), rng.uniform(-10, 10)) for _ in range(60)]
    settings += [(2.0, rng.uniform(0.4, 0.9), float(rng.choice([0.0, 3.0]))) for _ in range(30)]
    tally = {"decode_ean13_photo": [0, 0], "zxing-cpp": [0, 0]}
    for index, (spm, blur, angle) in enumerate(settings):
        digits = "".join(map(str, rng.integers(0, 10, 12)))
        code = digits + str(dl.ean13_check_digit(digits))
        photo = synthetic_photo(code, spm, blur, angle, rng.uniform(1, 6), rng)
        answers = {"decode_ean13_photo": dl.decode_ean13_photo(photo), "zxing-cpp": zxing_whole(photo)}
        for name, answer in answers.items():
            tally[name][0] += answer == code
            tally[name][1] += answer is not None and answer != code
        print(f"{index:3d} {spm:.2f} px a module, blur {blur:.2f} modules, {angle:5.1f} deg: {code} {answers}")
    for name, (read, wrong) in tally.items():
        print(f"{name}: {read} of {len(settings)} read, {wrong} wrong")


if __name__ == "__main__":
    synthetic() if sys.argv[1:] == ["synthetic"] else main()
