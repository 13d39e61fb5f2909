# mistake: frees memory by detaching each early chunk's output (a fresh leaf for the next chunk) and never recomputes, so gradients stop at the last chunk
import torch


def run_chunk(chunk, x):
    for f in chunk:
        x = f(x)
    return x


def checkpoint_sequential(functions, segments, input):
    functions = list(functions)
    size = len(functions) // segments
    x = input
    for s in range(segments - 1):
        out = run_chunk(functions[s * size:(s + 1) * size], x)
        # drop the chunk's graph: only its output is kept
        x = out.detach().requires_grad_(input.requires_grad)
    return run_chunk(functions[(segments - 1) * size:], x)
