"""From an exercise's specs to check objects, the same way in the sandboxed child and the grader.

A declarative check needs no code; a scenario or training check names functions of the
exercise's checks.py (`run`, `judge`, `detectors`, custom properties and inputs), which is
imported as trusted lesson code on both sides.
"""

from __future__ import annotations

from types import ModuleType, SimpleNamespace
from typing import Any

from tutor.engine import schema
from tutor.grader import checks as kinds
from tutor.grader import judges
from tutor.grader.inputs import make_inputs
from tutor.grader.properties import predicate


class BuildError(ValueError):
    """A spec names something checks.py does not define."""


def default_function(spec: schema.ExerciseSpec) -> str:
    return spec.defaults.function or spec.functions[0]


def _named(functions: ModuleType | None, name: str, what: str):
    fn = getattr(functions, name, None) if functions is not None else None
    if not callable(fn):
        where = "checks.py" if functions is not None else "checks.py (the exercise has none)"
        raise BuildError(f"{what}: {where} defines no function {name!r}")
    return fn


def _with_args(run, args: dict):
    if not args:
        return run
    return lambda module, ctx: run(module, ctx, **args)


def build_checks(spec: schema.ExerciseSpec, functions: ModuleType | None = None) -> list[kinds.Check]:
    return [build_check(c, spec, functions) for c in spec.checks]


def build_check(c, spec: schema.ExerciseSpec, functions: ModuleType | None) -> kinds.Check:
    d = spec.defaults
    where = f"check {c.id!r}"
    common: dict[str, Any] = dict(
        seed=c.seed, timeout_s=c.timeout_s, timeout_message=c.timeout_message, match_variants=c.match_variants,
        detectors=[_named(functions, n, f"{where}: detector") for n in c.detectors], diagnosis=c.diagnosis,
        oracle=c.oracle or d.oracle,
    )
    if c.heavy:
        common["kind"] = "heavy"
    if isinstance(c, schema.CALL_KINDS):
        fn = c.function or default_function(spec)
        for name, value in c.inputs.items():
            if isinstance(value, schema.CallGen):
                _named(functions, value.function, f"{where}: input {name!r}")
        if c.inputs_from is not None:
            if c.inputs:
                raise BuildError(f"{where}: give either inputs or inputs_from, not both")
            make = _named(functions, c.inputs_from.function, f"{where}: inputs_from")
            args = dict(c.inputs_from.args)
            inputs = lambda ctx, make=make, args=args: make(ctx, **args)  # noqa: E731
        else:
            inputs = make_inputs(c.inputs, functions)
        call = (c.id, c.title, fn, inputs)
        kw = dict(common, keywords=tuple(c.keywords))
        if c.describe:
            kw["describe"] = _named(functions, c.describe, f"{where}: describe")
        if isinstance(c, schema.ValueSpec):  # stability included
            if not c.heavy:
                kw["kind"] = "stability" if isinstance(c, schema.StabilitySpec) else "value"
            return kinds.ValueCheck(*call, rtol=c.rtol if c.rtol is not None else d.rtol,
                                    atol=c.atol if c.atol is not None else d.atol, check_dtype=c.check_dtype,
                                    mutation_diagnosis=c.mutation_diagnosis or d.mutation_diagnosis,
                                    fresh=d.fresh if c.fresh is None else c.fresh, **kw)
        if isinstance(c, schema.ShapeSpec):
            return kinds.ShapeCheck(*call, **kw)
        if isinstance(c, schema.PropertySpec):
            props = [predicate(p, functions) for p in c.properties]
            return kinds.PropertyCheck(*call, props, **kw)
        if isinstance(c, schema.GradientSpec):
            missing = [w for w in c.wrt if w not in c.inputs] if c.inputs_from is None else []
            if missing:
                raise BuildError(f"{where}: wrt names {missing[0]!r}, which is not one of its inputs")
            return kinds.GradientCheck(*call, tuple(c.wrt), not_differentiable=c.not_differentiable,
                                       gradcheck=c.gradcheck, rtol=c.rtol, atol=c.atol, **kw)
        if isinstance(c, schema.NotMutatedSpec):
            return kinds.NotMutatedCheck(*call, mutation_diagnosis=d.mutation_diagnosis, **kw)
        if isinstance(c, schema.RaisesSpec):
            return kinds.RaisesCheck(*call, error=c.error, **kw)
    if isinstance(c, (schema.ScenarioSpec, schema.TrainingSpec)):
        run = _with_args(_named(functions, c.run, f"{where}: run"), c.args)
    if isinstance(c, schema.ScenarioSpec):
        if c.judge in judges.NAMED:
            tol = {k: v for k, v in (("rtol", c.rtol), ("atol", c.atol)) if v is not None}
            judge = judges.NAMED[c.judge](**tol)
        else:
            judge = _named(functions, c.judge, f"{where}: judge")
        if not c.heavy:
            common["kind"] = c.label or "value"
        return kinds.ScenarioCheck(c.id, c.title, run, judge, rtol=c.rtol, atol=c.atol, **common)
    if isinstance(c, schema.TrainingSpec):
        return kinds.TrainingCheck(c.id, c.title, run, final_key=c.final_key, rtol=c.rtol, atol=c.atol,
                                   at_most=c.at_most, at_least=c.at_least, compare_keys=tuple(c.compare_keys),
                                   curves=c.curves, **common)
    raise BuildError(f"{where}: unknown kind {type(c).__name__}")


# -- oracles (grader side only) ---------------------------------------------------------------------

def kernel_oracle(function: str, kernel: str) -> SimpleNamespace:
    """Stands in for the learner's module: `function` computed by a Numba kernel of tutor.kernels,
    taking and returning tensors like the learner's function does."""
    from tutor import kernels

    fn = getattr(kernels, kernel, None)
    if fn is None or kernel not in kernels.__all__:
        raise BuildError(f"oracle kernel:{kernel}: tutor.kernels has no such kernel")

    def call(*args, **kwargs):
        import numpy as np
        import torch

        def to_numpy(v):
            return v.detach().cpu().numpy() if isinstance(v, torch.Tensor) else v

        first = next((a for a in args if isinstance(a, torch.Tensor)), None)
        out = fn(*[to_numpy(a) for a in args], **{k: to_numpy(v) for k, v in kwargs.items()})
        if isinstance(out, np.ndarray):
            out = torch.from_numpy(np.ascontiguousarray(out))
            if first is not None and first.is_floating_point():
                out = out.to(first.dtype)
        return out

    return SimpleNamespace(**{function: call})


def oracle_for(check: kinds.Check, spec: schema.ExerciseSpec, reference: ModuleType,
               functions: ModuleType | None) -> Any:
    name = check.oracle or spec.defaults.oracle
    if name == "reference":
        return reference
    if name.startswith("kernel:"):
        fn = getattr(check, "function", None) or default_function(spec)
        return kernel_oracle(fn, name.removeprefix("kernel:"))
    if name.startswith("checks:"):
        return _named(functions, name.removeprefix("checks:"), f"oracle {name}")()
    raise BuildError(f"oracle {name!r}: expected reference, kernel:NAME or checks:NAME")
