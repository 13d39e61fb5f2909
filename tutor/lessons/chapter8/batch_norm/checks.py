"""Checks of chapter8/batch_norm: the heavy oracle (the Numba kernel), the gradient scenario and
the detectors that name a mistake from the inputs and the learner's output alone.

The detectors recompute, in float64 from the check's inputs, what each classic misreading of
batch norm returns, and compare the learner's Y (or running statistics) with it. They look at Y
and the running statistics separately, so a learner whose running averages are off for another
reason still hears what is wrong with Y.
"""

from types import SimpleNamespace

import numpy as np
import torch

from tutor import kernels
from tutor.grader import kit

DEFAULTS = {"training": True, "momentum": 0.1, "eps": 1e-5}
MATCH = {"rtol": 1e-4, "atol": 1e-4}


# -- the heavy oracle: the Numba kernel behind the exercise's signature --------------------------------

def kernel_batch_norm():
    """Stands in for the learner's module on the heavy check: Y and the batch statistics from
    tutor.kernels.batch_norm (float64 accumulation), the running averages updated from them."""

    def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
        if not training:
            raise ValueError("kernel_batch_norm is the training-mode forward only")
        y, mean, var = kernels.batch_norm(X, gamma, beta, eps, return_stats=True)
        m = X.numel() // X.shape[1]
        mean, var = torch.from_numpy(mean), torch.from_numpy(var)
        new_mean = (1 - momentum) * running_mean.double() + momentum * mean
        new_var = (1 - momentum) * running_var.double() + momentum * var * (m / (m - 1))
        dtype = X.dtype
        return torch.from_numpy(y).to(dtype), new_mean.to(dtype), new_var.to(dtype)

    return SimpleNamespace(batch_norm=batch_norm)


# -- inputs ------------------------------------------------------------------------------------------------

def flat_channels(ctx):
    """(6, 3, 2, 2): channel 0 ordinary, channel 1 constant (σ² = 0), channel 2 with σ² ≈ 1e-6 (below ε)."""
    g = ctx.generator()
    X = torch.randn(6, 3, 2, 2, generator=g, dtype=torch.float64)
    X[:, 1] = 3.0
    X[:, 2] = 0.5 + 1e-3 * X[:, 2]
    return X.float()


def named_call(inputs):
    """The call as messages show it: every argument named, so training=... reads as such."""
    parts = [f"{name}={kit.fmt_array(value)}" for name, value in inputs.items()]
    call = f"batch_norm({', '.join(parts)})"
    if any(isinstance(v, dict) or (isinstance(v, np.ndarray) and v.size > 16) for v in inputs.values()):
        call += " [seeded random input]"
    return call


# -- gradients ------------------------------------------------------------------------------------------

def gradients(module, ctx):
    """Backpropagate a random weighting of Y (training mode, float64) to X, gamma and beta."""
    g = ctx.generator()
    X = (torch.randn(4, 3, 3, 2, generator=g, dtype=torch.float64) * 2 + 1).requires_grad_(True)
    gamma = (1 + 0.5 * torch.randn(3, generator=g, dtype=torch.float64)).requires_grad_(True)
    beta = torch.randn(3, generator=g, dtype=torch.float64).requires_grad_(True)
    weight = torch.randn(4, 3, 3, 2, generator=g, dtype=torch.float64)
    running = (torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64))
    out = kit.call(module, "batch_norm", X, gamma, beta, *running, True)
    Y = out[0] if isinstance(out, (tuple, list)) and out else out
    if not isinstance(Y, torch.Tensor) or not Y.requires_grad:
        return {"differentiable": False}
    (Y * weight).sum().backward()
    return {"differentiable": True, "grads": {name: (t.grad if t.grad is not None else torch.zeros_like(t))
                                              for name, t in (("X", X), ("gamma", gamma), ("beta", beta))}}


def judge_gradients(got, expected, jc):
    if not got.get("differentiable"):
        return jc.fail("Y carries no gradient back to X, gamma and beta (training mode, float64 input of shape "
                       "(4, 3, 3, 2))", "generic.not_differentiable")
    m = kit.compare_plain(got.get("grads"), expected["grads"], what="gradient", rtol=1e-6, atol=1e-8)
    if m:
        return kit.Mismatch(f"batch_norm on a (4, 3, 3, 2) float64 input in training mode, L = Σ w·Y for random "
                            f"weights w: {m.message}", m.details)
    return None


# -- naming the mistake ----------------------------------------------------------------------------------

def _inputs(expected):
    inputs = dict(DEFAULTS)
    inputs.update(expected.get("inputs") or {})
    arrays = [inputs.get(k) for k in ("X", "gamma", "beta", "running_mean", "running_var")]
    if not all(isinstance(a, np.ndarray) for a in arrays):
        return None  # a heavy input, known only by its shape
    return [a.astype(np.float64) for a in arrays] + [bool(inputs["training"]), float(inputs["momentum"]),
                                                      float(inputs["eps"])]


def _normalise(X, mean, var, gamma, beta, shape, root=True, eps=1e-5):
    scale = np.sqrt(var + eps) if root else var + eps
    return gamma.reshape(shape) * (X - mean) / scale + beta.reshape(shape)


