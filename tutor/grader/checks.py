"""Check kinds as reusable blocks; an exercise's checks.py builds its CHECKS list from these.

Every check is a scenario with two halves:
- `run(module, ctx)` builds seeded inputs, calls the module and returns plain data. It runs
  once with the learner's module in a sandboxed child and once with the reference (and, when
  the learner fails, with each known wrong variant) in the trusted grader.
- `judge(got, expected, jc)` runs only in the grader, on plain data: it decides the verdict,
  writes the message and names the misconception.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from tutor.grader.compare import Mismatch, compare_arrays, compare_plain, describe_type, fmt_array, same_result

PASS, FAIL = "pass", "fail"


@dataclass
class Context:
    """What a scenario gets besides the module: a seed, a way to stream points, its role."""

    seed: int
    role: str = "learner"  # "learner", "reference" or "variant"
    emit_point: Callable[[str, int, float], None] | None = None

    def generator(self, offset: int = 0):
        import torch

        return torch.Generator().manual_seed(self.seed + offset)

    def emit(self, series: str, step: int, value: float) -> None:
        if self.emit_point is not None:
            self.emit_point(series, int(step), float(value))


@dataclass
class Judgement:
    verdict: str
    message: str = ""
    diagnosis: str | None = None
    details: dict = field(default_factory=dict)
    evidence: str = ""  # the message without the diagnosis's text: what this check saw


@dataclass
class JudgeContext:
    """What the judge knows besides the two results: the exercise's diagnoses and variants."""

    diagnoses: dict[str, str]
    variants: Callable[[], dict[str, Any]] = lambda: {}
    # Diagnoses already named on earlier checks of this grading: when several known mistakes
    # explain this check equally well, the one that explained the earlier ones wins.
    named: tuple[str, ...] = ()

    def text(self, diagnosis: str) -> str:
        return self.diagnoses.get(diagnosis, diagnosis)

    def fail(self, message: str, diagnosis: str | None = None, details: dict | None = None) -> Judgement:
        """A failing judgement; a diagnosis puts its human text first, then the evidence."""
        evidence = message
        if diagnosis:
            message = f"{self.text(diagnosis)} ({message})" if message else self.text(diagnosis)
        return Judgement(FAIL, message, diagnosis, details or {}, evidence)


Detector = Callable[[Any, Any], "str | None"]


def stable_seed(*parts: str) -> int:
    return zlib.crc32("/".join(parts).encode()) % (2**31 - 1)


class Check:
    """Base of all check kinds. Subclasses set `kind` and implement run and judge."""

    kind = "value"

    def __init__(self, name: str, *, seed: int | None = None, timeout_s: float | None = None,
                 detectors: tuple[Detector, ...] | list[Detector] = (), match_variants: bool = True,
                 timeout_message: str | None = None):
        self.name = name
        self.seed = stable_seed(name) if seed is None else seed
        self.timeout_s = timeout_s
        # Shown (before the limit itself) when this check times out, e.g. "correct but too slow: vectorise".
        self.timeout_message = timeout_message
        self.detectors = tuple(detectors)
        self.match_variants = match_variants

    def run(self, module, ctx: Context) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def judge(self, got: Any, expected: Any, jc: JudgeContext) -> Judgement:  # pragma: no cover - abstract
        raise NotImplementedError

    # The diagnosis step every kind shares: explicit detectors first, then known wrong variants.
    def diagnose(self, got: Any, expected: Any, jc: JudgeContext, key: str | None = None) -> str | None:
        for detect in self.detectors:
            found = detect(got, expected)
            if found:
                return found
        if not self.match_variants:
            return None
        pick = (lambda r: r.get(key) if isinstance(r, dict) else None) if key else (lambda r: r)
        matches = []
        for diagnosis, result in jc.variants().items():
            if result is None or same_result(pick(result), pick(expected)):
                continue  # this variant is right here, so it cannot explain a failure here
            if same_result(pick(got), pick(result)):
                matches.append(diagnosis)
        preferred = [d for d in matches if d in jc.named]
        return (preferred or matches or [None])[0]


