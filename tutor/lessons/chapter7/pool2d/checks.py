"""Checks for chapter7/pool2d, smallest first; the heavy one compares with the Numba kernel."""

import torch

from tutor.grader.checks import GradientCheck, ScenarioCheck, ValueCheck, compare_arrays

F = "pool2d"
KW = ("stride", "padding", "mode")
LESSON = [[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, -1.0, 6.0, 2.0], [3.0, 1.0, 2.0, 2.0]]


def lesson(mode):
    return lambda ctx: {"X": torch.tensor(LESSON).reshape(1, 1, 4, 4), "pool_size": 2, "mode": mode}


def randn(shape, pool_size, shift=0.0, dtype=torch.float32, **kw):
    def make(ctx):
        out = {"X": torch.randn(*shape, generator=ctx.generator(), dtype=dtype) + shift, "pool_size": pool_size}
        out.update(kw)
        return out
    return make


HEAVY = {"shape": (8, 16, 64, 64), "pool_size": 3, "stride": 2, "padding": 1}


def heavy_run(module, ctx):
    X = torch.randn(*HEAVY["shape"], generator=ctx.generator()) - 1.0
    args = (HEAVY["pool_size"], HEAVY["stride"], HEAVY["padding"])
    if ctx.role == "learner":
        fn = getattr(module, F, None)
        if fn is None:
            raise AttributeError(f"your file does not define `{F}`")
        return {"max": fn(X, *args, mode="max"), "avg": fn(X, *args, mode="avg")}
    from tutor import kernels  # grader side: the Numba reference kernels

    return {mode: kernels.pool2d(X.numpy(), *args, mode=mode) for mode in ("max", "avg")}


def heavy_judge(got, expected, jc):
    if not isinstance(got, dict):
        return "expected the outputs of both modes"
    for mode in ("max", "avg"):
        m = compare_arrays(got.get(mode), expected[mode], what=f"mode={mode!r} output", rtol=1e-5, atol=1e-5)
        if m:
            return m
    return None


CHECKS = [
    ValueCheck("the lesson's 4×4 example: 2×2 max pooling, default stride", F, lesson("max"), keywords=KW),
    ValueCheck("the lesson's 4×4 example: 2×2 average pooling, default stride", F, lesson("avg"), keywords=KW),
    ValueCheck("overlapping 3×3 max windows, stride=1", F, randn((2, 3, 6, 6), 3, stride=1, mode="max"), keywords=KW),
    ValueCheck("(2, 3) average windows, default stride, on 7×9 (sizes that do not divide)", F,
               randn((2, 3, 7, 9), (2, 3), mode="avg"), keywords=KW),
    ValueCheck("max pooling with padding=1 on negative inputs (padding must never win)", F,
               randn((1, 2, 5, 5), 3, shift=-4.0, stride=2, padding=1, mode="max"), keywords=KW),
    ValueCheck("average pooling with padding=1 (the padding zeros are counted)", F,
               randn((1, 2, 5, 6), 3, shift=2.0, stride=1, padding=1, mode="avg"), keywords=KW),
    ValueCheck("pool (3, 2), stride (2, 1), padding (1, 0), max", F,
               randn((2, 2, 7, 5), (3, 2), shift=-1.0, stride=(2, 1), padding=(1, 0), mode="max"), keywords=KW),
    ValueCheck("float64 in, float64 out (avg, default stride)", F, randn((1, 2, 6, 4), 2, dtype=torch.float64, mode="avg"),
               keywords=KW),
    GradientCheck("differentiable (float64, avg with padding)", F,
                  randn((1, 2, 5, 5), 3, dtype=torch.float64, stride=2, padding=1, mode="avg"), wrt=("X",)),
    ScenarioCheck("heavy: (8, 16, 64, 64), 3×3 windows, stride 2, padding 1, both modes, against the Numba kernels "
                  "(about a second)", heavy_run, heavy_judge, kind="heavy", match_variants=False),
]
