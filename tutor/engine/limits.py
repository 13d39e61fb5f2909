"""Limits that do not depend on the machine's load: CPU time, memory and process count.

A check's budget is CPU time, charged to the job's whole process tree from the moment the
child says the check starts (so the interpreter's start, `import torch` and the warm-up,
which happen in the zygote, are never charged). Time spent sleeping or blocked (no learner
process runnable, sampled at every poll) is capped at 3× the budget plus a margin (DMOJ's
rule for wall time, applied to the time a busy machine cannot explain), and plain wall time
at 10× the budget plus a minute.

Two meters measure a job:
- cgroup v2, where this process was delegated a cgroup with the cpu/memory/pids controllers
  (e.g. under `systemd-run --user -p Delegate=yes`): each worker slot gets its own cgroup;
  `cpu.stat`, `memory.current`/`memory.max` and `pids.current`/`pids.max` are exact and
  enforced by the kernel.
- /proc otherwise: utime+stime of every process of the tree plus the times of its reaped
  children, the tree's resident memory and its process count, polled. A reading over budget
  must be seen twice in a row, so a process counted both as a zombie and in its parent's
  children's times for an instant does not time out a correct solution.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tutor.engine import isolation

WALL_FACTOR = 3.0
WALL_MARGIN_S = 2.0
CEILING_FACTOR = 10.0
CEILING_MARGIN_S = 60.0
CGROUP_ENV = "TUTOR_CGROUP"  # "off" disables the cgroup v2 meter


def wall_cap(cpu_budget_s: float) -> float:
    """How long a check may sleep or block (not runnable) before it is a timeout."""
    return WALL_FACTOR * cpu_budget_s + WALL_MARGIN_S


def wall_ceiling(cpu_budget_s: float) -> float:
    """Plain wall-clock time, however busy the machine: far, a last resort."""
    return CEILING_FACTOR * cpu_budget_s + CEILING_MARGIN_S


@dataclass
class Sample:
    cpu_s: float = 0.0
    memory_mb: float = 0.0
    processes: int = 0
    oom_kills: int = 0
    busy: bool = True  # some learner process is runnable (state R): waiting for the CPU is not idling


@dataclass
class ProcMeter:
    """A job's tree found from /proc: `root` (J) and everything below it. Memory and process
    count cover the learner's part only: the tree below `learner_root` (L), L excluded."""

    root: int
    learner_root: int | None = None
    known: dict[int, int] = field(default_factory=dict)  # pid -> start time, every member seen
    # What the job's processes hold before the learner's code runs: the zygote's pages, which
    # every fork shares and counts in its resident set. Left out, as the cgroup path leaves the
    # zygote out, so a worker that preloads more (warm_imports) leaves the learner as much room.
    baseline_mb: float = 0.0

    def scan(self, table: dict | None = None) -> list[isolation.Proc]:
        table = table if table is not None else isolation.process_table()
        procs = isolation.tree(self.root, table, zombies=True)
        for p in procs:
            self.known.setdefault(p.pid, p.start)
        if self.learner_root is None:
            children = [p for p in procs if p.ppid == self.root]
            if children:
                self.learner_root = children[0].pid
        return procs

    def sample(self, procs: list[isolation.Proc] | None = None) -> Sample:
        if procs is None:
            procs = []
            for pid, start in list(self.known.items()):
                p = isolation.read_proc(pid)
                if p is None or p.start != start:
                    self.known.pop(pid, None)
                    continue
                procs.append(p)
        cpu = sum(p.cpu + p.child_cpu for p in procs)
        learner = self._learner(procs)
        memory = max(0.0, isolation.rss_mb(p.pid for p in learner) - self.baseline_mb) if learner else 0.0
        busy = not learner or any(p.state == "R" for p in learner)
        return Sample(cpu, memory, len(learner), busy=busy)

    def _learner(self, procs: list[isolation.Proc]) -> list[isolation.Proc]:
        if self.learner_root is None:
            return []
        by_pid = {p.pid: p for p in procs}
        out, todo = [], [self.learner_root]
        children: dict[int, list[int]] = {}
        for p in procs:
            children.setdefault(p.ppid, []).append(p.pid)
        while todo:
            pid = todo.pop()
            todo.extend(children.get(pid, ()))
            if pid != self.learner_root and pid in by_pid and by_pid[pid].state != "Z":
                out.append(by_pid[pid])
        out.sort(key=lambda p: (p.ppid != self.learner_root, p.pid))  # the learner's main process first
        return out


# -- cgroup v2 ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CgroupSupport:
    available: bool
    why: str = ""
    base: str = ""  # the delegated cgroup folder we create slots in
    controllers: tuple[str, ...] = ()


