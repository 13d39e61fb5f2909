"""Correct: one Function per chunk whose backward recomputes the chunk and calls
torch.autograd.backward on it, so the parameters' .grad fill up directly (the "reentrant" style).
A dummy tensor that requires grad keeps the Function in the graph when the input does not."""

import torch


class Chunk(torch.autograd.Function):
    @staticmethod
    def forward(ctx, run, dummy, x):
        ctx.run = run
        ctx.cpu_state = torch.get_rng_state()
        ctx.save_for_backward(x)
        with torch.no_grad():
            return run(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        leaf = x.detach()
        leaf.requires_grad = ctx.needs_input_grad[2]
        current = torch.get_rng_state()
        torch.set_rng_state(ctx.cpu_state)
        try:
            with torch.enable_grad():
                y = ctx.run(leaf)
        finally:
            torch.set_rng_state(current)
        if y.requires_grad:
            torch.autograd.backward(y, grad_output)
        return None, None, (leaf.grad if ctx.needs_input_grad[2] else None)


def make_run(functions):
    def run(x):
        for f in functions:
            x = f(x)
        return x
    return run


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    per_chunk = len(functions) // segments
    dummy = torch.empty(0, requires_grad=True)
    out = input
    for start in range(0, per_chunk * (segments - 1), per_chunk):
        out = Chunk.apply(make_run(functions[start:start + per_chunk]), dummy, out)
    return make_run(functions[per_chunk * (segments - 1):])(out)
