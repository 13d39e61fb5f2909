"""A worker slot: one sandbox holding a warm zygote, and the jobs it runs.

A slot is started once (tutor.engine.sandbox gives the command line: bwrap, or the reduced
fallback) and serves one job at a time, as many jobs as asked. For each job the grader makes
three pipes (the job, the results, the learner's output) and hands their far ends to the
zygote over the slot's control socket; a Run reads the results (bounded in size and count,
stamped with the job's nonce, decoded defensively), drains the output, measures the job's
process tree and kills it: SIGKILL to its pid-namespace init, after which the kernel kills
everything in that namespace. Nothing of a job is left once its cleanup is done
(`wait_for_cleanup`).
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field

from tutor.engine import isolation, limits as meters, sandbox
from tutor.engine.sandbox import SandboxError
from tutor.engine.text import printable

STARTUP_TIMEOUT_S = 300.0  # a zygote's import of torch, on a loaded machine
TAKE_TIMEOUT_S = 30.0  # the zygote acknowledges a job
OUTPUT_CAP = 1 << 20
LINE_CAP = 64 << 20  # one message
MESSAGE_CAP = 256 << 20  # all messages of a job
MAX_MESSAGES = 200_000
MARKER_VAR = "TUTOR_JOB"  # reduced mode: inherited by what a job starts, found at kill time


@dataclass(frozen=True)
class Limits:
    time_s: float = 10.0  # CPU seconds per check (and for importing the learner's module)
    memory_mb: int = 2048
    file_size_mb: int = 64
    nproc: int = 0  # RLIMIT_NPROC in the sandbox (0: max_processes + the sandbox's own)
    max_processes: int = 32  # processes alive at once in the learner's tree
    output_bytes: int = OUTPUT_CAP



class _CappedBuffer:
    def __init__(self, cap: int):
        self.cap, self.parts, self.size, self.dropped = cap, [], 0, 0
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.fd: int | None = None

    def drain(self, fd: int) -> None:
        self.fd = fd
        try:
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                with self.lock:
                    room = self.cap - self.size
                    if room > 0:
                        self.parts.append(chunk[:room])
                        self.size += min(len(chunk), room)
                    self.dropped += max(0, len(chunk) - max(room, 0))
        except OSError:
            pass
        finally:
            self.fd = None  # the number may be reused once closed
            os.close(fd)
            self.closed.set()

    def text(self) -> str:
        with self.lock:
            out = b"".join(self.parts).decode("utf-8", "replace")
            if self.dropped:
                out += f"\n... [{self.dropped} more bytes of output dropped]"
            return printable(out)


# -- starting sandboxes ------------------------------------------------------------------------------

class _Spawner:
    """Starts every sandbox from one long-lived thread: bwrap's --die-with-parent follows the
    thread that started it, and a grading may be started from a short-lived one (the TUI)."""

    def __init__(self):
        self.requests: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def popen(self, *args, **kwargs) -> subprocess.Popen:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._serve, name="tutor-spawner", daemon=True)
                self.thread.start()
        answer: queue.Queue = queue.Queue(1)
        self.requests.put((args, kwargs, answer))
        ok, value = answer.get()
        if not ok:
            raise value
        return value

    def _serve(self) -> None:
        while True:
            args, kwargs, answer = self.requests.get()
            try:
                answer.put((True, subprocess.Popen(*args, **kwargs)))
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller
                answer.put((False, exc))


_spawner = _Spawner()


@dataclass
class JobRecord:
    """One job's processes, for killing it and for checking that nothing of it survives."""

    chain: int  # J's pid as the zygote sees it
    j_pid: int | None = None  # host pids
    l_pid: int | None = None
    pidns: str | None = None  # the job's pid namespace (None: it has none)
    # Held open so the namespace's identity (its inode) is not reused by a later job's while
    # we still check that nothing of this one is alive.
    pidns_fd: int | None = None
    l_pidfd: int | None = None  # signals L race-free, even once its pid could be reused
    marker: str = ""
    ended: threading.Event = field(default_factory=threading.Event)
    status: dict = field(default_factory=dict)
    killed: bool = False
    known: dict[int, int] = field(default_factory=dict)
    # Descriptors are closed (forget) only while nobody compares against them: a closed
    # number can be reused by an unrelated open at once.
    fd_lock: threading.Lock = field(default_factory=threading.Lock)
    forgotten: bool = False

    def survivors(self) -> list[int]:
        """Live processes of this job (none once it has been cleaned up)."""
        table = isolation.process_table()
        out = set()
        for pid in list(self.known):
            p = table.get(pid)
            if p is not None and p.start == self.known.get(pid) and p.state != "Z":
                out.add(pid)
        with self.fd_lock:
            if self.pidns_fd is not None:
                ns = os.fstat(self.pidns_fd).st_ino
                for p in table.values():
                    if p.state != "Z" and _ns_inode(p.pid) == ns:
                        out.add(p.pid)
        if self.marker:
            marker = self.marker.encode()
            out.update(p.pid for p in table.values() if p.state != "Z" and isolation.environ_has(p.pid, marker))
        out.discard(os.getpid())
        return sorted(out)

    def forget(self) -> None:
        with self.fd_lock:
            self.forgotten = True
            for name in ("pidns_fd", "l_pidfd"):
                fd = getattr(self, name)
                if fd is not None:
                    setattr(self, name, None)
                    os.close(fd)

    def kill_learner_root(self) -> None:
        """SIGKILL to L, the job's pid-namespace init: the kernel then kills the namespace."""
        with self.fd_lock:
            if self.l_pidfd is not None:
                try:
                    signal.pidfd_send_signal(self.l_pidfd, signal.SIGKILL)
                except (ProcessLookupError, OSError):
                    pass
                return
            if self.l_pid is not None and not self.forgotten:
                _signal(self.l_pid, signal.SIGKILL)


