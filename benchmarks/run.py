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


def bench_tikhonov(n=10**5, sigma=100.0, radius=400, noise=0.01, lam=0.05):
    """Tikhonov, mode="full", n = 1e5, k = 801: deconvlab (preconditioned CG) vs PyLops
    (Convolve1D + regularized_inversion with scipy's LSQR), same lambda.

    Both stop when their own residual test reaches 1e-10 (CG: relative residual of the
    normal equations; LSQR: atol = btol = 1e-10). Targets: deconvlab at least as
    accurate (RMSE against the true signal, within 0.1 %) and faster.
    """
    try:
        import pylops
        from pylops.optimization.leastsquares import regularized_inversion
    except ImportError:
        print("tikhonov vs PyLops: skipped (pip install pylops, or pip install -e '.[dev]')")
        return True
    h = dl.gaussian_kernel(sigma, radius=radius)
    k = h.size
    x = dl.square_wave(n, 4000, 0.5, (0.0, 1.0), delay=1000)
    y = dl.add_noise(dl.convolve(x, h, "full"), std=noise * np.abs(x).max(), rng=0)
    ours = dl.tikhonov(y, h, lam, "full", method="iterative")
    operator = pylops.signalprocessing.Convolve1D(n + k - 1, h=h, offset=0) @ pylops.Pad(n, (0, k - 1))
    identity = pylops.Identity(n)

    def run_pylops():
        return regularized_inversion(operator, y, [identity], epsRs=[lam], atol=1e-10, btol=1e-10,
                                     iter_lim=50_000)

    theirs, _, iterations, _, _ = run_pylops()
    ours_seconds = median_seconds(lambda: dl.tikhonov(y, h, lam, "full", method="iterative"), repeats=5)
    theirs_seconds = median_seconds(run_pylops, repeats=3)
    ours_error, theirs_error = dl.rmse(ours, x), dl.rmse(theirs, x)
    print(f"tikhonov full n={n:.0e} k={k} lam={lam}: deconvlab {ours_seconds:6.2f} s RMSE {ours_error:.5f} | "
          f"PyLops LSQR ({iterations} iterations) {theirs_seconds:6.2f} s RMSE {theirs_error:.5f} | "
          f"speed-up {theirs_seconds / ours_seconds:.1f}x, |difference| {np.linalg.norm(ours - theirs) / np.linalg.norm(ours):.1e}")
    return ours_error <= 1.001 * theirs_error and ours_seconds < theirs_seconds


def bench_tv(n=10**4, sigma=10.0, noise=0.01, lam=0.2, budget_seconds=120.0):
    """TV deconvolution, mode="full", n = 1e4: time to reach 1e-6 relative objective error.

    deconvlab's active-set solver against pyproximal's PrimalDual (Chambolle-Pock, prox of the
    data term by its inner CG, TV as L1 of pylops' forward FirstDerivative), same problem. The
    optimum is deconvlab's converged value checked by its KKT conditions (tests do the same
    against cvxpy). Every 10th PrimalDual iterate is time-stamped and scored after the run. Target:
    deconvlab reaches the tolerance first.
    """
    try:
        import pylops
        import pyproximal
        from pyproximal.optimization.primaldual import PrimalDual
    except ImportError:
        print("tv vs pyproximal: skipped (pip install pyproximal, or pip install -e '.[dev]')")
        return True
    h = dl.gaussian_kernel(sigma)
    k = h.size
    x = dl.square_wave(n, 1000, 0.5, (0.0, 1.0), delay=250)
    y = dl.add_noise(dl.convolve(x, h, "full"), std=noise, rng=0)
    ours_seconds = median_seconds(lambda: dl.tv(y, h, lam, "full"), repeats=3)
    ours, info = dl.tv(y, h, lam, "full", return_info=True)
    assert info["converged"], "deconvlab's TV did not converge"
    optimum = info["final_objective"]

    operator = pylops.signalprocessing.Convolve1D(n + k - 1, h=h, offset=0) @ pylops.Pad(n, (0, k - 1))
    derivative = pylops.FirstDerivative(n, kind="forward", edge=False)
    stamps, iterates = [], []
    started = time.perf_counter()

    class OutOfTime(Exception):
        pass

    calls = [0]

    def record(current):  # keep every 10th iterate (memory), stop at the time budget
        calls[0] += 1
        elapsed = time.perf_counter() - started
        if calls[0] % 10 == 0:
            stamps.append(elapsed)
            iterates.append(current.copy())
        if elapsed > budget_seconds:
            raise OutOfTime

    tau = mu = 0.95 / 2.0  # tau * mu * ||D||^2 < 1 with ||D|| <= 2
    try:
        PrimalDual(pyproximal.L2(Op=operator, b=y, niter=20), pyproximal.L1(sigma=lam), derivative,
                   x0=np.zeros(n), tau=tau, mu=mu, niter=10**7, callback=record)
    except OutOfTime:
        pass
    reached = None
    for stamp, iterate in zip(stamps, iterates):
        value = 0.5 * np.sum((dl.convolve(iterate, h) - y) ** 2) + lam * np.sum(np.abs(np.diff(iterate[:n])))
        if abs(value - optimum) <= 1e-6 * optimum:
            reached = stamp
            break
        if stamp > budget_seconds:
            break
    best_gap = min(abs(0.5 * np.sum((dl.convolve(it, h) - y) ** 2) + lam * np.sum(np.abs(np.diff(it))) - optimum)
                   for it in iterates[:: max(1, len(iterates) // 200)]) / optimum
    theirs = f"{reached:.2f} s" if reached is not None else f"not within {stamps[-1]:.0f} s (best gap {best_gap:.1e})"
    print(f"tv full n={n:.0e} k={k} lam={lam}: deconvlab active-set {ours_seconds:.2f} s "
          f"({info['iterations']} iterations, {info['jumps']} jumps) | pyproximal PrimalDual to 1e-6: {theirs}")
    return reached is None or ours_seconds < reached


if __name__ == "__main__":
    results = [bench_convolve(), bench_tikhonov(), bench_tv()]
    sys.exit(0 if all(results) else 1)
