"""Linux primitives of the sandbox: namespaces, mounts, capabilities, and the process table.

Thin wrappers over libc (through ctypes, so no compiled extension is needed). Each returns
whether it worked instead of raising, so the caller can say what it could not do. On other
systems every call degrades to "did not work".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
_CAP_VERSION_3 = 0x20080522
CAP_SETPCAP = 8
CAP_NET_ADMIN = 12
CAP_SYS_ADMIN = 21
CAP_SYS_RESOURCE = 24

_libc = None


def libc():
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        except OSError:
            _libc = False
    return _libc or None


def _call(name: str, *args) -> bool:
    lib = libc()
    if lib is None:
        return False
    return getattr(lib, name)(*args) == 0


def errno_text() -> str:
    err = ctypes.get_errno()
    return os.strerror(err) if err else "unknown error"


def unshare(flags: int) -> bool:
    return _call("unshare", flags)


def mount(source: str | None, target: str, fstype: str | None, flags: int = 0, data: str | None = None) -> bool:
    enc = (lambda s: None if s is None else os.fsencode(s))
    return _call("mount", enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data))


def make_mounts_private() -> bool:
    """Mounts made from now on stay in this mount namespace (never propagate back)."""
    return mount(None, "/", None, MS_REC | MS_PRIVATE)


def remount_readonly(path: str, bind: bool = False) -> bool:
    flags = MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | (MS_BIND if bind else 0)
    return mount(None, path, None, flags)


def prctl(option: int, arg: int = 0) -> bool:
    lib = libc()
    if lib is None:
        return False
    return lib.prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0


def set_dumpable(flag: bool) -> bool:
    """A non-dumpable process cannot be ptraced or have its /proc entries read by its peers."""
    return prctl(PR_SET_DUMPABLE, 1 if flag else 0)


def no_new_privs() -> bool:
    return prctl(PR_SET_NO_NEW_PRIVS, 1)


def become_subreaper() -> bool:
    """Orphaned descendants (double fork, setsid) reparent to us, so they stay in our tree."""
    return prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(sig: int = 9) -> bool:
    return prctl(PR_SET_PDEATHSIG, sig)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _last_cap() -> int:
    try:
        with open("/proc/sys/kernel/cap_last_cap") as fh:
            return int(fh.read())
    except (OSError, ValueError):
        return 40


def keep_capabilities(keep: tuple[int, ...] = ()) -> bool:
    """Drop every capability but `keep`: bounding set, ambient set, then the process's own sets.

    With `keep=()` the process holds no capability at all, and (with no_new_privs, which the
    sandbox sets) cannot get one back through exec.
    """
    lib = libc()
    if lib is None:
        return False
    ok = True
    for cap in range(_last_cap() + 1):
        if cap not in keep:
            # Fails with EINVAL for a capability the kernel does not know; EPERM when we lack
            # CAP_SETPCAP (then the bounding set is whatever we were given, already reduced).
            prctl(PR_CAPBSET_DROP, cap)
    ok &= prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    mask = [0, 0]
    for cap in keep:
        mask[cap // 32] |= 1 << (cap % 32)
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)(*[_CapData(m, m, 0) for m in mask])
    ok &= lib.capset(ctypes.byref(header), data) == 0
    return ok


def capabilities() -> dict[str, int]:
    """The effective, permitted, bounding and ambient sets of this process, as bit masks."""
    out = {}
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("Cap"):
                    key, value = line.split(":")
                    out[key[3:].lower()] = int(value.strip(), 16)
    except (OSError, ValueError):
        pass
    return out


def open_fds() -> list[int]:
    """This process's open descriptors (/proc on Linux, /dev/fd elsewhere)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return [int(name) for name in os.listdir(folder)]
        except (OSError, ValueError):
            continue
    return list(range(3, 1024))


def close_all_but(keep) -> None:
    keep = set(keep)
    for fd in open_fds():
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0


# -- the best-effort isolation of the reduced mode -------------------------------------------

