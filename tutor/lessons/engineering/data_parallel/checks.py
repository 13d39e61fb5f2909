"""Scenarios of engineering/data_parallel: W replicas of a small network take data-parallel SGD
steps through the learner's function; the oracle takes the same steps on the whole batch in one
process and copies the result to every replica, so passing means the update equals the
single-process one."""

from __future__ import annotations

from types import SimpleNamespace

import torch
from torch import nn

from tutor.grader import kit


# -- the oracle: one process, the whole batch ----------------------------------------------------------

def single_process():
    def data_parallel_step(replicas, X, y, loss_fn, lr):
        model = replicas[0]
        for p in model.parameters():
            p.grad = None
        loss = loss_fn(model(X), y)
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                if p.grad is not None:
                    p -= lr * p.grad
                p.grad = None
            for other in replicas[1:]:
                for q, p in zip(other.parameters(), model.parameters()):
                    q.copy_(p)
                    q.grad = None
        return loss.item()

    return SimpleNamespace(data_parallel_step=data_parallel_step)


# -- the networks and the data -------------------------------------------------------------------------

def mlp(sizes, dtype):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def replicas_of(ctx, sizes, workers, dtype=torch.float32):
    g = ctx.generator(7)
    base = mlp(sizes, dtype)
    with torch.no_grad():
        for p in base.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64).to(dtype) * 0.5)
    out = []
    for _ in range(workers):
        twin = mlp(sizes, dtype)
        twin.load_state_dict(base.state_dict())
        out.append(twin)
    return out


def snapshot(replicas):
    return [[p.detach().clone() for p in r.parameters()] for r in replicas]


def mse(out, y):
    return ((out - y) ** 2).mean()


def cross_entropy(out, y):
    return nn.functional.cross_entropy(out, y)


def run_steps(module, ctx, replicas, batches, loss_fn, lr, emit=False):
    step = kit.function(module, "data_parallel_step")
    losses, params = [], []
    for i, (X, y) in enumerate(batches):
        before = (X.clone(), y.clone())
        loss = step(replicas, X, y, loss_fn, lr)
        if not isinstance(loss, (int, float)) or isinstance(loss, bool):
            raise TypeError(f"data_parallel_step returned {type(loss).__name__}; return the batch's loss as a "
                            f"Python float (loss.item())")
        if not (torch.equal(X, before[0]) and torch.equal(y, before[1])):
            raise ValueError("data_parallel_step changed the batch X or y it was given; leave them as they are")
        losses.append(float(loss))
        params.append(snapshot(replicas))
        if emit:
            ctx.emit("loss", i, float(loss))
    return {"workers": len(replicas), "sizes": [len(X) for X, _ in batches], "losses": losses, "params": params}


def regression_batch(ctx, n, d, offset, dtype=torch.float32):
    g = ctx.generator(offset)
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    y = X.sum(1, keepdim=True).sin() + 0.1 * torch.randn(n, 1, generator=g, dtype=torch.float64)
    return X.to(dtype), y.to(dtype)


def lesson_example(module, ctx):
    model = nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, -1.0]]))
    twin = nn.Linear(2, 1, bias=False)
    twin.load_state_dict(model.state_dict())
    X = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0]])
    y = torch.tensor([[0.0], [0.0], [1.0], [1.0]])
    return run_steps(module, ctx, [model, twin], [(X, y)], mse, 0.1)


def random_mlp(module, ctx):
    replicas = replicas_of(ctx, [5, 8, 3], 3)
    g = ctx.generator(11)
    batches = [(torch.randn(12, 5, generator=g), torch.randint(0, 3, (12,), generator=g)) for _ in range(3)]
    return run_steps(module, ctx, replicas, batches, cross_entropy, 0.5)


def uneven_shards(module, ctx):
    replicas = replicas_of(ctx, [3, 6, 1], 4)
    batches = [regression_batch(ctx, n, 3, 20 + n) for n in (10, 7, 13)]
    return run_steps(module, ctx, replicas, batches, mse, 0.2)


def float64_edge_cases(module, ctx):
    one = run_steps(module, ctx, replicas_of(ctx, [2, 4, 1], 1, torch.float64),
                    [regression_batch(ctx, 5, 2, 31, torch.float64)], mse, 0.3)
    single_samples = run_steps(module, ctx, replicas_of(ctx, [2, 4, 1], 3, torch.float64),
                               [regression_batch(ctx, 3, 2, 32, torch.float64)], mse, 0.3)
    return {"one worker, batch 5": one, "3 workers, batch 3 (one sample each)": single_samples}


def more_workers_than_samples(module, ctx):
    return run_steps(module, ctx, replicas_of(ctx, [2, 4, 1], 4, torch.float64),
                     [regression_batch(ctx, 3, 2, 41, torch.float64), regression_batch(ctx, 6, 2, 42, torch.float64)],
                     mse, 0.3)


def training(module, ctx):
    """40 steps on 4 workers, batch 30 (uneven shards): the loss curve equals single-process SGD's."""
    replicas = replicas_of(ctx, [4, 16, 1], 4)
    X, y = regression_batch(ctx, 30, 4, 50)
    result = run_steps(module, ctx, replicas, [(X, y)] * 40, mse, 0.1, emit=True)
    result["final_loss"] = result["losses"][-1]
    result["params"] = result["params"][-1:]  # the end point; the curve shows the path
    return result


# -- judging --------------------------------------------------------------------------------------------

def _compare_run(got, expected, what, rtol, atol):
    names = ["weight", "bias"]
    for i, (have, want) in enumerate(zip(got["losses"], expected["losses"])):
        m = kit.compare_plain(have, want, what=f"the loss returned by step {i + 1}", rtol=rtol, atol=atol)
        if m:
            return kit.Mismatch(f"{what}: {m.message}", m.details)
    steps = len(expected["params"])
    for i in range(steps):
        for r in range(expected["workers"]):
            for k, (have, want) in enumerate(zip(got["params"][i][r], expected["params"][i][r])):
                label = f"replica {r}'s parameter {k} ({names[k % 2]} of layer {k // 2 + 1})"
                m = kit.compare_plain(have, want, what=label, rtol=rtol, atol=atol)
                if m:
                    when = f"after step {i + 1}" if steps > 1 else "after the step"
                    return kit.Mismatch(f"{what}, {when}: {m.message} (the single-process update on the whole "
                                        f"batch is expected on every replica)", m.details)
    return None


def _what(run):
    sizes = run["sizes"]
    batch = f"batch {sizes[0]}" if len(set(sizes)) == 1 else "batches of " + ", ".join(map(str, sizes))
    steps = len(run["losses"])
    return f"{run['workers']} worker(s), {batch}, {steps} step{'s' if steps > 1 else ''}"


def judge_steps(got, expected, jc, rtol=1e-4, atol=1e-6):
    if "losses" in expected:
        return _compare_run(got, expected, _what(expected), rtol, atol)
    for key, run in expected.items():
        m = _compare_run(got[key], run, key, rtol, atol)
        if m:
            return m
    return None
