"""Checks of chapter2/broadcasting that need code: a table of seeded shape pairs, the points for
the self-distance check, and a detector for NaN distances."""

import random

import numpy as np
import torch

from tutor.grader import kit


def random_pair(rng: random.Random) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that mostly broadcast: sizes drawn from a common pool, some set to 1, some
    axes dropped from the front, and now and then one size changed so that they clash."""
    n = rng.randint(0, 5)
    full = [rng.choice([0, 2, 3, 4, 5, 7]) for _ in range(n)]
    a = [1 if rng.random() < 0.35 else s for s in full]
    b = [1 if rng.random() < 0.35 else s for s in full]
    a = a[rng.randint(0, len(a)):] if rng.random() < 0.4 else a
    b = b[rng.randint(0, len(b)):] if rng.random() < 0.4 else b
    if b and rng.random() < 0.2:
        i = rng.randrange(len(b))
        b[i] = rng.choice([6, 8, 9])
    return tuple(a), tuple(b)


def shown(out) -> str:
    """The learner's answer as text: a tuple (or list) of Python ints as a tuple, anything else by repr."""
    if isinstance(out, (tuple, list)) and all(type(v) is int for v in out):
        return repr(tuple(out))
    return repr(out)


def shape_table(module, ctx):
    rng = random.Random(ctx.seed)
    shape = kit.function(module, "broadcast_shape")
    rows = []
    for _ in range(300):
        a, b = random_pair(rng)
        try:
            out = shown(shape(a, b))
        except NotImplementedError:
            raise
        except ValueError:
            out = "ValueError"
        except Exception as exc:  # noqa: BLE001 - another exception is a wrong answer, shown as such
            out = f"{type(exc).__name__} raised"
        rows.append({"a": list(a), "b": list(b), "out": out})
    return rows


def judge_shape_table(got, expected, jc):
    if len(got) != len(expected):
        return "expected one result per pair of shapes"
    for g, e in zip(got, expected):
        out, want = g.get("out"), e["out"]
        if out == want:
            continue
        call = f"broadcast_shape({tuple(e['a'])}, {tuple(e['b'])})"
        if want == "ValueError":
            return f"{call} should raise ValueError (the shapes do not broadcast); got {out}"
        return f"{call}: expected {want}, got {out}"  # the check names the nearest known mistake
    return None


def detect_table(got, expected):
    """Every compatible pair right, but some incompatible pair answered with a shape."""
    if not isinstance(got, list) or len(got) != len(expected):
        return None
    wrong = [(g.get("out"), e["out"]) for g, e in zip(got, expected) if g.get("out") != e["out"]]
    if wrong and all(want == "ValueError" and str(out).startswith("(") for out, want in wrong):
        return "broadcasting.incompatible_accepted"
    return None


def same_points(ctx):
    P = torch.randn(6, 4, generator=ctx.generator())
    return {"X": P, "Y": P.clone()}


def detect_nan_distances(got, expected):
    out = got.get("out") if isinstance(got, dict) else None
    want = expected.get("out")
    if isinstance(out, np.ndarray) and isinstance(want, np.ndarray) and out.shape == want.shape:
        if np.isnan(out).any() and np.isfinite(want).all():
            return "broadcasting.negative_under_sqrt"
    return None
