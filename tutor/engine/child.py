"""The grading child: imports the heavy libraries, waits for one job, grades it, exits.

Started by tutor.engine.runner with two extra file descriptors: one to read the job from,
one to write results to. Learner output goes to stdout/stderr, which the parent captures;
results never share a stream with it. Every message is one JSON line of plain data.
"""

from __future__ import annotations

import os
import sys
import time
import traceback


def _write(fd: int, message: dict) -> None:
    from tutor.engine.codec import dumps

    data = (dumps(message) + "\n").encode()
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_job(fd: int) -> dict:
    import json

    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return json.loads(b"".join(chunks))


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
        where = f"{workspace_name}, line {exc.lineno}"
        return f"SyntaxError: {exc.msg} ({where})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == learner_file]
    where = f" ({workspace_name}, line {frames[-1].lineno})" if frames else ""
    text = str(exc)
    if len(text) > 2000:
        text = text[:2000] + "..."
    return f"{type(exc).__name__}: {text}{where}"


def _apply_limits(limits: dict) -> list[str]:
    """OS limits that do not break torch; returns notes on what could not be applied."""
    import resource

    notes = []
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    fsize = int(limits.get("file_size_mb", 64)) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    nproc = int(limits.get("nproc", 0))
    if nproc:
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        except (ValueError, OSError):
            notes.append("process-count limit unavailable")
    if limits.get("no_network", True):
        from tutor.engine.isolation import drop_network

        note = drop_network()
        if note:
            notes.append(note)
    return notes


def run_job(job: dict, out_fd: int) -> None:
    from tutor.engine.codec import to_plain
    from tutor.engine.guard import ForbiddenAPIError, Guard
    from tutor.grader.checks import Context

    role = job["role"]
    checks_module = _load_module(f"tutor_checks_{job['module_key']}", job["checks_path"])
    checks = checks_module.CHECKS
    learner_file = job["module_path"]
    guard = None
    if role == "learner":
        notes = _apply_limits(job.get("limits", {}))
        if notes:
            _write(out_fd, {"t": "note", "text": "; ".join(notes)})
        guard = Guard([learner_file], job.get("protected", []))
        for api in job.get("banned", []):
            guard.ban(api)
        guard.protect_imports()
        guard.protect_files()
        sys.stdin = open(os.devnull)  # noqa: SIM115 - the learner gets no input

    _write(out_fd, {"t": "stage", "stage": "import"})
    try:
        module = _load_module(f"learner_{job['module_key']}", learner_file)
    except BaseException as exc:  # noqa: BLE001 - anything the learner's import raises is reported
        status = "not_started" if isinstance(exc, NotImplementedError) else "error"
        if guard is not None and guard.violation:
            status = "forbidden"
        _write(out_fd, {"t": "load", "status": status,
                        "error": f"forbidden: {guard.violation}" if status == "forbidden" else _error_message(exc, learner_file, job["display_name"]),
                        "traceback": learner_traceback(exc, learner_file)})
        return

    for index in job["checks"]:
        check = checks[index]
        _write(out_fd, {"t": "start", "i": index})

        def emit(series, step, value, _i=index):
            _write(out_fd, {"t": "point", "i": _i, "s": series, "k": step, "v": value})

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
            if isinstance(exc, SystemExit):
                message.update(status="error", error=f"the code called sys.exit({exc.code!r}) during the check",
                               traceback=learner_traceback(exc, learner_file))
            else:
                message.update(status="error", error=_error_message(exc, learner_file, job["display_name"]),
                               traceback=learner_traceback(exc, learner_file))
        if guard is not None and guard.violation:
            message.update(status="forbidden", error=f"uses {guard.violation}", data=None)
            guard.violation = None
        message["duration"] = time.perf_counter() - started
        _write(out_fd, message)


def main() -> None:
    job_fd, out_fd = int(sys.argv[1]), int(sys.argv[2])
    # Import what every scenario needs before the job arrives: this is what makes a worker warm.
    import numpy  # noqa: F401
    import torch  # noqa: F401

    import tutor.grader.checks  # noqa: F401

    _write(out_fd, {"t": "ready"})
    job = _read_job(job_fd)
    try:
        run_job(job, out_fd)
        _write(out_fd, {"t": "done"})
    except BaseException as exc:  # noqa: BLE001 - a harness failure is reported, not hidden
        try:
            _write(out_fd, {"t": "fatal", "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
        except OSError:
            pass
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: learner atexit hooks and threads do not get to run after the result.
    os._exit(0)


if __name__ == "__main__":
    main()
