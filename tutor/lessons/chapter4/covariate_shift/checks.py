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


def inverted_or_rescaled(got, expected):
    """log β against the oracle's log β: a slope of −1 is the inverted ratio q/p; a slope of 1 with an
    offset is a constant factor (the sample sizes' ratio) missing or extra."""
    mine, want = _weights(got), _weights(expected)
    if mine is None or want is None or mine.shape != want.shape or not (mine > 0).all() or not (want > 0).all():
        return None
    a, e = np.log(mine), np.log(want)
    tight = 1e-6 * (1 + np.abs(e).max())
    spread = e - e.mean()
    if (spread ** 2).sum() > 1e-12:
        slope = float((spread * (a - a.mean())).sum() / (spread ** 2).sum())
        for target, diagnosis in ((-1.0, "covariate_shift.inverted"), (1.0, "covariate_shift.sample_ratio")):
            if abs(slope - target) < 1e-6:
                offset = a - target * e
                if np.abs(offset - offset.mean()).max() < tight and (target < 0 or abs(offset.mean()) > 1e-6):
                    return diagnosis
        return None
    offset = a - e
    if np.abs(offset - offset.mean()).max() < tight and abs(offset.mean()) > 1e-6:
        return "covariate_shift.sample_ratio"
    return None
