# mistake: restores the saved random state for the recomputation without fork_rng, which rewinds the caller's random stream
import torch
from torch import nn


def _params(chunk):
    return [p for f in chunk if isinstance(f, nn.Module) for p in f.parameters() if p.requires_grad]


def _run(chunk, x):
    for f in chunk:
        x = f(x)
    return x


class _Chunk(torch.autograd.Function):
    @staticmethod
    def forward(ctx, chunk, x, *params):
        ctx.chunk = chunk
        ctx.rng = torch.get_rng_state()
        ctx.save_for_backward(x)
        return _run(chunk, x)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        params = _params(ctx.chunk)
        torch.set_rng_state(ctx.rng)
        with torch.enable_grad():
            leaf = x.detach().requires_grad_(True)
            out = _run(ctx.chunk, leaf)
        grads = torch.autograd.grad(out, [leaf] + params, grad_out, allow_unused=True)
        return (None, grads[0] if ctx.needs_input_grad[1] else None, *grads[1:])


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    size = len(functions) // segments
    x = input
    for j in range(segments - 1):
        chunk = functions[j * size:(j + 1) * size]
        x = _Chunk.apply(chunk, x, *_params(chunk))
    for f in functions[(segments - 1) * size:]:
        x = f(x)
    return x
