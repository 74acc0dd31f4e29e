"""The forward model the decoder fits: the module basis (each module's bar blurred and sampled),
the blurred bars of a code with their derivatives, the levels' design and fit (offset, light and
its tilt), the relaxed modules that fill what a search has not chosen yet, and the paper's level.
"""

import numpy as np

from .symbology import _GUARD_BARS, _GUARD_KNOWN, SYMBOL_MODULES


def _module_basis(n, start, width, sigma):
    """``B[t, j]``: the share of sample ``t`` that the bar of module ``j`` darkens, for modules of
    ``width`` samples from ``start`` and a Gaussian blur of ``sigma`` samples (each sample integrates
    over its width, which adds 1/12 to the variance): ``Phi((t - e_j)/s) - Phi((t - e_{j+1})/s)``,
    ``e_j = start + j width`` the module edges, ``s^2 = sigma^2 + 1/12``."""
    import scipy.special

    t = np.arange(n)[:, None] + 0.5
    edges = start + width * np.arange(SYMBOL_MODULES + 1)[None, :]
    below_edge = scipy.special.ndtr((t - edges) / np.sqrt(sigma**2 + 1.0 / 12.0))
    return below_edge[:, :-1] - below_edge[:, 1:]


def _blurred_bars(n, start, width, sigma, modules, derivatives=False):
    """The bars ``modules`` (95 values) blurred and sampled, ``B @ modules`` of :func:`_module_basis`
    summed edge by edge: ``sum_k s_k Phi((t - e_k)/s)``, ``e_k = start + j_k width`` the module edges
    where a bar begins (``s_k = +1``) or ends (``s_k = -1``), ``s^2 = sigma^2 + 1/12``. With
    ``derivatives``: also its derivatives with respect to ``start``, ``width`` and ``sigma`` (columns),
    ``-sum_k s_k phi(z_k) (1, j_k, z_k sigma / s) / s``, ``z_k = (t - e_k)/s``."""
    import scipy.special

    steps = np.diff(np.r_[0.0, modules, 0.0])
    edges = np.flatnonzero(steps)
    spread = np.sqrt(sigma**2 + 1.0 / 12.0)
    z = (np.arange(n)[:, None] + 0.5 - start - width * edges[None, :]) / spread
    darkened = scipy.special.ndtr(z) @ steps[edges]
    if not derivatives:
        return darkened
    slopes = np.exp(-0.5 * z**2) * (steps[edges] / (spread * np.sqrt(2.0 * np.pi)))
    return darkened, -np.column_stack([slopes.sum(axis=1), slopes @ edges, (slopes * z).sum(axis=1) * (sigma / spread)])


def _levels_design(darkened, u):
    """The design of the levels' fit ``y ~ o + g (1 + tau u) (1 - darkened)``, the paper's light
    ``o + g`` under an illumination tilted by ``tau`` on top of an even offset ``o``: columns ``1``,
    ``-darkened``, ``u (1 - darkened)`` for the coefficients ``(o + g, g, g tau)`` (``g`` the bars'
    depth at the centre). The tilt scales bars and paper alike, so it costs one coefficient, not two."""
    return np.column_stack([np.ones_like(darkened), -darkened, u * (1.0 - darkened)])


def _fit_levels(y, darkened, u):
    """Least squares ``y ~ o + g (1 + tau u) (1 - darkened)`` (:func:`_levels_design`): returns the
    coefficients ``(o + g, g, g tau)`` and the residual vector."""
    X = _levels_design(darkened, u)
    coefficients = np.linalg.lstsq(X, y, rcond=None)[0]
    return coefficients, y - X @ coefficients


def _relaxed_modules(r0, Bp, ridge=1e-2):
    """Module values (guards fixed) minimising ``||r0 + Bp m||^2 + ridge ||m - 1/2||^2``, clipped to
    [0, 1]: the fill of the beam search's modules not chosen yet (a linear solve of the free
    modules' normal equations)."""
    free = np.flatnonzero(~_GUARD_KNOWN)
    columns = Bp[:, free]
    normal = columns.T @ columns + ridge * np.eye(free.size)
    modules = _GUARD_BARS.copy()
    modules[free] = np.clip(np.linalg.solve(normal, columns.T @ -(r0 + Bp @ _GUARD_BARS) + 0.5 * ridge), 0.0, 1.0)
    return modules


def _paper_level(y, u, samples=20):
    """The light level ``c0 + c1 u`` of the paper, fitted to the first and last ``samples`` samples
    (the quiet zones)."""
    ends = np.r_[np.arange(samples), np.arange(y.size - samples, y.size)]
    return np.linalg.lstsq(np.column_stack([np.ones(ends.size), u[ends]]), y[ends], rcond=None)[0]