def enter_namespaces(flags: int = CLONE_NEWNET | CLONE_NEWNS) -> dict[str, bool]:
    """Give this process new namespaces (network and mounts by default), as far as allowed.

    Root gets them directly; an ordinary user tries a user namespace that grants the right.
    Must run while single-threaded. Returns which of network/mounts/pid it got.
    """
    got = {"network": False, "mounts": False, "pid": False}
    if libc() is None or os.environ.get("TUTOR_NO_NAMESPACES") == "1":  # what a system without them gets (tests)
        return got
    if not unshare(flags):
        uid, gid = os.getuid(), os.getgid()
        if unshare(CLONE_NEWUSER | flags):
            # Map ourselves so files keep their owners; without this every file looks foreign.
            for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                try:
                    with open(f"/proc/self/{name}", "w") as fh:
                        fh.write(text)
                except OSError:
                    pass
        elif flags & CLONE_NEWNET and unshare(CLONE_NEWNET):
            got["network"] = True
            return got
        else:
            return got
    got.update(network=bool(flags & CLONE_NEWNET), mounts=bool(flags & CLONE_NEWNS), pid=bool(flags & CLONE_NEWPID))
    if got["mounts"] and not make_mounts_private():
        got["mounts"] = False  # mounts would leak to the host namespace: do not make any
    return got


def loopback_up() -> str | None:
    """Bring up `lo` in this (new, empty) network namespace: processes of one job may then talk
    to each other over 127.0.0.1, and still reach nothing outside. Returns why not, or None."""
    import fcntl
    import socket
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            flags = struct.unpack("16sh14x", fcntl.ioctl(s, siocgifflags, struct.pack("16sh14x", b"lo", 0)))[1]
            fcntl.ioctl(s, siocsifflags, struct.pack("16sh14x", b"lo", flags | iff_up))
        return None
    except OSError as exc:
        return exc.strerror or str(exc)


def hide_paths(paths: list[str], readonly: list[str] = ()) -> bool:
    """In our private mount namespace: make `paths` empty (files: /dev/null; folders: an empty
    read-only tmpfs) and the folders in `readonly` unwritable. Returns False when a mount failed
    (the Python-level guard still stands)."""
    ok = True
    for path in paths:
        try:
            is_dir = os.path.isdir(path)
            exists = os.path.exists(path)
        except OSError:
            continue
        if is_dir:
            ok &= mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=4k,mode=555")
        elif exists:
            ok &= mount("/dev/null", path, None, MS_BIND)
    for path in readonly:
        if os.path.isdir(path):
            ok &= mount(path, path, None, MS_BIND | MS_REC) and remount_readonly(path, bind=True)
    return ok


# -- the process table -------------------------------------------------------------------------

_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Proc:
    __slots__ = ("pid", "ppid", "pgid", "sid", "state", "start", "cpu", "child_cpu")

    def __init__(self, pid, ppid, pgid, sid, state, start, cpu=0.0, child_cpu=0.0):
        self.pid, self.ppid, self.pgid, self.sid, self.state, self.start = pid, ppid, pgid, sid, state, start
        self.cpu, self.child_cpu = cpu, child_cpu  # seconds: own (all threads), and reaped children's


def read_proc(pid: int) -> Proc | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2:].split()
    try:
        utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
        return Proc(pid, int(fields[1]), int(fields[2]), int(fields[3]), fields[0].decode(), int(fields[19]),
                    (utime + stime) / _CLK_TCK, (cutime + cstime) / _CLK_TCK)
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


def tree(root: int, table: dict[int, Proc], zombies: bool = False) -> list[Proc]:
    """`root` and all its descendants (zombies left out unless asked: they hold no memory,
    but their CPU time still counts until they are reaped)."""
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
        if proc is not None and (zombies or proc.state != "Z"):
            out.append(proc)
        todo.extend(p.pid for p in children.get(pid, ()))
    return out


def ns_pids(pid: int) -> list[int]:
    """The pid of `pid` in each pid namespace from ours down to its own (NSpid)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"NSpid:"):
                    return [int(x) for x in line.split()[1:]]
    except (OSError, ValueError):
        pass
    return []


def namespace_id(pid: int, kind: str = "pid") -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/{kind}")
    except OSError:
        return None


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


def resident_mb(pid: int | None) -> float:
    """A process's resident set now, in MB (0 when it is gone or unreadable)."""
    return _status_kb(pid, b"VmRSS:") / 1024 if pid else 0.0


def rss_mb(pids) -> float:
    """Memory of a process tree, in MB: the first pid's peak resident set (VmHWM, which
    catches a spike between two polls) plus the proportional share (Pss) of the others, so
    forked workers that share the first one's pages (torch's libraries) are not counted twice."""
    pids = list(pids)
    if not pids:
        return 0.0
    total = _status_kb(pids[0], b"VmHWM:") + sum(_pss_kb(pid) for pid in pids[1:])
    return total / 1024


def vm_data_kb(pid: int | str = "self") -> int:
    return _status_kb(pid, b"VmData:")
