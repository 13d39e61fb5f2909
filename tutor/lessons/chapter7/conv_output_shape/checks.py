"""Checks for chapter7/conv_output_shape: the lesson's example, one rule at a time, then a table."""

import random

from tutor.grader.checks import PropertyCheck, ScenarioCheck, ValueCheck

F = "conv_output_shape"
KW = ("stride", "padding")


def args(input_size, kernel_size, stride=1, padding=0):
    return lambda ctx: {"input_size": input_size, "kernel_size": kernel_size, "stride": stride, "padding": padding}


def is_int_pair(out, inputs):
    return isinstance(out, list) and len(out) == 2 and all(type(v) is int for v in out)


def table(module, ctx):
    """200 seeded cases: (arguments, result) for each; a ValueError is recorded, not raised."""
    rng = random.Random(ctx.seed)
    rows = []
    fn = getattr(module, F, None)
    if fn is None:
        raise AttributeError(f"your file does not define `{F}`")
    for _ in range(200):
        n = (rng.randint(1, 40), rng.randint(1, 40))
        k = (rng.randint(1, 7), rng.randint(1, 7))
        s = (rng.randint(1, 4), rng.randint(1, 4))
        p = (rng.randint(0, 3), rng.randint(0, 3))
        if k[0] > n[0] + 2 * p[0] or k[1] > n[1] + 2 * p[1]:
            continue
        out = fn(n, k, stride=s, padding=p)
        rows.append({"input_size": list(n), "kernel_size": list(k), "stride": list(s), "padding": list(p),
                     "out": list(out) if isinstance(out, (tuple, list)) else out})
    return rows


def judge_table(got, expected, jc):
    if not isinstance(got, list) or len(got) != len(expected):
        return "expected one result per case"
    for g, e in zip(got, expected):
        out = g.get("out") if isinstance(g, dict) else None
        if not (isinstance(out, list) and out == e["out"] and all(type(v) is int for v in out)):
            call = f"{F}({tuple(e['input_size'])}, {tuple(e['kernel_size'])}, stride={tuple(e['stride'])}, " \
                   f"padding={tuple(e['padding'])})"
            return f"{call}: expected {tuple(e['out'])}, got {out!r}"  # the check names the diagnosis
    return None


def too_large(module, ctx):
    try:
        getattr(module, F)((3, 5), (4, 2), stride=1, padding=0)
    except ValueError:
        return {"raised": "ValueError"}
    return {"raised": None}


CHECKS = [
    ValueCheck("the lesson's example: 8×8 input, 3×3 kernel, stride 2, padding 1 → (4, 4)", F, args(8, 3, 2, 1),
               keywords=KW),
    ValueCheck("no padding, stride 1: (h − k + 1, w − k + 1)", F, args((6, 9), (2, 4)), keywords=KW),
    ValueCheck("padding (2, 1) keeps a 7×7 input at 7×7 with a 5×3 kernel", F, args((7, 7), (5, 3), 1, (2, 1)),
               keywords=KW),
    ValueCheck("stride (3, 2) where the sizes do not divide: round down", F, args((10, 11), 3, (3, 2), 0), keywords=KW),
    ValueCheck("kernel exactly as large as the padded input → (1, 1)", F, args(4, 6, 1, 1), keywords=KW),
    PropertyCheck("returns a pair of Python ints", F, args(9, 2, 2, 0), [("a tuple of two ints", is_int_pair)],
                  keywords=KW, diagnosis="conv_output_shape.not_int"),
    ScenarioCheck("a table of seeded random sizes, kernels, strides and paddings", table, judge_table),
    ScenarioCheck("raises ValueError when a 4×2 kernel does not fit into a 3×5 input", too_large),
]
