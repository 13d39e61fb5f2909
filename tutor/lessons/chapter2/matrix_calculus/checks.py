"""chapter2/matrix_calculus: the expected gradients come from autograd (the oracle), and one
scenario chains the learner's ∇ₓ(Ax) with ∇ᵤ‖u‖² the way the denominator layout multiplies."""

from types import SimpleNamespace

import torch
from torch.autograd.functional import jacobian

from tutor.grader import kit


def autograd_gradients():
    """Stands in for the learner's module: every gradient as autograd computes it."""
    return SimpleNamespace(
        grad_Ax=lambda A, x: jacobian(lambda v: A @ v, x).T.contiguous(),
        grad_quadratic=lambda A, x: jacobian(lambda v: v @ A @ v, x),
        grad_least_squares=lambda X, w, y: jacobian(lambda v: ((X @ v - y) ** 2).sum(), w),
    )


def chain_rule(module, ctx):
    g = ctx.generator()
    A = torch.randn(3, 5, generator=g, dtype=torch.float64)
    x = torch.randn(5, generator=g, dtype=torch.float64)
    G = kit.call(module, "grad_Ax", A, x)
    if not isinstance(G, torch.Tensor) or tuple(G.shape) != (5, 3):
        shape = list(G.shape) if isinstance(G, torch.Tensor) else None
        return {"gradient": None, "shape": shape}
    return {"gradient": G @ (2 * (A @ x)), "shape": [5, 3]}


def judge_chain_rule(got, expected, jc):
    if got["shape"] != expected["shape"]:
        if got["shape"] == [3, 5]:
            return jc.fail("grad_Ax(A, x) for A of shape (3, 5) returned shape (3, 5): it cannot multiply "
                           "∇ᵤ‖u‖² = 2Ax (shape (3,)) from the right", "matrix_calculus.jacobian_layout")
        return f"grad_Ax(A, x) for A of shape (3, 5) should return shape (5, 3), got {got['shape']}"
    return kit.compare_plain(got["gradient"], expected["gradient"], what="∇ₓ(Ax) · 2Ax")