def _ns_inode(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}/ns/pid").st_ino
    except OSError:
        return None


class Slot:
    """A sandbox with a warm zygote; serves one job at a time, as many jobs as asked."""

    def __init__(self, pool: "WorkerPool | None", plan: sandbox.Plan, preload: tuple[str, ...], handler: str,
                 covers: list[str] = ()):
        self.pool, self.plan = pool, plan
        self.full = plan.full
        self.token = secrets.token_hex(8)
        self._ctl, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = sandbox.python_command("tutor.engine.zygote", str(theirs.fileno()),
                                         "full" if self.full else "reduced", handler, ",".join(preload))
        if self.full:
            launch = sandbox.bwrap_launch(plan.bwrap, command, covers=sandbox.secret_paths(list(covers)))
        else:
            launch = sandbox.Launch(command, sandbox.environment(home="/nonexistent"))
        diag_r, diag_w = os.pipe()
        self.diagnostics = _CappedBuffer(64 << 10)
        self.cgroup = _slot_cgroup()
        preexec = None
        if self.cgroup is not None:
            procs = self.cgroup.procs_file()

            def preexec():  # joins the slot's cgroup before exec: everything it starts is in it
                with open(procs, "w") as fh:
                    fh.write("0")
        try:
            self.proc = _spawner.popen(launch.argv, pass_fds=(theirs.fileno(), *launch.data_fds),
                                       stdin=subprocess.DEVNULL, stdout=diag_w, stderr=diag_w,
                                       start_new_session=True, env=launch.env, preexec_fn=preexec)
        except OSError as exc:
            for fd in (diag_r, diag_w):
                os.close(fd)
            self._ctl.close()
            raise SandboxError(f"cannot start a grading sandbox: {exc}") from None
        finally:
            theirs.close()
            launch.close_fds()
        os.close(diag_w)
        threading.Thread(target=self.diagnostics.drain, args=(diag_r,), daemon=True, name="tutor-slot-diag").start()
        self.hello = threading.Event()
        self.ready = threading.Event()
        self.dead = threading.Event()
        self.failure = ""
        self.unsupported = ""  # why bwrap cannot run here, when that is why this slot failed
        self.zygote_pid: int | None = None
        self._chain: tuple[int, socket.socket] | None = None
        self._chain_ready = threading.Condition()
        self.records: dict[int, JobRecord] = {}
        self._lock = threading.Lock()
        self.busy = False
        self.jobs_run = 0
        threading.Thread(target=self._read_control, daemon=True, name="tutor-slot-control").start()

    # -- the zygote's messages ---------------------------------------------------------------------
    def _read_control(self) -> None:
        while True:
            try:
                data, fds, _flags, _addr = socket.recv_fds(self._ctl, 1 << 16, 1)
            except OSError:
                data, fds = b"", []
            if not data:
                for fd in fds:
                    os.close(fd)
                break
            try:
                msg = json.loads(data)
            except ValueError:
                msg = {}
            kind = msg.get("t")
            if kind == "ready" and len(fds) == 1:
                chain = socket.socket(fileno=fds[0])
                with self._chain_ready:
                    if self._chain is not None:
                        self._chain[1].close()
                    self._chain = (int(msg["chain"]), chain)
                    self._chain_ready.notify_all()
                self.ready.set()
                continue
            for fd in fds:
                os.close(fd)
            if kind == "hello":
                self.zygote_pid = self._find_zygote(int(msg.get("pid", 0)))
                self.hello.set()
            elif kind == "ended":
                record = self.records.get(int(msg.get("chain", -1)))
                if record is not None:
                    record.status = msg
                    record.ended.set()
            elif kind == "fatal":
                self.failure = str(msg.get("error", ""))[:2000]
                break
            elif kind == "unsupported":
                self.unsupported = str(msg.get("why", "the sandbox's self-test failed"))[:500]
                break
        if not self.hello.is_set() and not self.unsupported:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self.diagnostics.closed.wait(1.0)
            complaint = [line for line in self.diagnostics.text().splitlines() if line.startswith("bwrap: ")]
            if self.full and complaint:
                self.unsupported = complaint[-1]
        self.dead.set()
        self.ready.set()  # wake waiters: the slot is gone
        with self._chain_ready:
            self._chain_ready.notify_all()
        for record in self.records.values():
            record.ended.set()

    @property
    def ready_chain(self) -> int | None:
        """The idle chain waiting for a job (J's pid as the zygote sees it), if any."""
        chain = self._chain
        return chain[0] if chain is not None else None

    def take_chain(self, timeout: float) -> tuple[int, socket.socket] | None:
        """The waiting chain and its socket, for one job; None when none comes in time."""
        deadline = time.monotonic() + timeout
        with self._chain_ready:
            while self._chain is None and not self.dead.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._chain_ready.wait(left)
            chain, self._chain = self._chain, None
            return chain

    def _find_zygote(self, ns_pid: int) -> int | None:
        if not self.full:
            return ns_pid
        for _ in range(50):
            for p in isolation.tree(self.proc.pid, isolation.process_table()):
                ns = isolation.ns_pids(p.pid)
                if len(ns) >= 2 and ns[-1] == ns_pid:
                    return p.pid
            time.sleep(0.01)
        return None

    def _host_pid(self, parent: int | None, ns_pid: int) -> int | None:
        if parent is None:
            return None
        for p in isolation.process_table().values():
            if p.ppid == parent:
                ns = isolation.ns_pids(p.pid)
                if (ns[-1] if self.full and len(ns) >= 2 else p.pid) == ns_pid:
                    return p.pid
        return None

    # -- life ---------------------------------------------------------------------------------------
    def alive(self) -> bool:
        return not self.dead.is_set() and self.proc.poll() is None

    def wait_ready(self, timeout: float | None = STARTUP_TIMEOUT_S) -> bool:
        self.ready.wait(timeout)
        return self.ready.is_set() and self.alive()

    def startup_error(self) -> str:
        last = next((line for line in reversed(self.diagnostics.text().splitlines()) if line.strip()), "")
        why = self.failure or (f"exit code {self.proc.poll()}" if self.proc.poll() is not None else "no answer")
        return why + (f" ({last.strip()[:300]})" if last and last.strip() not in why else "")

    KEEP_RECORDS = 32

    def remember(self, record: "JobRecord") -> None:
        """Keep the last few jobs' records (a batch grades thousands through one slot)."""
        with self._lock:
            self.records[record.chain] = record
            while len(self.records) > self.KEEP_RECORDS:
                oldest = next(iter(self.records))
                if not self.records[oldest].ended.is_set():
                    break
                self.records.pop(oldest).forget()

    def release(self) -> None:
        self.busy = False
        if self.pool is not None:
            self.pool.give_back(self)

    def close(self) -> None:
        with self._chain_ready:
            if self._chain is not None:
                self._chain[1].close()  # its M sees the end and exits
                self._chain = None
        try:
            self._ctl.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._ctl.close()
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.kill()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
        if self.cgroup is not None:
            self.cgroup.remove()
        for record in self.records.values():
            record.ended.wait(1.0)
        with self._lock:
            for record in self.records.values():
                record.forget()

    # -- one job ------------------------------------------------------------------------------------
    def start_job(self, job: dict, limits: Limits | None = None) -> "Run":
        """Hand a job to the waiting chain. Raises SandboxError when the slot cannot take it."""
        if not self.wait_ready(STARTUP_TIMEOUT_S):
            if self.unsupported:
                raise Unsupported(self.unsupported)
            raise SandboxError(f"the grading sandbox failed to start: {self.startup_error()}")
        return Run(self, job, limits or Limits())


