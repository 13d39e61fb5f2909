"""Checks for chapter7/lenet: the network's interface, then a short training run on real digits.

The data are the 1,797 8×8 handwritten digits shipped inside scikit-learn (no download);
a fixed split keeps 360 of them for testing.
"""

from __future__ import annotations

import math

import torch

from tutor.grader import kit

F = "lenet"
EPOCHS, BATCH, LR = 8, 32, 0.01
SATURATING = ("Sigmoid", "Tanh", "Hardsigmoid", "Hardtanh", "LogSigmoid")
ACCURACY_AT_LEAST = 0.85
_DATA: dict = {}


def digits():
    """(X_train, y_train, X_test, y_test): images (N, 1, 8, 8) standardised (mean 0, std 1 over the
    training pixels), labels int64."""
    if not _DATA:
        import numpy as np
        from sklearn.datasets import load_digits

        data = load_digits()
        X = torch.tensor(data.images / 16.0, dtype=torch.float32).unsqueeze(1)
        y = torch.tensor(data.target, dtype=torch.int64)
        order = torch.from_numpy(np.random.RandomState(0).permutation(len(y)))
        X, y = X[order], y[order]
        train = X[360:]
        mean, std = train.mean(), train.std()
        X = (X - mean) / std
        _DATA.update(split=(X[360:], y[360:], X[:360], y[:360]))
    return _DATA["split"]


def build(module, ctx):
    torch.manual_seed(ctx.seed)
    net = kit.call(module, F)
    if not isinstance(net, torch.nn.Module):
        raise TypeError(f"lenet() must return a torch.nn.Module, got {type(net).__name__}")
    return net


def shape_run(module, ctx):
    net = build(module, ctx)
    X = digits()[2][:5]
    with torch.no_grad():
        out = net(X)
    return {"shape": list(out.shape), "dtype": str(out.dtype).replace("torch.", "")}


def shape_judge(got, expected, jc):
    if got != expected:
        return (f"net(X) for X of shape (5, 1, 8, 8): expected an output of shape {tuple(expected['shape'])} "
                f"and dtype {expected['dtype']}, got shape {tuple(got.get('shape', ()))} and dtype {got.get('dtype')}")
    return None


def logits_run(module, ctx):
    net = build(module, ctx)
    with torch.no_grad():
        out = net(digits()[2][:16]).double()
    probabilities = bool((out >= 0).all() and torch.allclose(out.sum(dim=1), torch.ones(out.shape[0], dtype=out.dtype),
                                                             atol=1e-4))
    # A fresh network's raw scores are negative somewhere; a ReLU (or any clamp) on them never is.
    return {"probabilities": probabilities, "non_negative": bool((out >= 0).all())}


def logits_judge(got, expected, jc):
    if got.get("probabilities"):
        return "every row of the output is non-negative and sums to 1: these are probabilities, not logits"
    if got.get("non_negative"):
        return "none of the 160 scores for 16 digits is negative: something clamps the raw scores at 0"
    return None


def structure_run(module, ctx):
    net = build(module, ctx)
    convs = [m for m in net.modules() if isinstance(m, torch.nn.Conv2d)]
    return {"at_least_two_conv_layers": len(convs) >= 2}


def structure_judge(got, expected, jc):
    if not got.get("at_least_two_conv_layers"):
        return "a LeNet-style network has (at least) two nn.Conv2d layers before its fully connected layers"
    return None


def train_run(module, ctx):
    net = build(module, ctx)
    activations = sorted({type(m).__name__ for m in net.modules() if type(m).__name__ in SATURATING})
    X, y, X_test, y_test = digits()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.Generator().manual_seed(ctx.seed)
    step, loss_value = 0, float("nan")
    net.train()
    for _ in range(EPOCHS):
        perm = torch.randperm(len(y), generator=order)
        for start in range(0, len(y), BATCH):
            idx = perm[start:start + BATCH]
            loss = loss_fn(net(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_value = float(loss.detach())
            ctx.emit("loss", step, loss_value)
            step += 1
    net.eval()
    with torch.no_grad():
        accuracy = float((net(X_test).argmax(dim=1) == y_test).float().mean())
    return {"final_loss": loss_value, "accuracy": accuracy, "steps": step, "saturating": activations}


def train_judge(got, expected, jc):
    acc, loss = got.get("accuracy"), got.get("final_loss")
    details = {"learner": acc, "reference": expected["accuracy"]}
    if not math.isfinite(loss):
        return jc.fail(f"training diverged: the last loss is {loss}", None, details)
    if acc < ACCURACY_AT_LEAST:
        saturating = got.get("saturating") or []
        diagnosis = "lenet.saturating_activation" if saturating else None
        evidence = f"; your network uses {', '.join(saturating)}" if saturating else ""
        return jc.fail(f"test accuracy {acc:.3f} after {EPOCHS} epochs is below {ACCURACY_AT_LEAST:.2f} "
                       f"(the reference reaches {expected['accuracy']:.3f}); last training loss {loss:.3f}{evidence}",
                       diagnosis, details)
    return kit.Judgement("pass", f"test accuracy {acc:.3f} (reference {expected['accuracy']:.3f}), last loss {loss:.3f}",
                     details=details)
