"""The training check and detectors of chapter4/covariate_shift.

The training check draws source features from q = N(0, I) and target features from
p = N(μ, I), so the true weights are known: log β(x) = log p(x)/q(x) = μ·x − |μ|²/2. The
learner's β must agree with the oracle's (the reference, run by the grader) and lie close to
that truth.
"""

import numpy as np
import torch

from tutor.grader import kit

F64 = torch.float64
SHIFT = [1.0, -0.5]
N_SOURCE, N_TARGET, STEPS, LR = 3000, 1000, 300, 1.0


def gaussian_shift(module, ctx):
    g = ctx.generator()
    mu = torch.tensor(SHIFT, dtype=F64)
    X_source = torch.randn(N_SOURCE, 2, generator=g, dtype=F64)
    X_target = torch.randn(N_TARGET, 2, generator=g, dtype=F64) + mu
    losses = []

    def on_loss(step, value):
        losses.append(float(value))
        ctx.emit("loss", step, float(value))

    beta = kit.call(module, "importance_weights", X_source, X_target, STEPS, LR, on_loss=on_loss)
    true_log_beta = X_source @ mu - mu @ mu / 2
    error = float((torch.log(beta.detach().to(F64)) - true_log_beta).abs().mean())
    # A fixed model's squared error, (x₁)²: about 1 on the source, 2 on the target.
    per_example = X_source[:, 0] ** 2
    risk = kit.call(module, "reweighted_loss", per_example, beta.detach().to(F64))
    return {"log_ratio_error": error, "losses": losses, "beta": beta, "reweighted_risk": risk}


# -- naming the mistake from the weights themselves ----------------------------------------------------

def _weights(result):
    if not isinstance(result, dict):
        return None
    value = result.get("beta", result.get("out"))
    return value.astype(np.float64) if isinstance(value, np.ndarray) and value.ndim == 1 else None


def _sample_ratio(got):
    """n_s / n_t of the check: from the inputs of a value check, else the training check's sizes."""
    inputs = got.get("inputs") if isinstance(got, dict) else None
    if isinstance(inputs, dict):
        sizes = []
        for name in ("X_source", "X_target"):
            value = inputs.get(name)
            shape = value.get("__tensor__") if isinstance(value, dict) else getattr(value, "shape", None)
            if not shape:
                return None
            sizes.append(shape[0])
        return sizes[0] / sizes[1]
    return N_SOURCE / N_TARGET


def inverted_or_rescaled(got, expected):
    """log β against the oracle's log β: a slope of −1 is the inverted ratio q/p; the right shape off by
    the samples' size ratio (missing, inverted or applied twice) is the sample-size mistake."""
    mine, want = _weights(got), _weights(expected)
    if mine is None or want is None or mine.shape != want.shape or not (mine > 0).all() or not (want > 0).all():
        return None
    a, e = np.log(mine), np.log(want)
    tight = 1e-6 * (1 + np.abs(e).max())
    spread = e - e.mean()
    if (spread ** 2).sum() > 1e-12:
        slope = float((spread * (a - a.mean())).sum() / (spread ** 2).sum())
        if abs(slope + 1) < 1e-6 and np.abs((a + e) - (a + e).mean()).max() < tight:
            return "covariate_shift.inverted"
        if abs(slope - 1) >= 1e-6:
            return None
    offset = a - e
    ratio = _sample_ratio(got)
    if ratio is None or ratio == 1 or np.abs(offset - offset.mean()).max() >= tight:
        return None
    if any(abs(offset.mean() - k * np.log(ratio)) < 1e-6 for k in (-2, -1, 1)):
        return "covariate_shift.sample_ratio"
    return None