def _clone(value):
    import torch

    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_clone(v) for v in value)
    return value


def call_function(module, function: str, args: list, kwargs: dict):
    fn = getattr(module, function, None)
    if fn is None:
        raise AttributeError(f"your file does not define `{function}`")
    return fn(*args, **kwargs)


class ValueCheck(Check):
    """Call one function on seeded inputs and compare the output with the reference's.

    `inputs(ctx)` returns a dict of positional arguments (in order); `keywords` names the ones
    passed by keyword. Also catches a function that changes its inputs in place.
    """

    kind = "value"

    def __init__(self, name: str, function: str, inputs: Callable[[Context], dict], *,
                 keywords: tuple[str, ...] = (), rtol: float | None = None, atol: float | None = None,
                 check_dtype: bool = True, mutation_diagnosis: str | None = None, show_input: bool = True,
                 transform: Callable[[Any], Any] | None = None, kind: str | None = None, **kw):
        super().__init__(name, **kw)
        self.function = function
        self.inputs = inputs
        self.keywords = keywords
        self.rtol, self.atol, self.check_dtype = rtol, atol, check_dtype
        self.mutation_diagnosis = mutation_diagnosis
        self.show_input = show_input
        self.transform = transform
        if kind:
            self.kind = kind

    def run(self, module, ctx: Context) -> dict:
        inputs = self.inputs(ctx)
        before = _clone(inputs)
        args = [v for k, v in inputs.items() if k not in self.keywords]
        kwargs = {k: v for k, v in inputs.items() if k in self.keywords}
        out = call_function(module, self.function, args, kwargs)
        if self.transform is not None:
            out = self.transform(out)
        return {"inputs": before, "out": out, "after": inputs}

    def describe_call(self, result: dict) -> str:
        inputs = result.get("inputs", {})
        parts = [f"{k}={fmt_array(v)}" if k in self.keywords else fmt_array(v) for k, v in inputs.items()]
        call = f"{self.function}({', '.join(parts)})"
        if any(isinstance(v, np.ndarray) and v.size > 16 for v in inputs.values()):
            call += f" [seeded random input: check seed {self.seed}]"
        return call

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        call = self.describe_call(expected) if self.show_input else f"{self.function}(...)"
        details = {"input": call}
        mismatch = compare_plain(got.get("out"), expected["out"], what="output", rtol=self.rtol, atol=self.atol,
                                 check_dtype=self.check_dtype)
        if mismatch is None:
            changed = compare_plain(got.get("after"), got.get("inputs"), what="input", rtol=0, atol=0)
            if changed is not None:
                msg = f"{call} changed its argument in place; {changed.message}"
                return jc.fail(msg, self.mutation_diagnosis, details)
            return Judgement(PASS)
        details.update(mismatch.details)
        details["expected"] = fmt_array(expected["out"])
        details["got"] = fmt_array(got.get("out"))
        diagnosis = self.diagnose(got, expected, jc, key="out")
        if diagnosis is None and self.mutation_diagnosis:
            if compare_plain(got.get("after"), got.get("inputs"), rtol=0, atol=0) is not None:
                diagnosis = self.mutation_diagnosis
        return jc.fail(f"{call}: {mismatch.message}", diagnosis, details)


def StabilityCheck(name: str, function: str, inputs: Callable[[Context], dict], **kw) -> ValueCheck:
    """A value check on extreme inputs: overflow or NaN shows up as non-finite output."""
    return ValueCheck(name, function, inputs, kind="stability", **kw)


