# diagnosis: checkpointing.graph_cut
# Runs the early chunks under no_grad and never recomputes them: memory drops, but the gradient
# stops at the last chunk's input.
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