class Unsupported(SandboxError):
    """bwrap cannot run on this machine (the fallback is used from then on)."""


class SlotLost(SandboxError):
    """The slot's zygote died or wedged: the job is a `crash`, the slot is replaced."""


def _slot_cgroup():
    support = meters.support()
    if not support.available:
        return None
    global _cgroups
    try:
        with _cgroups_lock:
            if _cgroups is None:
                _cgroups = meters.CgroupSet(support)
            return _cgroups.new_slot()
    except OSError:
        return None


_cgroups = None
_cgroups_lock = threading.Lock()


class Run:
    """One job in one slot: its pipes, its readers and its processes."""

    def __init__(self, slot: Slot, job: dict, limits: Limits):
        self.slot = slot
        # cgroup v2: the slot's whole cgroup is measured; what the zygote and the idle chain
        # hold before the job is the baseline, and the kernel enforces baseline + limit.
        self.cgroup_base = None
        if slot.cgroup is not None:
            self.cgroup_base = slot.cgroup.sample()
            try:
                slot.cgroup.set_limits(int((self.cgroup_base.memory_mb + limits.memory_mb) * 2**20),
                                       self.cgroup_base.processes + limits.max_processes + 4)
            except OSError:
                self.cgroup_base = None
        self.nonce = secrets.token_hex(16)
        self.marker = "" if slot.full else f"{MARKER_VAR}={secrets.token_hex(8)}"
        payload = json.dumps(dict(job, nonce=self.nonce, marker=self.marker)).encode()
        job_r, job_w = os.pipe()
        res_r, res_w = os.pipe()
        out_r, out_w = os.pipe()
        self.messages: queue.Queue = queue.Queue()
        self.output = _CappedBuffer(OUTPUT_CAP)
        taken = slot.take_chain(TAKE_TIMEOUT_S) if slot.alive() else None
        if taken is None:
            for fd in (job_r, job_w, res_r, res_w, out_r, out_w):
                os.close(fd)
            raise SlotLost("the grading sandbox stopped answering" if slot.alive() else "the grading sandbox died")
        chain, chain_sock = taken
        self.record = JobRecord(chain, marker=self.marker)
        slot.remember(self.record)  # before the job starts: its end may be reported at once
        try:
            socket.send_fds(chain_sock, [b"job"], [job_r, res_w, out_w])
        except OSError as exc:
            for fd in (job_w, res_r, out_r):
                os.close(fd)
            raise SlotLost(f"the grading sandbox's job process is gone ({exc.strerror})") from None
        finally:
            chain_sock.close()
            for fd in (job_r, res_w, out_w):
                os.close(fd)
        threading.Thread(target=_write_all, args=(job_w, payload), daemon=True, name="tutor-job-writer").start()
        threading.Thread(target=self.output.drain, args=(out_r,), daemon=True, name="tutor-job-output").start()
        threading.Thread(target=self._read_results, args=(res_r,), daemon=True, name="tutor-job-results").start()
        slot.jobs_run += 1
        self.record.j_pid = slot._host_pid(slot.zygote_pid, chain)
        self.meter = (meters.ProcMeter(self.record.j_pid, baseline_mb=isolation.resident_mb(slot.zygote_pid))
                      if self.record.j_pid else None)
        self.scan()

    def scan(self) -> list[isolation.Proc]:
        """The job's tree now; remembers every member, and L once J has started it (a chain
        handed a job while still setting itself up starts L a moment later)."""
        if self.meter is None:
            return []
        procs = self.meter.scan()
        record = self.record
        record.known.update({p.pid: p.start for p in procs if p.pid != record.j_pid})
        if record.l_pid is None and self.meter.learner_root is not None:
            record.l_pid = self.meter.learner_root
            try:
                pidfd = os.pidfd_open(record.l_pid)
                now = isolation.read_proc(record.l_pid)
                if now is not None and now.start == record.known.get(record.l_pid):
                    record.l_pidfd = pidfd
                else:
                    os.close(pidfd)
            except (AttributeError, OSError):
                pass
            ns = isolation.namespace_id(record.l_pid, "pid")
            if ns and ns != isolation.namespace_id(record.j_pid, "pid"):
                try:
                    record.pidns_fd = os.open(f"/proc/{record.l_pid}/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
                    record.pidns = ns
                except OSError:
                    pass
        return procs

    def cgroup_sample(self) -> meters.Sample:
        now, base = self.slot.cgroup.sample(), self.cgroup_base
        # The next chain the zygote forks meanwhile (three idle processes) is not the learner's.
        return meters.Sample(now.cpu_s, max(0.0, now.memory_mb - base.memory_mb),
                             max(0, now.processes - base.processes - 3), now.oom_kills - base.oom_kills)

    def _read_results(self, fd: int) -> None:
        try:
            self._read_lines(fd)
        except BaseException as exc:  # noqa: BLE001 - the supervisor must always hear the end
            self.messages.put({"t": "malformed", "why": f"the result channel failed ({type(exc).__name__})"})
        finally:
            self.messages.put(None)

    def _read_lines(self, fd: int) -> None:
        from tutor.engine.codec import decode

        total = count = 0
        with os.fdopen(fd, "rb") as stream:
            while True:
                try:
                    line = stream.readline(LINE_CAP)
                except (OSError, ValueError):
                    line = b""
                if not line:
                    break
                total += len(line)
                count += 1
                if total > MESSAGE_CAP or count > MAX_MESSAGES or not line.endswith(b"\n"):
                    self.messages.put({"t": "overflow"})
                    break
                try:
                    msg = json.loads(line)
                except (ValueError, RecursionError):
                    self.messages.put({"t": "malformed", "why": "a result message that is not JSON"})
                    continue
                if not isinstance(msg, dict):
                    self.messages.put({"t": "malformed", "why": "a result message that is not an object"})
                    continue
                if not secrets.compare_digest(str(msg.get("n", "")).encode("utf-8", "replace"), self.nonce.encode()):
                    self.messages.put({"t": "forged"})
                    continue
                try:
                    self.messages.put(decode(msg))
                except Exception as exc:  # noqa: BLE001 - any malformed payload is a verdict, never a traceback
                    self.messages.put({"t": "malformed", "why": f"a result that cannot be decoded ({type(exc).__name__}: "
                                                                f"{printable(str(exc))[:200]})"})

    # -- stopping ------------------------------------------------------------------------------------
    def kill(self) -> None:
        """Kill the job's processes now; the zygote reaps them and reports."""
        record = self.record
        record.killed = True
        self.scan()
        if record.pidns and record.l_pid:
            record.kill_learner_root()  # the namespace's init: the kernel kills the rest
        else:
            _sweep(record, self.meter)
        _track_cleanup(record, self.slot)


def _write_all(fd: int, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError:
        pass
    finally:
        os.close(fd)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _sweep(record: JobRecord, meter) -> bool:
    """Without a pid namespace: stop, then kill, every process of the job still alive."""
    targets = set(record.survivors())
    if meter is not None and record.l_pid:
        targets.update(p.pid for p in isolation.tree(record.l_pid, isolation.process_table()))
    targets.discard(os.getpid())
    targets.discard(record.j_pid or -1)
    for sig in (signal.SIGSTOP, signal.SIGKILL):  # freeze first, so a fork loop cannot outrun us
        for pid in targets:
            _signal(pid, sig)
    return bool(targets)


_cleanups: set[threading.Thread] = set()
_cleanups_lock = threading.Lock()


def _track_cleanup(record: JobRecord, slot: Slot) -> None:
    def finish():
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if record.ended.wait(0.01) and not record.survivors():
                    break
                if not record.pidns:
                    _sweep(record, None)
                else:
                    record.kill_learner_root()
        except Exception:  # noqa: BLE001 - a cleanup that cannot finish must not take the grader down
            pass
        finally:
            with _cleanups_lock:
                _cleanups.discard(threading.current_thread())

    thread = threading.Thread(target=finish, name="tutor-reaper", daemon=True)
    with _cleanups_lock:
        _cleanups.add(thread)
    thread.start()


def wait_for_cleanup(timeout: float = 10.0) -> bool:
    """Wait until every killed job's processes are gone and reaped. True when all are."""
    deadline = time.monotonic() + timeout
    while True:
        with _cleanups_lock:
            pending = list(_cleanups)
        if not pending:
            return True
        for thread in pending:
            thread.join(max(0.0, deadline - time.monotonic()))
        if time.monotonic() >= deadline:
            with _cleanups_lock:
                return not _cleanups


def _pending(fd: int) -> int:
    """Bytes waiting in a pipe (FIONREAD); 0 when it cannot be told."""
    import array
    import fcntl
    import termios

    buf = array.array("i", [0])
    try:
        fcntl.ioctl(fd, termios.FIONREAD, buf, True)
    except OSError:
        return 0
    return buf[0]


def _settle(buffer: _CappedBuffer, timeout: float = 0.5) -> None:
    """Let the output drain take what is already in the pipe. The child flushed its output
    before it said "done"; what a killed process might still write is not waited for."""
    deadline = time.monotonic() + timeout
    while not buffer.closed.is_set() and time.monotonic() < deadline:
        fd = buffer.fd
        if fd is None or _pending(fd) == 0:
            time.sleep(0.002)  # the drain may hold a chunk it has read but not stored yet
            return
        time.sleep(0.001)
