"""Scenarios of chapter2/jacobian. The oracle is torch.autograd.functional.jacobian; every scenario
also reports what the caller holds after the call (x's flags and .grad, the parameters x came
from), because a correct Jacobian computed through the caller's tensors is still wrong."""

from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit

FREED = "backward through the graph a second time"


def autograd_jacobian():
    """Stands in for the learner's module."""
    return SimpleNamespace(jacobian=lambda f, x: torch.autograd.functional.jacobian(f, x))


def run_jacobian(module, f, x):
    """J (or the error that names a freed graph), as a plain result."""
    try:
        J = kit.call(module, "jacobian", f, x)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        if FREED not in str(exc):
            raise
        return {"J": None, "error": "graph_freed"}
    if isinstance(J, torch.Tensor):
        J = J.detach().clone()
    return {"J": J, "error": None}


def lesson_f(x):
    return torch.stack([x[0] * x[1], 3 * x[0] + x[1] ** 2])


def lesson_example(module, ctx):
    return run_jacobian(module, lesson_f, torch.tensor([2.0, 1.0]))


def linear(module, ctx):
    g = ctx.generator()
    A = torch.randn(4, 3, generator=g, dtype=torch.float64)
    return run_jacobian(module, lambda x: A @ x, torch.randn(3, generator=g, dtype=torch.float64))


def elementwise(module, ctx):
    x = torch.randn(5, generator=ctx.generator())
    return run_jacobian(module, torch.tanh, x)


def shapes(module, ctx):
    g = ctx.generator()
    W = torch.randn(2, 6, generator=g)
    cases = {
        "wide: 6 inputs, 2 outputs": (lambda x: torch.sin(W @ x), torch.randn(6, generator=g)),
        "tall: 2 inputs, 5 outputs": (lambda x: torch.stack([x[0], x[1], x[0] * x[1], x[0] ** 3, torch.exp(x[1])]),
                                      torch.randn(2, generator=g)),
        "one output": (lambda x: (x ** 2).sum().reshape(1), torch.randn(4, generator=g)),
    }
    return {name: run_jacobian(module, f, x) for name, (f, x) in cases.items()}


def detached_inside(module, ctx):
    """f(x) = x · (x²).detach(): autograd treats x² as a constant, so J = diag(x²), not diag(3x²)."""
    x = torch.randn(4, generator=ctx.generator(), dtype=torch.float64)
    return run_jacobian(module, lambda v: v * (v * v).detach(), x)


def caller_state(x, params=()):
    return {"x_requires_grad": bool(x.requires_grad), "x_is_leaf": bool(x.is_leaf),
            "x_grad": None if not x.is_leaf or x.grad is None else x.grad.detach().clone(),
            "param_grads": [None if p.grad is None else p.grad.detach().clone() for p in params]}


def caller_untouched(module, ctx):
    g = ctx.generator()
    A = torch.randn(3, 3, generator=g)
    f = lambda v: torch.tanh(A @ v)  # noqa: E731
    out = {}
    # 1. plain data: no requires_grad
    x = torch.randn(3, generator=g)
    out["x without requires_grad"] = dict(run_jacobian(module, f, x), caller=caller_state(x))
    # 2. x computed from the caller's parameter w (a non-leaf of the caller's graph)
    w = torch.randn(3, generator=g).requires_grad_(True)
    x = 2 * w
    out["x = 2·w, w a parameter of the caller"] = dict(run_jacobian(module, f, x), caller=caller_state(x, [w]))
    # 3. a leaf that requires grad and still holds a gradient from earlier work
    x = torch.randn(3, generator=g).requires_grad_(True)
    x.grad = torch.full((3,), 100.0)
    out["x a leaf whose .grad holds 100s"] = dict(run_jacobian(module, f, x), caller=caller_state(x))
    return out


# -- judging ------------------------------------------------------------------------------------

def judge_jacobian(got, expected, jc):
    if "J" not in expected:  # a dict of named cases
        for case, want in expected.items():
            outcome = _judge_one(got[case], want, jc, f"{case}: ")
            if outcome is not None:
                return outcome
        return None
    return _judge_one(got, expected, jc)


def _judge_one(got, expected, jc, where=""):
    # The caller's state first: a backward pass into the caller's graph also frees that graph, so the
    # freed-graph error that may follow is a symptom, not the cause.
    caller, want_caller = got.get("caller"), expected.get("caller")
    if want_caller is not None:
        touched = _touched(caller, want_caller)
        if touched:
            return jc.fail(f"{where}{touched}", "jacobian.no_detach")
    if got["error"] == "graph_freed":
        return jc.fail(f"{where}backward raised 'Trying to backward through the graph a second time'",
                       "jacobian.graph_freed")
    J, want = got["J"], expected["J"]
    if not isinstance(J, np.ndarray):
        return f"{where}expected a tensor of shape {tuple(want.shape)}, got {kit.describe_type(J)}"
    m = kit.compare_plain(J, want, what=f"{where}J", rtol=1e-5, atol=1e-6)
    if m is None:
        return None
    found = _recognise(J, want)
    if found:
        return jc.fail(m.message, found, m.details)
    return m


def _touched(caller, want) -> str | None:
    if caller["x_requires_grad"] != want["x_requires_grad"]:
        return "after the call the caller's x requires grad, which it did not before: you marked their tensor"
    if (caller["x_grad"] is None) != (want["x_grad"] is None) or (
            caller["x_grad"] is not None and not np.array_equal(caller["x_grad"], want["x_grad"])):
        return f"the caller's x.grad changed: it was {kit.fmt_array(want['x_grad'])}, now {kit.fmt_array(caller['x_grad'])}"
    for k, (p, q) in enumerate(zip(caller["param_grads"], want["param_grads"])):
        if (p is None) != (q is None):
            return ("your backward passes reached the caller's own parameter w (x = 2·w): w.grad is no longer None")
    return None


def _recognise(J, want) -> str | None:
    """The classic mistakes, read off the numbers (robust to how the learner wrote them)."""
    close = lambda a, b: a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-6)  # noqa: E731
    if want.ndim != 2:
        return None
    if want.shape[0] > 1 and close(J, np.cumsum(want, axis=0)):
        return "jacobian.accumulates"
    if want.shape[0] > 1 and J.shape == want.shape and (np.allclose(J, 0) or close(J, np.broadcast_to(want[-1], want.shape))):
        return "jacobian.grad_alias"
    if want.shape[0] > 1 and close(J, np.broadcast_to(want.sum(axis=0), want.shape)):
        return "jacobian.sums_outputs"
    if close(J, want.T) and want.shape != (1, 1):
        return "jacobian.gradient_layout"
    return None