class PropertyCheck(Check):
    """Properties of the learner's output alone (rows sum to one, values in a range...).

    Each property is (description, predicate(out, inputs) -> bool); the reference result is
    not needed for the verdict.
    """

    kind = "property"

    def __init__(self, name: str, function: str, inputs: Callable[[Context], dict],
                 properties: list[tuple[str, Callable[[Any, dict], bool]]], *, keywords: tuple[str, ...] = (),
                 diagnosis: str | None = None, **kw):
        super().__init__(name, **kw)
        self.value = ValueCheck(name, function, inputs, keywords=keywords)
        self.properties = properties
        self.property_diagnosis = diagnosis

    def run(self, module, ctx: Context) -> dict:
        return self.value.run(module, ctx)

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        out = got.get("out")
        if not isinstance(out, np.ndarray) and isinstance(expected.get("out"), np.ndarray):
            return jc.fail(f"expected a tensor, got {describe_type(out)}")
        for description, predicate in self.properties:
            try:
                holds = bool(predicate(out, got.get("inputs", {})))
            except Exception:  # the learner's output did not even have the right form
                holds = False
            if not holds:
                diagnosis = self.diagnose(got, expected, jc, key="out") or self.property_diagnosis
                call = self.value.describe_call(expected)
                return jc.fail(f"{call}: the output should satisfy: {description}; got {fmt_array(out)}", diagnosis,
                               {"input": call, "got": fmt_array(out)})
        return Judgement(PASS)


class GradientCheck(Check):
    """Gradients through the learner's function, in float64, against the reference's.

    The scenario weights the output by a fixed random tensor, backpropagates, and also runs
    torch.autograd.gradcheck (finite differences) on the learner's function.
    """

    kind = "gradient"

    def __init__(self, name: str, function: str, inputs: Callable[[Context], dict], wrt: tuple[str, ...], *,
                 not_differentiable: str | None = None, gradcheck: bool = True,
                 rtol: float | None = 1e-6, atol: float | None = 1e-8, **kw):
        super().__init__(name, **kw)
        self.function, self.inputs, self.wrt = function, inputs, wrt
        self.not_differentiable = not_differentiable
        self.gradcheck = gradcheck
        self.rtol, self.atol = rtol, atol

    def run(self, module, ctx: Context) -> dict:
        import torch

        inputs = self.inputs(ctx)
        for name in self.wrt:
            inputs[name] = inputs[name].detach().to(torch.float64).requires_grad_(True)
        fn = getattr(module, self.function, None)
        if fn is None:
            raise AttributeError(f"your file does not define `{self.function}`")
        out = fn(*inputs.values())
        if not isinstance(out, torch.Tensor) or not out.requires_grad:
            return {"differentiable": False, "grads": {}, "gradcheck": False}
        weight = torch.randn(out.shape, generator=ctx.generator(1), dtype=torch.float64)
        targets = [inputs[n] for n in self.wrt]
        grads = torch.autograd.grad((out.to(torch.float64) * weight).sum(), targets, allow_unused=True)
        grads = {n: (g if g is not None else torch.zeros_like(t)) for n, g, t in zip(self.wrt, grads, targets)}
        ok = True
        if self.gradcheck:
            def partial(*xs):
                args = dict(inputs)
                args.update(zip(self.wrt, xs))
                return fn(*args.values())

            ok = bool(torch.autograd.gradcheck(partial, tuple(t.detach().clone().requires_grad_(True) for t in targets),
                                               eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=False))
        return {"differentiable": True, "grads": grads, "gradcheck": ok}

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        if not got.get("differentiable"):
            return jc.fail("the output carries no gradient: autograd cannot backpropagate through it "
                           "(was it built with .detach(), .numpy(), .item() or a new torch.tensor?)",
                           self.not_differentiable)
        mismatch = compare_plain(got.get("grads"), expected["grads"], what="gradient", rtol=self.rtol, atol=self.atol)
        if mismatch:
            return jc.fail(mismatch.message, self.diagnose(got, expected, jc, key="grads"), mismatch.details)
        if expected.get("gradcheck") and not got.get("gradcheck"):
            return jc.fail("torch.autograd.gradcheck: the analytical gradient disagrees with finite differences")
        return Judgement(PASS)


