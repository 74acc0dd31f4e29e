"""The capstone's decode-rate tables (not part of `make test`): `make bench-barcodes`.

Blurred EAN-13 scanlines (dl.barcode_scanline, 2 % noise, unknown gain and offset), the same codes
and noise draws for every method, judged by an independent reader (zxing-cpp): a method counts as
reading a code when it returns the right 13 digits; a wrong code is a misread, counted apart.

    python benchmarks/barcodes.py methods    # every method at 4 samples a module -> notebooks/data/barcode_methods.csv
    python benchmarks/barcodes.py decoder    # dl.decode_ean13 blind, 3/4/5 samples a module, exact model
                                             # and not -> notebooks/data/barcode_decoder.csv
    python benchmarks/barcodes.py timing     # median seconds a scanline, blind (run it alone: target <= 1 s)
    python benchmarks/barcodes.py margins    # 300 other codes at 3 samples a module, 3, 3.25 and 3.5 module
                                             # widths: each best candidate's margin, fitted blur and whether
                                             # it is the true code -> notebooks/data/barcode_margins.csv
                                             # (about 15 min)
    python benchmarks/barcodes.py borderline # 200 other codes at 3 samples a module, 3 module widths
                                             # (blind and told the blur; printed, about 15 min)

methods, decoder: one CSV row per (setting, blur, method): codes, read, misread, median seconds.
"""

import csv
import pathlib
import sys
import time

import numpy as np

import deconvlab as dl

RESULTS = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "data"  # notebook 08 reads them
NOISE = 0.02
#: Candidate blur widths (samples) for the blind linear restorations' estimate_blur.
BLIND_SIGMAS = np.geomspace(0.8, 16.0, 12)


def zxing_read(scanline, rows=30):
    """zxing-cpp's reading of a 1-D scanline (1 = light) as a grey image of identical rows, or None."""
    import zxingcpp

    top = max(float(np.max(scanline)), 1e-12)
    image = np.tile(np.clip(np.rint(255 * scanline / top), 0, 255).astype(np.uint8), (rows, 1))
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.EAN13)
    found = [result.text for result in results if result.valid and result.text]
    return found[0] if found else None


def test_codes(count, seed=0):
    """``count`` random 12-digit codes and their 13-digit answers."""
    rng = np.random.default_rng(seed)
    digits = ["".join(map(str, rng.integers(0, 10, 12))) for _ in range(count)]
    return digits, [d + str(dl.ean13_check_digit(d)) for d in digits]


def scanline(code, i, spm, blur, inexact):
    """The i-th test scanline: gain in [0.7, 1.5], offset in [0, 0.3] (drawn from i), 2 % noise;
    ``inexact``: a motion blur of 0.3 modules on top and illumination tilted by +-10 %."""
    rng = np.random.default_rng(1000 + i)
    gain, offset = rng.uniform(0.7, 1.5), rng.uniform(0.0, 0.3)
    extra = {"motion": 0.3, "tilt": 0.1 if i % 2 else -0.1} if inexact else {}
    return dl.barcode_scanline(
        code, samples_per_module=spm, blur=blur, gain=gain, offset=offset, noise=NOISE, rng=i, **extra
    )


def method_answers(y, spm, blur):
    """Every method's answer (13 digits or None) and seconds, for one scanline."""
    sigma = blur * spm
    answers = {}

    def timed(name, function):
        started = time.perf_counter()
        try:
            answer = function()
        except ValueError as error:  # e.g. an estimated blur too wide to restore with: no reading
            print(f"  {name}: {error}", file=sys.stderr)
            answer = None
        answers[name] = (answer, time.perf_counter() - started)

    timed("reader alone", lambda: zxing_read(y))
    timed("Wiener, true blur", lambda: zxing_read(dl.binarize_scanline(y, sigma)))
    timed("TV, true blur", lambda: zxing_read(dl.binarize_scanline(y, sigma, method="tv")))
    timed("symbology, true blur", lambda: dl.decode_ean13(y, blur=sigma))
    started = time.perf_counter()
    estimated = dl.estimate_blur(y, BLIND_SIGMAS, mode="same")
    estimate_seconds = time.perf_counter() - started
    timed("Wiener, blind", lambda: zxing_read(dl.binarize_scanline(y, estimated)))
    timed("TV, blind", lambda: zxing_read(dl.binarize_scanline(y, estimated, method="tv")))
    for name in ("Wiener, blind", "TV, blind"):
        answers[name] = (answers[name][0], answers[name][1] + estimate_seconds)
    timed("symbology, blind", lambda: dl.decode_ean13(y))
    return answers


