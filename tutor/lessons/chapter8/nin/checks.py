"""Scenarios of chapter8/nin: Network in Network's block and its global-average-pooling head.

As in the other module exercises of this chapter, each scenario builds the learner's module
under a fixed seed, finds its convolutions by the order one forward pass calls them
(kit.layers_in_call_order), checks them against the contract (a k×k convolution, then two 1×1
ones), gives them seeded weights role by role (kit.fill_layer) and returns outputs and
gradients; the oracle's module goes through the same steps.
"""

from __future__ import annotations

import torch
from torch import nn

from tutor.grader import kit

RESULT_KEYS = ("shapes", "out", "grads", "outs")


def _problem(text, diagnosis=None) -> dict:
    """A broken contract, with every result key present (None) so the result keeps the oracle's form."""
    return {"problem": text, "diagnosis": diagnosis, **{k: None for k in RESULT_KEYS}}


def _ok(**values) -> dict:
    return {"problem": None, "diagnosis": None, **values}


def _module(value, what):
    if not isinstance(value, nn.Module):
        raise TypeError(f"{what} must return a torch.nn.Module, got {type(value).__name__}")
    return value


def build_block(module, ctx, cin, cout, k, stride, padding):
    with kit.seeded(ctx.seed):
        return _module(kit.call(module, "nin_block", cin, cout, k, stride=stride, padding=padding), "nin_block()")


def build_head(module, ctx, cin, classes):
    with kit.seeded(ctx.seed):
        return _module(kit.call(module, "nin_head", cin, classes), "nin_head()")


def roles(net, X, what, cin, cout, k, stride, padding):
    """([conv k×k, conv 1×1, conv 1×1], None) when the convolutions follow the contract, else (None, problem)."""
    try:
        convs = kit.layers_in_call_order(net, X, kinds=nn.Conv2d)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        return None, _problem(f"{what}: net(X) for X of shape {tuple(X.shape)} raised RuntimeError: {str(exc)[:300]}")
    if len(convs) != 3:
        return None, _problem(f"{what}: expected three nn.Conv2d layers (a {k}×{k} convolution, then two 1×1 "
                              f"convolutions); the forward pass calls {len(convs)}")
    first, *ones = convs
    if tuple(first.weight.shape) != (cout, cin, k, k) or tuple(first.stride) != (stride, stride) \
            or tuple(first.padding) != (padding, padding):
        return None, _problem(f"{what}: the first convolution should be nn.Conv2d({cin}, {cout}, kernel_size={k}, "
                              f"stride={stride}, padding={padding}); yours has weight {tuple(first.weight.shape)}, "
                              f"stride {tuple(first.stride)}, padding {tuple(first.padding)}")
    for i, conv in enumerate(ones, start=2):
        if tuple(conv.weight.shape) != (cout, cout, 1, 1):
            return None, _problem(f"{what}: convolution {i} should be a 1×1 convolution from {cout} to {cout} "
                                  f"channels; yours has weight {tuple(conv.weight.shape)}")
        if tuple(conv.stride) != (1, 1) or tuple(conv.padding) != (0, 0):
            return None, _problem(f"{what}: 1×1 convolution {i} has stride {tuple(conv.stride)} and padding "
                                  f"{tuple(conv.padding)}", "nin.one_by_one_stride_padding")
    return convs, None


def _fill(convs, ctx):
    weights = ctx.generator(1)
    for conv in convs:
        kit.fill_layer(conv, weights)


def _grads(X, convs) -> dict:
    out = {"X": X.grad, **{f"conv{i + 1}.weight": c.weight.grad for i, c in enumerate(convs)}}
    return {k: (v.detach().clone() if v is not None else None) for k, v in out.items()}


def _head_shape_problem(cin, classes, X, Y):
    N, _, H, W = X.shape
    if tuple(Y.shape) == (N, classes):
        return None
    text = f"nin_head({cin}, {classes}) maps X of shape {tuple(X.shape)} to {tuple(Y.shape)}; expected {(N, classes)}"
    if tuple(Y.shape) == (N, classes, 1, 1):
        return _problem(text, "generic.keepdim")
    if tuple(Y.shape) in ((N, H, W), (N, H * W), (N, 1, H, W)):
        return _problem(text, "nin.pools_channels")
    return _problem(text)


