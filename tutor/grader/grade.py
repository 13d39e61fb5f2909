"""Grading one exercise end to end: learner child | trusted reference -> judge -> result."""

from __future__ import annotations

import base64
import hashlib
import time
import traceback

import msgspec
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from tutor.engine.catalog import BUILTIN_PACK, Exercise
from tutor.engine.errors import CatalogError
from tutor.engine.runner import CheckRun, Limits, WorkerPool, run_job
from tutor.grader.checks import CallCheck
from tutor.grader.compare import structure_mismatch
from tutor.grader.context import JudgeContext
from tutor.grader.reference import ReferenceRunner, load_checks
from tutor.grader.results import CheckResult, ExerciseResult, Verdict

# (event kind, payload): check_started, point, check_finished, exercise_finished
EventSink = Callable[[str, dict], None]

STATUS_VERDICT = {
    "not_started": Verdict.NOT_STARTED,
    "forbidden": Verdict.FORBIDDEN,
    "error": Verdict.ERROR,
    "timeout": Verdict.TIMEOUT,
    "memory": Verdict.MEMORY,
    "crash": Verdict.CRASH,
}


def digest(data) -> str:
    """A short fingerprint of plain data; "" for what cannot be encoded."""
    from tutor.engine.codec import dumps

    try:
        return hashlib.sha256(dumps(data).encode()).hexdigest()[:16]
    except (ValueError, TypeError, RecursionError):
        return ""


MAX_SOURCE_BYTES = 4 << 20


def learner_job(ex: Exercise, learner_file: Path, display: str, protected: list[str], hidden: list[str]) -> dict:
    """What the sandboxed child gets: the learner's file and the check code travel inside the
    job (the sandbox mounts neither the workspace nor the lesson pack); `protected` and
    `hidden` only matter to the reduced fallback, which runs without that view."""

    def packed(path: Path) -> str:
        return base64.b64encode(Path(path).read_bytes()).decode()

    module = f"{ex.chapter}/{ex.slug}.py"
    lesson = {"checks.py": packed(ex.checks_path)} if ex.has_checks_module else {}
    return {
        "role": "learner",
        "module_key": f"{ex.chapter}_{ex.slug}",
        "module": module,
        "spec": msgspec.to_builtins(ex.spec),
        "files": {"workspace": {module: packed(learner_file)}, "lesson": lesson},
        "display_name": display,
        "bans": list(ex.bans),
        "banned": list(ex.banned),
        "protected": protected,
        "hidden": hidden,
        "limits": {"file_size_mb": 64, "no_network": True},
    }


