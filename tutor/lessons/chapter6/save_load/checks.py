"""Checks of chapter6/save_load: a model's state through bytes and back.

The model has parameters and buffers (a BatchNorm layer's running statistics and batch count),
and a dropout layer, so a model left in training mode shows in its outputs. The trained model
and the fresh one are built from different seeds: only a real round trip makes them equal.
"""

from __future__ import annotations

import io
import re

import torch
from torch import nn

from tutor.grader import kit


def make_model():
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3))


def trained_model(ctx):
    """A model whose parameters and running statistics are far from a fresh one's."""
    with kit.seeded(ctx.seed):
        model = make_model()
        g = ctx.generator(1)
        with torch.no_grad():
            for p in model.parameters():
                p.add_(torch.randn(p.shape, generator=g))
            for _ in range(3):  # training-mode passes update the BatchNorm buffers
                model(torch.randn(16, 4, generator=g) * 2 + 1)
    return model


def fresh_model(ctx, offset=7):
    with kit.seeded(ctx.seed + offset):
        return make_model()


def state_of(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def probe(ctx):
    return torch.randn(5, 4, generator=ctx.generator(2))


def save(module, model):
    return kit.call(module, "save_state", model)


def load(module, model, data):
    return kit.call(module, "load_state", model, data)


def _bytes_problem(data):
    if not isinstance(data, (bytes, bytearray)):
        return f"save_state returned a {type(data).__name__}, expected bytes"
    if not data:
        return "save_state returned empty bytes (read the buffer with getvalue(), or seek(0) before read())"
    return None


# -- 1. the round trip ------------------------------------------------------------------------------

def round_trip_run(module, ctx):
    source, target = trained_model(ctx), fresh_model(ctx)
    data = save(module, source)
    problem = _bytes_problem(data)
    if problem:
        return {"problem": problem, "state": None, "same_object": None, "training": None, "out": None}
    returned = load(module, target, data)
    state = state_of(target)  # before the probe: a model left in training mode updates its buffers
    X = probe(ctx)
    with torch.no_grad():
        out = returned(X) if isinstance(returned, nn.Module) else None
    return {"problem": None, "state": state, "same_object": returned is target,
            "training": bool(getattr(returned, "training", True)), "out": out}


def round_trip_judge(got, expected, jc):
    head = "load_state(fresh, save_state(trained)) for Sequential(Linear, BatchNorm1d, ReLU, Dropout, Linear)"
    if got["problem"]:
        return f"{head}: {got['problem']}"
    if not got["same_object"]:
        return jc.fail(f"{head} returned another object than the model it was given", "save_load.new_model")
    wrong = [k for k, v in expected["state"].items() if kit.compare_plain(got["state"].get(k), v, rtol=0, atol=0)]
    if wrong:
        buffers = [k for k in wrong if k.endswith(("running_mean", "running_var", "num_batches_tracked"))]
        if buffers and len(buffers) == len(wrong):
            return jc.fail(f"{head}: the parameters came back but the buffers {', '.join(buffers)} did not",
                           "save_load.parameters_only")
        return f"{head}: after loading, {', '.join(wrong)} differ from the saved model's"
    if got["training"]:
        return jc.fail(f"{head}: the returned model is in training mode (model.training is True), so dropout and "
                       f"batch statistics change its outputs", "save_load.not_eval")
    return kit.compare_plain(got["out"], expected["out"], what="the loaded model's outputs", rtol=0, atol=0)


# -- 2. the bytes hold a standard state_dict -------------------------------------------------------

def format_run(module, ctx):
    source = trained_model(ctx)
    before = state_of(source)
    source.train()
    data = save(module, source)
    unchanged = {"training": bool(source.training),
                 "values": all(torch.equal(v, before[k]) for k, v in source.state_dict().items())}
    problem = _bytes_problem(data)
    if problem:
        return {"problem": problem, "readable": None, "keys": None, "equal": None, "unchanged": unchanged}
    try:
        state = torch.load(io.BytesIO(bytes(data)), weights_only=True)
    except Exception as exc:  # noqa: BLE001 - what torch.load says is the finding
        first = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines()[0]
        # torch's advice on loading unsafely is not ours to give
        first = first.split(" This file can still be loaded")[0][:160].rstrip(".")
        return {"problem": None, "readable": f"{type(exc).__name__}: {first}",
                "keys": None, "equal": None, "unchanged": unchanged}
    if not isinstance(state, dict):
        return {"problem": None, "readable": f"it holds a {type(state).__name__}, not a dict", "keys": None,
                "equal": None, "unchanged": unchanged}
    keys = sorted(str(k) for k in state)
    equal = all(isinstance(state.get(k), torch.Tensor) and torch.equal(state[k].detach(), v) for k, v in before.items())
    return {"problem": None, "readable": "yes", "keys": keys, "equal": equal, "unchanged": unchanged}


def format_judge(got, expected, jc):
    head = "torch.load(io.BytesIO(save_state(model)), weights_only=True)"
    if got["problem"]:
        return got["problem"]
    if got["readable"] != "yes":
        return jc.fail(f"{head} fails: {got['readable']}. It should give the model's state_dict: a dict of tensors "
                       f"that any PyTorch program can load without running pickled code", "save_load.whole_model")
    if got["keys"] != expected["keys"]:
        missing = [k for k in expected["keys"] if k not in got["keys"]]
        extra = [k for k in got["keys"] if k not in expected["keys"]]
        message = f"{head} gives the keys {got['keys']}; expected model.state_dict()'s {expected['keys']}"
        if missing and all(k.split(".")[-1] in ("running_mean", "running_var", "num_batches_tracked") for k in missing) \
                and not extra:
            return jc.fail(message, "save_load.parameters_only")
        return message
    if not got["equal"]:
        return f"{head}: the saved tensors differ from the model's state_dict()"
    if not got["unchanged"]["training"] or not got["unchanged"]["values"]:
        return "save_state changed the model it saved (its mode or its values): saving must leave the model as it was"
    return None


# -- 3. load_state reads what torch.save(model.state_dict()) wrote -----------------------------------------

def foreign_bytes_run(module, ctx):
    source, target = trained_model(ctx), fresh_model(ctx, offset=11)
    buffer = io.BytesIO()
    torch.save(source.state_dict(), buffer)
    returned = load(module, target, buffer.getvalue())
    return {"state": state_of(target), "returned_model": isinstance(returned, nn.Module)}


def foreign_bytes_judge(got, expected, jc):
    head = "load_state(fresh, bytes written by torch.save(trained.state_dict()) into an io.BytesIO)"
    wrong = [k for k, v in expected["state"].items() if kit.compare_plain(got["state"].get(k), v, rtol=0, atol=0)]
    if wrong:
        return f"{head}: {', '.join(wrong)} of the fresh model differ from the saved ones"
    if not got["returned_model"]:
        return f"{head} did not return a model"
    return None


# -- 4. loading writes into the model's own tensors ---------------------------------------------------

def in_place_run(module, ctx):
    source, target = trained_model(ctx), fresh_model(ctx, offset=13)
    params = dict(target.named_parameters())
    buffers = dict(target.named_buffers())
    load(module, target, save(module, source))
    return {"replaced": sorted([k for k, p in target.named_parameters() if params.get(k) is not p] +
                               [k for k, b in target.named_buffers() if buffers.get(k) is not b])}


def in_place_judge(got, expected, jc):
    if got["replaced"]:
        return jc.fail(f"after load_state(model, data), model's {', '.join(got['replaced'])} are new tensor objects: an "
                       f"optimizer created before loading would keep updating the old ones", "save_load.assigned")
    return None


# -- 5. a mismatched architecture is refused ---------------------------------------------------------

def strict_run(module, ctx):
    source = trained_model(ctx)
    data = save(module, source)
    with kit.seeded(ctx.seed + 17):
        other = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3),
                              nn.ReLU(), nn.Linear(3, 2))
    try:
        load(module, other, data)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - refusing is the point; any exception type will do
        return {"raised": type(exc).__name__}
    return {"raised": None}


def strict_judge(got, expected, jc):
    if got["raised"] is None:
        return jc.fail("load_state(model_with_two_more_layers, save_state(model)) returned without complaint, leaving "
                       "the extra layers as they were; it should raise (load_state_dict's default strict=True raises "
                       "RuntimeError on missing or unexpected keys)", "save_load.not_strict")
    return None
