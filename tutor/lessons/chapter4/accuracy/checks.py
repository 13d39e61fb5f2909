"""Inputs and a detector for chapter4/accuracy."""

import numpy as np
import torch


def classified(ctx, shape, right=0.7, dtype="float32"):
    """Scores of `shape` and labels that agree with their argmax about `right` of the time, like a
    trained model's: a wrong rule then scores far from the right one."""
    g = ctx.generator()
    scores = torch.randn(*shape, generator=g, dtype=torch.float64) * 2.0
    labels = scores.argmax(dim=-1)
    wrong = torch.rand(labels.shape, generator=g) > right
    labels = torch.where(wrong, torch.randint(0, shape[-1], labels.shape, generator=g), labels)
    return {"scores": scores.to(getattr(torch, dtype)), "labels": labels}


def returns_a_tensor(got, expected):
    out = got.get("out") if isinstance(got, dict) else None
    if isinstance(out, np.ndarray) and out.size == 1 and isinstance(expected.get("out"), float):
        return "accuracy.not_a_float"
    return None


# -- recognising a wrong rule from the inputs (one number says little, so recompute the rules) -----

def _inputs(got):
    inputs = got.get("inputs") if isinstance(got, dict) else None
    if not isinstance(inputs, dict):
        return None, None, True
    scores, labels = inputs.get("scores"), inputs.get("labels")
    if not (isinstance(scores, np.ndarray) and isinstance(labels, np.ndarray)):
        return None, None, True
    return scores.astype(np.float64), labels, inputs.get("from_logits", True)


def _same(value, number):
    return isinstance(value, float) and abs(value - number) < 1e-9


def wrong_axis(got, expected):
    """The learner's number is the accuracy of an argmax over some axis other than the last."""
    scores, labels, _ = _inputs(got)
    if scores is None or scores.ndim != labels.ndim + 1:
        return None
    for axis in range(scores.ndim - 1):
        predictions = scores.argmax(axis=axis)
        if predictions.shape == labels.shape and _same(got.get("out"), float((predictions == labels).mean())):
            return "accuracy.wrong_axis"
    return None


def threshold_confusion(got, expected):
    """A binary score compared with the other kind's threshold (0.5 for a logit, 0 for a probability)."""
    scores, labels, from_logits = _inputs(got)
    if scores is None:
        return None
    if scores.ndim == labels.ndim + 1 and scores.shape[-1] == 1:
        scores = scores[..., 0]
    if scores.shape != labels.shape:
        return None
    swapped = 0.5 if from_logits else 0.0
    if _same(got.get("out"), float(((scores > swapped).astype(np.int64) == labels).mean())):
        return "accuracy.threshold_confusion"
    return None


def tie_rule(got, expected):
    """A tie counted for every tied class, or won by the last maximal class."""
    scores, labels, _ = _inputs(got)
    if scores is None or scores.ndim != labels.ndim + 1 or scores.shape[-1] < 2:
        return None
    top = scores.max(axis=-1)
    label_score = np.take_along_axis(scores, labels[..., None], axis=-1)[..., 0]
    any_tied = float((label_score == top).mean())
    last = scores.shape[-1] - 1 - np.flip(scores, axis=-1).argmax(axis=-1)
    if _same(got.get("out"), any_tied) or _same(got.get("out"), float((last == labels).mean())):
        return "accuracy.ties"
    return None
