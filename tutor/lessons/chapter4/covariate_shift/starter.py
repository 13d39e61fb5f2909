"""Chapter 4 - covariate shift correction.

Write importance_weights (a logistic-regression classifier that tells source from target
features, turned into weights β(x) = p(x)/q(x)) and reweighted_loss (the β-weighted mean loss).
`tutor hint chapter4/covariate_shift` when stuck. Grade it with: tutor check chapter4/covariate_shift
"""

from collections.abc import Callable

import torch


def importance_weights(X_source: torch.Tensor, X_target: torch.Tensor, steps: int = 300, lr: float = 1.0,
                       on_loss: Callable[[int, float], None] | None = None) -> torch.Tensor:
    """β for every source example, shape (n_source,), the dtype of X_source.

    X_source (n_s, d): training features, drawn from q(x); X_target (n_t, d): target features,
    drawn from p(x). Train h(x) = x·w + b, starting from w = 0, b = 0, by `steps` steps of
    full-batch gradient descent with learning rate lr on the mean logistic loss over all
    n_s + n_t examples, with label 1 for target rows and 0 for source rows. Before each update,
    call on_loss(step, loss) (step = 1, 2, ...; loss a float) when on_loss is given.
    Return β(x) = (n_s / n_t) · exp(h(x)) for the source rows.
    """
    raise NotImplementedError("importance_weights: write me")


def reweighted_loss(losses: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    """Σᵢ βᵢ lᵢ / Σᵢ βᵢ: the mean of the per-example losses with weights β normalised to sum to one (0-d)."""
    raise NotImplementedError("reweighted_loss: write me")
