"""Scenarios of chapter8/dense_block: the dense block's channel arithmetic and the transition layer.

As in residual_block, each scenario builds the learner's module under a fixed seed, finds its
layers by the order one forward pass calls them (kit.layers_in_call_order), checks them
against the contract (which the harness knows: the channel counts follow from the arguments),
gives them seeded weights role by role (kit.fill_layer) and returns outputs and gradients. The
oracle's modules go through the same steps.
"""

from __future__ import annotations

import torch
from torch import nn

from tutor.grader import kit

BN = nn.modules.batchnorm._BatchNorm
CONV_BN = (nn.Conv2d, BN)
RESULT_KEYS = ("shapes", "channels", "passes_input", "out", "grads")


def _problem(text, diagnosis=None) -> dict:
    """A broken contract, with every result key present (None) so the result keeps the oracle's form."""
    return {"problem": text, "diagnosis": diagnosis, **{k: None for k in RESULT_KEYS}}


def _ok(**values) -> dict:
    return {"problem": None, "diagnosis": None, **values}


def _module(value, what):
    if not isinstance(value, nn.Module):
        raise TypeError(f"{what} must return a torch.nn.Module, got {type(value).__name__}")
    return value


def build_dense(module, ctx, L, c0, k):
    with kit.seeded(ctx.seed):
        return _module(kit.call(module, "dense_block", L, c0, k), "dense_block()")


def build_transition(module, ctx, cin, cout):
    with kit.seeded(ctx.seed + 1):
        return _module(kit.call(module, "transition_block", cin, cout), "transition_block()")


def _channels(conv) -> str:
    return f"{conv.in_channels} → {conv.out_channels}"


# -- finding the roles ---------------------------------------------------------------------------------

def dense_roles(net, X, L, c0, k):
    """([bn₀, conv₀, bn₁, conv₁, ...], None) when the block has the contract's layers, else (None, problem)."""
    what = f"dense_block({L}, {c0}, {k})"
    want_in = [c0 + i * k for i in range(L)]
    registered = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    try:
        called = kit.layers_in_call_order(net, X, kinds=CONV_BN)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        ins = [c.in_channels for c in registered]
        if len(ins) == L and ins != want_in:
            return None, _problem(f"{what}: your convolutions take {ins} input channels; the i-th one sees the input "
                                  f"and every earlier block's output, c₀ + i·k = {want_in}",
                                  "dense_block.channels_not_accumulated")
        return None, _problem(f"{what}: net(X) for X of shape {tuple(X.shape)} raised RuntimeError: {str(exc)[:300]}")
    convs = [m for m in called if isinstance(m, nn.Conv2d)]
    bns = [m for m in called if isinstance(m, BN)]
    if len(convs) != L or len(bns) != L:
        return None, _problem(f"{what}: expected {L} convolution blocks (batch norm → ReLU → 3×3 convolution each); the "
                              f"forward pass calls {len(convs)} convolutions and {len(bns)} batch norms")
    if called[0] is convs[0] and all(b.num_features == k for b in bns):
        return None, _problem(f"{what}: each convolution comes before its batch norm (the batch norms see {k} "
                              f"channels, the convolutions' outputs)", "dense_block.post_activation")
    ins = [c.in_channels for c in convs]
    if L >= 2 and ins[0] == c0 and ins[1:] == [k] * (L - 1) and k != c0 + k:
        return None, _problem(f"{what}: convolution blocks 1 … {L - 1} take {k} channels, only the previous block's "
                              f"output; block i should see the input and every earlier output, c₀ + i·k = {want_in}",
                              "dense_block.no_concatenation")
    for i, (bn, conv) in enumerate(zip(bns, convs)):
        need = c0 + i * k
        if conv.in_channels != need or bn.num_features != need:
            if conv.in_channels != need and [c.out_channels for c in convs] == [k] * L:
                diagnosis = "dense_block.channels_not_accumulated"
            else:
                diagnosis = None
            return None, _problem(f"{what}: convolution block {i} should see c₀ + {i}·k = {need} channels; yours has a "
                                  f"batch norm over {bn.num_features} and a convolution {_channels(conv)} (all input "
                                  f"channel counts: {ins})", diagnosis)
        if tuple(conv.weight.shape) != (k, need, 3, 3) or tuple(conv.padding) != (1, 1) \
                or tuple(conv.stride) != (1, 1):
            return None, _problem(f"{what}: convolution block {i} should end with nn.Conv2d({need}, {k}, "
                                  f"kernel_size=3, padding=1); yours has weight {tuple(conv.weight.shape)}, padding "
                                  f"{tuple(conv.padding)}, stride {tuple(conv.stride)}")
    return [layer for pair in zip(bns, convs) for layer in pair], None


