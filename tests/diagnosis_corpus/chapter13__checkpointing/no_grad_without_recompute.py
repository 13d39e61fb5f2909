# mistake: runs the early chunks under torch.no_grad() and never recomputes them, so backward stops at the last chunk
import torch


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    size = len(functions) // segments
    x = input
    with torch.no_grad():
        for f in functions[:(segments - 1) * size]:
            x = f(x)
    for f in functions[(segments - 1) * size:]:
        x = f(x)
    return x
