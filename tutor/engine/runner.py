"""Runs grading jobs in worker slots and supervises them from outside.

A slot is one sandbox (tutor.engine.sandbox: bwrap, or the reduced fallback) holding a warm
zygote (tutor.engine.zygote) that forks a fresh process tree per job; a slot serves many
jobs, for many students, one at a time, and a pool runs several slots at once.

For each job the grader makes three pipes (the job, the results, the learner's output),
hands their far ends to the zygote, and then watches from outside, where nothing in the
sandbox can reach it (other pid namespace, non-dumpable):
- results are JSON lines stamped with the job's nonce, bounded in size and count, decoded
  defensively: a malformed message is a `crash` with its reason, a line without the nonce
  is forged (`forbidden`); the order of stages is fixed, so no message extends a budget;
- CPU time of the job's whole tree is charged per check from the child's "start" (limits.py),
  with a wall-clock cap of 3× the budget plus a margin; memory and process count are polled;
- a job is stopped by killing its pid-namespace init: the kernel kills everything in it.
"""

from __future__ import annotations

import os
import queue
import signal
import sys  # noqa: F401 - tests patch runner.sys.executable
import threading
import time
from dataclasses import dataclass, field

from tutor.engine import isolation, limits as meters, sandbox
from tutor.engine.sandbox import SandboxError
from tutor.engine.slot import (MARKER_VAR, MAX_MESSAGES, STARTUP_TIMEOUT_S, Limits, Run, Slot, SlotLost,  # noqa: F401
                               Unsupported, _settle, wait_for_cleanup)
from tutor.engine.text import printable

SETUP_TIMEOUT_S = 60.0  # a job handed over until the learner's module is being imported
POLL_S = 0.02  # memory and CPU of the known tree: cheap, so often
SCAN_S = 0.1  # the whole process table (new processes in the tree)
MAX_NOTES = 50
MAX_RUNS_PER_JOB = 2  # after a second kill the remaining checks are not run
# The module whose run_job(job, channel, guard) grades inside the child: the caller's choice.
DEFAULT_HANDLER = "tutor.grader.jobs"


@dataclass
class CheckRun:
    """What the child reported for one check (or why it reported nothing)."""

    index: int
    status: str  # ok, error, not_started, forbidden, timeout, memory, crash
    data: object = None
    error: str = ""
    traceback: str = ""
    duration_s: float = 0.0
    points: dict[str, list[list[float]]] = field(default_factory=dict)
    cpu_s: float = 0.0  # CPU time the check took: the meter's count, else the child's own


@dataclass
class JobOutcome:
    checks: dict[int, CheckRun]
    output: str = ""
    notes: list[str] = field(default_factory=list)
    isolation: str = ""
    records: list["JobRecord"] = field(default_factory=list)


# -- the pool ------------------------------------------------------------------------------------------

