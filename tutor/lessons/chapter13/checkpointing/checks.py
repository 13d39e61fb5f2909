"""Scenarios of chapter13/checkpointing: gradients first, then recomputation, then memory.

Every scenario builds seeded functions (modules wrapped so that each call is counted), runs the
learner's checkpoint_sequential, backpropagates with loss.backward() and returns the output,
every gradient, the call counts and the bytes saved for backward. The reference side runs the
same scenario with a trusted implementation, which equals plain sequential execution.
"""

import torch

from tutor.grader import kit
from tutor.grader.kit import Mismatch, compare_plain

F64 = torch.float64


class Counted(torch.nn.Module):
    """Calls `inner` and counts the calls; a module, so its parameters are the inner module's."""

    def __init__(self, inner, name=""):
        super().__init__()
        self.inner = inner
        self.name = name
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return self.inner(x)


def checkpoint(module, functions, segments, x):
    return kit.call(module, "checkpoint_sequential", functions, segments, x)


def seeded(ctx, offset=0):
    torch.manual_seed(ctx.seed + offset)


def mlp_functions(ctx, n_layers, width, dtype=F64, dropout=0.0, offset=0):
    """Linear / Tanh / GELU / (Dropout) modules, each wrapped in a counter, seeded."""
    seeded(ctx, offset)
    fs = []
    for i in range(n_layers):
        fs.append(Counted(torch.nn.Linear(width, width).to(dtype), f"linear{i}"))
        fs.append(Counted(torch.nn.Tanh() if i % 2 == 0 else torch.nn.GELU(), f"act{i}"))
        if dropout:
            fs.append(Counted(torch.nn.Dropout(dropout), f"dropout{i}"))
    return fs


def gradients(functions, x):
    grads = {"input": None if x.grad is None else x.grad.clone()} if x.requires_grad else {}
    for i, f in enumerate(functions):
        if isinstance(f, torch.nn.Module):
            for name, p in f.named_parameters():
                key = f"function {i} ({getattr(f, 'name', type(f).__name__)}) {name.removeprefix('inner.')}"
                grads[key] = None if p.grad is None else p.grad.clone()
    return grads


def forward_backward(module, functions, segments, x, ctx):
    """The learner's forward, a weighted-sum loss, backward; output and gradients."""
    out = checkpoint(module, functions, segments, x)
    if not isinstance(out, torch.Tensor):
        return {"out": None, "requires_grad": False, "grads": {}}
    weight = torch.randn(out.shape, generator=ctx.generator(99), dtype=out.dtype)
    result = {"out": out.detach().clone(), "requires_grad": bool(out.requires_grad)}
    if out.requires_grad:
        (out * weight).sum().backward()
    result["grads"] = gradients(functions, x)
    return result


def calls(functions):
    return [int(f.calls) for f in functions]


# -- judging ------------------------------------------------------------------------------------

def judge_values(got, expected, jc):
    return _judge_values(got, expected, jc, rtol=1e-10, atol=1e-12)


def _judge_values(got, expected, jc, rtol, atol, where=""):
    if not isinstance(got, dict):
        return f"the scenario returned {type(got).__name__}"
    if "out" not in expected:  # a dict of cases
        for case, want in expected.items():
            outcome = _judge_values(got.get(case), want, jc, rtol, atol, where=f"{case}: ")
            if outcome is not None:
                return outcome
        return None
    m = compare_plain(got.get("out"), expected["out"], what=f"{where}output", rtol=rtol, atol=atol)
    if m:
        return m
    if expected.get("requires_grad") and not got.get("requires_grad"):
        return Mismatch(f"{where}the output does not require grad, so nothing can be backpropagated, although "
                        f"the functions have parameters that do (the input itself "
                        f"{'does' if 'input' in expected.get('grads', {}) else 'does not'} require grad)")
    for key, want in expected.get("grads", {}).items():
        have = got.get("grads", {}).get(key)
        if want is not None and have is None:
            return Mismatch(f"{where}the gradient of {key} is missing (None) after backward: it is not connected "
                            f"to the output through your checkpointed chunks")
        m = compare_plain(have, want, what=f"{where}gradient of {key}", rtol=rtol, atol=atol)
        if m:
            return m
    for key, want in expected.items():
        if key not in ("out", "requires_grad", "grads"):
            m = compare_plain(got.get(key), want, what=f"{where}{key}", rtol=rtol, atol=atol)
            if m:
                return Mismatch(m.message + _explain(key), m.details)
    return None


