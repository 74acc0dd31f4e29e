"""Photographs of bar codes read by dl.decode_ean13_photo and by zxing-cpp (not part of `make test`):
`make bench-photos` writes notebooks/data/photo_reads.csv, which the photo notebook reads.

Every shipped photo (notebooks/data/photos/<set>/NN.png, its 13 digits in NN.txt), upright and
turned upside down (180 degrees), read four ways:

- ``zxing``: zxing-cpp on the whole photo (EAN-13, which reads UPC-A too; no 90-degree rotation tried), a reader
  alone; its first valid EAN-13 is its answer;
- ``lines``: decode_ean13_photo's scan lines and vote with no deconvolution (WIENER_BLURS empty):
  what cutting many lines and letting them vote buys by itself;
- ``wiener``: decode_ean13_photo as shipped: each line also Wiener-deconvolved for a family of blurs;
- the median seconds a photo of ``wiener``.

Each answer is ``read`` (the photo's label), ``other symbol`` (a code printed on the photographed
object but not its label: the Japanese book of ean13-2's photos 13-28 carries two symbols, its ISBN
9784872348880 and its price code 1920081045006, and a photo may show either or both), ``wrong``
(no symbol on the object), or ``none``.

    python benchmarks/photos.py          # -> notebooks/data/photo_reads.csv and the table printed
"""

import csv
import pathlib
import statistics
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


if __name__ == "__main__":
    main()