def _cgroup2_mount(mountinfo: str) -> str | None:
    try:
        lines = Path(mountinfo).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        left, _, right = line.partition(" - ")
        if right.split(" ", 1)[0] == "cgroup2":
            return left.split()[4]
    return None


def detect(mountinfo: str = "/proc/self/mountinfo", self_cgroup: str = "/proc/self/cgroup") -> CgroupSupport:
    """Can this process give each worker slot a cgroup v2 with cpu, memory and pids? Checks,
    does not change anything: a cgroup2 mount, our own cgroup in it, the controllers there
    (not taken by a v1 hierarchy) and write access (a delegation)."""
    if os.environ.get(CGROUP_ENV, "").lower() in ("off", "0", "no"):
        return CgroupSupport(False, f"disabled by {CGROUP_ENV}")
    mount = _cgroup2_mount(mountinfo)
    if mount is None:
        return CgroupSupport(False, "no cgroup v2 mounted")
    try:
        lines = Path(self_cgroup).read_text().splitlines()
    except OSError:
        return CgroupSupport(False, f"{self_cgroup} unreadable")
    unified = next((line[3:] for line in lines if line.startswith("0::")), None)
    v1 = {c for line in lines if not line.startswith("0::") for c in line.split(":")[1].split(",") if c}
    if unified is None:
        return CgroupSupport(False, "not in a cgroup v2 hierarchy")
    taken = sorted({"cpu", "memory", "pids"} & v1)
    if taken:
        return CgroupSupport(False, f"controllers held by cgroup v1: {', '.join(taken)}")
    here = os.path.join(mount, unified.lstrip("/"))
    try:
        controllers = tuple(Path(here, "cgroup.controllers").read_text().split())
    except OSError:
        return CgroupSupport(False, f"{here} unreadable")
    missing = [c for c in ("cpu", "memory", "pids") if c not in controllers]
    if missing:
        return CgroupSupport(False, f"controllers not delegated to {here}: {', '.join(missing)}", here, controllers)
    for name in ("cgroup.procs", "cgroup.subtree_control"):
        if not os.access(os.path.join(here, name), os.W_OK):
            return CgroupSupport(False, f"{here} is not delegated to this user (no write access)", here, controllers)
    return CgroupSupport(True, "", here, controllers)


class CgroupSet:
    """Slot cgroups under a delegated cgroup. The grader first moves itself into a leaf
    (`tutor-grader`), as a cgroup with controllers enabled for its children may hold no
    process; each slot is then a sibling leaf."""

    def __init__(self, support: CgroupSupport):
        self.base = support.base
        leaf = os.path.join(self.base, f"tutor-grader-{os.getpid()}")
        os.makedirs(leaf, exist_ok=True)
        Path(leaf, "cgroup.procs").write_text(str(os.getpid()))
        Path(self.base, "cgroup.subtree_control").write_text("+cpu +memory +pids")
        self.count = 0

    def new_slot(self) -> "SlotCgroup":
        self.count += 1
        path = os.path.join(self.base, f"tutor-slot-{os.getpid()}-{self.count}")
        os.makedirs(path, exist_ok=True)
        return SlotCgroup(path)


class SlotCgroup:
    def __init__(self, path: str):
        self.path = path

    def procs_file(self) -> str:
        return os.path.join(self.path, "cgroup.procs")

    def set_limits(self, memory_bytes: int | None, pids: int | None) -> None:
        Path(self.path, "memory.max").write_text(str(memory_bytes) if memory_bytes else "max")
        Path(self.path, "pids.max").write_text(str(pids) if pids else "max")
        try:
            Path(self.path, "memory.swap.max").write_text("0")
        except OSError:
            pass

    def sample(self) -> Sample:
        return read_cgroup_sample(self.path)

    def remove(self) -> None:
        try:
            os.rmdir(self.path)
        except OSError:
            pass


def read_cgroup_sample(path: str) -> Sample:
    def keyed(name: str) -> dict[str, int]:
        out = {}
        try:
            for line in Path(path, name).read_text().splitlines():
                key, _, value = line.partition(" ")
                out[key] = int(value)
        except (OSError, ValueError):
            pass
        return out

    def number(name: str) -> int:
        try:
            return int(Path(path, name).read_text().strip())
        except (OSError, ValueError):
            return 0

    cpu = keyed("cpu.stat").get("usage_usec", 0) / 1e6
    return Sample(cpu, number("memory.current") / 2**20, number("pids.current"), keyed("memory.events").get("oom_kill", 0))


_support: CgroupSupport | None = None


def support() -> CgroupSupport:
    global _support
    if _support is None:
        _support = detect()
    return _support