class WorkerPool:
    """Up to `size` slots, each reused across gradings (and students); `take()` hands out a
    ready slot (starting one when none is free and fewer than `size` exist, else waiting),
    and the slot comes back when its job is over.

    `preload` names modules the zygotes import while they wait (numba, torch._dynamo for the
    warm session); `covers` are folders no sandbox may see even inside a bound tree.
    """

    def __init__(self, prestart: bool = True, preload: tuple[str, ...] = (), eager: bool = True, *,
                 size: int = 1, handler: str = DEFAULT_HANDLER, covers: list[str] = ()):
        isolation.set_dumpable(False)  # nothing of this user's may ptrace or read the grader
        self.preload, self.handler, self.size = tuple(preload), handler, max(1, int(size))
        self.eager = eager
        self.covers = list(covers)
        self._cond = threading.Condition()
        self._slots: list[Slot] = []
        self._idle: list[Slot] = []
        self._closed = False
        self.tokens: list[str] = []
        if prestart:
            with self._cond:
                self._idle.append(self._start())

    @property
    def plan(self) -> sandbox.Plan:
        return sandbox.plan()

    @property
    def isolation(self) -> str:
        return self.plan.level

    def _start(self) -> Slot:
        slot = Slot(self, self.plan, self.preload, self.handler, self.covers)
        self._slots.append(slot)
        self.tokens.append(slot.token)
        return slot

    def take(self, refill: bool | None = None, timeout: float | None = None) -> Slot:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                if self._closed:
                    raise SandboxError("the grading pool is closed")
                for slot in list(self._idle):
                    if not slot.alive() and (slot.hello.is_set() or slot.proc.poll() is not None):
                        self._discard(slot)
                if self._idle:
                    # A ready slot first; otherwise the one that has been starting longest.
                    self._idle.sort(key=lambda s: not s.ready.is_set())
                    slot = self._idle.pop(0)
                    slot.busy = True
                    return slot
                if len(self._slots) < self.size:
                    slot = self._start()
                    slot.busy = True
                    return slot
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise SandboxError("no grading slot became free in time")
                self._cond.wait(left)

    def _discard(self, slot: Slot) -> None:
        if slot in self._idle:
            self._idle.remove(slot)
        if slot in self._slots:
            self._slots.remove(slot)
        threading.Thread(target=slot.close, daemon=True).start()

    def give_back(self, slot: Slot) -> None:
        with self._cond:
            if self._closed or not slot.alive():
                self._discard(slot)
            elif slot not in self._idle:
                self._idle.append(slot)
            self._cond.notify()

    def refill(self) -> None:
        """Make sure a slot is starting or ready (after a slot died, say)."""
        with self._cond:
            if self._closed:
                return
            if not any(s.alive() for s in self._slots) and len(self._slots) < self.size:
                self._idle.append(self._start())

    def wait_ready(self, timeout: float | None = None) -> bool:
        """True once an idle slot is ready for a job."""
        deadline = None if timeout is None else time.monotonic() + timeout
        self.refill()
        while True:
            with self._cond:
                idle = list(self._idle)
            if any(s.ready.is_set() and s.alive() for s in idle):
                return True
            if not idle or (deadline is not None and time.monotonic() >= deadline):
                return False
            idle[0].ready.wait(0.05 if deadline is None else max(0.0, min(0.05, deadline - time.monotonic())))

    @property
    def spare(self) -> Slot | None:
        with self._cond:
            return self._idle[0] if self._idle else None

    _spare = spare  # the name older tests use

    def close(self) -> None:
        with self._cond:
            self._closed = True
            slots, self._slots, self._idle = list(self._slots), [], []
            self._cond.notify_all()
        for slot in slots:
            slot.close()
        wait_for_cleanup()


# -- one grading ---------------------------------------------------------------------------------------

def run_job(job: dict, check_indices: list[int], limits: Limits, *, take_worker, on_event=None,
            check_timeouts: dict[int, float] | None = None) -> JobOutcome:
    """Grade `check_indices` of a job in a worker slot.

    When a check is killed (timeout, memory, crash) after others in the same run finished,
    the failure is likely specific to that check's input, so the checks after it run in a
    fresh job. When the first check dies, the next would most likely die the same way: they
    are reported as not run instead of making the learner wait for each in turn.
    """
    outcome = JobOutcome(checks={})
    remaining = list(check_indices)
    outputs = []
    runs = 0
    stopped_by = ""
    timeouts = check_timeouts or {}
    while remaining and runs < MAX_RUNS_PER_JOB:
        slot = take_worker()
        runs += 1
        outcome.isolation = slot.plan.level
        total = sum(timeouts.get(i, limits.time_s) for i in remaining) + 2 * limits.time_s
        job_now = dict(job, checks=remaining,
                       limits=dict(job.get("limits", {}), file_size_mb=limits.file_size_mb, memory_mb=limits.memory_mb,
                                   nproc=limits.nproc or limits.max_processes + 16,
                                   cpu_backstop_s=int(total + 10)))
        run = None
        try:
            try:
                run = slot.start_job(_for_slot(slot, job_now), limits)
            except Unsupported as exc:
                # Said once, kept for the process: every later result says "reduced: <why>".
                sandbox.demote(str(exc))
                slot.release()
                slot = take_worker()
                outcome.isolation = slot.plan.level
                run = slot.start_job(_for_slot(slot, job_now), limits)
            outcome.records.append(run.record)
            stopped = _supervise(run, job_now, limits, outcome, on_event, timeouts)
        except SlotLost as exc:
            slot.close()
            for i in remaining:
                outcome.checks[i] = CheckRun(i, "crash", error=f"{exc}; it is being restarted")
            stopped = "lost"
        except SandboxError:
            if run is None:
                slot.close()
            raise
        finally:
            if run is not None:
                run.kill()
                _settle(run.output)
                outputs.append(run.output.text())
            slot.release()
        done = [i for i in remaining if i in outcome.checks]
        remaining = [i for i in remaining if i not in outcome.checks]
        if stopped != "killed" or not done:
            break
        stopped_by = outcome.checks[done[-1]].status
        if len(done) == 1:  # the very first check of this run was killed
            break
    for i in remaining:
        if stopped_by:
            outcome.checks[i] = CheckRun(i, stopped_by, error=f"not run: an earlier check was stopped ({stopped_by})")
        else:  # only when the child never reported at all
            outcome.checks[i] = CheckRun(i, "crash", error="the grading process ended before this check ran")
    output = "".join(o for o in outputs if o)
    if len(output) > limits.output_bytes:
        output = output[:limits.output_bytes] + "\n... [output truncated]"
    outcome.output = output
    return outcome