def run_methods(count=40, spm=4, blurs=(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 3.5)):
    digits, truth = test_codes(count)
    rows = []
    for blur in blurs:  # the table is rewritten after every blur: an interrupted run keeps what it measured
        tallies = {}
        for i, (d, t) in enumerate(zip(digits, truth)):
            for name, (answer, seconds) in method_answers(scanline(d, i, spm, blur, False), spm, blur).items():
                tally = tallies.setdefault(name, [0, 0, []])
                tally[0] += answer == t
                tally[1] += answer is not None and answer != t
                tally[2].append(seconds)
        for name, (read, misread, seconds) in tallies.items():
            rows.append([spm, "exact", blur, name, count, read, misread, f"{np.median(seconds):.3f}"])
            print(f"σ={blur:4.2f} {name:22s} {read:3d}/{count} read, {misread} misread", flush=True)
        write(RESULTS / "barcode_methods.csv", rows)


def decoder_point(inexact, spm, blur, count=40):
    """One point of the decoder's grid: (reads, misreads, seconds of each scanline)."""
    digits, truth = test_codes(count)
    read = misread = 0
    seconds = []
    for i, (d, t) in enumerate(zip(digits, truth)):
        y = scanline(d, i, spm, blur, inexact)
        started = time.perf_counter()
        answer = dl.decode_ean13(y)
        seconds.append(time.perf_counter() - started)
        read += answer == t
        misread += answer is not None and answer != t
    return read, misread, seconds


def run_decoder(count=40, spms=(3, 4, 5), blurs=(0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5), workers=1):
    """The grid, its points shared among ``workers`` processes (``make bench-barcodes`` runs the
    methods table beside it, so one here keeps a process a core)."""
    from concurrent.futures import ProcessPoolExecutor

    points = [(inexact, spm, blur) for inexact in (False, True) for spm in spms for blur in blurs]
    rows, seconds_all, misreads = [], [], 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(decoder_point, *zip(*points), [count] * len(points))
        for (inexact, spm, blur), (read, misread, seconds) in zip(points, results):
            label = "mismatch" if inexact else "exact"
            rows.append([spm, label, blur, "symbology, blind", count, read, misread, f"{np.median(seconds):.3f}"])
            seconds_all += seconds
            misreads += misread
            print(f"{label:8s} spm={spm} σ={blur:3.1f}: {read:3d}/{count} read, {misread} misread", flush=True)
    write(RESULTS / "barcode_decoder.csv", rows)
    print(f"{len(seconds_all)} scanlines, {misreads} misread; median {np.median(seconds_all):.2f} s a scanline")


def run_borderline(count=200, spm=3, blur=3.0):
    """The grid's point nearest 95 % (3 samples a module, 3 module widths), measured on more codes:
    the decode rate blind and told the blur, with a 95 % Wilson interval, and the misreads."""
    digits, truth = test_codes(count, seed=1)
    for inexact in (False, True):
        for told in (False, True):
            read = misread = 0
            for i, (d, t) in enumerate(zip(digits, truth)):
                y = scanline(d, 100 + i, spm, blur, inexact)
                answer = dl.decode_ean13(y, blur=blur * spm if told else None)
                read += answer == t
                misread += answer is not None and answer != t
            low, high = wilson_interval(read, count)
            model = "mismatch" if inexact else "exact"
            setting = f"{model:8s} spm={spm} σ={blur}, {'told the blur' if told else 'blind'}"
            print(
                f"{setting:40s}: "
                f"{read}/{count} read ({100 * read / count:.1f} %, 95 % interval {100 * low:.1f}–{100 * high:.1f} %), "
                f"{misread} misread",
                flush=True,
            )