def candidates(expected):
    """What each misreading returns on these inputs: ([(diagnosis, Y), ...], {diagnosis: (mean, var)})."""
    parsed = _inputs(expected)
    if parsed is None:
        return [], {}
    X, gamma, beta, rm, rv, training, momentum, eps = parsed
    axes = (0,) if X.ndim == 2 else (0, 2, 3)
    shape = (1, -1) if X.ndim == 2 else (1, -1, 1, 1)
    m = X.size // X.shape[1]
    mu = X.mean(axis=axes, keepdims=True)
    var = ((X - mu) ** 2).mean(axis=axes, keepdims=True)
    unbiased = var * m / max(m - 1, 1)
    if training:
        use_mean, use_var = mu, var
    else:
        use_mean, use_var = rm.reshape(shape), rv.reshape(shape)
    ys = [
        ("batch_norm.divides_by_variance", _normalise(X, use_mean, use_var, gamma, beta, shape, root=False, eps=eps)),
        ("batch_norm.no_eps", _normalise(X, use_mean, use_var, gamma, beta, shape, eps=0.0)),
    ]
    if training:
        ys.append(("batch_norm.unbiased_variance", _normalise(X, mu, unbiased, gamma, beta, shape, eps=eps)))
        if X.ndim == 4:  # over N alone (the (N, C) code reused), or N and one spatial axis
            for wrong in ((0,), (0, 2), (0, 3)):
                p_mu = X.mean(axis=wrong, keepdims=True)
                ys.append(("batch_norm.wrong_axes", _normalise(
                    X, p_mu, ((X - p_mu) ** 2).mean(axis=wrong, keepdims=True), gamma, beta, shape, eps=eps)))
        rest = tuple(range(1, X.ndim))
        e_mu = X.mean(axis=rest, keepdims=True)
        ys.append(("batch_norm.per_example", _normalise(X, e_mu, ((X - e_mu) ** 2).mean(axis=rest, keepdims=True),
                                                        gamma, beta, shape, eps=eps)))
    else:
        ys.append(("batch_norm.batch_stats_in_eval", _normalise(X, mu, var, gamma, beta, shape, eps=eps)))
    mu_c, var_c, unb_c = mu.reshape(-1), var.reshape(-1), unbiased.reshape(-1)
    if training:
        stats = {
            "batch_norm.momentum_swapped": (momentum * rm + (1 - momentum) * mu_c,
                                            momentum * rv + (1 - momentum) * unb_c),
            "batch_norm.biased_running_var": ((1 - momentum) * rm + momentum * mu_c,
                                              (1 - momentum) * rv + momentum * var_c),
        }
    else:
        stats = {"batch_norm.updates_in_eval": ((1 - momentum) * rm + momentum * mu_c,
                                                (1 - momentum) * rv + momentum * unb_c)}
    return ys, stats


def _close(a, b) -> bool:
    """Equal within MATCH, NaN and ±inf counting as one another (0/0 and x/0 are both "not finite")."""
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray) or a.shape != b.shape:
        return False
    a, b = a.astype(np.float64), b.astype(np.float64)
    finite = np.isfinite(a)
    if not np.array_equal(finite, np.isfinite(b)):
        return False
    return bool(np.allclose(a[finite], b[finite], **MATCH))


def _parts(result):
    out = result.get("out") if isinstance(result, dict) else None
    if isinstance(out, (list, tuple)) and len(out) == 3:
        return list(out)
    return None


def detect_batch_norm(got, expected):
    """The misreading whose Y (or whose running statistics, when Y is right) the learner's equals."""
    mine, want = _parts(got), _parts(expected)
    if mine is None or want is None:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ys, stats = candidates(expected)
    for diagnosis, y in ys:
        if _close(mine[0], y) and not _close(want[0], y):
            return diagnosis
    if _close(mine[0], want[0]):
        for diagnosis, (mean, var) in stats.items():
            if _close(mine[1], mean) and _close(mine[2], var) and not (_close(want[1], mean) and _close(want[2], var)):
                return diagnosis
    return None


def detect_generic(got, expected):
    """A generic diagnosis (keepdim, nonfinite, ...) of the first of Y, mean and variance that is wrong."""
    mine, want = _parts(got), _parts(expected)
    if mine is None or want is None:
        return None
    for g, e in zip(mine, want):
        if kit.compare_plain(g, e, rtol=1e-5, atol=1e-5) is not None:
            found = kit.generic_diagnosis(g, e)
            return found[0] if found else None
    return None


def _channel_scales(y, e, beta):
    """Per channel c, the factor a_c with y − β ≈ a_c·(e − β), or None when y is not such a rescaling of e."""
    shape = (1, -1) if e.ndim == 2 else (1, -1, 1, 1)
    g_c = (y.astype(np.float64) - beta.reshape(shape)).swapaxes(0, 1).reshape(e.shape[1], -1)
    e_c = (e.astype(np.float64) - beta.reshape(shape)).swapaxes(0, 1).reshape(e.shape[1], -1)
    scale = (g_c * e_c).sum(axis=1) / (e_c * e_c).sum(axis=1)
    return scale if np.allclose(g_c, scale[:, None] * e_c, rtol=1e-3, atol=1e-3) else None


def detect_one_pass(got, expected):
    """On data far from zero: Y centred right but scaled wrong per channel (or NaN), and not by the
    factor of another known misreading: the variance came from E[x²] − (E[x])², which cancels
    catastrophically in float32."""
    mine, want = _parts(got), _parts(expected)
    parsed = _inputs(expected)
    if mine is None or want is None or parsed is None:
        return None
    y, e, beta = mine[0], want[0], parsed[2]
    if not isinstance(y, np.ndarray) or y.shape != e.shape:
        return None
    if not np.isfinite(y).all():
        return "batch_norm.one_pass_variance"
    scale = _channel_scales(y, e, beta)
    if scale is None or np.abs(scale - 1).max() <= 2e-3:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ys, _ = candidates(expected)
    for diagnosis, candidate in ys:
        theirs = _channel_scales(candidate, e, beta)
        if theirs is not None and np.allclose(scale, theirs, rtol=1e-3, atol=1e-4):
            return diagnosis
    return "batch_norm.one_pass_variance"