def _for_slot(slot: Slot, job: dict) -> dict:
    if not slot.full:
        return job
    # Host paths mean nothing in the sandbox, and say more than it needs to know.
    return {k: v for k, v in job.items() if k not in ("protected", "hidden")}


class _Budget:
    """The current stage's CPU budget and its wall-clock caps.

    CPU over budget must be seen on two polls in a row. The cap of 3x the budget plus a
    margin applies to the time the learner's processes were *not runnable* (all sleeping,
    blocked or stopped, sampled at every poll): a machine so busy that a runnable process
    waits for the CPU does not make a right answer time out, while code that sleeps or
    blocks still stops. Plain wall-clock time has a far ceiling as well.
    """

    def __init__(self, name: str, cpu_s: float | None, cpu_now: float, clock=time.monotonic):
        self.name, self.cpu_s, self.clock = name, cpu_s, clock
        self.cpu0, self.wall0 = cpu_now, clock()
        self.over = 0
        self.idle = 0.0
        self.last = self.wall0

    def used(self, cpu_now: float) -> float:
        return max(0.0, cpu_now - self.cpu0)

    def exceeded(self, cpu_now: float, busy: bool = False) -> str | None:
        now = self.clock()
        if not busy:
            self.idle += now - self.last
        self.last = now
        wall = now - self.wall0
        if self.cpu_s is None:
            return "wall" if wall > SETUP_TIMEOUT_S else None
        if self.used(cpu_now) > self.cpu_s:
            self.over += 1
            if self.over >= 2:
                return "cpu"
        else:
            self.over = 0
        if self.idle > meters.wall_cap(self.cpu_s):
            return "idle"
        return "wall" if wall > meters.wall_ceiling(self.cpu_s) else None


MEMORY_ERRORS = ("MemoryError", "can't allocate memory", "Cannot allocate memory")
# A fork refused by the sandbox's process limit (RLIMIT_NPROC) when the process-count poll has
# not seen the loop yet: the same verdict as when it has.
PROCESS_LIMIT_ERRORS = ("[Errno 11] Resource temporarily unavailable",)


def _measure(run: Run, procs: list | None = None) -> meters.Sample:
    """The job's meter read now (the cgroup's counts where it has one, the tree's activity from
    /proc either way). Also read at a check's start and result, not only at a poll: this thread
    may have waited for the CPU since the last poll, and a check's CPU time is a difference."""
    now = run.meter.sample(procs)
    if run.cgroup_base is not None:
        busy, now = now.busy, run.cgroup_sample()
        now.busy = busy
    return now


