"""Checks of chapter6/custom_module: the learner's LinearReLU as a module, layer and training piece.

Every scenario builds the learner's class (under a fixed seed), and all but the initialisation
check then set its parameters from a seeded generator through their names (weight, bias), so a
wrong initial draw cannot hide what forward and backward do. Outputs and gradients are compared
with the reference module's.
"""

from __future__ import annotations

import torch

from tutor.grader import kit

CLASS = "LinearReLU"


def build(module, ctx, in_features, out_features):
    with kit.seeded(ctx.seed):
        return kit.member(module, CLASS)(in_features, out_features)


def attribute_kind(layer, name):
    value = getattr(layer, name, None)
    if value is None:
        return "missing"
    if isinstance(value, torch.nn.Parameter):
        return "Parameter"
    if isinstance(value, torch.Tensor):
        return "Tensor"
    return type(value).__name__


def set_values(layer, values: dict) -> str | None:
    """Copy the given tensors into the layer's attributes of those names; why not, or None."""
    for name, value in values.items():
        target = getattr(layer, name, None)
        if not isinstance(target, torch.Tensor):
            return f"the layer has no tensor attribute `{name}`"
        if tuple(target.shape) != tuple(value.shape):
            return (f"`{name}` has shape {tuple(target.shape)}, expected {tuple(value.shape)} "
                    f"({'(out_features, in_features)' if name == 'weight' else '(out_features,)'})")
        with torch.no_grad():
            target.copy_(value)
    return None


def seeded_values(ctx, in_features, out_features, offset=0):
    g = ctx.generator(offset)
    return {"weight": torch.randn(out_features, in_features, generator=g),
            "bias": torch.randn(out_features, generator=g) * 0.5}


# -- 1. parameters registered --------------------------------------------------------------------

def registered_run(module, ctx):
    layer = build(module, ctx, 3, 2)
    # A list, not a dict keyed by name: the learner's names may differ from the reference's.
    params = sorted(([name, list(p.shape), str(p.dtype).removeprefix("torch."), bool(p.requires_grad)]
                     for name, p in layer.named_parameters()), key=lambda row: row[0]) \
        if isinstance(layer, torch.nn.Module) else []
    return {"is_module": isinstance(layer, torch.nn.Module), "parameters": params,
            "attributes": {name: attribute_kind(layer, name) for name in ("weight", "bias")}}


def registered_judge(got, expected, jc):
    head = "LinearReLU(3, 2)"
    if not got["is_module"]:
        return f"{head} is not a torch.nn.Module: subclass nn.Module and call super().__init__() first"
    mine, want = got["parameters"], expected["parameters"]
    if mine == want:
        return None
    listed = ", ".join(f"{n} {tuple(shape)}" for n, shape, _, _ in mine) or "nothing"
    message = (f"{head}.named_parameters() lists {listed}; expected weight (2, 3) and bias (2,), both "
               f"float32 Parameters that require grad")
    if any(got["attributes"][n] == "Tensor" for n in ("weight", "bias")) or not mine:
        return jc.fail(message + f" (self.weight is a {got['attributes']['weight']}, self.bias a "
                                 f"{got['attributes']['bias']})", "custom_module.not_registered")
    if any(n == "weight" and shape == [3, 2] for n, shape, _, _ in mine):
        return jc.fail(message, "custom_module.weight_layout")
    return message


# -- 2. the initial values ---------------------------------------------------------------------------

def initial_run(module, ctx):
    layer = build(module, ctx, 4, 3)
    return {name: (getattr(layer, name).detach().clone() if isinstance(getattr(layer, name, None), torch.Tensor)
                   else None) for name in ("weight", "bias")}


def initial_judge(got, expected, jc):
    for name, want in expected.items():
        if got[name] is None:
            return f"LinearReLU(4, 3) has no tensor attribute `{name}`"
        m = kit.compare_plain(got[name], want, what=f"after torch.manual_seed(s), LinearReLU(4, 3).{name}")
        if m:
            hint = (" (weight should be the first draw after the seed: torch.randn(out_features, in_features))"
                    if name == "weight" else " (bias should start at zero)")
            return kit.Mismatch(m.message + hint, m.details)
    return None


# -- 3-5. forward and backward against the reference ---------------------------------------------

def forward_backward(module, ctx, layer_in, layer_out, values, X, weights):
    layer = build(module, ctx, layer_in, layer_out)
    problem = set_values(layer, values)
    if problem:
        return {"problem": problem, "out": None, "grads": None, "weight_requires_grad": None}
    X = X.clone().requires_grad_(True)
    out = layer(X)
    if not isinstance(out, torch.Tensor):
        return {"problem": f"the forward pass returned a {type(out).__name__}, expected a tensor", "out": None,
                "grads": None, "weight_requires_grad": None}
    grads = None
    tracked = bool(getattr(getattr(layer, "weight", None), "requires_grad", False))
    if out.requires_grad and out.shape == weights.shape:
        (out * weights).sum().backward()
        grads = {"weight": getattr(layer, "weight").grad, "bias": getattr(layer, "bias").grad, "X": X.grad}
    return {"problem": None, "out": out.detach(), "grads": grads, "weight_requires_grad": tracked}


