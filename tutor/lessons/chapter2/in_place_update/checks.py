"""Scenarios of chapter2/in_place_update: each hands the learner a list of parameters, keeps its own
references to them (and to the memory they are views of), records every parameter's address,
calls sgd_update_ and reports what the caller now sees. One judge reads every scenario."""

import numpy as np
import torch

from tutor.grader import kit

LEAF_ERROR = "leaf Variable that requires grad"


def run_update(module, params, grads, lr, memory=None):
    """Call sgd_update_(params, grads, lr) the way a training loop would, and describe the outcome
    as the caller sees it; `memory` is a tensor the parameters are views of."""
    mine = list(params)  # the caller's own references, apart from the list it hands over
    given = list(params)
    before = [p.detach().clone() for p in mine]
    grads_before = [g.clone() for g in grads]
    addresses = [p.data_ptr() for p in mine]
    error = None
    try:
        kit.call(module, "sgd_update_", given, grads, lr)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        if LEAF_ERROR not in str(exc):
            raise
        error = "leaf"
    return {
        "before": before,
        "values": [p.detach().clone() for p in mine],
        "same_memory": [p.data_ptr() == a for p, a in zip(mine, addresses)],
        "contiguous": [p.is_contiguous() for p in mine],
        "grads_changed": [not torch.equal(g, g0) for g, g0 in zip(grads, grads_before)],
        "list_kept": len(given) == len(mine) and all(a is b for a, b in zip(given, mine)),
        "memory": None if memory is None else [t.detach().clone() for t in memory],
        "requires_grad": [bool(p.requires_grad and p.is_leaf) for p in mine],
        "error": error,
    }


def lesson_example(module, ctx):
    params = [torch.tensor([1.0, 2.0, 3.0]), torch.tensor([[1.0, -1.0], [0.0, 2.0]])]
    grads = [torch.tensor([0.5, -1.0, 2.0]), torch.tensor([[1.0, 1.0], [-2.0, 0.0]])]
    return run_update(module, params, grads, 0.1)


def flat_buffer(module, ctx):
    """A model whose weights all live in one buffer; the last parameter is a 0-d bias."""
    g = ctx.generator()
    buffer = torch.randn(27, generator=g)
    params = [buffer[:6].view(2, 3), buffer[6:10], buffer[10:26].view(4, 4), buffer[26]]
    grads = [torch.randn(p.shape, generator=g) for p in params]
    return run_update(module, params, grads, 0.05, memory=[buffer])


def non_contiguous(module, ctx):
    """A transposed weight, a strided slice of another matrix and a plain vector, in float64."""
    g = ctx.generator()
    W = torch.randn(3, 4, generator=g, dtype=torch.float64)
    V = torch.randn(4, 6, generator=g, dtype=torch.float64)
    params = [W.T, V[:, ::2][1], torch.randn(5, generator=g, dtype=torch.float64)]
    grads = [torch.randn(p.shape, generator=g, dtype=torch.float64) for p in params]
    return run_update(module, params, grads, 0.3, memory=[W, V])


def requires_grad(module, ctx):
    """Leaf parameters that require grad, as a model's are."""
    g = ctx.generator()
    params = [torch.randn(4, 3, generator=g).requires_grad_(True), torch.randn(3, generator=g).requires_grad_(True)]
    grads = [torch.randn(p.shape, generator=g) for p in params]
    return run_update(module, params, grads, 0.1)


def many_steps(module, ctx):
    """100 steps on one weight matrix, the gradient recomputed each time (W − target): the same
    memory throughout, the values walking towards the target."""
    g = ctx.generator()
    W = torch.randn(8, 8, generator=g)
    target = torch.randn(8, 8, generator=g)
    address = W.data_ptr()
    kept = True
    for _ in range(100):
        grad = W - target
        kit.call(module, "sgd_update_", [W], [grad], 0.05)
        kept = kept and W.data_ptr() == address
    return {"W": W.clone(), "same_memory": kept}


# -- judging ------------------------------------------------------------------------------------

def _where(i, got):
    shape = tuple(got["before"][i].shape)
    return f"params[{i}] (shape {shape}{', not contiguous' if not got['contiguous'][i] else ''})"


def judge_update(got, expected, jc):
    if got["error"] == "leaf":
        return jc.fail("sgd_update_ raised 'a leaf Variable that requires grad is being used in an in-place "
                       "operation'", "inplace.leaf_needs_no_grad")
    if not got["list_kept"]:
        return jc.fail("after the call the list holds other tensors than the ones the caller passed in; the "
                       "caller's own tensors did not change", "inplace.replaced_in_list")
    changed = [i for i, c in enumerate(got["grads_changed"]) if c]
    if changed:
        return jc.fail(f"grads[{changed[0]}] changed during the call", "inplace.changed_grads")
    n = len(expected["values"])
    same = [np.array_equal(got["values"][i], got["before"][i]) for i in range(n)]
    right = [kit.compare_plain(got["values"][i], expected["values"][i], what="") is None for i in range(n)]
    if all(same):
        return jc.fail("every parameter the caller holds still has its old values", "inplace.rebinds")
    if any(same) and all(r or (s and not c) for r, s, c in zip(right, same, got["contiguous"])):
        i = same.index(True)
        return jc.fail(f"{_where(i, got)} kept its old values while the contiguous ones were updated",
                       "inplace.wrote_into_copy")
    for i in range(n):
        if right[i] and not got["same_memory"][i]:
            return jc.fail(f"{_where(i, got)} has the new values but a new memory address (data_ptr changed)",
                           "inplace.new_memory")
    for i in range(n):
        m = kit.compare_plain(got["values"][i], expected["values"][i], what=f"{_where(i, got)} after the update")
        if m:
            return m
    for k, want in enumerate(expected["memory"] or []):
        m = kit.compare_plain(got["memory"][k], want, what="the memory the parameters are views of")
        if m:
            return kit.Mismatch(m.message + ": a view of that memory missed the update", m.details)
    lost = [i for i, (g, e) in enumerate(zip(got["requires_grad"], expected["requires_grad"])) if e and not g]
    if lost:
        return jc.fail(f"{_where(lost[0], got)} no longer requires grad after the update", "inplace.turned_off_grad")
    return None


def judge_steps(got, expected, jc):
    if not got["same_memory"]:
        return jc.fail("W's memory address changed during the 100 calls", "inplace.new_memory")
    return kit.compare_plain(got["W"], expected["W"], what="W after 100 steps", rtol=1e-5, atol=1e-6)
