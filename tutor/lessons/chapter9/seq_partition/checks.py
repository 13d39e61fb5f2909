"""Inputs, properties and detectors of chapter9/seq_partition.

Every random choice goes through the torch.Generator the check passes in, seeded the same way on
the learner's side and the grader's, so the minibatches are reproducible. Corpora of random token
ids catch a confusion of positions and tokens; a corpus 0, 1, 2, … (each token its own position)
lets a property read positions straight off the output.
"""

from collections import Counter

import numpy as np
import torch


def corpus_case(ctx, length, batch_size, num_steps, sequential=False, offset=None, tokens="random", seed=None):
    g = ctx.generator()
    if tokens == "arange":
        corpus = torch.arange(length)
    else:
        corpus = torch.randint(0, 28, (length,), generator=g)
    generator = torch.Generator().manual_seed(ctx.seed if seed is None else seed)
    return {"corpus": corpus, "batch_size": batch_size, "num_steps": num_steps, "sequential": sequential,
            "offset": offset, "generator": generator}


def describe(inputs):
    corpus = inputs.get("corpus")
    n = corpus.get("__tensor__", ["?"])[0] if isinstance(corpus, dict) else len(corpus)
    if isinstance(corpus, np.ndarray) and np.array_equal(corpus, np.arange(len(corpus))):
        shown = f"torch.arange({n})"
    else:
        shown = f"<{n} random token ids>"
    return (f"partition_corpus({shown}, batch_size={inputs.get('batch_size')}, num_steps={inputs.get('num_steps')}, "
            f"sequential={inputs.get('sequential')}, offset={inputs.get('offset')}, generator=<seeded torch.Generator>)")


# -- properties on a corpus 0, 1, 2, … (a token's value is its position) ------------------------------

def _pairs(out):
    return [(np.asarray(b[0]), np.asarray(b[1])) for b in out]


def shapes_ok(out, inputs):
    B, n = inputs["batch_size"], inputs["num_steps"]
    return isinstance(out, list) and len(out) > 0 and all(
        isinstance(b, list) and len(b) == 2 and np.shape(b[0]) == (B, n) and np.shape(b[1]) == (B, n) for b in out)


def targets_shifted(out, inputs):
    return all(np.array_equal(Y, X + 1) for X, Y in _pairs(out))


def contiguous_rows(out, inputs):
    return all((np.diff(X, axis=1) == 1).all() for X, _ in _pairs(out))


def starts_on_grid(out, inputs):
    n, offset = inputs["num_steps"], inputs["offset"]
    return all(((X[:, 0] - offset) % n == 0).all() and (X[:, 0] >= offset).all() for X, _ in _pairs(out))


def every_subsequence_once(out, inputs):
    starts = np.concatenate([X[:, 0] for X, _ in _pairs(out)])
    m = (len(inputs["corpus"]) - inputs["offset"] - 1) // inputs["num_steps"]
    return len(set(starts.tolist())) == len(starts) == (m // inputs["batch_size"]) * inputs["batch_size"]


# -- naming the mistake ----------------------------------------------------------------------------

def _rows(result):
    out = result.get("out") if isinstance(result, dict) else None
    if not isinstance(out, list) or not all(isinstance(b, list) and len(b) == 2 for b in out):
        return None
    try:
        return sorted((tuple(np.asarray(x).tolist()), tuple(np.asarray(y).tolist()))
                      for b in out for x, y in zip(np.asarray(b[0]), np.asarray(b[1])))
    except (TypeError, ValueError):
        return None


def _grid_pieces(inputs):
    """Every (input, target) piece random sampling may use: the m subsequences on the offset's grid."""
    corpus, offset, n = inputs.get("corpus"), inputs.get("offset"), inputs.get("num_steps")
    whole = (int, np.integer)
    if not isinstance(corpus, np.ndarray) or not isinstance(offset, whole) or not isinstance(n, whole) or n < 1:
        return None
    m = (len(corpus) - offset - 1) // n
    return Counter((tuple(corpus[s:s + n].tolist()), tuple(corpus[s + 1:s + 1 + n].tolist()))
                   for s in range(offset, offset + m * n, n))


def same_rows_other_order(got, expected):
    """The expected (input, target) rows, arranged into batches in another order: in sequential mode the
    rows do not continue from batch to batch; in random mode the pieces were dealt differently (and when
    m is not a multiple of batch_size, another permutation also leaves out other pieces)."""
    mine, want = _rows(got), _rows(expected)
    if mine is None or want is None or len(got["out"]) != len(expected["out"]):
        return None
    inputs = got.get("inputs") if isinstance(got.get("inputs"), dict) else {}
    if mine == want:
        return "seq.not_continued" if inputs.get("sequential") else "seq.order"
    if not inputs.get("sequential") and len(mine) == len(want):
        grid = _grid_pieces(inputs)
        if grid is not None and not Counter(mine) - grid:
            return "seq.order"
    return None


def overlapping_positions(got, expected):
    """On a corpus 0, 1, 2, …: two subsequences share a token (a start repeated, or closer than num_steps)."""
    inputs = got.get("inputs") if isinstance(got, dict) else None
    corpus = inputs.get("corpus") if isinstance(inputs, dict) else None
    if not isinstance(corpus, np.ndarray) or not np.array_equal(corpus, np.arange(len(corpus))):
        return None
    rows = _rows(got)
    if not rows:
        return None
    starts = sorted(r[0][0] for r in rows if r[0])
    if any(b - a < inputs.get("num_steps", 1) for a, b in zip(starts, starts[1:])):
        return "seq.overlapping"
    return None
