"""Scenarios of chapter9/grad_clipping. The oracle is torch.nn.utils.clip_grad_norm_ itself
(`torch_clip`), run by the grader; reference.py must agree with it like any solution."""

import math
from types import SimpleNamespace

import torch

from tutor.grader import kit

RTOL, ATOL = 1e-5, 1e-7


def torch_clip():
    return SimpleNamespace(clip_gradients=lambda params, max_norm: torch.nn.utils.clip_grad_norm_(
        params, max_norm, foreach=False))


def _number(value):
    """The returned norm as a float: a Python number or a one-element tensor are both fine."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def _params(g, shapes, dtype=torch.float32, scale=1.0, no_grad=()):
    params = []
    for i, shape in enumerate(shapes):
        p = torch.randn(*shape, generator=g, dtype=torch.float64).to(dtype).requires_grad_(True)
        if i not in no_grad:
            p.grad = (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).to(dtype)
        params.append(p)
    return params


def _clip(module, params, max_norm, what, as_generator=False):
    given = (p for p in params) if as_generator else params
    out = kit.call(module, "clip_gradients", given, max_norm)
    return {"call": what, "norm": _number(out),
            "grads": [None if p.grad is None else p.grad.detach().clone() for p in params]}


def _lesson_params():
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(1, 2, requires_grad=True)
    a.grad = torch.tensor([3.0, 0.0])
    b.grad = torch.tensor([[0.0, 4.0]])
    return [a, b]


def lesson_clipped(module, ctx):
    return _clip(module, _lesson_params(), 1.0, "clip_gradients([a, b], max_norm=1.0) with a.grad = [3, 0], "
                                                 "b.grad = [[0, 4]]")


def lesson_below(module, ctx):
    return _clip(module, _lesson_params(), 10.0, "clip_gradients([a, b], max_norm=10.0) with a.grad = [3, 0], "
                                                  "b.grad = [[0, 4]] (norm 5, below 10)")


SHAPES = [(5, 3), (3,), (3, 4), (4,)]


def random_params(module, ctx, dtype="float32", max_norm=1.0, scale=1.0, no_grad=(), as_generator=False):
    params = _params(ctx.generator(), SHAPES, getattr(torch, dtype), scale, tuple(no_grad))
    norm = math.sqrt(sum(float((p.grad.double() ** 2).sum()) for p in params if p.grad is not None))
    where = f", parameter{'s' if len(no_grad) > 1 else ''} {', '.join(map(str, no_grad))} without a gradient" \
        if no_grad else ""
    kind = "a generator of " if as_generator else ""
    what = (f"clip_gradients({kind}4 {dtype} parameters of shapes {SHAPES}{where}, max_norm={max_norm}) "
            f"with gradients of global norm {norm:.4f}")
    return _clip(module, params, max_norm, what, as_generator)


def _grads_mismatch(got_grads, want_grads):
    for i, (mine, want) in enumerate(zip(got_grads or [], want_grads)):
        m = kit.compare_plain(mine, want, what=f"parameter {i}'s gradient after the call", rtol=RTOL, atol=ATOL)
        if m:
            return m
    return None


def judge_clip(got, expected, jc):
    call = expected["call"]
    m = kit.compare_plain(got.get("norm"), expected["norm"], what="the returned norm", rtol=RTOL, atol=ATOL)
    if m:
        return kit.Mismatch(f"{call}: {m.message} (the global norm before clipping)", m.details)
    m = _grads_mismatch(got.get("grads"), expected["grads"])
    if m is None:
        return None
    if "list_grads" in expected and _grads_mismatch(got.get("list_grads"), expected["list_grads"]) is None:
        # Right with a list, wrong with a generator: the function walks over params more than once.
        return jc.fail(f"{call}: {m.message}; the same parameters passed as a list are clipped correctly",
                       "clip.generator_consumed", m.details)
    return kit.Mismatch(f"{call}: {m.message}", m.details)


# -- training a small RNN whose gradients explode ------------------------------------------------------

def train_rnn(module, ctx):
    """A tanh RNN predicting the next token of noisy counting sequences, trained by SGD with its gradient
    clipped at 0.25 by the learner's function (about a third of the steps get clipped). W_hh's gain is
    kept at 1: with a larger gain the network is chaotic, and torch's 1e-6 in the denominator alone
    would send the two loss curves apart."""
    g = ctx.generator()
    V, H, T, B, steps, lr, theta = 6, 16, 12, 8, 60, 0.5, 0.25
    f64 = torch.float64
    start = torch.randint(0, V, (B, 1), generator=g)
    noise = (torch.rand(B, T + 1, generator=g) < 0.1).long()
    tokens = (start + torch.arange(T + 1) + noise) % V            # mostly x_{t+1} = x_t + 1 (mod V)
    X = torch.nn.functional.one_hot(tokens[:, :-1], V).to(f64).transpose(0, 1)   # (T, B, V)
    Y = tokens[:, 1:].transpose(0, 1)                                             # (T, B)
    params = [torch.randn(V, H, generator=g, dtype=f64) * 0.5, torch.randn(H, H, generator=g, dtype=f64) / H ** 0.5,
              torch.zeros(H, dtype=f64), torch.randn(H, V, generator=g, dtype=f64) * 0.5, torch.zeros(V, dtype=f64)]
    for p in params:
        p.requires_grad_(True)
    W_xh, W_hh, b_h, W_hq, b_q = params
    losses, norms = [], []
    for step in range(1, steps + 1):
        h, loss = torch.zeros(B, H, dtype=f64), 0.0
        for t in range(T):
            h = torch.tanh(X[t] @ W_xh + h @ W_hh + b_h)
            loss = loss + torch.nn.functional.cross_entropy(h @ W_hq + b_q, Y[t])
        loss = loss / T
        kit.clear_grads(params)
        loss.backward()
        norms.append(_number(kit.call(module, "clip_gradients", (p for p in params), theta)))
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        losses.append(float(loss.detach()))
        ctx.emit("loss", step, losses[-1])
    return {"final_loss": losses[-1], "losses": losses, "norms": norms}


def random_generator(module, ctx):
    """The generator case, plus the same parameters clipped as a list first: a function that is right with
    a list and wrong with a generator walks over params twice."""
    params = _params(ctx.generator(), SHAPES)
    twins = [p.detach().clone().requires_grad_(True) for p in params]
    for twin, p in zip(twins, params):
        twin.grad = p.grad.clone()
    as_list = _clip(module, twins, 1.0, "")
    norm = math.sqrt(sum(float((p.grad.double() ** 2).sum()) for p in params))
    what = (f"clip_gradients(a generator of 4 float32 parameters of shapes {SHAPES}, max_norm=1.0) "
            f"with gradients of global norm {norm:.4f}")
    out = _clip(module, params, 1.0, what, as_generator=True)
    out["list_grads"] = as_list["grads"]
    return out


def random_missing_grad(module, ctx):
    return random_params(module, ctx, no_grad=[1])


def random_float64(module, ctx):
    return random_params(module, ctx, dtype="float64", max_norm=2.5)


def random_small(module, ctx):
    return random_params(module, ctx, scale=0.01)