def transition_roles(net, X, cin, cout):
    what = f"transition_block({cin}, {cout})"
    try:
        called = kit.layers_in_call_order(net, X, kinds=CONV_BN)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        return None, _problem(f"{what}: net(X) for X of shape {tuple(X.shape)} raised RuntimeError: {str(exc)[:300]}")
    convs = [m for m in called if isinstance(m, nn.Conv2d)]
    bns = [m for m in called if isinstance(m, BN)]
    if len(convs) != 1 or len(bns) != 1:
        return None, _problem(f"{what}: expected one batch norm and one 1×1 convolution; the forward pass calls "
                              f"{len(bns)} batch norms and {len(convs)} convolutions")
    bn, conv = bns[0], convs[0]
    if called[0] is conv and bn.num_features == cout:
        return None, _problem(f"{what}: the convolution comes before the batch norm", "dense_block.post_activation")
    if bn.num_features != cin or tuple(conv.weight.shape) != (cout, cin, 1, 1) or tuple(conv.stride) != (1, 1) \
            or tuple(conv.padding) != (0, 0):
        return None, _problem(f"{what}: expected nn.BatchNorm2d({cin}) and nn.Conv2d({cin}, {cout}, kernel_size=1); "
                              f"yours normalise {bn.num_features} channels and have a convolution with weight "
                              f"{tuple(conv.weight.shape)}, stride {tuple(conv.stride)}, padding {tuple(conv.padding)}")
    return [bn, conv], None


