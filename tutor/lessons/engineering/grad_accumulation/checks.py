"""Scenarios of engineering/grad_accumulation: the learner's step runs on a list of micro-batches;
the oracle concatenates them into one big batch and takes one ordinary optimizer step, so
passing means accumulation gives the big batch's update. A probe layer counts the forward
passes whose backward has not run yet: accumulation keeps one micro-batch's graph at a time."""

from __future__ import annotations

from types import SimpleNamespace

import torch
from torch import nn

from tutor.grader import kit


# -- the oracle: one big batch --------------------------------------------------------------------------

def one_big_batch():
    def accumulate_step(model, optimizer, micro_batches, loss_fn):
        X = torch.cat([x for x, _ in micro_batches])
        y = torch.cat([t for _, t in micro_batches])
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()

    return SimpleNamespace(accumulate_step=accumulate_step)


# -- the network ----------------------------------------------------------------------------------------

class Probe(nn.Module):
    """Identity that counts forward passes still waiting for their backward (the graphs alive)."""

    def __init__(self):
        super().__init__()
        self.outstanding = 0
        self.peak = 0
        self.forwards = 0

    def forward(self, x):
        if not x.requires_grad:
            return x
        self.forwards += 1
        self.outstanding += 1
        self.peak = max(self.peak, self.outstanding)
        out = x * 1.0

        def done(grad):
            self.outstanding -= 1
            return grad

        out.register_hook(done)
        return out


def network(ctx, sizes, dtype=torch.float32):
    g = ctx.generator(3)
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b, dtype=dtype))
        if i == 0:
            layers.append(Probe())  # after a layer with parameters: its input requires grad
        if i < len(sizes) - 2:
            layers.append(nn.Tanh())
    net = nn.Sequential(*layers)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64).to(dtype) * 0.5)
    return net


def mse(out, y):
    return ((out - y) ** 2).mean()


def cross_entropy(out, y):
    return nn.functional.cross_entropy(out, y)


def split(X, y, sizes):
    return list(zip(torch.split(X, sizes), torch.split(y, sizes)))


def regression(ctx, n, d, offset, dtype=torch.float32):
    g = ctx.generator(offset)
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    y = (X.sum(1, keepdim=True)).sin() + 0.1 * torch.randn(n, 1, generator=g, dtype=torch.float64)
    return X.to(dtype), y.to(dtype)


def run_steps(module, ctx, net, optimizer, steps, loss_fn, emit=False):
    """steps: a list of micro-batch lists, one per optimizer step."""
    step = kit.function(module, "accumulate_step")
    losses, params = [], []
    for i, micro in enumerate(steps):
        loss = step(net, optimizer, micro, loss_fn)
        if not isinstance(loss, (int, float)) or isinstance(loss, bool):
            raise TypeError(f"accumulate_step returned {type(loss).__name__}; return the big batch's loss as a "
                            f"Python float")
        losses.append(float(loss))
        params.append([p.detach().clone() for p in net.parameters()])
        if emit:
            ctx.emit("loss", i, float(loss))
    return {"micro": [[len(x) for x, _ in m] for m in steps], "losses": losses, "params": params}


def lesson_example(module, ctx):
    net = nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        net.weight.copy_(torch.tensor([[1.0, -1.0]]))
    X = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0]])
    y = torch.tensor([[0.0], [0.0], [1.0], [1.0]])
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    return run_steps(module, ctx, net, opt, [split(X, y, [2, 2])], mse)


def equal_micro_batches(module, ctx):
    net = network(ctx, [5, 8, 3])
    opt = torch.optim.SGD(net.parameters(), lr=0.3, momentum=0.9)
    g = ctx.generator(5)
    steps = [split(torch.randn(12, 5, generator=g), torch.randint(0, 3, (12,), generator=g), [3, 3, 3, 3])
             for _ in range(3)]
    return run_steps(module, ctx, net, opt, steps, cross_entropy)


