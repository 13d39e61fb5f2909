"""Chapter 4 - classification accuracy.

Write accuracy(scores, labels, from_logits=True): the fraction of examples whose predicted class
is the label. Read the lesson with `tutor start`; `tutor hint chapter4/accuracy` when stuck.
Grade it with: tutor check chapter4/accuracy
"""

import torch


def accuracy(scores: torch.Tensor, labels: torch.Tensor, from_logits: bool = True) -> float:
    """Fraction of correct predictions, as a Python float in [0, 1].

    scores (..., C): one score per class on the last axis (logits, or probabilities when
    from_logits=False); the prediction is the argmax, the first maximum winning a tie.
    scores with the labels' shape, or (..., 1): one score per example of a binary classifier:
    class 1 when the logit is > 0 (from_logits=True) or the probability is > 0.5 (False).
    labels (...): int64 class indices.
    """
    raise NotImplementedError("accuracy: write me")