def example_run(module, ctx):
    values = {"weight": torch.tensor([[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]]), "bias": torch.tensor([0.5, 1.0])}
    X = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 2.0]])
    return forward_backward(module, ctx, 3, 2, values, X, torch.ones(2, 2))


def random_run(module, ctx):
    X = torch.randn(6, 5, generator=ctx.generator(7))
    return forward_backward(module, ctx, 5, 4, seeded_values(ctx, 5, 4), X,
                            torch.randn(6, 4, generator=ctx.generator(8)))


def batched_run(module, ctx):
    X = torch.randn(2, 3, 5, generator=ctx.generator(7))
    return forward_backward(module, ctx, 5, 4, seeded_values(ctx, 5, 4), X,
                            torch.randn(2, 3, 4, generator=ctx.generator(8)))


def judge_forward(got, expected, jc):
    if got["problem"]:
        diagnosis = "custom_module.weight_layout" if "`weight` has shape" in got["problem"] else None
        return jc.fail(got["problem"], diagnosis)
    m = kit.compare_plain(got["out"], expected["out"], what="output", rtol=1e-5, atol=1e-6)
    if m:
        return m
    unconnected = "custom_module.detached" if got["weight_requires_grad"] else "custom_module.not_registered"
    if got["grads"] is None:
        return jc.fail("the output carries no gradient: backward cannot reach the layer's parameters", unconnected)
    for name, want in expected["grads"].items():
        have = got["grads"][name]
        if have is None:
            return jc.fail(f"after backward, {name}.grad is None: the output is not connected to {name}",
                           unconnected if name != "X" else None)
        m = kit.compare_plain(have, want, what=f"gradient of {name}", rtol=1e-5, atol=1e-6)
        if m:
            return m
    return None


# -- 6. called through nn.Module.__call__ ------------------------------------------------------------

def hooks_run(module, ctx):
    layer = build(module, ctx, 3, 2)
    seen = []
    layer.register_forward_hook(lambda mod, inputs, output: seen.append(tuple(output.shape)))
    layer(torch.randn(4, 3, generator=ctx.generator()))
    return {"forward_hook_calls": len(seen),
            "defines_forward": type(layer).forward is not torch.nn.Module.forward,
            "overrides_call": "__call__" in vars(type(layer))}


def hooks_judge(got, expected, jc):
    if got["forward_hook_calls"] == 1 and got["defines_forward"] and not got["overrides_call"]:
        return None
    if got["overrides_call"] or not got["defines_forward"]:
        what = "defines __call__" if got["overrides_call"] else "has no forward"
        return jc.fail(f"a forward hook registered on LinearReLU(3, 2) ran {got['forward_hook_calls']} times for one "
                       f"call (expected once); the class {what}", "custom_module.overrides_call")
    return (f"a forward hook registered on LinearReLU(3, 2) ran {got['forward_hook_calls']} times for one call, "
            f"expected once")


# -- 7. training ----------------------------------------------------------------------------------

STEPS, LR = 60, 0.05


def train_run(module, ctx):
    g = ctx.generator()
    X = torch.randn(64, 2, generator=g)
    y = torch.sin(2 * X[:, :1]) * torch.cos(X[:, 1:])
    with kit.seeded(ctx.seed):
        net = torch.nn.Sequential(kit.member(module, CLASS)(2, 16), kit.member(module, CLASS)(16, 16))
    for i, layer in enumerate(net):
        problem = set_values(layer, {"weight": torch.randn(16, 2 if i == 0 else 16, generator=g) * 0.5,
                                     "bias": torch.zeros(16)})
        if problem:
            return {"problem": f"layer {i}: {problem}", "losses": None, "parameters": None}
    readout = (torch.randn(16, 1, generator=g) * 0.25).requires_grad_(True)
    params = list(net.parameters()) + [readout]
    losses = []
    for step in range(STEPS):
        loss = ((net(X) @ readout - y) ** 2).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                if p.grad is not None:
                    p -= LR * p.grad
        losses.append(float(loss.detach()))
        ctx.emit("loss", step, losses[-1])
    return {"problem": None, "losses": losses, "parameters": len(list(net.parameters()))}


def train_judge(got, expected, jc):
    head = f"{STEPS} steps of gradient descent on Sequential(LinearReLU(2, 16), LinearReLU(16, 16)) and a linear readout"
    if got["problem"]:
        return f"{head}: {got['problem']}"
    if got["parameters"] != expected["parameters"]:
        return jc.fail(f"{head}: net.parameters() yields {got['parameters']} tensors, expected {expected['parameters']} "
                       f"(a weight and a bias per layer), so the optimiser cannot train the others",
                       "custom_module.not_registered")
    mine, want = got["losses"], expected["losses"]
    for step, (m, w) in enumerate(zip(mine, want)):
        if not abs(m - w) <= 1e-4 * abs(w) + 1e-6:
            return kit.Mismatch(f"{head}: the losses part at step {step}: the reference's is {w:.6g}, yours {m:.6g} "
                                f"(final loss {mine[-1]:.4g} against {want[-1]:.4g})")
    return kit.Judgement("pass", f"loss {want[0]:.4g} → {mine[-1]:.4g} (reference {want[-1]:.4g})")
