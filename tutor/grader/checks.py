"""Check kinds: what an exercise's `[[checks]]` become at grading time.

Every check is a scenario with two halves:
- `run(module, ctx)` builds seeded inputs, calls the module and returns plain data. It runs
  once with the learner's module in a sandboxed child and once with the oracle (the reference,
  a kernel, or a stand-in from checks.py) in the trusted grader; when the learner fails, also
  with each known wrong variant.
- `judge(got, expected, jc)` runs only in the grader, on plain data: it decides the verdict,
  writes the message and names the misconception.
Checks are built from their specs (tutor.grader.build); nothing here reads a file.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tutor.grader.compare import Mismatch, compare_plain, describe_type, fmt_array, same_result
from tutor.grader.context import FAIL, PASS, Context, JudgeContext, Judgement, stable_seed
from tutor.grader.diagnose import generic_diagnosis, nearest_variant

Detector = Callable[[Any, Any], "str | None"]


class NotDefined(AttributeError):
    """The learner's file lacks a function or class the task asks for."""


def call_function(module, function: str, args: list, kwargs: dict):
    """The one place harness code calls the function under test (the guard knows this frame)."""
    fn = getattr(module, function, None)
    if fn is None:
        raise NotDefined(f"your file does not define `{function}`")
    return fn(*args, **kwargs)


def member(module, name: str, what: str = "") -> Any:
    """A function or class the scenario needs from the module, or a clear error."""
    value = getattr(module, name, None)
    if value is None:
        raise NotDefined(f"your file does not define {what or ''}`{name}`".replace("  ", " "))
    return value


class Check:
    """Base of all check kinds."""

    kind = "value"

    def __init__(self, check_id: str, name: str, *, seed: int | None = None, timeout_s: float | None = None,
                 detectors: tuple[Detector, ...] | list[Detector] = (), match_variants: bool = True,
                 timeout_message: str | None = None, diagnosis: str | None = None, oracle: str | None = None,
                 kind: str | None = None):
        self.id = check_id
        self.name = name
        self.seed = stable_seed(check_id) if seed is None else seed
        self.timeout_s = timeout_s
        # Shown (before the limit itself) when this check times out, e.g. "correct but too slow: vectorise".
        self.timeout_message = timeout_message
        self.detectors = tuple(detectors)
        self.match_variants = match_variants
        self.fallback_diagnosis = diagnosis
        self.oracle = oracle
        if kind:
            self.kind = kind

    def run(self, module, ctx: Context) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def judge(self, got: Any, expected: Any, jc: JudgeContext) -> Judgement:  # pragma: no cover - abstract
        raise NotImplementedError

    def diagnose(self, got: Any, expected: Any, jc: JudgeContext, key: str | None = None,
                 inputs: dict | None = None) -> tuple[str | None, str]:
        """(diagnosis, what shows it): detectors, then the known wrong variants (matched exactly,
        then by nearness), then what the comparison itself says, then the check's own fallback."""
        for detect in self.detectors:
            found = detect(got, expected)
            if found:
                return found, ""
        pick = (lambda r: r.get(key) if isinstance(r, dict) else None) if key else (lambda r: r)
        if self.match_variants:
            variants = {d: r for d, r in jc.variants().items()
                        if r is not None and not same_result(pick(r), pick(expected))}
            matches = [d for d, r in variants.items() if same_result(pick(got), pick(r))]
            preferred = [d for d in matches if d in jc.named]
            if preferred or matches:
                return (preferred or matches)[0], ""
            near = nearest_variant(pick(got), pick(expected), {d: pick(r) for d, r in variants.items()})
            if near:
                return near, ""
        generic = generic_diagnosis(pick(got), pick(expected), inputs)
        if generic:
            return generic
        return self.fallback_diagnosis, ""

    def fail(self, jc: JudgeContext, message: str, got: Any, expected: Any, *, key: str | None = None,
             inputs: dict | None = None, details: dict | None = None) -> Judgement:
        diagnosis, shows = self.diagnose(got, expected, jc, key, inputs)
        if shows:
            message = f"{message}; {shows}"
        return jc.fail(message, diagnosis, details)