def _supervise(run: Run, job: dict, limits: Limits, outcome: JobOutcome, on_event, check_timeouts) -> str:
    """Watch one job. Returns how it stopped: done, killed or load."""
    emit = on_event or (lambda kind, payload: None)
    order = list(job["checks"])
    position = 0
    current = None
    points: dict[int, dict[str, list]] = {}
    n_points = 0
    sample = meters.Sample()
    budget = _Budget("setup", None, 0.0)
    next_poll = next_scan = 0.0
    procs = None
    while True:
        try:
            msg = run.messages.get(timeout=POLL_S)
        except queue.Empty:
            msg = ...
        if msg is None:  # the result pipe closed: the child exited, or the learner closed it
            return _ended(run, job, outcome, current, budget.name, points)
        if isinstance(msg, dict):
            kind = msg.get("t")
            if kind == "stage":
                if budget.name == "setup" and msg.get("stage") == "import":
                    budget = _Budget("import", limits.time_s, sample.cpu_s)
                # any other stage message changes nothing: no message extends a budget
            elif kind == "note":
                if len(outcome.notes) < MAX_NOTES:
                    outcome.notes.append(printable(str(msg.get("text", "")))[:500])
            elif kind == "load":
                if current is not None or position:
                    return _malformed(outcome, job, current, "a load report after checks started", points, budget.name)
                status = msg.get("status", "error")
                for i in order:
                    outcome.checks[i] = CheckRun(i, status if status in ("not_started", "forbidden") else "error",
                                                 error=printable(str(msg.get("error", ""))),
                                                 traceback=printable(str(msg.get("traceback", ""))))
                return "load"
            elif kind == "start":
                if current is not None or position >= len(order) or msg.get("i") != order[position]:
                    return _malformed(outcome, job, current, f"a check started out of order ({msg.get('i')!r})", points,
                                      budget.name)
                current = order[position]
                position += 1
                sample = _measure(run) if run.meter is not None else sample
                budget = _Budget("check", check_timeouts.get(current, limits.time_s), sample.cpu_s)
                points[current] = {}
                emit("check_started", {"index": current})
            elif kind == "point":
                if current is None or msg.get("i") != current:
                    continue  # a stray point (from a learner thread, say) is dropped, not trusted
                series = printable(str(msg.get("s", "loss")))[:100]
                try:
                    point = [float(msg["k"]), float(msg["v"])]
                except (KeyError, TypeError, ValueError, OverflowError):
                    return _malformed(outcome, job, current, "a point that is not two numbers", points, budget.name)
                n_points += 1
                if n_points > MAX_MESSAGES // 2:
                    return _record(outcome, job, current, "crash", "streamed more points than the grader accepts",
                                   points, budget.name)
                points[current].setdefault(series, []).append(point)
                emit("point", {"index": current, "series": series, "role": "learner", "step": point[0], "value": point[1]})
            elif kind == "result":
                if current is None or msg.get("i") != current:
                    return _malformed(outcome, job, current, "a result for a check that is not running", points,
                                      budget.name)
                status = str(msg.get("status", "error"))
                sample = _measure(run) if run.meter is not None else sample
                try:
                    duration = float(msg.get("duration", 0.0) or 0.0)
                    reported_cpu = float(msg.get("cpu", 0.0) or 0.0)
                except (TypeError, ValueError, OverflowError):
                    duration = reported_cpu = 0.0
                error = printable(str(msg.get("error", "")))
                status = status if status in ("ok", "error", "not_started", "forbidden") else "error"
                if status == "error" and any(m in error for m in MEMORY_ERRORS):
                    status = "memory"
                    error = f"could not allocate memory within the limit of {limits.memory_mb} MB ({error[:300]})"
                elif status == "error" and any(m in error for m in PROCESS_LIMIT_ERRORS):
                    status = "crash"
                    error = (f"started more than {limits.max_processes - 1} processes at once (a fork loop?): "
                             f"the sandbox refused the next one ({error[:300]})")
                outcome.checks[current] = CheckRun(current, status, msg.get("data"), error,
                                                   printable(str(msg.get("traceback", ""))), duration,
                                                   points.get(current, {}),
                                                   budget.used(sample.cpu_s) or reported_cpu)
                current = None
                budget = _Budget("between", limits.time_s, sample.cpu_s)
            elif kind == "done":
                return "done"
            elif kind == "fatal":
                if budget.name == "setup":
                    raise SandboxError(f"the grading harness failed: {printable(str(msg.get('error')))[:500]}")
                return _record(outcome, job, current, "crash",
                               f"the grading harness broke while running your code: {printable(str(msg.get('error')))[:500]}",
                               points, budget.name)
            elif kind == "forged":
                return _record(outcome, job, None, "forbidden",
                               "the code wrote forged messages onto the grader's private result channel", points,
                               budget.name)
            elif kind == "malformed":
                return _malformed(outcome, job, current, str(msg.get("why", "")), points, budget.name)
            elif kind == "overflow":
                return _record(outcome, job, current, "crash",
                               "the code sent more data than the grader accepts on its result channel", points,
                               budget.name)
            else:
                return _malformed(outcome, job, current, f"an unknown message type {printable(str(kind))[:40]!r}",
                                  points, budget.name)
        now = time.monotonic()
        if run.meter is not None and now >= next_poll:
            next_poll = now + POLL_S
            scan = now >= next_scan
            if scan:
                next_scan = now + SCAN_S
            sample = _measure(run, run.scan() if scan else None)
            if run.cgroup_base is not None and sample.oom_kills > 0:
                return _record(outcome, job, current, "memory",
                               f"used more than {limits.memory_mb} MB of memory (stopped by the kernel)", points,
                               budget.name)
            if sample.processes > limits.max_processes:
                return _record(outcome, job, current, "crash",
                               f"started more than {limits.max_processes - 1} processes at once (a fork loop?); "
                               f"the grader stopped them all", points, budget.name)
            if sample.memory_mb > limits.memory_mb:
                return _record(outcome, job, current, "memory",
                               f"used more than {limits.memory_mb} MB of memory (measured {sample.memory_mb:.0f} MB)",
                               points, budget.name)
        over = budget.exceeded(sample.cpu_s, sample.busy if run.meter is not None else False)
        if over == "wall" and budget.name == "setup":
            raise SandboxError(f"the grading process did not start the job within {SETUP_TIMEOUT_S:g} s")
        if over:
            limit = budget.cpu_s
            how = {"cpu": f"used more than its {limit:g} s of CPU time",
                   "idle": f"did not finish: it was sleeping or blocked for more than {meters.wall_cap(limit):g} s "
                           f"(its CPU-time limit is {limit:g} s)",
                   "wall": f"did not finish within {meters.wall_ceiling(limit):g} s of wall-clock time "
                           f"(its CPU-time limit is {limit:g} s)"}[over]
            return _record(outcome, job, current, "timeout", how, points, budget.name)


