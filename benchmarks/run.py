"""Speed benchmarks (not part of `make test`): `make bench`.

Every number is the median of several runs, reported as a ratio against a
reference computed in the same process, so it means the same on any machine.
Exits non-zero if a stated target is missed.
"""

import sys
import time

import numpy as np
import scipy.signal

import deconvlab as dl


def median_seconds(function, repeats=7):
    """Median wall-clock time of ``function()`` over ``repeats`` runs (after one warm-up)."""
    function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def bench_convolve(n=10**6, k=10**3, target=1.5):
    """dl.convolve vs scipy.signal.fftconvolve, every linear mode; target: ratio <= 1.5."""
    rng = np.random.default_rng(0)
    x, h = rng.standard_normal(n), rng.standard_normal(k)
    ok = True
    for mode in ["full", "same", "valid"]:
        ours = median_seconds(lambda: dl.convolve(x, h, mode))
        reference = median_seconds(lambda: scipy.signal.fftconvolve(x, h, mode))
        ratio = ours / reference
        ok &= ratio <= target
        print(f"convolve n={n:.0e} k={k:.0e} {mode:>5}: {ours * 1e3:7.1f} ms, "
              f"fftconvolve {reference * 1e3:7.1f} ms, ratio {ratio:.2f} (target <= {target})")
    return ok


if __name__ == "__main__":
    results = [bench_convolve()]
    sys.exit(0 if all(results) else 1)
