"""Checks of chapter6/tied: the learner's tied MLP (structure, identity, gradients) and their
parameter count on nets with and without sharing.

Before any forward pass the scenarios set every distinct parameter of the learner's net, in
the order net.parameters() yields them, from a seeded generator: a correctly tied net then holds
exactly the reference's values, whichever order its layers were created in.
"""

from __future__ import annotations

import torch
from torch import nn

from tutor.grader import kit

IN, HIDDEN, OUT = 4, 8, 1


def build(module, ctx):
    with kit.seeded(ctx.seed):
        return kit.call(module, "tied_mlp", IN, HIDDEN, OUT)


def layer(net, i):
    try:
        return net[i]
    except (IndexError, TypeError, KeyError):
        return None


def fill(net, ctx):
    g = ctx.generator(5)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.5)


def describe(m):
    if isinstance(m, nn.Linear):
        return f"Linear({m.in_features} → {m.out_features})"
    return type(m).__name__


# -- structure and identity -------------------------------------------------------------------------

def structure_run(module, ctx):
    net = build(module, ctx)
    if not isinstance(net, nn.Sequential):
        return {"type": type(net).__name__, "layers": []}
    return {"type": "Sequential", "layers": [describe(m) for m in net]}


def structure_judge(got, expected, jc):
    if got == expected:
        return None
    if got["type"] != "Sequential":
        return f"tied_mlp({IN}, {HIDDEN}, {OUT}) returned a {got['type']}, expected an nn.Sequential"
    return (f"tied_mlp({IN}, {HIDDEN}, {OUT}) has the layers [{', '.join(got['layers'])}]; expected "
            f"[{', '.join(expected['layers'])}]")


def identity_run(module, ctx):
    net = build(module, ctx)
    a, b = layer(net, 2), layer(net, 4)
    same = a is not None and a is b
    weight = a is not None and b is not None and getattr(a, "weight", None) is getattr(b, "weight", 0)
    bias = a is not None and b is not None and getattr(a, "bias", None) is getattr(b, "bias", 0)
    return {"same_module": bool(same), "same_weight": bool(weight), "same_bias": bool(bias),
            "unique_parameters": len(list(net.parameters())),
            "listed_with_duplicates": len(list(net.named_parameters(remove_duplicate=False)))}


def identity_judge(got, expected, jc):
    head = f"net = tied_mlp({IN}, {HIDDEN}, {OUT}):"
    if not got["same_module"]:
        if got["same_weight"] and not got["same_bias"]:
            return jc.fail(f"{head} net[2] and net[4] share their weight Parameter but not their bias", "tied.bias_untied")
        if not got["same_weight"]:
            return jc.fail(f"{head} net[2] is not net[4], and their weights are different Parameter objects (even if "
                           f"their values are equal)", "tied.copies")
        return f"{head} net[2] is not net[4]: the same layer object must appear at both places"
    if got["unique_parameters"] != expected["unique_parameters"]:
        return (f"{head} net.parameters() yields {got['unique_parameters']} tensors, expected "
                f"{expected['unique_parameters']} (the shared weight and bias are listed once)")
    if got["listed_with_duplicates"] != expected["listed_with_duplicates"]:
        return (f"{head} named_parameters(remove_duplicate=False) lists {got['listed_with_duplicates']} entries, "
                f"expected {expected['listed_with_duplicates']}")
    return None


def propagate_run(module, ctx):
    net = build(module, ctx)
    a, b = layer(net, 2), layer(net, 4)
    if not (isinstance(a, nn.Linear) and isinstance(b, nn.Linear)):
        return {"changed": None}
    with torch.no_grad():
        a.weight[0, 0] = 100.0
    return {"changed": bool(b.weight[0, 0] == 100.0)}


def propagate_judge(got, expected, jc):
    if got["changed"] is None:
        return "net[2] and net[4] should both be nn.Linear layers"
    if not got["changed"]:
        return jc.fail("after net[2].weight[0, 0] = 100, net[4].weight[0, 0] is still its old value: the two places hold "
                       "separate weights", "tied.copies")
    return None


# -- gradients add up -------------------------------------------------------------------------------------

