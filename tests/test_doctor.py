"""`tutor doctor` and the facts it rests on: the isolation level, cgroup v2 detection."""

import json
import subprocess
import sys

import pytest

from tutor.engine import limits, sandbox

KEYS = {"isolation", "sandbox self-test", "bwrap", "user namespaces", "cgroup v2 (cpu, memory, pids)", "numba kernels",
        "tutor", "python", "torch", "numba", "numpy"}


def doctor(env_extra: dict | None = None) -> dict:
    import os

    env = dict(os.environ, **(env_extra or {}))
    out = subprocess.run([sys.executable, "-m", "tutor", "doctor", "--format", "json"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_doctor_prints_the_isolation_a_grading_gets_and_imports_no_torch():
    info = doctor()
    assert KEYS <= set(info)
    if sandbox.bwrap_binary() is not None and sys.platform.startswith("linux"):
        # This suite's machines run bwrap; a regression that silently weakens it shows here.
        assert info["isolation"] == "full", info
        assert "bubblewrap" in info["bwrap"]
    code = "import sys\nfrom tutor.engine.doctor import diagnose\ndiagnose(probe=False)\nprint('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_doctor_says_why_isolation_is_reduced(tmp_path):
    assert doctor({"TUTOR_SANDBOX": "reduced"})["isolation"] == "reduced: forced by TUTOR_SANDBOX=reduced"
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    info = doctor({"TUTOR_BWRAP": str(fake)})
    assert info["isolation"].startswith("reduced: bwrap cannot run here: bwrap: setting up uid map")


def _fake_cgroups(tmp_path, cgroup_lines, controllers="cpu memory pids", writable=True, fstype="cgroup2"):
    root = tmp_path / "sys-fs-cgroup"
    here = root / "user.slice" / "tutor.scope"
    here.mkdir(parents=True)
    (here / "cgroup.controllers").write_text(controllers + "\n")
    for name in ("cgroup.procs", "cgroup.subtree_control"):
        (here / name).write_text("")
        if not writable:
            (here / name).chmod(0o444)
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(f"30 1 0:26 / {root} rw,nosuid - {fstype} cgroup2 rw\n")
    self_cgroup = tmp_path / "cgroup"
    self_cgroup.write_text("\n".join(cgroup_lines) + "\n")
    return str(mountinfo), str(self_cgroup), str(here)


def test_cgroup_v2_delegation_is_detected(tmp_path, monkeypatch):
    monkeypatch.delenv("TUTOR_CGROUP", raising=False)
    mountinfo, self_cgroup, here = _fake_cgroups(tmp_path, ["0::/user.slice/tutor.scope"])
    found = limits.detect(mountinfo, self_cgroup)
    assert found.available and found.base == here and set(found.controllers) == {"cpu", "memory", "pids"}


@pytest.mark.parametrize("case, why", [
    ({"cgroup_lines": ["4:memory:/x", "0::/user.slice/tutor.scope"]}, "held by cgroup v1: memory"),
    ({"cgroup_lines": ["0::/user.slice/tutor.scope"], "controllers": "cpu pids"}, "not delegated"),
    ({"cgroup_lines": ["0::/user.slice/tutor.scope"], "fstype": "tmpfs"}, "no cgroup v2 mounted"),
    ({"cgroup_lines": ["1:name=systemd:/"]}, "not in a cgroup v2 hierarchy"),
])
def test_cgroup_v2_without_delegation_is_refused_with_the_reason(tmp_path, monkeypatch, case, why):
    monkeypatch.delenv("TUTOR_CGROUP", raising=False)
    found = limits.detect(*_fake_cgroups(tmp_path, **case)[:2])
    assert not found.available and why in found.why


def test_this_machine_cgroups_and_the_switch_off(monkeypatch):
    monkeypatch.setenv("TUTOR_CGROUP", "off")
    assert limits.detect().why == "disabled by TUTOR_CGROUP"


def test_a_cgroup_is_read_exactly(tmp_path):
    (tmp_path / "cpu.stat").write_text("usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n")
    (tmp_path / "memory.current").write_text(str(300 << 20))
    (tmp_path / "pids.current").write_text("7")
    (tmp_path / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    sample = limits.read_cgroup_sample(str(tmp_path))
    assert (sample.cpu_s, sample.memory_mb, sample.processes, sample.oom_kills) == (2.5, 300.0, 7, 1)


def test_a_job_in_a_cgroup_is_charged_from_its_baseline(tmp_path):
    """cgroup v2: what the zygote and its idle chain hold before the job is not the learner's;
    the kernel is given baseline + limit."""
    from types import SimpleNamespace

    from tutor.engine.runner import Limits, Run

    (tmp_path / "cpu.stat").write_text("usage_usec 9000000\n")
    (tmp_path / "memory.current").write_text(str(400 << 20))
    (tmp_path / "pids.current").write_text("6")
    (tmp_path / "memory.events").write_text("oom_kill 0\n")
    slot_cgroup = limits.SlotCgroup(str(tmp_path))
    run = Run.__new__(Run)
    run.slot = SimpleNamespace(cgroup=slot_cgroup)
    run.cgroup_base = slot_cgroup.sample()
    slot_cgroup.set_limits(int((run.cgroup_base.memory_mb + Limits().memory_mb) * 2**20), 6 + 32 + 4)
    assert (tmp_path / "memory.max").read_text() == str((400 + 2048) << 20) and (tmp_path / "pids.max").read_text() == "42"
    (tmp_path / "cpu.stat").write_text("usage_usec 11500000\n")
    (tmp_path / "memory.current").write_text(str(650 << 20))
    (tmp_path / "pids.current").write_text("12")
    (tmp_path / "memory.events").write_text("oom_kill 1\n")
    sample = run.cgroup_sample()
    assert (sample.memory_mb, sample.processes, sample.oom_kills) == (250.0, 3, 1)
    assert sample.cpu_s - run.cgroup_base.cpu_s == 2.5