def margin_row(index, digits, truth, spm, blur, inexact):
    """One scanline of the margins table: the decoder's best candidate, accepted or not."""
    y = scanline(digits, index, spm, blur, inexact)
    answer, info = dl.decode_ean13(y, return_info=True)
    fits = info["residual_ratio"] <= dl.barcodes.ACCEPT_RESIDUAL and info["contrast"] >= dl.barcodes.MIN_CONTRAST
    model = "mismatch" if inexact else "exact"
    return [
        spm,
        model,
        blur,
        index,
        f"{min(info['margin'], 999.0):.2f}",
        int(info["code"] == truth),
        int(fits),
        int(answer is not None),
        f"{info['blur']:.3f}",
    ]


def run_margins(count=300, spm=3, blurs=(3.0, 3.25, 3.5), workers=2):
    """How sure a reading must be: at the blurs where near-ties happen, every scanline's best
    candidate, its margin over the runner-up (in sigma_hat^2), whether it is the true code, whether
    its fit passes the residual and contrast tests, whether it was returned, and the blur the
    decoder fitted (module widths; the margin it demands depends on it). Codes and noise draws apart
    from the tables' (seed 2, scanlines 5000 on): the data the decoder's margin rule was calibrated on."""
    from concurrent.futures import ProcessPoolExecutor

    digits, truth = test_codes(count, seed=2)
    jobs = [
        (5000 + i, d, t, spm, b, inexact)
        for b in blurs
        for inexact in (False, True)
        for i, (d, t) in enumerate(zip(digits, truth))
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(margin_row, *zip(*jobs), chunksize=8))
    path = RESULTS / "barcode_margins.csv"
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            [
                "samples_per_module",
                "model",
                "blur_modules",
                "scanline",
                "margin",
                "best_is_true",
                "fit_passes",
                "returned",
                "blur_fitted",
            ]
        )
        writer.writerows(rows)
    for b in blurs:
        for model in ("exact", "mismatch"):
            these = [r for r in rows if r[2] == b and r[1] == model]
            misread = sum(r[7] and not r[5] for r in these)
            wrong = sorted(float(r[4]) for r in these if not r[5] and r[6])
            print(
                f"{model:8s} spm={spm} σ={b}: {sum(r[7] for r in these)}/{len(these)} returned, {misread} misread; "
                f"margins of wrong best candidates that fit: {wrong}",
                flush=True,
            )
    print(f"wrote {path}")


def wilson_interval(successes, trials, z=1.96):
    """The Wilson score interval of a binomial proportion."""
    p = successes / trials
    centre = (p + z**2 / (2 * trials)) / (1 + z**2 / trials)
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / (1 + z**2 / trials)
    return centre - half, centre + half


def run_timing(count=20, spm=4, blurs=(0.5, 1.0, 2.0, 3.0), target_seconds=1.0):
    """Median seconds of dl.decode_ean13 a scanline, blind, and as a ratio against a reference
    computed in the same run: one dense least-squares fit of the 95 modules' blurred basis
    (scipy.linalg.lstsq), the unit of work the decoder repeats."""
    import scipy.linalg

    digits, _ = test_codes(count)
    seconds, reference = [], []
    for blur in blurs:
        for i, d in enumerate(digits):
            y = scanline(d, i, spm, blur, True)
            started = time.perf_counter()
            dl.decode_ean13(y)
            seconds.append(time.perf_counter() - started)
            basis = dl.barcodes._module_basis(y.size, 15 * spm, spm, blur * spm)
            started = time.perf_counter()
            scipy.linalg.lstsq(basis, y)
            reference.append(time.perf_counter() - started)
    median = float(np.median(seconds))
    print(
        f"dl.decode_ean13, blind, {len(seconds)} scanlines of {spm} samples a module (blurs {blurs}): "
        f"median {median:.2f} s a scanline (target <= {target_seconds} s), "
        f"{median / float(np.median(reference)):.0f} x one dense least-squares fit"
    )
    return median <= target_seconds


def write(path, rows):
    path.parent.mkdir(exist_ok=True)
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["samples_per_module", "model", "blur_modules", "method", "codes", "read", "misread", "median_seconds"]
        )
        writer.writerows(rows)
    print(f"wrote {path}")


if __name__ == "__main__":
    which = sys.argv[1:] or ["timing", "methods", "decoder"]
    ok = True
    for name in which:
        runs = {
            "methods": run_methods,
            "decoder": run_decoder,
            "timing": run_timing,
            "borderline": run_borderline,
            "margins": run_margins,
        }
        ok &= runs[name]() is not False
    sys.exit(0 if ok else 1)
