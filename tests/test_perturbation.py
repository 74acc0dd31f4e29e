"""The perturbation run's startup file (tools/perturb_exp.py) moves np.exp by a few ulps, and only that."""

import subprocess
import sys
from pathlib import Path

SNIPPET = Path(__file__).resolve().parent.parent / "tools" / "perturb_exp.py"

PROBE = """
import numpy as np
exact = np.exp(np.linspace(-700, 700, 5001))
scalar = np.exp(-3.0)
exec(open({snippet!r}).read())
moved = np.exp(np.linspace(-700, 700, 5001))
ulps = (moved - exact) / np.spacing(exact)
print(int(np.abs(ulps).max()), float(np.mean(ulps != 0)), type(np.exp(-3.0)).__name__,
      np.exp(np.array([-np.inf, np.inf, 0.0]))[0] == 0, np.isinf(np.exp(np.inf)))
"""


def test_startup_file_moves_exp_by_at_most_three_ulps_and_keeps_types():
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(snippet=str(SNIPPET))], capture_output=True, text=True, check=True
    )
    max_ulps, share_moved, scalar_type, zero_kept, inf_kept = result.stdout.split()
    assert int(max_ulps) == 3, "the largest move is 3 ulps"
    assert 0.6 < float(share_moved) < 0.95, "most values move (pattern -3..3: 6 of 7 non-zero)"
    assert scalar_type == "float64"
    assert zero_kept == "True" and inf_kept == "True", "0 and inf are not moved"


def test_perturbed_exp_reaches_the_package():
    """The package calls np.exp at call time, so the perturbation reaches its kernels."""
    code = (
        f"import numpy as np, deconvlab as dl\nbefore = dl.gaussian_kernel(5.0)\nexec(open({str(SNIPPET)!r}).read())\n"
        "print(np.array_equal(before, dl.gaussian_kernel(5.0)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", "the perturbed np.exp changed the Gaussian kernel"
