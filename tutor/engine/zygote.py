"""The zygote: a warm Python inside a worker slot's sandbox that forks one process tree per job.

It imports torch, numpy (numba and other preloads on request) and the job handler, warms
them up single-threaded, makes itself non-dumpable and says "ready". Then, for each job, it
has a *chain* waiting, forked ahead of time so that a job starts without a fork:

    zygote ── J ── L ── M
              │    │    └─ receives the job, materialises its files read-only, drops every
              │    │       capability, sets its limits, then runs the handler with the
              │    │       learner's code (tutor.engine.child)
              │    └─ pid 1 of a new pid namespace: reaps orphans; when M ends, L ends, and
              │       the kernel kills everything left in that namespace
              └─ made the new mount, network, ipc, uts and pid namespaces; reports how M and L
                 ended to the zygote (a pipe M never holds)

The zygote is in a different pid namespace from M (and the grader in yet another), so M can
neither signal, ptrace nor inspect either; nothing of one job survives into the next (fresh
tmpfs, ipc, network and pid namespaces each time). The job's content never enters the
zygote: the grader passes three pipe ends (job, results, output) straight to the waiting
chain's M (the zygote handed it that chain's socket), and M reads the job itself.

Control messages to the grader are JSON on a SOCK_SEQPACKET socket that only the zygote
holds (J closes it first thing): hello, ready <chain> (with the chain's socket: the grader
sends the job's pipe ends straight to M), ended <chain> <how>, fatal <error>.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import traceback

from tutor.engine import isolation as iso

# Python folders (an install or a checkout under /tmp) that a job's private tmpfs would cover:
# bound again on top of it, read-only. Found once, in the zygote.
_UNDER_SCRATCH: list[str] = []
JOB_NAMESPACES = iso.CLONE_NEWNS | iso.CLONE_NEWPID | iso.CLONE_NEWNET | iso.CLONE_NEWIPC | iso.CLONE_NEWUTS


class Chain:
    def __init__(self, pid: int, sock: socket.socket, status_fd: int):
        self.pid, self.sock, self.status_fd = pid, sock, status_fd


def _send(ctl: socket.socket, message: dict) -> None:
    try:
        ctl.send(json.dumps(message).encode())
    except OSError:
        os._exit(0)  # the grader is gone: so is our reason to exist


def _reset_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGPIPE):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass


def fork_chain(full: bool) -> Chain:
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    status_r, status_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            iso.close_all_but({theirs.fileno(), status_w})
            code = _run_j(theirs, status_w, full)
        except BaseException:  # noqa: BLE001 - nothing may escape a forked child
            traceback.print_exc()
        os._exit(code)
    theirs.close()
    os.close(status_w)
    return Chain(pid, mine, status_r)


def _run_j(sock: socket.socket, status_w: int, full: bool) -> int:
    """J: new namespaces, then L; reports how L and M ended."""
    if full:
        if not iso.unshare(JOB_NAMESPACES):
            os.write(status_w, json.dumps({"error": f"new namespaces for the job: {iso.errno_text()}"}).encode())
            return 71
        spaces = {"network": True, "mounts": True, "pid": True}
    else:
        spaces = iso.enter_namespaces(JOB_NAMESPACES)
        iso.become_subreaper()
    workdir = None
    if not full:
        import tempfile

        workdir = tempfile.mkdtemp(prefix="tutor-job-")
    report_r, report_w = os.pipe()
    lpid = os.fork()
    if lpid == 0:
        code = 70
        try:
            os.close(report_r)
            os.close(status_w)
            code = _run_l(sock, report_w, full, spaces, workdir)
        except BaseException as exc:  # noqa: BLE001
            traceback.print_exc()
            os.write(report_w, json.dumps({"error": f"{type(exc).__name__}: {exc}"[:2000]}).encode())
        os._exit(code)
    sock.close()
    os.close(report_w)
    _, l_status = os.waitpid(lpid, 0)
    try:
        report = json.loads(os.read(report_r, 4096) or b"{}")
    except ValueError:
        report = {}
    if workdir is not None:
        _remove_tree(workdir)
    os.write(status_w, json.dumps({**(report if isinstance(report, dict) else {}), "l": l_status}).encode())
    return 0


def _remove_tree(path: str) -> None:
    import shutil
    import stat

    def unlock(func, target, _exc):
        try:
            os.chmod(os.path.dirname(target), stat.S_IRWXU)
            os.chmod(target, stat.S_IRWXU)
            func(target)
        except OSError:
            pass

    shutil.rmtree(path, onerror=unlock)


def _run_l(sock: socket.socket, report_w: int, full: bool, spaces: dict, workdir: str | None) -> int:
    """L: the job's private mounts and /proc, then M; reaps until M ends."""
    from tutor.engine import sandbox

    if full:
        # Small: tmpfs pages are memory the learner's processes do not hold, so the writable
        # ones bound what a job can use beyond its memory limit (176 MB).
        held = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in _UNDER_SCRATCH}
        for path, mode, mb in (("/tmp", "1777", 96), (sandbox.LEARNER_HOME, "700", 16), ("/dev/shm", "1777", 64),
                               (sandbox.WORKSPACE_DIR, "755", 16), (sandbox.LESSON_DIR, "755", 16)):
            if not iso.mount("tmpfs", path, "tmpfs", iso.MS_NOSUID | iso.MS_NODEV, f"size={mb << 20},mode={mode}"):
                raise OSError(f"mounting a private {path}: {iso.errno_text()}")
        for path, fd in held.items():
            os.makedirs(path, exist_ok=True)
            if not (iso.mount(f"/proc/self/fd/{fd}", path, None, iso.MS_BIND | iso.MS_REC)
                    and iso.remount_readonly(path, bind=True)):
                raise OSError(f"binding {path} again over the job's private mounts: {iso.errno_text()}")
            os.close(fd)
        if not iso.mount("proc", "/proc", "proc", iso.MS_NOSUID | iso.MS_NODEV | iso.MS_NOEXEC):
            raise OSError(f"mounting the job's /proc: {iso.errno_text()}")
    elif spaces.get("pid") and spaces.get("mounts"):
        iso.mount("proc", "/proc", "proc", iso.MS_NOSUID | iso.MS_NODEV | iso.MS_NOEXEC)
    else:
        iso.become_subreaper()
    mpid = os.fork()
    if mpid == 0:
        code = 70
        try:
            os.close(report_w)
            from tutor.engine import child

            code = child.serve(sock, full, spaces, workdir)
        except BaseException:  # noqa: BLE001
            traceback.print_exc()
        os._exit(code)
    sock.close()
    _reset_signals()
    iso.keep_capabilities(())  # L needs no privilege from here on
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            return 0
        except InterruptedError:
            continue
        if pid == mpid:
            os.write(report_w, json.dumps({"m": status}).encode())
            return 0