def clone(value):
    import torch

    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clone(v) for v in value)
    return value


def _tensors(value):
    import torch

    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _tensors(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _tensors(v)


# Inputs larger than this travel back to the grader as their shape only: the messages need no more.
SHOWN_ELEMENTS = 4096


def shown(value):
    """Inputs as the grader sees them in messages: small tensors in full, large ones by shape."""
    import torch

    if isinstance(value, torch.Tensor):
        if value.numel() <= SHOWN_ELEMENTS:
            return value
        return {"__tensor__": list(value.shape), "dtype": str(value.dtype).removeprefix("torch.")}
    if isinstance(value, dict):
        return {k: shown(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(shown(v) for v in value)
    return value


def mutation(before, after) -> str | None:
    """How the inputs changed during the call (checked where the tensors are), or None."""
    from tutor.engine.codec import to_plain

    changed = compare_plain(to_plain(after), to_plain(before), what="input", rtol=0, atol=0)
    return changed.message if changed else None


def _shares_memory(a, b) -> bool:
    try:
        return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr() and a.numel() > 0
    except (RuntimeError, AttributeError):
        return False


class CallCheck(Check):
    """Checks that call one function on seeded inputs: `inputs(ctx)` gives the arguments in order;
    `keywords` names the ones passed by keyword."""

    def __init__(self, check_id: str, name: str, function: str, inputs: Callable[[Context], dict], *,
                 keywords: tuple[str, ...] = (), show_input: bool = True,
                 describe: Callable[[dict], str] | None = None, **kw):
        super().__init__(check_id, name, **kw)
        self.function, self.inputs, self.keywords, self.show_input = function, inputs, tuple(keywords), show_input
        self.describe = describe

    def call(self, module, inputs: dict):
        args = [v for k, v in inputs.items() if k not in self.keywords]
        kwargs = {k: v for k, v in inputs.items() if k in self.keywords}
        return call_function(module, self.function, args, kwargs)

    def run(self, module, ctx: Context) -> dict:
        inputs = self.inputs(ctx)
        before = clone(inputs)
        out = self.call(module, inputs)
        return {"inputs": shown(before), "out": out, "mutated": mutation(before, inputs)}

    def describe_call(self, result: dict) -> str:
        inputs = result.get("inputs", {}) if isinstance(result, dict) else {}
        if self.describe is not None:
            try:
                return str(self.describe(inputs))
            except Exception:  # noqa: BLE001 - a message must never break the grading
                return f"{self.function}(...)"
        parts = [f"{k}={fmt_array(v)}" if k in self.keywords else fmt_array(v) for k, v in inputs.items()]
        call = f"{self.function}({', '.join(parts)})"
        if any((isinstance(v, np.ndarray) and v.size > 16) or (isinstance(v, dict) and "__tensor__" in v)
               for v in inputs.values()):
            call += f" [seeded random input: check seed {self.seed}]"
        return call

    def call_text(self, expected: dict) -> str:
        return self.describe_call(expected) if self.show_input else f"{self.function}(...)"

    @staticmethod
    def mutated(got: dict) -> str | None:
        """What the call changed in its inputs, in words, or None."""
        changed = got.get("mutated") if isinstance(got, dict) else None
        return changed if isinstance(changed, str) and changed else None


class ValueCheck(CallCheck):
    """The output must equal the oracle's: type, shape, dtype and values within tolerance.
    Also catches a function that changes its inputs and, with `fresh`, one that returns its
    input (or a view of it) or the same object on every call."""

    kind = "value"

    def __init__(self, check_id, name, function, inputs, *, rtol=None, atol=None, check_dtype=True,
                 mutation_diagnosis=None, fresh=False, **kw):
        super().__init__(check_id, name, function, inputs, **kw)
        self.rtol, self.atol, self.check_dtype = rtol, atol, check_dtype
        self.mutation_diagnosis = mutation_diagnosis or "generic.input_mutated"
        self.fresh = fresh

    def run(self, module, ctx: Context) -> dict:
        if not self.fresh:
            return super().run(module, ctx)
        import torch

        inputs = self.inputs(ctx)
        before = clone(inputs)
        out = self.call(module, inputs)
        aliased = any(out is t or (isinstance(out, torch.Tensor) and _shares_memory(out, t)) for t in _tensors(inputs))
        again = self.call(module, clone(before))
        reused = isinstance(out, torch.Tensor) and (again is out or _shares_memory(again, out))
        return {"inputs": shown(before), "out": out, "mutated": mutation(before, inputs),
                "fresh": {"aliases_input": bool(aliased), "same_object": bool(reused)}}

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        call = self.call_text(expected)
        details = {"input": call}
        mismatch = compare_plain(got.get("out"), expected["out"], what="output", rtol=self.rtol, atol=self.atol,
                                 check_dtype=self.check_dtype)
        changed = self.mutated(got)
        if mismatch is None:
            if changed is not None:
                return jc.fail(f"{call} changed its argument in place; {changed}", self.mutation_diagnosis,
                               details)
            fresh = got.get("fresh") or {}
            if fresh.get("aliases_input") or fresh.get("same_object"):
                what = "the input tensor itself (or a view of it)" if fresh.get("aliases_input") else \
                    "the same tensor object on two calls"
                return jc.fail(f"{call} returned {what}", "generic.same_object", details)
            return Judgement(PASS)
        details.update(mismatch.details)
        details["expected"] = fmt_array(expected["out"])
        details["got"] = fmt_array(got.get("out"))
        if changed is not None and self.mutation_diagnosis:
            diagnosis, shows = self.diagnose(got, expected, jc, key="out", inputs=expected.get("inputs"))
            if diagnosis is None or diagnosis.startswith("generic."):
                return jc.fail(f"{call}: {mismatch.message}; it also changed its argument in place",
                               self.mutation_diagnosis, details)
        return self.fail(jc, f"{call}: {mismatch.message}", got, expected, key="out",
                         inputs=expected.get("inputs"), details=details)


class ShapeCheck(CallCheck):
    """Only the type, shape and dtype of the output must equal the oracle's."""

    kind = "shape"

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        want, out = expected["out"], got.get("out")
        call = self.call_text(expected)
        if isinstance(want, np.ndarray):
            if not isinstance(out, np.ndarray):
                return jc.fail(f"{call}: expected a tensor of shape {tuple(want.shape)}, got {describe_type(out)}")
            if out.shape != want.shape or out.dtype != want.dtype:
                return self.fail(jc, f"{call}: expected shape {tuple(want.shape)} and dtype {want.dtype.name}, got "
                                     f"shape {tuple(out.shape)} and dtype {out.dtype.name}", got, expected,
                                 key="out", inputs=expected.get("inputs"))
            return Judgement(PASS)
        if type(out) is not type(want) or (isinstance(want, (list, tuple)) and len(out) != len(want)):
            return jc.fail(f"{call}: expected {describe_type(want)}, got {describe_type(out)}")
        return Judgement(PASS)


class NotMutatedCheck(CallCheck):
    """The function must leave every input exactly as it was."""

    kind = "property"

    def __init__(self, *args, mutation_diagnosis=None, **kw):
        super().__init__(*args, **kw)
        self.mutation_diagnosis = mutation_diagnosis or "generic.input_mutated"

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        changed = self.mutated(got)
        if changed is None:
            return Judgement(PASS)
        return jc.fail(f"{self.call_text(expected)} changed its argument in place; {changed}",
                       self.mutation_diagnosis)


class PropertyCheck(CallCheck):
    """Properties of the learner's output alone (rows sum to one, values in a range...).
    Each property is (description, predicate(out, inputs) -> bool)."""

    kind = "property"

    def __init__(self, check_id, name, function, inputs, properties: list[tuple[str, Callable]], **kw):
        super().__init__(check_id, name, function, inputs, **kw)
        self.properties = properties

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        out = got.get("out")
        if not isinstance(out, np.ndarray) and isinstance(expected.get("out"), np.ndarray):
            return jc.fail(f"{self.call_text(expected)}: expected a tensor, got {describe_type(out)}")
        for description, predicate in self.properties:
            try:
                holds = bool(predicate(out, got.get("inputs", {})))
            except Exception:  # noqa: BLE001 - the learner's output did not even have the right form
                holds = False
            if not holds:
                call = self.call_text(expected)
                return self.fail(jc, f"{call}: the output should satisfy: {description}; got {fmt_array(out)}",
                                 got, expected, key="out", inputs=expected.get("inputs"),
                                 details={"input": call, "got": fmt_array(out)})
        return Judgement(PASS)


class RaisesCheck(CallCheck):
    """The function must raise `error` (by class name, or a subclass of it)."""

    kind = "property"

    def __init__(self, *args, error: str, **kw):
        super().__init__(*args, **kw)
        self.error = error

    def run(self, module, ctx: Context) -> dict:
        inputs = self.inputs(ctx)
        given = shown(clone(inputs))
        try:
            out = self.call(module, inputs)
        except NotDefined:
            raise
        except NotImplementedError:
            if self.error != "NotImplementedError":
                raise  # the starter: not started, not a wrong exception
            return {"inputs": given, "raised": ["NotImplementedError"], "message": ""}
        except Exception as exc:  # noqa: BLE001 - which exception is the answer
            return {"inputs": given, "raised": [c.__name__ for c in type(exc).__mro__], "message": str(exc)[:300]}
        return {"inputs": given, "raised": None, "returned": out}

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        call = self.call_text(expected)
        raised = got.get("raised")
        if isinstance(raised, list) and self.error in raised:
            return Judgement(PASS)
        if raised:
            return jc.fail(f"{call} should raise {self.error}; it raised {raised[0]}: {got.get('message', '')}",
                           self.fallback_diagnosis)
        return jc.fail(f"{call} should raise {self.error}; it returned {fmt_array(got.get('returned'))}",
                       self.fallback_diagnosis)


class GradientCheck(CallCheck):
    """Gradients through the learner's function, in float64, against the oracle's; and
    torch.autograd.gradcheck (finite differences) on the learner's function."""

    kind = "gradient"

    def __init__(self, check_id, name, function, inputs, wrt: tuple[str, ...], *, not_differentiable=None,
                 gradcheck=True, rtol=1e-6, atol=1e-8, **kw):
        super().__init__(check_id, name, function, inputs, **kw)
        self.wrt = tuple(wrt)
        self.not_differentiable = not_differentiable or "generic.not_differentiable"
        self.gradcheck = gradcheck
        self.rtol, self.atol = rtol, atol

    def run(self, module, ctx: Context) -> dict:
        import torch

        inputs = self.inputs(ctx)
        for name in self.wrt:
            inputs[name] = inputs[name].detach().to(torch.float64).requires_grad_(True)
        out = self.call(module, inputs)
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
                return self.call(module, args)

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
            return self.fail(jc, mismatch.message, got, expected, key="grads", details=mismatch.details)
        if expected.get("gradcheck") and not got.get("gradcheck"):
            return jc.fail("torch.autograd.gradcheck: the analytical gradient disagrees with finite differences",
                           self.fallback_diagnosis)
        return Judgement(PASS)


class ScenarioCheck(Check):
    """A free-form scenario: `run(module, ctx)` from checks.py, and a judge that returns a
    Judgement, a Mismatch, a message string (fail) or None (pass)."""

    def __init__(self, check_id: str, name: str, run: Callable[[Any, Context], Any],
                 judge: Callable[[Any, Any, JudgeContext], Any] | None = None, *, kind: str = "value",
                 rtol: float | None = None, atol: float | None = None, **kw):
        super().__init__(check_id, name, kind=kind, **kw)
        self._run, self._judge = run, judge
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
            if outcome.verdict == FAIL and outcome.diagnosis is None:
                diagnosis, _ = self.diagnose(got, expected, jc)
                if diagnosis:
                    return jc.fail(outcome.evidence or outcome.message, diagnosis, outcome.details)
            return outcome
        if isinstance(outcome, Mismatch):
            return self.fail(jc, outcome.message, got, expected, details=outcome.details)
        return self.fail(jc, str(outcome), got, expected)


class TrainingCheck(Check):
    """Train with the learner's piece; per-step losses stream out as they are produced.

    `train(module, ctx)` returns a dict with at least `final_key` (a float) and calls
    ctx.emit("loss", step, value) each step. Passes when the final value agrees with the
    oracle's within rtol (and every `compare_keys` entry does), and beats the optional
    thresholds. With `curves`, the whole curve under that key is compared step by step.
    """

    kind = "training"

    def __init__(self, check_id: str, name: str, train: Callable[[Any, Context], dict], *,
                 final_key: str = "final_loss", rtol: float = 1e-3, atol: float = 1e-6,
                 at_most: float | None = None, at_least: float | None = None, compare_keys: tuple[str, ...] = (),
                 curves: str | None = None, **kw):
        super().__init__(check_id, name, **kw)
        self.train = train
        self.final_key, self.rtol, self.atol = final_key, rtol, atol
        self.at_most, self.at_least = at_most, at_least
        self.compare_keys = tuple(compare_keys)
        self.curves = curves

    def run(self, module, ctx: Context) -> dict:
        return self.train(module, ctx)

    def judge(self, got: dict, expected: dict, jc: JudgeContext) -> Judgement:
        final, ref = got.get(self.final_key), expected[self.final_key]
        if not isinstance(final, (int, float)) or isinstance(final, bool):
            return jc.fail(f"{self.final_key}: expected a number, got {describe_type(final)}")
        details = {"learner": final, "reference": ref}
        if self.curves:
            parted = _curves_part(got.get(self.curves), expected[self.curves], self.rtol, self.atol)
            if parted:
                return self.fail(jc, parted, got, expected, key=self.curves, details=details)
        for key in self.compare_keys:
            m = compare_plain(got.get(key), expected[key], what=key, rtol=self.rtol, atol=self.atol, check_dtype=False)
            if m:
                return self.fail(jc, m.message, got, expected, key=key, details=details)
        if not np.isfinite(final):
            return self.fail(jc, f"training diverged: {self.final_key} is {final}", got, expected,
                             key=self.final_key, details=details)
        if abs(final - ref) > self.atol + self.rtol * abs(ref):
            return self.fail(jc, f"{self.final_key} {final:.6g} differs from the reference's {ref:.6g}", got, expected,
                             key=self.final_key, details=details)
        if self.at_most is not None and final > self.at_most:
            return jc.fail(f"{self.final_key} {final:.4g} should be at most {self.at_most:.4g}", None, details)
        if self.at_least is not None and final < self.at_least:
            return jc.fail(f"{self.final_key} {final:.4g} should be at least {self.at_least:.4g}", None, details)
        return Judgement(PASS, f"{self.final_key} {final:.4g} (reference {ref:.4g})", details=details)


def _curves_part(mine, want, rtol, atol) -> str | None:
    """Where two loss curves part, in words; None when they agree."""
    if not isinstance(mine, list) or len(mine) != len(want):
        n = len(mine) if isinstance(mine, list) else None
        return f"expected a loss curve of {len(want)} steps, got {describe_type(mine) if n is None else f'{n} steps'}"
    for step, (m, w) in enumerate(zip(mine, want), start=1):
        if not isinstance(m, (int, float)) or not abs(m - w) <= atol + rtol * abs(w):
            shown = f"{m:.6g}" if isinstance(m, (int, float)) else repr(m)
            final = mine[-1] if isinstance(mine[-1], (int, float)) else float("nan")
            return (f"the loss curves part at step {step}: the reference's loss is {w:.6g}, yours {shown} "
                    f"(rtol {rtol:g}); final loss {final:.6g} against {want[-1]:.6g}")
    return None


__all__ = [
    "Check", "CallCheck", "Context", "GradientCheck", "JudgeContext", "Judgement", "Mismatch", "NotDefined",
    "NotMutatedCheck", "PropertyCheck", "RaisesCheck", "ScenarioCheck", "ShapeCheck", "TrainingCheck", "ValueCheck",
    "call_function", "clone", "compare_plain", "fmt_array", "member", "same_result", "stable_seed", "PASS", "FAIL",
]