def _malformed(outcome, job, current, why: str, points, stage: str) -> str:
    return _record(outcome, job, current, "crash", f"the grader received a malformed message: {why}", points, stage)


def _record(outcome: JobOutcome, job: dict, current, status: str, error: str, points, stage: str = "check") -> str:
    if current is None:
        # Stopped while importing the learner's module or between checks: every check left gets it.
        where = {"import": " (while importing your file)", "setup": " (while importing your file)",
                 "between": " (between checks)"}.get(stage, "")
        for i in job["checks"]:
            if i not in outcome.checks or status == "forbidden":
                outcome.checks[i] = CheckRun(i, status, error=f"{error}{where}")
        return "load"
    outcome.checks[current] = CheckRun(current, status, error=error, points=points.get(current, {}))
    return "killed"


def describe_status(status: int | None) -> tuple[str, str]:
    """(verdict status, words) for how the learner's main process ended."""
    if status is None:
        return "crash", "the process ended before returning a result"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return "timeout", "used up its CPU time (stopped by the CPU-time backstop)"
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return "crash", f"the process was killed by {name}" + (" (a segmentation fault)" if sig == signal.SIGSEGV else "")
    if os.WIFEXITED(status):
        return "crash", f"the process exited (code {os.WEXITSTATUS(status)}) before returning a result"
    return "crash", "the process ended before returning a result"


def _ended(run: Run, job: dict, outcome: JobOutcome, current, stage: str, points) -> str:
    run.record.ended.wait(2.0)
    status = run.record.status.get("m")
    if stage == "setup" and run.record.status.get("error"):
        raise SandboxError(f"the grading process failed to start the job: {run.record.status['error']}")
    if not run.slot.alive():
        verdict, error = "crash", "the grading sandbox died while running your code; it is being restarted"
    elif not run.record.ended.is_set():
        verdict, error = "crash", "the code closed the grader's private result channel"
    else:
        verdict, error = describe_status(status if isinstance(status, int) else None)
    if stage == "setup" and not run.slot.alive():
        raise SandboxError(f"the grading sandbox died: {run.slot.startup_error()}")
    return _record(outcome, job, current, verdict, error, points, stage)


# Kept for callers of the single-use worker API: a slot is what `take()` returns now.
Worker = Slot
__all__ = ["CheckRun", "DEFAULT_HANDLER", "JobOutcome", "Limits", "SandboxError", "Slot", "Worker", "WorkerPool",
           "run_job", "wait_for_cleanup", "describe_status"]