class TrainingCheck(Check):
    """Train with the learner's piece; per-step losses stream out as they are produced.

    `train(module, ctx)` returns a dict with at least `final_key` (a float); it calls
    ctx.emit("loss", step, value) each step. Passes when the final value agrees with the
    reference's within rtol, and (optionally) beats `threshold` (`at_most` or `at_least`).
    """

    kind = "training"

    def __init__(self, name: str, train: Callable[[Any, Context], dict], *, final_key: str = "final_loss",
                 rtol: float = 1e-3, atol: float = 1e-6, at_most: float | None = None, at_least: float | None = None,
                 compare_keys: tuple[str, ...] = (), **kw):
        kw.setdefault("match_variants", True)
        super().__init__(name, **kw)
        self.train = train
        self.final_key, self.rtol, self.atol = final_key, rtol, atol
        self.at_most, self.at_least = at_most, at_least
        self.compare_keys = compare_keys

    def run(self, module, ctx: Context) -> dict:
        return self.train(module, ctx)

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        final, ref = got.get(self.final_key), expected[self.final_key]
        if not isinstance(final, (int, float)) or isinstance(final, bool):
            return jc.fail(f"{self.final_key}: expected a number, got {describe_type(final)}")
        details = {"learner": final, "reference": ref}
        for key in self.compare_keys:
            m = compare_plain(got.get(key), expected[key], what=key, rtol=self.rtol, atol=self.atol, check_dtype=False)
            if m:
                return jc.fail(m.message, self.diagnose(got, expected, jc, key=key), details)
        if not np.isfinite(final):
            return jc.fail(f"training diverged: {self.final_key} is {final}", self.diagnose(got, expected, jc, key=self.final_key), details)
        if abs(final - ref) > self.atol + self.rtol * abs(ref):
            return jc.fail(f"{self.final_key} {final:.6g} differs from the reference's {ref:.6g}",
                           self.diagnose(got, expected, jc, key=self.final_key), details)
        if self.at_most is not None and final > self.at_most:
            return jc.fail(f"{self.final_key} {final:.4g} should be at most {self.at_most:.4g}", None, details)
        if self.at_least is not None and final < self.at_least:
            return jc.fail(f"{self.final_key} {final:.4g} should be at least {self.at_least:.4g}", None, details)
        return Judgement(PASS, f"{self.final_key} {final:.4g} (reference {ref:.4g})", details=details)


class ScenarioCheck(Check):
    """A free-form scenario: the exercise supplies both halves.

    `judge(got, expected, jc)` may return a Judgement, a Mismatch, a message string (fail) or
    None (pass). Plain comparison of the whole result is the default judge.
    """

    def __init__(self, name: str, run: Callable[[Any, Context], Any],
                 judge: Callable[[Any, Any, JudgeContext], Any] | None = None, *, kind: str = "value",
                 rtol: float | None = None, atol: float | None = None, **kw):
        super().__init__(name, **kw)
        self._run, self._judge, self.kind = run, judge, kind
        self.rtol, self.atol = rtol, atol

    def run(self, module, ctx: Context) -> Any:
        return self._run(module, ctx)

    def judge(self, got: Any, expected: Any, jc: JudgeContext) -> Judgement:
        if self._judge is None:
            outcome = compare_plain(got, expected, rtol=self.rtol, atol=self.atol)
        else:
            outcome = self._judge(got, expected, jc)
        if outcome is None:
            return Judgement(PASS)
        if isinstance(outcome, Judgement):
            return outcome
        if isinstance(outcome, Mismatch):
            return jc.fail(outcome.message, self.diagnose(got, expected, jc), outcome.details)
        return jc.fail(str(outcome), self.diagnose(got, expected, jc))


__all__ = [
    "Check", "Context", "GradientCheck", "JudgeContext", "Judgement", "Mismatch", "PropertyCheck", "ScenarioCheck",
    "StabilityCheck", "TrainingCheck", "ValueCheck", "compare_arrays", "compare_plain", "fmt_array", "same_result",
    "stable_seed", "PASS", "FAIL",
]
