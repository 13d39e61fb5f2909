"""Scenarios of chapter8/residual_block.

Each scenario builds the block (under a fixed seed), finds its layers by the order one forward
pass calls them (kit.layers_in_call_order), checks them against the block's contract, gives
them seeded weights role by role (kit.fill_layer: conv1, bn1, conv2, bn2, then the projection),
and returns the output and the gradients. The oracle's block goes through the same steps, so
both sides compute with the same numbers whatever the learner named their layers.

A block that breaks the contract returns {"problem": ..., "diagnosis": ...} instead: the
harness knows the contract (which layers the block needs for these sizes), so it can say what
is missing on the learner's side before any number is compared.
"""

from __future__ import annotations

import torch
from torch import nn

from tutor.grader import kit

BN = nn.modules.batchnorm._BatchNorm
CONV_BN = (nn.Conv2d, BN)
F = "residual_block"


def build(module, ctx, cin, cout, stride):
    with kit.seeded(ctx.seed):
        net = kit.call(module, F, cin, cout, stride=stride)
    if not isinstance(net, nn.Module):
        raise TypeError(f"residual_block() must return a torch.nn.Module, got {type(net).__name__}")
    return net


def needs_projection(cin, cout, stride) -> bool:
    return cin != cout or stride != 1


def _kernel(conv) -> tuple:
    return tuple(conv.kernel_size)


RESULT_KEYS = ("shapes", "projects", "out", "grads")


def _problem(text, diagnosis=None) -> dict:
    """A broken contract, with every result key present (None) so the result keeps the oracle's form."""
    return {"problem": text, "diagnosis": diagnosis, **{k: None for k in RESULT_KEYS}}


def _shortcut_problem(cin, cout, stride, convs) -> dict | None:
    """What is wrong with the shortcut, from the 1×1 convolutions the block has (registered or called)."""
    ones = [c for c in convs if _kernel(c) == (1, 1)]
    what = f"residual_block({cin}, {cout}, stride={stride})"
    if needs_projection(cin, cout, stride):
        if not ones:
            if cin == cout:
                return _problem(f"{what} has no 1×1 convolution: the input keeps {cin} channels but stride {stride} "
                                f"halves H and W, so X no longer has the output's shape and cannot be added as it is",
                                "residual.projection_ignores_stride")
            return _problem(f"{what} has no 1×1 convolution on the shortcut: X has {cin} channels and the block's "
                            f"output {cout}, so X must be projected before it can be added", "residual.no_projection")
        if any(tuple(c.stride) != (stride, stride) for c in ones):
            return _problem(f"{what}: the 1×1 projection has stride {tuple(ones[0].stride)}, but the first 3×3 "
                            f"convolution has stride {stride}; the shortcut must shrink H and W the same way",
                            "residual.projection_ignores_stride")
    elif ones:
        return _problem(f"{what} has a 1×1 convolution, but the shapes do not change: the shortcut is then the "
                        f"identity, X itself", "residual.always_projects")
    return None


def layers(net, X, cin, cout, stride):
    """(roles, None) when the block has the contract's layers, else (None, problem)."""
    registered = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    try:
        called = kit.layers_in_call_order(net, X, kinds=CONV_BN)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        found = _shortcut_problem(cin, cout, stride, registered)
        if found:
            return None, found
        return None, _problem(f"net(X) for X of shape {tuple(X.shape)} raised RuntimeError: {str(exc)[:300]}")
    convs = [m for m in called if isinstance(m, nn.Conv2d)]
    found = _shortcut_problem(cin, cout, stride, convs)
    if found:
        return None, found
    what = f"residual_block({cin}, {cout}, stride={stride})"
    odd = [c for c in convs if _kernel(c) not in ((3, 3), (1, 1))]
    threes = [c for c in convs if _kernel(c) == (3, 3)]
    if odd or len(threes) != 2:
        kinds = ", ".join(f"{k[0]}×{k[1]}" for k in (_kernel(c) for c in convs)) or "none"
        return None, _problem(f"{what}: expected exactly two 3×3 convolutions on the main path (and a 1×1 one on "
                              f"the shortcut when the shapes change); the forward pass calls these convolutions: {kinds}")
    bns = [m for m in called if isinstance(m, BN)]
    if len(bns) != 2:
        return None, _problem(f"{what}: expected two batch-norm layers, one after each 3×3 convolution (none on the "
                              f"shortcut in this exercise); the forward pass calls {len(bns)}")
    conv1, conv2 = threes
    if tuple(conv1.stride) == (1, 1) and tuple(conv2.stride) == (stride, stride) and stride != 1:
        return None, _problem(f"{what}: the first 3×3 convolution has stride 1 and the second stride {stride}",
                              "residual.stride_on_second_conv")
    want = {"first 3×3 convolution": (conv1, (cout, cin, 3, 3), (stride, stride)),
            "second 3×3 convolution": (conv2, (cout, cout, 3, 3), (1, 1))}
    for name, (conv, shape, s) in want.items():
        if tuple(conv.weight.shape) != shape or tuple(conv.stride) != s or tuple(conv.padding) != (1, 1):
            return None, _problem(f"{what}: the {name} should be nn.Conv2d({shape[1]}, {shape[0]}, kernel_size=3, "
                                  f"stride={s[0]}, padding=1); yours has weight {tuple(conv.weight.shape)}, stride "
                                  f"{tuple(conv.stride)}, padding {tuple(conv.padding)}")
    for name, bn in (("first", bns[0]), ("second", bns[1])):
        if bn.num_features != cout:
            return None, _problem(f"{what}: the {name} batch norm should normalise {cout} channels, yours {bn.num_features}")
    roles = [conv1, bns[0], conv2, bns[1]]
    ones = [c for c in convs if _kernel(c) == (1, 1)]
    if ones:
        proj = ones[0]
        if tuple(proj.weight.shape) != (cout, cin, 1, 1):
            return None, _problem(f"{what}: the projection should be nn.Conv2d({cin}, {cout}, kernel_size=1, "
                                  f"stride={stride}); yours has weight {tuple(proj.weight.shape)}")
        roles.append(proj)
    return roles, None