def _explain(key):
    if key == "random_after":
        return (" — the numbers drawn from torch's global generator after backward differ from plain execution, "
                "so your recomputation left the random state changed")
    if key == "calls":
        return (" — calls counts how often each of f₁ … f₄ ran; with 2 segments f₁ and f₂ should run twice "
                "(forward, then recomputed in backward) and f₃, f₄ once")
    return ""


# -- 1. the lesson's example ------------------------------------------------------------------

def lesson_example(module, ctx):
    with torch.random.fork_rng(devices=[]):
        lin1, lin2 = torch.nn.Linear(2, 2).to(F64), torch.nn.Linear(2, 2).to(F64)
        with torch.no_grad():
            lin1.weight.copy_(torch.tensor([[1.0, -1.0], [0.5, 2.0]]))
            lin1.bias.copy_(torch.tensor([0.0, 1.0]))
            lin2.weight.copy_(torch.tensor([[2.0, 0.0], [-1.0, 1.0]]))
            lin2.bias.copy_(torch.tensor([0.5, -0.5]))
        functions = [Counted(lin1, "linear1"), Counted(torch.nn.Tanh(), "tanh1"),
                     Counted(lin2, "linear2"), Counted(torch.nn.Tanh(), "tanh2")]
        x = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [0.0, 0.0]], dtype=F64, requires_grad=True)
        result = forward_backward(module, functions, 2, x, ctx)
        result["calls"] = calls(functions)
        return result


# -- 2. random MLP -----------------------------------------------------------------------------

def random_mlp(module, ctx):
    with torch.random.fork_rng(devices=[]):
        functions = mlp_functions(ctx, 6, 8)
        x = torch.randn(5, 8, generator=ctx.generator(), dtype=F64, requires_grad=True)
        return forward_backward(module, functions, 3, x, ctx)


# -- 3. segment counts -------------------------------------------------------------------------

def segment_counts(module, ctx):
    cases = {}
    with torch.random.fork_rng(devices=[]):
        for segments in (1, 3, 7):
            functions = mlp_functions(ctx, 4, 6, offset=segments)[:7]  # 7 functions: 3 segments split unevenly
            x = torch.randn(4, 6, generator=ctx.generator(segments), dtype=F64, requires_grad=True)
            cases[f"segments={segments} of 7 functions"] = forward_backward(module, functions, segments, x, ctx)
    return cases


# -- 4. plain functions and an input with or without requires_grad -----------------------------

def input_grad_cases(module, ctx):
    cases = {}
    with torch.random.fork_rng(devices=[]):
        functions = mlp_functions(ctx, 4, 6)
        x = torch.randn(3, 6, generator=ctx.generator(), dtype=F64)  # data: does not require grad
        cases["input without requires_grad, parameters in every chunk"] = forward_backward(module, functions, 4, x, ctx)

        w = torch.randn(6, 6, generator=ctx.generator(1), dtype=F64)

        def scale(t):
            return 1.5 * t

        plain = [torch.tanh, lambda t: t @ w, scale, torch.sin, lambda t: t * t, torch.cos]
        x2 = torch.randn(3, 6, generator=ctx.generator(2), dtype=F64, requires_grad=True)
        cases["plain functions (no parameters), input requires grad"] = forward_backward(module, plain, 3, x2, ctx)
    return cases


# -- 5. dropout ----------------------------------------------------------------------------------

def dropout(module, ctx):
    with torch.random.fork_rng(devices=[]):
        functions = mlp_functions(ctx, 4, 16, dropout=0.5)  # 12 functions, training mode
        x = torch.randn(6, 16, generator=ctx.generator(), dtype=F64, requires_grad=True)
        torch.manual_seed(ctx.seed + 7)
        result = forward_backward(module, functions, 4, x, ctx)
        result["random_after"] = torch.rand(4, dtype=F64)  # the global stream after forward and backward
        return result


# -- 6. recomputation counted ---------------------------------------------------------------

def recompute_counts(module, ctx):
    with torch.random.fork_rng(devices=[]):
        functions = mlp_functions(ctx, 4, 8)  # 8 functions, 4 segments of 2
        x = torch.randn(3, 8, generator=ctx.generator(), dtype=F64, requires_grad=True)
        out = checkpoint(module, functions, 4, x)
        after_forward = calls(functions)
        if isinstance(out, torch.Tensor) and out.requires_grad:
            out.sum().backward()
        return {"after_forward": after_forward, "after_backward": calls(functions), "input_has_grad": x.grad is not None}


