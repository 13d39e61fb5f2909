# mistake: recomputes each chunk without restoring the random state, so dropout draws a different mask in backward
import torch
from torch import nn


class CheckpointChunk(torch.autograd.Function):
    @staticmethod
    def forward(ctx, run, x, *params):
        ctx.run = run
        ctx.params = params
        ctx.save_for_backward(x)
        with torch.no_grad():
            return run(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            x_leaf = x.detach().requires_grad_(True)
            out = ctx.run(x_leaf)
        grads = torch.autograd.grad(out, (x_leaf,) + tuple(ctx.params), grad_output, allow_unused=True)
        return (None,) + tuple(grads)


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    size = len(functions) // segments

    def make_run(chunk):
        def run(x):
            for f in chunk:
                x = f(x)
            return x
        return run

    x = input
    for j in range(segments - 1):
        chunk = functions[j * size:(j + 1) * size]
        params = [p for f in chunk if isinstance(f, nn.Module) for p in f.parameters()]
        x = CheckpointChunk.apply(make_run(chunk), x, *params)
    for f in functions[(segments - 1) * size:]:
        x = f(x)
    return x
