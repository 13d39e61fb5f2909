"""Scenarios of chapter3/minibatches. Every example carries its own index in its first feature, so a
scenario can say which examples each batch holds; the judge then checks properties (coverage,
sizes, pairs, shuffling, the generator's role) and never one particular order, since any
uniform permutation drawn from the generator is right."""

import math
import random

import numpy as np
import torch

from tutor.grader import kit


def make_data(ctx, n, example_shape=(3,), dtype=torch.float32, offset=0):
    """X (n, *example_shape) with X[i].flatten()[0] = i, and labels y (n,) all different."""
    g = ctx.generator(offset)
    X = torch.randn(n, *example_shape, generator=g, dtype=dtype)
    X.view(n, -1)[:, 0] = torch.arange(n, dtype=dtype)
    y = torch.randn(n, generator=g, dtype=dtype) + 10 * torch.arange(n, dtype=dtype)
    return X, y


def epoch(module, X, y, batch_size, generator):
    """The indices of each batch, and whether every batch's rows and labels are X's and y's."""
    n = X.shape[0]
    batches, rows_ok, pairs_ok, form = [], True, True, ""
    for item in kit.call(module, "data_iter", X, y, batch_size, generator):
        if not (isinstance(item, (tuple, list)) and len(item) == 2 and all(isinstance(t, torch.Tensor) for t in item)):
            form = form or f"each step should give a pair (X_batch, y_batch) of tensors; got {type(item).__name__}"
            continue
        xb, yb = item
        if xb.shape[1:] != X.shape[1:] or xb.dtype != X.dtype or yb.shape != (xb.shape[0],):
            form = form or (f"a batch has X_batch of shape {tuple(xb.shape)} ({xb.dtype}) and y_batch of shape "
                            f"{tuple(yb.shape)}; expected (k, {', '.join(map(str, X.shape[1:]))}) in {X.dtype} and (k,)")
            continue
        idx = xb.reshape(xb.shape[0], -1)[:, 0].round().long() if xb.numel() else torch.zeros(0, dtype=torch.long)
        if idx.numel() and (idx.min() < 0 or idx.max() >= n):
            rows_ok = False
            continue
        rows_ok = rows_ok and torch.equal(xb, X[idx])
        pairs_ok = pairs_ok and torch.equal(yb, y[idx])
        batches.append(idx.tolist())
    return {"batches": batches, "rows_ok": bool(rows_ok), "pairs_ok": bool(pairs_ok), "form": form}


def one_epoch(module, ctx, n, batch_size, **data):
    X, y = make_data(ctx, n, **data)
    return {"n": n, "batch_size": batch_size, "epochs": [epoch(module, X, y, batch_size, ctx.generator(1))]}


def lesson_example(module, ctx):
    return one_epoch(module, ctx, 10, 4)


def divisible(module, ctx):
    return one_epoch(module, ctx, 12, 4)


def one_batch(module, ctx):
    return one_epoch(module, ctx, 5, 8)


def size_one(module, ctx):
    return one_epoch(module, ctx, 6, 1)


def images(module, ctx):
    return one_epoch(module, ctx, 20, 6, example_shape=(1, 3, 3), dtype=torch.float64)


def shuffled(module, ctx):
    return one_epoch(module, ctx, 100, 10)


def epochs_differ(module, ctx):
    X, y = make_data(ctx, 50)
    g = ctx.generator(1)
    first, second = epoch(module, X, y, 8, g), epoch(module, X, y, 8, g)
    return {"n": 50, "batch_size": 8, "epochs": [first, second],
            "differ": first["batches"] != second["batches"]}


def seeded(module, ctx):
    """Two generators seeded alike, under different global random states: the same batches."""
    X, y = make_data(ctx, 40)
    runs = []
    py_state = random.getstate()
    np_state = np.random.get_state()
    try:
        with torch.random.fork_rng(devices=[]):
            for global_seed in (1, 2):
                torch.manual_seed(global_seed)
                random.seed(global_seed)
                np.random.seed(global_seed)
                runs.append(epoch(module, X, y, 7, torch.Generator().manual_seed(ctx.seed)))
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
    return {"n": 40, "batch_size": 7, "epochs": runs, "same": runs[0]["batches"] == runs[1]["batches"]}


# -- judging ------------------------------------------------------------------------------------

def expected_sizes(n, b):
    return [b] * (n // b) + ([n % b] if n % b else [])


def judge_batches(got, expected, jc):
    n, b = expected["n"], expected["batch_size"]
    for k, ep in enumerate(got["epochs"]):
        where = f"data_iter(X, y, batch_size={b}, ...) for n = {n} examples"
        if len(got["epochs"]) > 1:
            where += f", call {k + 1}"
        outcome = _judge_epoch(ep, n, b, where, jc)
        if outcome is not None:
            return outcome
    if got.get("differ") is False:
        return jc.fail(f"two calls of data_iter with the same generator gave the same batches, in the same order "
                       f"({_show(got['epochs'][0]['batches'])})", "minibatch.same_order_every_epoch")
    if got.get("same") is False:
        return jc.fail(f"two generators seeded with the same number gave different batches (first "
                       f"{_show(got['epochs'][0]['batches'])}, then {_show(got['epochs'][1]['batches'])}): the order "
                       f"depends on a global random state", "minibatch.ignores_generator")
    return None


def _show(batches, limit=4):
    shown = ", ".join(str(b) for b in batches[:limit])
    return f"{shown}{', …' if len(batches) > limit else ''}"


def _count(items, one, many):
    return f"{len(items)} example {one}" if len(items) == 1 else f"{len(items)} examples {many}"


def _judge_epoch(ep, n, b, where, jc):
    if ep["form"]:
        return f"{where}: {ep['form']}"
    if not ep["rows_ok"]:
        return f"{where}: the rows of some X_batch are not rows of X"
    batches = ep["batches"]
    sizes = [len(x) for x in batches]
    want = expected_sizes(n, b)
    flat = [i for x in batches for i in x]
    if not ep["pairs_ok"]:
        return jc.fail(f"{where}: some y_batch holds labels of other examples than its X_batch", "minibatch.pairs_broken")
    if sizes != want:
        shown = f"{where}: batch sizes {sizes}, expected {want}"
        if sizes == want[:-1] and n % b:
            return jc.fail(shown, "minibatch.drops_last")
        if sizes == want + [0]:
            return jc.fail(shown, "minibatch.empty_batch")
        if len(sizes) == len(want) and sizes[:-1] == want[:-1] and sizes[-1] > want[-1]:
            return jc.fail(f"{shown}; the last batch repeats examples {_show(batches[-1:])}", "minibatch.pads_last")
        return shown
    if sorted(flat) != list(range(n)):
        counts = np.bincount(np.asarray(flat, dtype=np.int64), minlength=n)
        missing = [i for i in range(n) if counts[i] == 0]
        twice = [i for i in range(n) if counts[i] > 1]
        return jc.fail(f"{where}: {_count(twice, 'comes', 'come')} more than once (e.g. {twice[:5]}) and "
                       f"{_count(missing, 'comes', 'come')} never (e.g. {missing[:5]})", "minibatch.with_replacement")
    if n >= 20:
        if flat == list(range(n)):
            return jc.fail(f"{where}: the batches hold the examples in their original order: {_show(batches)}",
                           "minibatch.not_shuffled")
        if all(x == list(range(x[0], x[0] + len(x))) for x in batches if x):
            return jc.fail(f"{where}: every batch is a block of consecutive examples ({_show(batches)}); only the "
                           f"order of the blocks is random", "minibatch.blocks_only")
    return None