def _transition_shape_problem(cin, cout, X, Y):
    N, _, H, W = X.shape
    want = (N, cout, H // 2, W // 2)
    if tuple(Y.shape) == want:
        return None
    what = f"transition_block({cin}, {cout})"
    text = f"{what} maps X of shape {tuple(X.shape)} to {tuple(Y.shape)}; expected {want}"
    if Y.dim() == 4 and tuple(Y.shape[2:]) in ((H, W), (H - 1, W - 1)):
        return _problem(text, "transition.no_halving")
    return _problem(text)


# -- forward and gradients -----------------------------------------------------------------------------

def _train_forward(net, roles, X, ctx):
    """Seeded weights role by role, then one forward pass in training mode with X tracked by autograd."""
    weights = ctx.generator(1)
    for layer in roles:
        kit.fill_layer(layer, weights)
    net.train()
    X.requires_grad_(True)
    return net(X)


def _grads(X, roles, names) -> dict:
    out = {"X": X.grad}
    for name, layer in zip(names, roles):
        out[f"{name}.weight"] = layer.weight.grad
        if isinstance(layer, BN):
            out[f"{name}.bias"] = layer.bias.grad
    return {k: (v.detach().clone() if v is not None else None) for k, v in out.items()}


def dense_forward(module, ctx, L, c0, k, size=5, batch=2):
    g = ctx.generator()
    X = torch.randn(batch, c0, size, size, generator=g)
    net = build_dense(module, ctx, L, c0, k)
    roles, problem = dense_roles(net, X, L, c0, k)
    if problem:
        return problem
    names = [f"{kind}{i}" for i in range(L) for kind in ("bn", "conv")]
    Y = _train_forward(net, roles, X, ctx)
    want = (batch, c0 + L * k, size, size)
    if tuple(Y.shape) != want:
        diagnosis = "dense_block.no_concatenation" if Y.dim() == 4 and Y.shape[1] == k else None
        return _problem(f"dense_block({L}, {c0}, {k}) maps X of shape {tuple(X.shape)} to {tuple(Y.shape)}; expected "
                        f"{want}: c₀ + L·k = {c0} + {L}·{k} = {c0 + L * k} channels", diagnosis)
    (Y * torch.randn(Y.shape, generator=g)).sum().backward()
    return _ok(out=Y.detach(), grads=_grads(X, roles, names))


def transition_forward(module, ctx, cin, cout, H, W, batch=2):
    g = ctx.generator()
    X = torch.randn(batch, cin, H, W, generator=g)
    net = build_transition(module, ctx, cin, cout)
    roles, problem = transition_roles(net, X, cin, cout)
    if problem:
        return problem
    Y = _train_forward(net, roles, X, ctx)
    problem = _transition_shape_problem(cin, cout, X, Y)
    if problem:
        return problem
    (Y * torch.randn(Y.shape, generator=g)).sum().backward()
    return _ok(out=Y.detach(), grads=_grads(X, roles, ["bn", "conv"]))


# -- scenarios ------------------------------------------------------------------------------------------

def lesson_shapes(module, ctx):
    X = torch.randn(4, 3, 8, 8, generator=ctx.generator())
    dense = build_dense(module, ctx, 2, 3, 10)
    roles, problem = dense_roles(dense, X, 2, 3, 10)
    if problem:
        return problem
    with torch.no_grad():
        Y = dense(X)
    shapes = {"dense_block(2, 3, 10)": list(Y.shape)}
    if tuple(Y.shape) != (4, 23, 8, 8):
        diagnosis = "dense_block.no_concatenation" if Y.dim() == 4 and Y.shape[1] == 10 else None
        return _problem(f"dense_block(2, 3, 10) maps X of shape (4, 3, 8, 8) to {tuple(Y.shape)}; expected "
                        f"(4, 23, 8, 8): 3 + 2·10 = 23 channels", diagnosis)
    trans = build_transition(module, ctx, 23, 10)
    roles, problem = transition_roles(trans, Y, 23, 10)
    if problem:
        return problem
    with torch.no_grad():
        Z = trans(Y)
    problem = _transition_shape_problem(23, 10, Y, Z)
    if problem:
        return problem
    shapes["transition_block(23, 10)"] = list(Z.shape)
    return _ok(shapes=shapes)


def channel_counts(module, ctx):
    """Each convolution block's input → output channels, in call order."""
    L, c0, k = 4, 5, 3
    X = torch.randn(2, c0, 4, 4, generator=ctx.generator())
    net = build_dense(module, ctx, L, c0, k)
    roles, problem = dense_roles(net, X, L, c0, k)
    if problem:
        return problem
    return _ok(channels=[_channels(c) for c in roles[1::2]])


def passes_input_through(module, ctx):
    """The first c₀ output channels are X itself: a dense block appends, it never rewrites."""
    L, c0, k = 3, 4, 2
    X = torch.randn(2, c0, 5, 5, generator=ctx.generator())
    net = build_dense(module, ctx, L, c0, k)
    roles, problem = dense_roles(net, X, L, c0, k)
    if problem:
        return problem
    with torch.no_grad():
        Y = net.train()(X)
    if Y.dim() != 4 or Y.shape[1] != c0 + L * k:
        return _problem(f"dense_block({L}, {c0}, {k}) gives {Y.shape[1] if Y.dim() == 4 else '?'} channels; expected "
                        f"{c0 + L * k}")
    first = bool(torch.equal(Y[:, :c0], X))
    if not first and torch.equal(Y[:, -c0:], X):
        return _problem(f"dense_block({L}, {c0}, {k}): the input X sits in the last {c0} output channels, after the "
                        f"new ones", "dense_block.new_channels_first")
    return _ok(passes_input=first)


def dense_values(module, ctx):
    return dense_forward(module, ctx, 3, 4, 3)


def dense_one_block(module, ctx):
    return dense_forward(module, ctx, 1, 2, 5, size=4)


def transition_values(module, ctx):
    return transition_forward(module, ctx, 6, 3, 6, 6)


def transition_odd(module, ctx):
    return transition_forward(module, ctx, 5, 4, 7, 5)


def densenet_stages(module, ctx):
    """D2L's DenseNet body: four dense blocks of four convolutions, growth rate 32, a transition halving
    the channels (and H and W) between blocks. Shapes only, in evaluation mode."""
    c = 64
    X = torch.randn(2, c, 8, 8, generator=ctx.generator())
    shapes = {}
    for i in range(4):
        block = build_dense(module, ctx, 4, c, 32)
        _, problem = dense_roles(block, X, 4, c, 32)
        if problem:
            return problem
        with torch.no_grad():
            X = block.eval()(X)
        shapes[f"dense_block(4, {c}, 32)"] = list(X.shape)
        c += 4 * 32
        if i != 3:
            trans = build_transition(module, ctx, c, c // 2)
            _, problem = transition_roles(trans, X, c, c // 2)
            if problem:
                return problem
            with torch.no_grad():
                X = trans.eval()(X)
            shapes[f"transition_block({c}, {c // 2})"] = list(X.shape)
            c //= 2
    return _ok(shapes=shapes)


def judge(got, expected, jc):
    if expected.get("problem"):  # the oracle itself broke the contract: a bug in the lesson
        raise AssertionError(f"the reference broke the contract: {expected['problem']}")
    if got.get("problem"):
        return jc.fail(str(got["problem"]), got.get("diagnosis") or None)
    for key in RESULT_KEYS:
        if key not in expected or expected[key] is None:
            continue
        if key == "passes_input" and not got.get(key):
            return "the first c₀ output channels should be the input X itself, unchanged: each block's new " \
                   "channels go after the ones it was given (torch.cat((X, Y), dim=1))"
        what = {"out": "output", "grads": "gradient"}.get(key, key)
        rtol, atol = (1e-4, 1e-5) if key == "grads" else (1e-5, 1e-5)
        m = kit.compare_plain(got.get(key), expected[key], what=what, rtol=rtol, atol=atol)
        if m:
            return m
    return None
