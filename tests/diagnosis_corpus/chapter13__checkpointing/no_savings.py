# mistake: splits the functions into chunks but runs every chunk normally, so autograd stores every activation and nothing is saved
import torch


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    size = len(functions) // segments
    chunks = [functions[j * size:(j + 1) * size] for j in range(segments - 1)]
    chunks.append(functions[(segments - 1) * size:])
    x = input
    for chunk in chunks:
        for f in chunk:
            x = f(x)
    return x
