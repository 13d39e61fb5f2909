# mistake: passes only the chunk input to the autograd Function (reentrant style), so with an input that needs no grad the chunk's parameters get no gradient
import torch


class Checkpoint(torch.autograd.Function):
    @staticmethod
    def forward(ctx, run_fn, x):
        ctx.run_fn = run_fn
        ctx.rng_state = torch.get_rng_state()
        ctx.save_for_backward(x)
        return run_fn(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        with torch.random.fork_rng(devices=[]):
            torch.set_rng_state(ctx.rng_state)
            with torch.enable_grad():
                x = x.detach().requires_grad_(True)
                out = ctx.run_fn(x)
        torch.autograd.backward(out, grad_output)   # parameters collect their .grad here
        return None, x.grad


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    size = len(functions) // segments

    def segment(start, end):
        def run(x):
            for f in functions[start:end]:
                x = f(x)
            return x
        return run

    x = input
    for j in range(segments - 1):
        x = Checkpoint.apply(segment(j * size, (j + 1) * size), x)
    return segment((segments - 1) * size, len(functions))(x)