def block_forward(module, ctx, cin, cout, k, stride, padding, size, batch=2):
    g = ctx.generator()
    X = torch.randn(batch, cin, size, size, generator=g)
    what = f"nin_block({cin}, {cout}, {k}, stride={stride}, padding={padding})"
    net = build_block(module, ctx, cin, cout, k, stride, padding)
    convs, problem = roles(net, X, what, cin, cout, k, stride, padding)
    if problem:
        return problem
    _fill(convs, ctx)
    X.requires_grad_(True)
    Y = net(X)
    side = (size + 2 * padding - k) // stride + 1
    if tuple(Y.shape) != (batch, cout, side, side):
        return _problem(f"{what} maps X of shape {tuple(X.shape)} to {tuple(Y.shape)}; expected "
                        f"{(batch, cout, side, side)}")
    (Y * torch.randn(Y.shape, generator=g)).sum().backward()
    return _ok(out=Y.detach(), grads=_grads(X, convs))


def head_forward(module, ctx, cin, classes, H, W, batch=3):
    g = ctx.generator()
    X = torch.randn(batch, cin, H, W, generator=g)
    net = build_head(module, ctx, cin, classes)
    convs, problem = roles(net, X, f"nin_head({cin}, {classes})", cin, classes, 3, 1, 1)
    if problem:
        return problem
    _fill(convs, ctx)
    X.requires_grad_(True)
    Y = net(X)
    problem = _head_shape_problem(cin, classes, X, Y)
    if problem:
        return problem
    (Y * torch.randn(Y.shape, generator=g)).sum().backward()
    return _ok(out=Y.detach(), grads=_grads(X, convs))


# -- scenarios ------------------------------------------------------------------------------------------

def lesson_shapes(module, ctx):
    X = torch.randn(2, 3, 16, 16, generator=ctx.generator())
    block = build_block(module, ctx, 3, 8, 5, 2, 2)
    _, problem = roles(block, X, "nin_block(3, 8, 5, stride=2, padding=2)", 3, 8, 5, 2, 2)
    if problem:
        return problem
    with torch.no_grad():
        Y = block(X)
    head = build_head(module, ctx, 8, 10)
    _, problem = roles(head, Y, "nin_head(8, 10)", 8, 10, 3, 1, 1)
    if problem:
        return problem
    with torch.no_grad():
        Z = head(Y)
    problem = _head_shape_problem(8, 10, Y, Z)
    if problem:
        return problem
    return _ok(shapes={"nin_block(3, 8, 5, stride=2, padding=2)": list(Y.shape), "nin_head(8, 10)": list(Z.shape)})


def block_values(module, ctx):
    return block_forward(module, ctx, 3, 6, 3, 1, 1, size=6)


def block_stride(module, ctx):
    return block_forward(module, ctx, 2, 4, 5, 2, 1, size=9)


def head_values(module, ctx):
    return head_forward(module, ctx, 6, 5, 4, 4)


def head_one_pixel(module, ctx):
    return head_forward(module, ctx, 4, 3, 1, 1, batch=2)


def head_any_size(module, ctx):
    """One head, the same weights, maps of three different sizes: global average pooling has no
    size of its own (a fully connected layer would)."""
    g = ctx.generator()
    net = build_head(module, ctx, 4, 3)
    sizes = ((5, 5), (7, 3), (2, 9))
    X0 = torch.randn(2, 4, *sizes[0], generator=g)
    convs, problem = roles(net, X0, "nin_head(4, 3)", 4, 3, 3, 1, 1)
    if problem:
        return problem
    _fill(convs, ctx)
    outs = {}
    with torch.no_grad():
        for H, W in sizes:
            X = X0 if (H, W) == sizes[0] else torch.randn(2, 4, H, W, generator=g)
            try:
                Y = net(X)
            except RuntimeError as exc:
                return _problem(f"nin_head(4, 3) works on a {sizes[0][0]}×{sizes[0][1]} map but raised on a {H}×{W} "
                                f"one: {str(exc)[:200]}")
            problem = _head_shape_problem(4, 3, X, Y)
            if problem:
                return problem
            outs[f"{H}×{W}"] = Y
    return _ok(outs=outs)


def judge(got, expected, jc):
    if expected.get("problem"):  # the oracle itself broke the contract: a bug in the lesson
        raise AssertionError(f"the reference broke the contract: {expected['problem']}")
    if got.get("problem"):
        return jc.fail(str(got["problem"]), got.get("diagnosis") or None)
    for key in RESULT_KEYS:
        if key not in expected or expected[key] is None:
            continue
        what = {"out": "output", "grads": "gradient", "outs": "output"}.get(key, key)
        rtol, atol = (1e-4, 1e-5) if key == "grads" else (1e-5, 1e-5)
        m = kit.compare_plain(got.get(key), expected[key], what=what, rtol=rtol, atol=atol)
        if m:
            return m
    return None
