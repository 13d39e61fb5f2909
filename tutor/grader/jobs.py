"""The learner's side of a grading, run inside the sandboxed child (tutor.engine.child).

The child isolates the process and hands over the job; this module imports the exercise's
checks and the learner's file, runs each check's scenario on the learner's module and sends
back plain data on the private channel, one message per event.
"""

from __future__ import annotations

import sys
import time
import traceback

import msgspec

from tutor.engine import schema
from tutor.engine.codec import CodecError, to_plain
from tutor.engine.guard import ForbiddenAPIError
from tutor.grader.build import build_checks
from tutor.grader.checks import call_function
from tutor.grader.context import Context


def _load_module(name: str, path: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def learner_traceback(exc: BaseException, learner_file: str, display: str | None = None) -> str:
    """The traceback trimmed to the learner's own frames (and the exception line), the file
    named as the learner knows it (`display`), not where the sandbox put it."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == learner_file]
    lines = traceback.format_list(frames[-8:])
    lines += traceback.format_exception_only(type(exc), exc)
    text = "".join(lines).rstrip()
    return text.replace(f'File "{learner_file}"', f'File "{display}"') if display else text


def _error_message(exc: BaseException, learner_file: str, workspace_name: str) -> str:
    if isinstance(exc, SyntaxError) and exc.filename == learner_file:
        return f"SyntaxError: {exc.msg} ({workspace_name}, line {exc.lineno})"
    if isinstance(exc, SystemExit):
        return f"the code called sys.exit({exc.code!r})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == learner_file]
    where = f" ({workspace_name}, line {frames[-1].lineno})" if frames else ""
    try:
        text = str(exc)
    except BaseException:  # noqa: BLE001 - a learner exception whose __str__ raises
        text = "<unprintable>"
    if len(text) > 2000:
        text = text[:2000] + "..."
    return f"{type(exc).__name__}: {text}{where}"


def _load_failure(exc: BaseException, guard, learner_file: str, display: str) -> dict:
    status = "not_started" if isinstance(exc, NotImplementedError) else "error"
    if guard.violation:
        status = "forbidden"
    error = f"forbidden: {guard.violation}" if status == "forbidden" else _error_message(exc, learner_file, display)
    if isinstance(exc, SystemExit):
        error += " while being imported"
    return {"t": "load", "status": status, "error": error,
            "traceback": learner_traceback(exc, learner_file, display)}


def prepare(capabilities: schema.Capabilities) -> None:
    """What the exercise declares it needs in the learner's process, set up before its code runs."""
    if capabilities.cuda_simulator:
        import os

        # numba.cuda picks the simulator when it is first imported: the warm worker has numba's
        # core loaded already, so its configuration is read again.
        os.environ["NUMBA_ENABLE_CUDASIM"] = "1"
        if "numba" in sys.modules:
            sys.modules["numba"].config.reload_config()


def missing_names(module, spec: schema.ExerciseSpec) -> list[str]:
    return [name for name in spec.functions if getattr(module, name, None) is None]


def run_job(job: dict, channel, guard) -> None:
    """Grade the job's checks on the learner's module; one message per event on `channel`."""
    import torch

    # One intra-op thread: CPU time (what the limits count) then does not depend on the load,
    # and on a busy machine spinning worker threads cannot make a check twenty times slower.
    torch.set_num_threads(1)
    spec = msgspec.convert(job["spec"], schema.ExerciseSpec)
    checks_path = job.get("checks_path")
    functions = _load_module(f"tutor_checks_{job['module_key']}", checks_path) if checks_path else None
    if checks_path:
        guard.harness_files.add(checks_path)
    checks = build_checks(spec, functions)
    guard.calls_learner(call_function)
    notes = guard.ban_all(list(job.get("bans", [])), list(job.get("banned", [])))
    if notes:
        channel.send({"t": "note", "text": "; ".join(notes)})
    guard.watch_threads()
    prepare(spec.capabilities)
    learner_file, display = job["module_path"], job["display_name"]

    channel.send({"t": "stage", "stage": "import"})
    try:
        with guard.learner_scope():
            module = _load_module(f"learner_{job['module_key']}", learner_file)
    except BaseException as exc:  # noqa: BLE001 - anything the learner's import raises is reported
        channel.send(_load_failure(exc, guard, learner_file, display))
        return
    guard.scan_module(module)
    if guard.violation:  # caught its own ForbiddenAPIError at import time, or exposes a banned API
        channel.send({"t": "load", "status": "forbidden", "error": f"forbidden: {guard.violation}", "traceback": ""})
        return
    missing = missing_names(module, spec)
    if missing:
        signature = ", ".join(f"`{name}`" for name in missing)
        channel.send({"t": "load", "status": "error", "traceback": "",
                      "error": f"your file does not define {signature}: the task asks for "
                               f"{'them' if len(missing) > 1 else 'it'} under exactly that name"})
        return

    for index in job["checks"]:
        check = checks[index]
        channel.send({"t": "start", "i": index})

        def emit(series, step, value, _i=index):
            channel.send({"t": "point", "i": _i, "s": series, "k": step, "v": value})

        ctx = Context(seed=check.seed, role=job.get("role", "learner"), emit_point=emit, guard=guard)
        started, cpu_started = time.perf_counter(), time.process_time()
        message = {"t": "result", "i": index}
        try:
            with guard.learner_scope():
                data = to_plain(check.run(module, ctx))
            message.update(status="ok", data=data)
        except NotImplementedError as exc:
            message.update(status="not_started", error=str(exc) or "not implemented yet")
        except ForbiddenAPIError:
            pass
        except BaseException as exc:  # noqa: BLE001
            message.update(status="error", error=_error_message(exc, learner_file, display),
                           traceback=learner_traceback(exc, learner_file, display))
            if isinstance(exc, SystemExit):
                message["error"] += " during the check"
        if guard.violation:
            message.update(status="forbidden", error=f"uses {guard.violation}", data=None)
            guard.violation = None
        message.setdefault("status", "error")
        message["duration"] = time.perf_counter() - started
        message["cpu"] = time.process_time() - cpu_started
        try:
            channel.send(message)
        except (CodecError, ValueError, TypeError, RecursionError) as exc:
            channel.send({"t": "result", "i": index, "status": "error", "duration": message["duration"],
                          "error": f"the result cannot be graded: {exc}"})
