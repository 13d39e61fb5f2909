"""OS-level isolation of a grading child: namespaces, mounts, process tree, limits.

Everything here is best effort and reports what it could not do, so that a result can say
"network isolation unavailable" instead of silently grading with less protection.
Linux only; on other systems every function degrades to a note.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_CHILD_SUBREAPER = 36

_libc = None


def libc():
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        except OSError:
            _libc = False
    return _libc or None


def enter_namespaces() -> dict[str, bool]:
    """Give this process its own network and mount namespaces.

    Must run while the process is still single-threaded (before torch starts its thread
    pools): namespaces belong to threads, and threads created later inherit them. Root gets
    them directly; an unprivileged user tries a user namespace that grants the right.
    """
    lib = libc()
    got = {"network": False, "mounts": False}
    if lib is None or os.environ.get("TUTOR_NO_NAMESPACES") == "1":  # the fallback, on demand (tests)
        return got
    if lib.unshare(CLONE_NEWNET | CLONE_NEWNS) == 0:
        got.update(network=True, mounts=True)
    else:
        uid, gid = os.getuid(), os.getgid()
        if lib.unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) == 0:
            got.update(network=True, mounts=True)
            # Map ourselves so files keep their owners; without this every file looks foreign.
            for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                try:
                    with open(f"/proc/self/{name}", "w") as fh:
                        fh.write(text)
                except OSError:
                    pass
        elif lib.unshare(CLONE_NEWNET) == 0:
            got["network"] = True
    if got["mounts"] and lib.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        got["mounts"] = False  # mounts would leak to the host namespace: do not make any
    return got


def hide_paths(paths: list[str], readonly: list[str]) -> bool:
    """In our private mount namespace: make `paths` empty and `readonly` unwritable.

    Files are covered by /dev/null, folders by an empty read-only tmpfs. Returns False when a
    mount failed (the Python-level guard still stands).
    """
    lib = libc()
    if lib is None:
        return False
    ok = True
    for path in paths:
        try:
            is_dir = os.path.isdir(path)
        except OSError:
            continue
        raw = os.fsencode(path)
        if is_dir:
            ok &= lib.mount(b"tmpfs", raw, b"tmpfs", MS_RDONLY, b"size=4k,mode=555") == 0
        elif os.path.exists(path):
            ok &= lib.mount(b"/dev/null", raw, None, MS_BIND, None) == 0
    for path in readonly:
        if not os.path.isdir(path):
            continue
        raw = os.fsencode(path)
        if lib.mount(raw, raw, None, MS_BIND | MS_REC, None) != 0:
            ok = False
            continue
        ok &= lib.mount(None, raw, None, MS_BIND | MS_REMOUNT | MS_RDONLY, None) == 0
    return ok


def become_subreaper() -> bool:
    """Orphaned descendants (double fork, setsid) reparent to us, so they stay in our tree."""
    lib = libc()
    return lib is not None and lib.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


# -- the process table ---------------------------------------------------------------------

class Proc:
    __slots__ = ("pid", "ppid", "pgid", "sid", "state", "start")

    def __init__(self, pid, ppid, pgid, sid, state, start):
        self.pid, self.ppid, self.pgid, self.sid, self.state, self.start = pid, ppid, pgid, sid, state, start


def read_proc(pid: int) -> Proc | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2:].split()
    try:
        return Proc(pid, int(fields[1]), int(fields[2]), int(fields[3]), fields[0].decode(), int(fields[19]))
    except (IndexError, ValueError):
        return None


def process_table() -> dict[int, Proc]:
    table = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return table
    for name in entries:
        if name.isdigit():
            proc = read_proc(int(name))
            if proc is not None:
                table[proc.pid] = proc
    return table


def tree(root: int, table: dict[int, Proc]) -> list[Proc]:
    """`root` and all its live descendants (zombies left out: they hold nothing)."""
    children: dict[int, list[Proc]] = {}
    for proc in table.values():
        children.setdefault(proc.ppid, []).append(proc)
    out, todo = [], [root]
    seen = set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        proc = table.get(pid)
        if proc is not None and proc.state != "Z":
            out.append(proc)
        todo.extend(p.pid for p in children.get(pid, ()))
    return out


def environ_has(pid: int, marker: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            return marker in fh.read().split(b"\0")
    except OSError:
        return False


def _status_kb(pid: int, field: bytes) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return _status_kb(pid, b"VmRSS:")


def rss_mb(pids) -> float:
    """Memory of a process tree, in MB: the first pid's peak resident set (VmHWM, which
    catches a spike between two polls) plus the proportional share (Pss) of the others, so
    forked workers that share the first one's pages (torch's libraries) are not counted twice."""
    pids = list(pids)
    if not pids:
        return 0.0
    total = _status_kb(pids[0], b"VmHWM:") + sum(_pss_kb(pid) for pid in pids[1:])
    return total / 1024
