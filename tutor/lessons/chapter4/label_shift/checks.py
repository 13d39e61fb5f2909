"""Inputs and properties of chapter4/label_shift: a simulated classifier whose confusion
probabilities and label distributions are known, so an estimate can be held to the truth."""

import torch

# Column j is P(ŷ = · | y = j): what the simulated classifier predicts for an example of class j.
CONFUSION = {
    3: [[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.2, 0.7]],
    4: [[0.75, 0.1, 0.05, 0.05], [0.15, 0.7, 0.1, 0.05], [0.05, 0.15, 0.75, 0.1], [0.05, 0.05, 0.1, 0.8]],
}
TRUTH_TARGET = [0.1, 0.2, 0.3, 0.4]  # the target distribution of the `recovers_truth` check
TRUTH_TOLERANCE = 0.03


def _draw(g, n, prior, confusion):
    labels = torch.multinomial(torch.tensor(prior, dtype=torch.float64), n, replacement=True, generator=g)
    columns = torch.tensor(confusion, dtype=torch.float64).T  # row j: P(ŷ | y = j)
    predictions = torch.multinomial(columns[labels], 1, generator=g).squeeze(1)
    return predictions, labels


def simulate(ctx, k, n_val, n_target, source, target, offset=0):
    """A classifier with confusion CONFUSION[k], validation data drawn from `source`, target data from `target`."""
    g = ctx.generator(offset)
    val_pred, val_true = _draw(g, n_val, source, CONFUSION[k])
    target_pred, _ = _draw(g, n_target, target, CONFUSION[k])
    return {"val_pred": val_pred, "val_true": val_true, "target_pred": target_pred, "num_classes": k}


def sizes_call(inputs):
    def n(name):
        value = inputs.get(name)
        shape = value.get("__tensor__") if isinstance(value, dict) else getattr(value, "shape", None)
        return shape[0] if shape else "?"

    return (f"target_label_distribution(val_pred, val_true, target_pred, num_classes={inputs.get('num_classes')}) "
            f"with {n('val_pred')} validation and {n('target_pred')} target examples from a simulated classifier")


def close_to_truth(out, inputs):
    return out.shape == (4,) and float(abs(out - torch.tensor(TRUTH_TARGET).numpy()).max()) <= TRUTH_TOLERANCE
