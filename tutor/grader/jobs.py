"""The learner's side of a grading, run inside the sandboxed child (tutor.engine.child).

The child isolates the process and hands over the job; this module imports the exercise's
checks and the learner's file, runs each check's scenario on the learner's module and sends
back plain data on the private channel, one message per event.
"""

from __future__ import annotations

import sys
import time
import traceback

from tutor.engine.codec import CodecError, to_plain
from tutor.engine.guard import ForbiddenAPIError
from tutor.grader.checks import Context


def _load_module(name: str, path: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def learner_traceback(exc: BaseException, learner_file: str) -> str:
    """The traceback trimmed to the learner's own frames (and the exception line)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == learner_file]
    lines = traceback.format_list(frames[-8:])
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


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



def run_job(job: dict, channel, guard) -> None:
    role = job["role"]
    checks_module = _load_module(f"tutor_checks_{job['module_key']}", job["checks_path"])
    checks = checks_module.CHECKS
    learner_file = job["module_path"]
    for api in job.get("banned", []):
        guard.ban(api)

    channel.send({"t": "stage", "stage": "import"})
    try:
        module = _load_module(f"learner_{job['module_key']}", learner_file)
    except BaseException as exc:  # noqa: BLE001 - anything the learner's import raises is reported
        status = "not_started" if isinstance(exc, NotImplementedError) else "error"
        if guard.violation:
            status = "forbidden"
        error = f"forbidden: {guard.violation}" if status == "forbidden" else _error_message(exc, learner_file, job["display_name"])
        if isinstance(exc, SystemExit):
            error += " while being imported"
        channel.send({"t": "load", "status": status, "error": error, "traceback": learner_traceback(exc, learner_file)})
        return
    if guard.violation:  # caught its own ForbiddenAPIError at import time: still forbidden
        channel.send({"t": "load", "status": "forbidden", "error": f"forbidden: {guard.violation}", "traceback": ""})
        return

    for index in job["checks"]:
        check = checks[index]
        channel.send({"t": "start", "i": index})

        def emit(series, step, value, _i=index):
            channel.send({"t": "point", "i": _i, "s": series, "k": step, "v": value})

        ctx = Context(seed=check.seed, role=role, emit_point=emit)
        started = time.perf_counter()
        message = {"t": "result", "i": index}
        try:
            data = to_plain(check.run(module, ctx))
            message.update(status="ok", data=data)
        except NotImplementedError as exc:
            message.update(status="not_started", error=str(exc) or "not implemented yet")
        except ForbiddenAPIError:
            pass
        except BaseException as exc:  # noqa: BLE001
            message.update(status="error", error=_error_message(exc, learner_file, job["display_name"]),
                           traceback=learner_traceback(exc, learner_file))
            if isinstance(exc, SystemExit):
                message["error"] += " during the check"
        if guard.violation:
            message.update(status="forbidden", error=f"uses {guard.violation}", data=None)
            guard.violation = None
        message.setdefault("status", "error")
        message["duration"] = time.perf_counter() - started
        try:
            channel.send(message)
        except (CodecError, ValueError, TypeError, RecursionError) as exc:
            channel.send({"t": "result", "i": index, "status": "error", "duration": message["duration"],
                          "error": f"the result cannot be graded: {exc}"})
