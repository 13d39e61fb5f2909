"""Trusted reference: one autograd.Function per checkpointed chunk, parameters passed explicitly.

Passing the chunk's parameters to apply() makes the Function a node of the graph even when the
input does not require grad, and lets backward return their gradients like any other input's.
"""

import torch


def _run(chunk, x):
    for f in chunk:
        x = f(x)
    return x


def _params(chunk):
    return [p for f in chunk if isinstance(f, torch.nn.Module) for p in f.parameters() if p.requires_grad]


class _Checkpointed(torch.autograd.Function):
    @staticmethod
    def forward(ctx, chunk, x, *params):
        # Function.forward runs with grad disabled: nothing inside the chunk is saved for backward.
        ctx.chunk, ctx.params = chunk, params
        ctx.rng_state = torch.get_rng_state()
        ctx.save_for_backward(x)
        return _run(chunk, x)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        x = x.detach().requires_grad_(ctx.needs_input_grad[1])
        with torch.random.fork_rng(devices=[]):  # replay the forward's random draws, then put the state back
            torch.set_rng_state(ctx.rng_state)
            with torch.enable_grad():
                out = _run(ctx.chunk, x)
        wrt = ([x] if x.requires_grad else []) + list(ctx.params)
        grads = list(torch.autograd.grad(out, wrt, grad_out, allow_unused=True)) if wrt else []
        grad_x = grads.pop(0) if x.requires_grad else None
        return (None, grad_x, *grads)


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    size = len(functions) // segments
    x = input
    for k in range(segments - 1):
        chunk = functions[k * size:(k + 1) * size]
        x = _Checkpointed.apply(chunk, x, *_params(chunk))
    return _run(functions[(segments - 1) * size:], x)  # the last chunk runs normally
