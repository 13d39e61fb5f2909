"""Checks for chapter7/conv2d: small fixed examples, random shapes, gradients, then the heavy case.

The heavy check's expected output comes from the Numba kernel in tutor.kernels (computed in
the grader), an implementation independent of the torch calls a learner may use.
"""

import torch

from tutor.grader.checks import GradientCheck, ScenarioCheck, ValueCheck, compare_arrays

F = "conv2d"
KW = ("stride", "padding")
HEAVY = {"X": (8, 16, 64, 64), "W": (32, 16, 3, 3), "padding": 1}
HEAVY_TIMEOUT_S = 15
SLOW = ("Vectorise it: loop only over the kh·kw kernel positions (or use Tensor.unfold) and let one tensor "
        "operation (einsum, tensordot or matmul) handle all images, channels and output positions at once; "
        "nested Python loops over pixels take minutes on large inputs")


def lesson(stride=1, padding=0, bias=True):
    def make(ctx):
        X = torch.arange(16.0).reshape(1, 1, 4, 4)
        W = torch.tensor([[[[1.0, 0.0], [-1.0, 2.0]]]])
        b = torch.tensor([0.5]) if bias else None
        return {"X": X, "W": W, "b": b, "stride": stride, "padding": padding}
    return make


def randn(x, w, bias=True, dtype=torch.float32, **kw):
    def make(ctx):
        g = ctx.generator()
        out = {"X": torch.randn(*x, generator=g, dtype=dtype), "W": torch.randn(*w, generator=g, dtype=dtype),
               "b": torch.randn(w[0], generator=g, dtype=dtype) if bias else None}
        out.update(kw)
        return out
    return make


def heavy_inputs(ctx):
    g = ctx.generator()
    X = torch.randn(*HEAVY["X"], generator=g)
    W = torch.randn(*HEAVY["W"], generator=g) / 12.0  # outputs of order 1
    b = torch.randn(HEAVY["W"][0], generator=g)
    return X, W, b


def heavy_run(module, ctx):
    X, W, b = heavy_inputs(ctx)
    if ctx.role == "learner":
        fn = getattr(module, F, None)
        if fn is None:
            raise AttributeError(f"your file does not define `{F}`")
        return {"out": fn(X, W, b, padding=HEAVY["padding"])}
    # Grader side: the Numba reference kernel, not torch.
    from tutor import kernels

    return {"out": kernels.conv2d(X.numpy(), W.numpy(), b.numpy(), stride=1, padding=HEAVY["padding"])}


def heavy_judge(got, expected, jc):
    return compare_arrays(got.get("out") if isinstance(got, dict) else got, expected["out"], what="output",
                          rtol=1e-4, atol=1e-4)


CHECKS = [
    ValueCheck("the lesson's 4×4 example, 2×2 kernel, no padding", F, lesson(), keywords=KW),
    ValueCheck("the lesson's example with padding=1, stride=2", F, lesson(stride=2, padding=1), keywords=KW),
    ValueCheck("2 images, 3 → 4 channels, 3×2 kernel, with bias", F, randn((2, 3, 7, 9), (4, 3, 3, 2))),
    ValueCheck("b=None (no bias)", F, randn((2, 2, 5, 6), (3, 2, 2, 2), bias=False)),
    ValueCheck("padding=1 keeps a 6×5 image at 6×5 with a 3×3 kernel", F, randn((1, 2, 6, 5), (2, 2, 3, 3), padding=1),
               keywords=KW),
    ValueCheck("padding=(2, 1), stride=(2, 3) on a 9×10 input (sizes that do not divide)", F,
               randn((2, 2, 9, 10), (3, 2, 3, 2), stride=(2, 3), padding=(2, 1)), keywords=KW),
    ValueCheck("stride=2 where (n + 2p − k) is odd: the last row and column are dropped", F,
               randn((1, 3, 8, 8), (2, 3, 3, 3), stride=2, padding=0), keywords=KW),
    ValueCheck("float64 in, float64 out", F, randn((1, 2, 5, 5), (2, 2, 3, 3), dtype=torch.float64, padding=1),
               keywords=KW),
    GradientCheck("differentiable in X, W and b (float64, stride 2, padding 1)", F,
                  randn((1, 2, 4, 5), (2, 2, 2, 2), dtype=torch.float64, stride=2, padding=1), wrt=("X", "W", "b"),
                  timeout_message=SLOW),
    ScenarioCheck(f"heavy: (8, 16, 64, 64) × (32, 16, 3, 3), padding 1, against the Numba kernel "
                  f"(well under a second when vectorised; limit {HEAVY_TIMEOUT_S} s)",
                  heavy_run, heavy_judge, kind="heavy", timeout_s=HEAVY_TIMEOUT_S, match_variants=False,
                  timeout_message=(
                      "Your conv2d gives the right answers on the small checks but did not finish the heavy "
                      "(8, 16, 64, 64) × (32, 16, 3, 3) case in time: it is correct-looking but too slow. " + SLOW)),
]