def unequal_micro_batches(module, ctx):
    net = network(ctx, [3, 6, 1])
    opt = torch.optim.SGD(net.parameters(), lr=0.2)
    steps = [split(*regression(ctx, 10, 3, 10 + i), sizes) for i, sizes in enumerate(([4, 4, 2], [1, 9], [5, 3, 2]))]
    return run_steps(module, ctx, net, opt, steps, mse)


def edge_cases_float64(module, ctx):
    out = {}
    for label, sizes in (("one micro-batch of 6", [6]), ("six micro-batches of 1", [1] * 6)):
        net = network(ctx, [2, 4, 1], torch.float64)
        opt = torch.optim.SGD(net.parameters(), lr=0.3)
        out[label] = run_steps(module, ctx, net, opt, [split(*regression(ctx, 6, 2, 20, torch.float64), sizes)] * 2,
                               mse)
    return out


def with_adam(module, ctx):
    net = network(ctx, [4, 8, 1])
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    steps = [split(*regression(ctx, 16, 4, 30 + i), [4, 4, 4, 4]) for i in range(4)]
    return run_steps(module, ctx, net, opt, steps, mse)


def one_graph_at_a_time(module, ctx):
    """8 micro-batches: how many forward passes are waiting for backward at the peak."""
    net = network(ctx, [4, 8, 1])
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    out = run_steps(module, ctx, net, opt, [split(*regression(ctx, 32, 4, 40), [4] * 8)], mse)
    probe = net[1]
    return {"peak": probe.peak, "forwards": probe.forwards, "losses": out["losses"]}


def training(module, ctx):
    """30 steps of 4 micro-batches (sizes 8, 8, 8, 6): the loss curve equals one-big-batch SGD's."""
    net = network(ctx, [4, 16, 1])
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.5)
    micro = split(*regression(ctx, 30, 4, 50), [8, 8, 8, 6])
    out = run_steps(module, ctx, net, opt, [micro] * 30, mse, emit=True)
    return {"losses": out["losses"], "final_loss": out["losses"][-1]}


# -- judging --------------------------------------------------------------------------------------------

def _compare_run(got, expected, what, rtol, atol):
    for i, (have, want) in enumerate(zip(got["losses"], expected["losses"])):
        m = kit.compare_plain(have, want, what=f"the loss returned by step {i + 1}", rtol=rtol, atol=atol)
        if m:
            return kit.Mismatch(f"{what}: {m.message}", m.details)
    for i, (have_step, want_step) in enumerate(zip(got["params"], expected["params"])):
        for k, (have, want) in enumerate(zip(have_step, want_step)):
            m = kit.compare_plain(have, want, what=f"parameter {k} after step {i + 1}", rtol=rtol, atol=atol)
            if m:
                return kit.Mismatch(f"{what}: {m.message} (the update of one big batch is expected)", m.details)
    return None


def _what(run):
    return "micro-batches of " + "; ".join("+".join(map(str, m)) for m in run["micro"])


def judge_steps(got, expected, jc, rtol=1e-4, atol=1e-6):
    if "losses" in expected:
        return _compare_run(got, expected, _what(expected), rtol, atol)
    for key, run in expected.items():
        m = _compare_run(got[key], run, key, rtol, atol)
        if m:
            return m
    return None


def judge_graphs(got, expected, jc):
    if got["forwards"] < 8:
        return jc.fail(f"8 micro-batches of 4 went through the model in {got['forwards']} forward pass(es) with "
                       f"gradients; run each micro-batch on its own", "accum.one_graph")
    if got["peak"] > 1:
        return jc.fail(f"8 micro-batches of 4: {got['peak']} forward passes were waiting for their backward at "
                       f"once, so {got['peak']} graphs of activations were alive together; call backward after "
                       f"each micro-batch so only one is", "accum.one_graph")
    return kit.compare_plain(got["losses"], expected["losses"], what="the returned loss", rtol=1e-4, atol=1e-6)