def _grads(roles, X) -> dict:
    names = ["conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias", "projection.weight"]
    params = [roles[0].weight, roles[1].weight, roles[1].bias, roles[2].weight, roles[3].weight, roles[3].bias]
    if len(roles) > 4:
        params.append(roles[4].weight)
    out = {"X": X.grad}
    out.update({n: p.grad for n, p in zip(names, params)})
    return {k: (v.detach().clone() if v is not None else None) for k, v in out.items()}


def forward_and_grads(module, ctx, cin, cout, stride, size=6, batch=2, eval_after=0):
    """The block's output and gradients in training mode (with `eval_after` > 0: its output in
    evaluation mode after that many training batches)."""
    g = ctx.generator()
    X = torch.randn(batch, cin, size, size, generator=g)
    net = build(module, ctx, cin, cout, stride)
    roles, problem = layers(net, X, cin, cout, stride)
    if problem:
        return problem
    weights = ctx.generator(1)
    for layer in roles:
        kit.fill_layer(layer, weights)
    net.train()
    if eval_after:
        with torch.no_grad():
            for _ in range(eval_after):
                net(torch.randn(batch, cin, size, size, generator=g) * 1.5 + 0.5)
        net.eval()
        with torch.no_grad():
            return {"problem": None, "diagnosis": None, "out": net(X)}
    X.requires_grad_(True)
    Y = net(X)
    side = (size - 1) // stride + 1
    if tuple(Y.shape) != (batch, cout, side, side):
        return _problem(f"residual_block({cin}, {cout}, stride={stride}) maps X of shape {tuple(X.shape)} to "
                        f"{tuple(Y.shape)}; expected {(batch, cout, side, side)}")
    (Y * torch.randn(Y.shape, generator=g)).sum().backward()
    return {"problem": None, "diagnosis": None, "out": Y.detach(), "grads": _grads(roles, X)}


# -- scenarios ------------------------------------------------------------------------------------------

def shapes(module, ctx):
    out = {}
    for cin, cout, stride in ((3, 3, 1), (3, 6, 2)):
        X = torch.randn(4, cin, 6, 6, generator=ctx.generator())
        net = build(module, ctx, cin, cout, stride)
        roles, problem = layers(net, X, cin, cout, stride)
        if problem:
            return problem
        with torch.no_grad():
            out[f"residual_block({cin}, {cout}, stride={stride})"] = list(net(X).shape)
    return {"problem": None, "diagnosis": None, "shapes": out}


def shortcuts(module, ctx):
    """Whether the block projects its shortcut, for every way the shapes can (not) change."""
    seen = {}
    for cin, cout, stride in ((4, 4, 1), (3, 6, 1), (4, 4, 2), (3, 6, 2)):
        net = build(module, ctx, cin, cout, stride)
        convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
        problem = _shortcut_problem(cin, cout, stride, convs)
        if problem:
            return problem
        seen[f"({cin}, {cout}, stride={stride})"] = any(_kernel(c) == (1, 1) for c in convs)
    return {"problem": None, "diagnosis": None, "projects": seen}


def identity_block(module, ctx):
    return forward_and_grads(module, ctx, 4, 4, 1, size=5)


def more_channels(module, ctx):
    return forward_and_grads(module, ctx, 3, 6, 1, size=5)


def stride_only(module, ctx):
    return forward_and_grads(module, ctx, 4, 4, 2, size=6)


def channels_and_stride(module, ctx):
    return forward_and_grads(module, ctx, 3, 8, 2, size=7)


def eval_mode(module, ctx):
    return forward_and_grads(module, ctx, 4, 6, 2, size=6, batch=4, eval_after=3)


def judge(got, expected, jc):
    if expected.get("problem"):  # the oracle itself broke the contract: a bug in the lesson
        raise AssertionError(f"the reference broke the contract: {expected['problem']}")
    if got.get("problem"):
        return jc.fail(str(got["problem"]), got.get("diagnosis") or None)
    for key in RESULT_KEYS:
        if key not in expected:
            continue
        what = {"out": "output", "grads": "gradient"}.get(key, key)
        rtol, atol = (1e-4, 1e-5) if key == "grads" else (1e-5, 1e-5)
        m = kit.compare_plain(got.get(key), expected[key], what=what, rtol=rtol, atol=atol)
        if m:
            return m
    return None
