"""IPython startup snippet for the perturbation run (Monte Carlo arithmetic, in spirit).

Replaces ``numpy.exp`` by a wrapper that moves every finite, non-zero float64 result by a few
units in the last place, with a fixed pseudo-random pattern: the kind of difference an
AVX-512 ``exp`` makes against an AVX2 one. A notebook whose stored outputs survive this
tells the same story on any CPU. Injected by the test tooling only (``make test-perturbed``;
``tests/test_perturbation.py`` checks it).
"""

import numpy as _np

_original_exp = _np.exp
_ULPS = _np.random.default_rng(20190204).integers(-3, 4, size=9973)  # a prime-length pattern


def _perturbed_exp(x, *args, **kwargs):
    result = _original_exp(x, *args, **kwargs)
    if args or kwargs:  # out=, where=, dtype=...: leave such calls alone
        return result
    values = _np.asarray(result)
    if values.dtype != _np.float64 or values.size == 0:
        return result
    ulps = _np.resize(_ULPS, values.size).reshape(values.shape)
    moved = _np.where(_np.isfinite(values) & (values != 0), values + ulps * _np.spacing(values), values)
    return moved if isinstance(result, _np.ndarray) else _np.float64(moved)


_np.exp = _perturbed_exp