class Grader:
    def __init__(self, *, pool: WorkerPool | None = None, cache_dir: Path | None = None,
                 protected: list[Path] | None = None, hidden: list[Path] | None = None,
                 keep_warm: bool = False, cache_key: bytes | None = None, preload: tuple[str, ...] = ()):
        self.pool = pool
        self.preload = tuple(preload)  # what the pool this grader starts imports once (warm_imports)
        self.cache_dir = cache_dir
        self.protected = [str(p) for p in (protected or [BUILTIN_PACK])]
        # Folders the learner's process must not see at all: the reference cache (a forged
        # entry there would be an expected value of the learner's choosing) and grader state.
        self.hidden = [str(p) for p in (hidden or [])] + ([str(cache_dir)] if cache_dir is not None else [])
        # keep_warm: after each grading start the next worker (TUI, watch); otherwise only
        # when a grading asks to prefetch, because more follow at once.
        self.keep_warm = keep_warm
        self.cache_key = cache_key  # None: this user's key (tutor.engine.sealed)
        self._own_pool = pool is None

    def _take_worker(self, refill: bool | None):
        if self.pool is None:
            self.pool = WorkerPool(preload=self.preload)
        return self.pool.take(refill=refill)

    def close(self) -> None:
        if self.pool is not None and self._own_pool:
            self.pool.close()
            self.pool = None  # a later grading starts a fresh pool

    def grade(self, ex: Exercise, learner_file: Path, *, on_event: EventSink | None = None,
              starter_shortcut: bool = True, prefetch: bool | None = None) -> ExerciseResult:
        """Grade one file. `prefetch`: start the next worker while this one grades (more follow)."""
        try:
            return self._grade(ex, learner_file, on_event, starter_shortcut, prefetch)
        finally:
            # Start the next worker once this grading no longer needs the CPU; an eager pool
            # (batch grading) wants one ready for whatever comes next as well.
            if self.pool is not None and (self.keep_warm or getattr(self.pool, "eager", False)):
                self.pool.refill()

    def _grade(self, ex: Exercise, learner_file: Path, on_event: EventSink | None,
               starter_shortcut: bool, prefetch: bool | None) -> ExerciseResult:
        emit = on_event or (lambda kind, payload: None)
        started = time.perf_counter()
        checks = load_checks(ex)
        display = f"{ex.chapter}/{learner_file.name}"
        if not learner_file.is_file():
            result = self._uniform(ex, checks, Verdict.ERROR,
                                   f"{display} is missing; `tutor reset {ex.id}` writes a fresh starter")
        elif learner_file.stat().st_size > MAX_SOURCE_BYTES:
            result = self._uniform(ex, checks, Verdict.ERROR,
                                   f"{display} is larger than {MAX_SOURCE_BYTES >> 20} MB: too large to grade")
        elif starter_shortcut and learner_file.read_text(encoding="utf-8", errors="replace") == ex.starter:
            result = self._uniform(ex, checks, Verdict.NOT_STARTED, "not started yet: the file is still the starter")
        else:
            result = self._grade_file(ex, checks, learner_file, display, emit, prefetch)
        result.duration_s = time.perf_counter() - started
        for index, check in enumerate(result.checks):  # one result per check, in the checks' order
            emit("check_finished", {"exercise": ex.id, "index": index, "result": check})
        emit("exercise_finished", {"exercise": ex.id, "result": result})
        return result

    def _uniform(self, ex: Exercise, checks: list, verdict: Verdict, message: str) -> ExerciseResult:
        # No code ran; the isolation is the one it would have run under.
        isolation = self.pool.isolation if self.pool is not None else ""
        return ExerciseResult(ex.id, ex.title, [CheckResult(c.name, verdict, message, kind=c.kind, id=c.id)
                                                for c in checks], isolation=isolation)

    def _grade_file(self, ex: Exercise, checks: list, learner_file: Path, display: str, emit: EventSink,
                    prefetch: bool | None) -> ExerciseResult:
        if self.cache_dir is not None:
            try:  # it must exist before the child starts, or the child could not hide it
                Path(self.cache_dir).mkdir(parents=True, exist_ok=True)
            except OSError:
                pass
        reference = ReferenceRunner(ex, checks, self.cache_dir, self.cache_key)
        indices = list(range(len(checks)))

        def reference_point(index):
            return lambda series, step, value: emit(
                "point", {"exercise": ex.id, "index": index, "series": series, "role": "reference", "step": step, "value": value})

        def compute_references() -> dict[int, dict]:
            out = {}
            for i in indices:
                try:
                    out[i] = reference.expected(i, reference_point(i))
                except Exception as exc:  # noqa: BLE001 - the lesson pack is broken, not the learner
                    raise CatalogError(f"{ex.checks_path}: check {checks[i].name!r} fails on the reference: "
                                       f"{type(exc).__name__}: {exc}") from exc
            return out

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tutor-reference") as pool:
            expected_future: Future = pool.submit(compute_references)
            job = learner_job(ex, learner_file, display, self.protected, self.hidden)
            limits = Limits(time_s=ex.time_limit_s, memory_mb=ex.memory_limit_mb)
            timeouts = {i: c.timeout_s for i, c in enumerate(checks) if c.timeout_s}

            def learner_event(kind, payload):
                emit(kind, dict(payload, exercise=ex.id))

            outcome = run_job(job, indices, limits, take_worker=lambda: self._take_worker(prefetch), on_event=learner_event,
                              check_timeouts=timeouts)
            expected = expected_future.result()

        results: list[CheckResult] = []
        broken = _failed_import([outcome.checks[i] for i in indices])
        for i in indices:
            if broken is not None:  # the file does not import: say so once, not once per check
                results.append(_not_imported(checks[i], broken, first=i == indices[0],
                                             learner_file=str(learner_file.resolve()), display=display))
                continue
            named = tuple(r.diagnosis for r in results if r.diagnosis)
            results.append(self._judge(ex, checks[i], outcome.checks[i], expected[i], reference, i, named))
        notes = list(dict.fromkeys(outcome.notes))
        if outcome.isolation and outcome.isolation != "full":
            notes.append(f"isolation {outcome.isolation}")
        return ExerciseResult(ex.id, ex.title, results, output=outcome.output, note="; ".join(notes),
                              isolation=outcome.isolation)

    def _judge(self, ex: Exercise, check, run: CheckRun, expected: dict, reference: ReferenceRunner,
               index: int, named: tuple[str, ...] = ()) -> CheckResult:
        series = {}
        if expected.get("points") or run.points:
            series = {"reference": expected.get("points", {}), "learner": run.points}
        base = dict(name=check.name, id=check.id, kind=check.kind, duration_s=run.duration_s, cpu_s=run.cpu_s,
                    series=series, data_digest=digest(run.data), expected_digest=digest(expected.get("data")))
        if run.status != "ok":
            message = run.error
            if run.traceback and run.status == "error":
                message = f"{run.error}\n{run.traceback}" if run.traceback not in run.error else run.error
            if run.status == "timeout" and getattr(check, "timeout_message", None):
                message = f"{check.timeout_message} ({run.error})"
            return CheckResult(verdict=STATUS_VERDICT[run.status], message=message, **base)
        jc = JudgeContext(ex.diagnoses, lambda: reference.variants(index), named)
        problem = None if isinstance(check, CallCheck) else structure_mismatch(run.data, expected["data"])
        if problem:  # a judge may then read the result's parts without guarding each one
            return CheckResult(verdict=Verdict.FAIL, message=f"your code returned something of the wrong form: "
                                                             f"{problem}", **base)
        try:
            judgement = check.judge(run.data, expected["data"], jc)
        except Exception as exc:  # noqa: BLE001 - an odd learner result must not crash the grader
            return CheckResult(verdict=Verdict.FAIL,
                               message=f"the result could not be compared: {type(exc).__name__}: {exc}",
                               details={"grader_traceback": traceback.format_exc(limit=3)}, **base)
        verdict = Verdict.PASS if judgement.verdict == "pass" else Verdict.FAIL
        return CheckResult(verdict=verdict, message=judgement.message, diagnosis=judgement.diagnosis,
                           details=judgement.details, evidence=judgement.evidence, **base)