def judge_counts(got, expected, jc):
    fwd, bwd = got.get("after_forward"), got.get("after_backward")
    want_fwd, want_bwd = expected["after_forward"], expected["after_backward"]
    if fwd != want_fwd:
        return (f"8 functions in 4 segments: during the forward pass every function should run exactly once; "
                f"the call counts were {fwd}")
    if bwd == want_bwd:
        return None
    shown = f"expected calls per function after backward {want_bwd}, got {bwd}"
    if isinstance(bwd, list) and bwd == fwd:
        if not got.get("input_has_grad"):
            return jc.fail(f"nothing was recomputed during backward, and the input got no gradient ({shown})",
                           "checkpointing.graph_cut")
        return jc.fail(f"nothing was recomputed during backward ({shown})", "checkpointing.no_savings")
    if isinstance(bwd, list) and len(bwd) == 8 and bwd[:6] == want_bwd[:6] and all(c == 2 for c in bwd[6:]):
        return jc.fail(f"the last chunk ran twice ({shown})", "checkpointing.last_chunk_recomputed")
    return (f"the first 3 chunks (6 functions) should each run once more during backward, the last chunk not "
            f"again ({shown})")


# -- 7 and 8. bytes saved for backward ------------------------------------------------------

class SavedBytes:
    """saved_tensors_hooks that add up the distinct storages autograd keeps for backward."""

    def __init__(self, exclude=()):
        self.exclude = {p.untyped_storage().data_ptr() for p in exclude}
        self.seen = {}

    def pack(self, t):
        storage = t.untyped_storage()
        ptr = storage.data_ptr()
        if ptr not in self.exclude:
            self.seen[ptr] = storage.nbytes()
        return t

    @staticmethod
    def unpack(t):
        return t

    def hooks(self):
        return torch.autograd.graph.saved_tensors_hooks(self.pack, self.unpack)

    @property
    def total(self):
        return int(sum(self.seen.values()))


BATCH, WIDTH, BLOCKS = 32, 512, 16
ACTIVATION = BATCH * WIDTH * 4  # one float32 activation: 64 KiB


def memory_net(ctx):
    seeded(ctx)
    return [Counted(torch.nn.Sequential(torch.nn.Linear(WIDTH, WIDTH), torch.nn.GELU()), f"block{i}")
            for i in range(BLOCKS)]


def measure(forward, functions, x):
    params = [p for f in functions for p in f.parameters()]
    meter = SavedBytes(exclude=params)
    with meter.hooks():
        out = forward(functions, x)
    return meter, out


def plain_forward(functions, x):
    for f in functions:
        x = f(x)
    return x


def measure_segments(module, ctx, segment_counts):
    with torch.random.fork_rng(devices=[]):
        functions = memory_net(ctx)
        x = torch.randn(BATCH, WIDTH, generator=ctx.generator())
        plain, _ = measure(plain_forward, functions, x)
        rows = {}
        for segments in segment_counts:
            for f in functions:
                f.calls = 0
            meter, out = measure(lambda fs, inp: checkpoint(module, fs, segments, inp), functions, x)
            if isinstance(out, torch.Tensor) and out.requires_grad:
                out.sum().backward()
            rows[str(segments)] = {"bytes": meter.total, "extra_calls": sum(calls(functions)) - BLOCKS}
        return {"plain": plain.total, "activation": ACTIVATION, "segments": rows}


def saved_bytes(module, ctx):
    return measure_segments(module, ctx, (4,))


def saved_bytes_sweep(module, ctx):
    return measure_segments(module, ctx, (1, 2, 4, 8, 16))


def kib(n):
    return f"{n / 1024:.0f} KiB"


def judge_bytes(got, expected, jc):
    plain = expected["plain"]
    lines = []
    failure = None
    for segments, want in expected["segments"].items():
        have = got["segments"].get(segments, {})
        saved, extra = have.get("bytes"), have.get("extra_calls")
        if not isinstance(saved, int):
            return f"segments={segments}: no measurement"
        lines.append(f"segments={segments}: {kib(saved)} (reference {kib(want['bytes'])}, plain {kib(plain)})")
        if failure is None and saved > want["bytes"] * 1.1 + ACTIVATION // 2:
            failure = (segments, saved, want["bytes"])
    if failure is None:
        return kit.Judgement("pass", "; ".join(lines))
    segments, saved, want = failure
    n = int(segments)
    message = (f"{BLOCKS} blocks (Linear 512→512 + GELU) on a {BATCH}×{WIDTH} float32 input, segments={n}: your "
               f"forward keeps {kib(saved)} for backward; chunk inputs plus one chunk's activations come to about "
               f"{kib(want)} (plain execution keeps {kib(plain)}; one activation is {kib(ACTIVATION)}). "
               + "; ".join(lines))
    diagnosis = "checkpointing.no_savings" if n > 1 and saved >= 0.9 * plain else None
    return jc.fail(message, diagnosis)