def gradient_run(module, ctx):
    net = build(module, ctx)
    fill(net, ctx)
    a, b = layer(net, 2), layer(net, 4)
    if not (isinstance(a, nn.Linear) and isinstance(b, nn.Linear)):
        return {"problem": "net[2] and net[4] should both be nn.Linear layers", "out": None, "grad_weight": None,
                "grad_bias": None, "uses_weight": None, "uses_bias": None}
    uses = []  # (input, output gradient) of every use of net[2] or net[4], in forward order

    def record(mod, inputs, output):
        entry = [inputs[0].detach(), None]
        uses.append(entry)
        output.register_hook(lambda grad: entry.__setitem__(1, grad.detach()))

    handles = [m.register_forward_hook(record) for m in {id(a): a, id(b): b}.values()]
    g = ctx.generator(6)
    X = torch.randn(5, IN, generator=g)
    out = net(X)
    (out * torch.randn(out.shape, generator=g)).sum().backward()
    for h in handles:
        h.remove()
    return {"problem": None, "out": out.detach(), "grad_weight": a.weight.grad, "grad_bias": a.bias.grad,
            "uses_weight": [gout.T @ inp for inp, gout in uses], "uses_bias": [gout.sum(0) for inp, gout in uses]}


def gradient_judge(got, expected, jc):
    if got["problem"]:
        return got["problem"]
    if got["grad_weight"] is None:
        return "after backward, net[2].weight.grad is None"
    first, both = got["uses_weight"][0], sum(got["uses_weight"])
    head = (f"the gradient of net[2].weight, for a loss through both uses of the shared layer, should be the sum of "
            f"the two uses' contributions (gᵢᵀ aᵢ for use i's input aᵢ and output gradient gᵢ)")
    if len(got["uses_weight"]) == 2 and kit.compare_plain(got["grad_weight"], first, rtol=1e-5, atol=1e-6) is None:
        return jc.fail(f"{head}; yours is the first use's contribution alone", "tied.copies")
    m = kit.compare_plain(got["grad_weight"], both, what="net[2].weight.grad against the sum of both uses",
                          rtol=1e-5, atol=1e-6)
    if m:
        return kit.Mismatch(f"{head}: {m.message}", m.details)
    m = kit.compare_plain(got["out"], expected["out"], what="net(X)", rtol=1e-5, atol=1e-6)
    if m:
        return kit.Mismatch(m.message + " (every distinct parameter set to the same values as the reference's)",
                            m.details)
    return kit.compare_plain({"weight": got["grad_weight"], "bias": got["grad_bias"]},
                             {"weight": expected["grad_weight"], "bias": expected["grad_bias"]},
                             what="gradient of the shared layer", rtol=1e-5, atol=1e-6)


# -- count_parameters ----------------------------------------------------------------------------------

def plain_net():
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def tied_net():
    shared = nn.Linear(HIDDEN, HIDDEN)
    return nn.Sequential(nn.Linear(IN, HIDDEN), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                         nn.Linear(HIDDEN, OUT))


def shared_weight_net():
    a, b = nn.Linear(5, 5), nn.Linear(5, 5)
    b.weight = a.weight  # one Parameter in two different modules; the biases stay separate
    return nn.Sequential(a, nn.ReLU(), b)


NETS = {"plain": (plain_net, "Sequential(Linear(3, 4), ReLU(), Linear(4, 2))"),
        "tied": (tied_net, f"the tied MLP for ({IN}, {HIDDEN}, {OUT}), built by the checks"),
        "shared_weight": (shared_weight_net, "Sequential(a, ReLU(), b) with a, b = Linear(5, 5) and b.weight = a.weight")}


def count_run(which):
    def run(module, ctx):
        with kit.seeded(ctx.seed):
            net = NETS[which][0]()
        n = kit.call(module, "count_parameters", net)
        return {"net": which, "count": n if type(n) is int else repr(n)}

    run.__name__ = f"count_{which}"
    return run


count_plain, count_tied, count_shared_weight = count_run("plain"), count_run("tied"), count_run("shared_weight")


def count_judge(got, expected, jc):
    what = NETS[expected["net"]][1]
    n, want = got["count"], expected["count"]
    if n == want:
        return None
    if not isinstance(n, int):
        return f"count_parameters({what}) returned {n}, expected the Python int {want}"
    return f"count_parameters({what}) returned {n}, expected {want}"
