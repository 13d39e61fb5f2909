"""The authoring kit: everything an exercise's checks.py may use, in one import.

    from tutor.grader import kit

A checks.py holds only what a declarative `[[checks]]` entry cannot say: scenario and training
functions (`run(module, ctx)` returning plain data), judges (`judge(got, expected, jc)`
returning None, a message, a Mismatch or a Judgement), detectors, custom inputs and
properties, and oracles (`checks:NAME`). It runs on both sides: in the learner's sandboxed
child with the learner's module, and in the grader with the oracle. A scenario should not
care which: the oracle stands in for the learner's module (see `oracle` in exercise.toml).
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterable

from tutor.grader.checks import NotDefined, call_function, clone, member
from tutor.grader.compare import Mismatch, compare_arrays, compare_plain, describe_type, fmt_array, same_result
from tutor.grader.context import Context, JudgeContext, Judgement, stable_seed
from tutor.grader.diagnose import flatten_numbers, generic_diagnosis, nearest_variant
from tutor.grader.judges import equal, first_divergence, trajectory
from tutor.grader.modules import fill_layer, layers_in_call_order
from tutor.grader.optimizers import (bowl_steps, bumpy_bowl, closure_judge, closure_steps, late_parameter_steps,
                                     param_groups_steps, train_small_mlp)

__all__ = [
    "Context", "JudgeContext", "Judgement", "Mismatch", "NotDefined", "call", "call_function", "clear_grads", "clone",
    "bowl_steps", "bumpy_bowl", "closure_judge", "closure_steps",
    "compare_arrays", "compare_plain", "describe_type", "equal", "fill_layer", "first_divergence", "flat",
    "flatten_numbers", "fmt_array", "function", "generic_diagnosis", "layers_in_call_order", "member",
    "late_parameter_steps", "nearest_variant", "param_groups_steps", "run_steps", "same_result", "seeded", "stable_seed",
    "train_small_mlp", "trajectory",
]


def function(module, name: str) -> Callable:
    """The module's function `name`, called the way the grader calls the learner's code (the ban
    guard then knows a banned API reached from it is the learner's); a clear error if missing."""
    member(module, name)

    def call(*args, **kwargs):
        return call_function(module, name, list(args), kwargs)

    return call


def call(module, name: str, *args, **kwargs):
    """`function(module, name)(*args, **kwargs)` in one go."""
    return call_function(module, name, list(args), kwargs)


@contextlib.contextmanager
def seeded(seed: int):
    """Seed torch's global generator for the block (e.g. a model's initial weights) and leave the
    caller's random stream as it was."""
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def flat(params: Iterable) -> Any:
    """Every parameter's values, as one float64 vector."""
    import torch

    return torch.cat([p.detach().reshape(-1).to(torch.float64) for p in params])


def clear_grads(params: Iterable) -> None:
    for p in params:
        p.grad = None


def run_steps(opt, params: list, loss_fn: Callable[[int], Any], steps: int, every: int = 1) -> dict:
    """The plain optimisation loop: clear the gradients, loss_fn(t).backward(), opt.step(); the
    parameters are recorded before the first step and every `every` steps. Returns the
    {"steps", "trajectory"} the `trajectory` judge reads."""
    import torch

    rows, recorded = [flat(params)], [0]
    for t in range(1, steps + 1):
        clear_grads(params)
        loss_fn(t).backward()
        opt.step()
        if t % every == 0 or t == steps:
            rows.append(flat(params))
            recorded.append(t)
    return {"steps": recorded, "trajectory": torch.stack(rows)}