def _probe_threads() -> str | None:
    """Forking a multi-threaded process copies one thread and whatever locks the others held."""
    n = iso.thread_count()
    if n > 1:
        names = []
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/comm") as fh:
                    names.append(fh.read().strip())
            except OSError:
                pass
        return f"the zygote is not single-threaded at fork time ({n} threads: {', '.join(names)})"
    return None


def _close_nested_user_namespaces() -> None:
    """No learner process may create a user namespace (the kernel's widest attack surface)."""
    with open("/proc/sys/user/max_user_namespaces", "w") as fh:
        fh.write("0")


def _warm(handler_name: str, preload: list[str]):
    import gc
    import importlib
    import tempfile

    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)
    from tutor.engine import child

    handler = importlib.import_module(handler_name)
    child.handler_module = handler
    child.lighten_autograd_imports()
    # Every job has a writable /tmp of its own; this process has none. torch._dynamo makes its
    # cache folder on import: pointed at /tmp itself, there is nothing to create. A preload that
    # fails halfway would leave a half-imported package in every job forked from here, so a
    # failure other than "not installed" stops the slot with its reason.
    tempfile.tempdir = "/tmp"
    inductor_cache = "TORCHINDUCTOR_CACHE_DIR" not in os.environ
    if inductor_cache:
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = "/tmp"
    try:
        for name in preload:
            try:
                importlib.import_module(name)
            except ModuleNotFoundError:  # an optional preload (numba) that is not installed
                continue
            except Exception as exc:
                raise RuntimeError(f"preloading {name}: {type(exc).__name__}: {exc}") from exc
    finally:
        if inductor_cache:  # jobs make theirs where torch would, in their own /tmp
            os.environ.pop("TORCHINDUCTOR_CACHE_DIR", None)
    child.warm_up(torch)
    gc.collect()
    gc.freeze()  # forked jobs then do not copy every page the collector would touch
    return handler


