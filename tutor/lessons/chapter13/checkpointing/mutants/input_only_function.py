# diagnosis: checkpointing.no_grad_input
# A Function whose only tensor argument is the chunk input: when the input does not require grad
# the Function is left out of the graph and the chunk's parameters get no gradient.
import torch


class Chunk(torch.autograd.Function):
    @staticmethod
    def forward(ctx, functions, x):
        ctx.functions = functions
        ctx.rng = torch.get_rng_state()
        ctx.save_for_backward(x)
        for f in functions:
            x = f(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        x = x.detach().requires_grad_(True)
        with torch.random.fork_rng(devices=[]):
            torch.set_rng_state(ctx.rng)
            with torch.enable_grad():
                y = x
                for f in ctx.functions:
                    y = f(y)
        torch.autograd.backward(y, grad)
        return None, x.grad


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    size = len(functions) // segments
    for k in range(segments - 1):
        input = Chunk.apply(functions[k * size:(k + 1) * size], input)
    for f in functions[(segments - 1) * size:]:
        input = f(input)
    return input