# -- a learner file that does not import ------------------------------------------------------
# The child reports an import failure (a syntax error, an exception at module level) as the
# same error for every check, none of which ran. One message with the file, the line and the
# caret is what helps; the other checks only say that they did not run.

NOT_IMPORTED = "not run: your file does not import"


def _failed_import(runs: list[CheckRun]) -> CheckRun | None:
    """The shared error when the learner's file failed to import, else None."""
    if not runs or runs[0].status != "error":
        return None
    first = runs[0]
    same = all(r.status == "error" and r.error == first.error and r.traceback == first.traceback for r in runs)
    ran = any(r.duration_s or r.data is not None or r.points for r in runs)
    return first if same and not ran else None


def _not_imported(check, run: CheckRun, *, first: bool, learner_file: str, display: str) -> CheckResult:
    if not first:
        return CheckResult(check.name, Verdict.ERROR, NOT_IMPORTED, kind=check.kind)
    lines = [run.error]
    trace = run.traceback.replace(f'"{learner_file}"', f'"{display}"').rstrip().splitlines()
    if trace and trace[-1].strip() and run.error.startswith(trace[-1].strip()):
        trace = trace[:-1]  # the exception line again, already said on the first line
    lines += trace
    return CheckResult(check.name, Verdict.ERROR, "\n".join(lines).rstrip(), kind=check.kind)