def serve(ctl: socket.socket, full: bool, handler_name: str, preload: list[str]) -> None:
    if full:
        from tutor.engine import sandbox

        why = sandbox.self_test()
        if why:
            _send(ctl, {"t": "unsupported", "why": why})
            return
    _send(ctl, {"t": "hello", "pid": os.getpid(), "uid": os.getuid()})
    if full:
        _close_nested_user_namespaces()
        # CAP_NET_ADMIN only ever acts on a job's own, empty network namespace (its loopback).
        if not iso.keep_capabilities((iso.CAP_SYS_ADMIN, iso.CAP_SETPCAP, iso.CAP_NET_ADMIN)):
            raise OSError(f"dropping the zygote's capabilities: {iso.errno_text()}")
    else:
        iso.become_subreaper()
    _warm(handler_name, preload)
    if full:
        from tutor.engine import sandbox

        scratch = ["/tmp", sandbox.LEARNER_HOME, "/dev/shm", sandbox.WORKSPACE_DIR, sandbox.LESSON_DIR]
        _UNDER_SCRATCH[:] = [p for p in sandbox.python_paths() if sandbox._inside_any(p, scratch)]
    iso.set_dumpable(False)
    problem = _probe_threads()
    if problem:
        _send(ctl, {"t": "fatal", "error": problem})
        return
    out: Chain | None = None  # the chain handed to the grader: waiting for a job, or running one
    while True:
        # One chain at a time, forked once the previous one is over: its forks would compete
        # for the CPU with the learner's code. The grader gets the chain's socket and hands
        # it the job directly, so a job's start never waits for this process to be scheduled.
        if out is None:
            out = fork_chain(full)
            try:
                socket.send_fds(ctl, [json.dumps({"t": "ready", "chain": out.pid}).encode()], [out.sock.fileno()])
            except OSError:
                return  # the grader is gone
            out.sock.close()
        readable, _, _ = select.select([ctl, out.status_fd], [], [], 1.0)
        if not full:
            _reap_strays({out.pid})
        if ctl in readable:
            try:
                data = ctl.recv(256)
            except OSError:
                data = b""
            if not data:
                return  # the grader closed the slot
        if out.status_fd in readable:
            ended = _finish(ctl, out)
            out = None
            if ended.get("error"):
                # A chain that could not set itself up: the next one would fail the same way.
                _send(ctl, {"t": "fatal", "error": ended["error"]})
                return


def _finish(ctl: socket.socket, chain: Chain, announce: bool = True) -> dict:
    try:
        report = os.read(chain.status_fd, 4096)
    except OSError:
        report = b""
    os.close(chain.status_fd)
    _, j_status = os.waitpid(chain.pid, 0)
    try:
        ended = json.loads(report) if report else {}
    except ValueError:
        ended = {}
    ended = dict(ended if isinstance(ended, dict) else {}, j=j_status)
    if announce:
        _send(ctl, {"t": "ended", "chain": chain.pid, **ended})
    return ended


def _reap_strays(keep: set[int]) -> None:
    """Without a pid namespace, orphans of finished jobs reparent to us (a subreaper): reap
    the dead ones, never a chain (its status is read when it reports)."""
    me = os.getpid()
    for proc in iso.process_table().values():
        if proc.ppid == me and proc.state == "Z" and proc.pid not in keep:
            try:
                os.waitpid(proc.pid, os.WNOHANG)
            except ChildProcessError:
                pass


def main(argv: list[str]) -> None:
    ctl_fd, mode, handler_name = int(argv[0]), argv[1], argv[2]
    preload = [m for m in (argv[3] if len(argv) > 3 else "").split(",") if m]
    del sys.argv[1:]
    for name in ("PYTHONSAFEPATH", "PWD"):  # bwrap's chdir sets PWD; neither means anything to a job
        os.environ.pop(name, None)
    ctl = socket.socket(fileno=ctl_fd)
    os.set_inheritable(ctl_fd, False)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the grader decides when we stop
    try:
        serve(ctl, mode == "full", handler_name, preload)
    except BaseException as exc:  # noqa: BLE001 - reported, then the slot is replaced
        try:
            ctl.send(json.dumps({"t": "fatal", "error": f"{type(exc).__name__}: {exc}",
                                 "traceback": traceback.format_exc()[-8000:]}).encode())
        except OSError:
            pass
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
