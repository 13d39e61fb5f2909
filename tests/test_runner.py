"""The sandboxed runner: worker pool, restart policy, result channel, errors without tracebacks.

Hostile submissions (timeouts, crashes, forged messages, leftovers) are in tests/redteam/;
these tests pin the runner's own rules.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutor.engine import runner
from tutor.engine.catalog import load_catalog
from tutor.engine.errors import TutorError
from tutor.engine.runner import SandboxError, WorkerPool, wait_for_cleanup
from tutor.grader.grade import Grader
from tutor.grader.results import Verdict

PACK = Path(__file__).resolve().parent / "redteam" / "pack"
CORRECT = (Path(__file__).resolve().parent / "redteam" / "submissions" / "correct.py").read_text()


@pytest.fixture(scope="module")
def exercise():
    return load_catalog([PACK], include_builtin=False).exercise("chapter3/softmax")


def learner(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "chapter3" / "softmax.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


class CountingPool(WorkerPool):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.taken = 0

    def take(self, refill=None):
        self.taken += 1
        return super().take(refill)


def grade(exercise, path, pool, tmp_path):
    grader = Grader(pool=pool, cache_dir=tmp_path / "cache", protected=[PACK])
    return grader.grade(exercise, path)


def test_a_check_killed_after_others_passed_lets_the_rest_run_in_a_fresh_worker(exercise, tmp_path):
    path = learner(tmp_path, CORRECT + textwrap.dedent("""
        _real = softmax

        def softmax(X):
            if tuple(X.shape) == (8, 10):  # only the second check's input
                while True:
                    pass
            return _real(X)
        """))
    pool = CountingPool(eager=False)
    try:
        result = grade(exercise, path, pool, tmp_path)
    finally:
        pool.close()
    assert [c.verdict for c in result.checks] == [Verdict.PASS, Verdict.TIMEOUT, Verdict.PASS]
    assert pool.taken == 2


def test_when_the_first_check_is_killed_the_rest_are_not_run(exercise, tmp_path):
    path = learner(tmp_path, """
        def softmax(X):
            while True:
                pass
        """)
    pool = CountingPool(eager=False)
    try:
        result = grade(exercise, path, pool, tmp_path)
    finally:
        pool.close()
    assert [c.verdict for c in result.checks] == [Verdict.TIMEOUT] * 3
    assert all(c.message.startswith("not run") for c in result.checks[1:])
    assert pool.taken == 1


def test_a_slot_serves_many_gradings_in_one_sandbox(exercise, tmp_path):
    """One zygote per slot: a slot is reused across gradings (and students), each grading a
    fresh process tree, in a pid namespace of its own, forked from it."""
    pool = WorkerPool(eager=False)
    try:
        first = pool.spare
        for source in (CORRECT, "def softmax(X):\n    return X\n", CORRECT):
            grade(exercise, learner(tmp_path, source), pool, tmp_path)
        assert pool.spare is first and first.jobs_run == 3 and first.alive()
        records = list(first.records.values())
        if pool.isolation == "full":
            inodes = {os.fstat(r.pidns_fd).st_ino for r in records}
            assert len(inodes) == 3
    finally:
        pool.close()
    assert wait_for_cleanup(10)
    assert pool.spare is None


def test_several_slots_grade_at_once(exercise, tmp_path):
    """Batch grading's building block: size=2 runs two gradings concurrently, one zygote each."""
    import threading

    pool = WorkerPool(size=2)
    results, errors = [], []

    def one(n):
        try:
            folder = tmp_path / f"student{n}"
            results.append(grade(exercise, learner(folder, CORRECT), pool, folder))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    try:
        threads = [threading.Thread(target=one, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert not errors and [str(r.verdict) for r in results] == ["pass"] * 4
        assert len(pool._slots) == 2 and sum(s.jobs_run for s in pool._slots) == 4
    finally:
        pool.close()


def test_a_grader_that_keeps_warm_has_a_ready_worker_after_each_grading(exercise, tmp_path):
    pool = WorkerPool(eager=False)
    grader = Grader(pool=pool, cache_dir=tmp_path / "cache", protected=[PACK], keep_warm=True)
    try:
        grader.grade(exercise, learner(tmp_path, CORRECT))
        assert pool.spare is not None and not pool.spare.busy and pool.wait_ready(120)
    finally:
        pool.close()


def test_a_worker_that_cannot_start_is_a_tutor_error_not_a_traceback(exercise, tmp_path, monkeypatch):
    monkeypatch.setattr(runner.sys, "executable", "/bin/false")
    pool = WorkerPool(eager=False)
    try:
        with pytest.raises(SandboxError) as info:
            grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
    finally:
        pool.close()
    assert isinstance(info.value, TutorError)
    assert "failed to start" in str(info.value)


def test_results_carry_the_job_nonce(exercise, tmp_path):
    """A message on the result channel without the job's nonce is refused as forged."""
    path = learner(tmp_path, """
        import os

        def softmax(X):
            for name in os.listdir("/proc/self/fd"):
                fd = int(name)
                try:
                    if fd > 2 and os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                        os.write(fd, b'{"t": "done"}\\n')
                except OSError:
                    pass
            return X
        """)
    pool = WorkerPool(eager=False)
    try:
        result = grade(exercise, path, pool, tmp_path)
    finally:
        pool.close()
    assert result.verdict is Verdict.FORBIDDEN
    assert "forged" in result.checks[0].message


def test_learner_output_is_captured_apart_from_results(exercise, tmp_path):
    path = learner(tmp_path, 'print("hello from the learner")\n' + CORRECT)
    pool = WorkerPool(eager=False)
    try:
        result = grade(exercise, path, pool, tmp_path)
    finally:
        pool.close()
    assert result.verdict is Verdict.PASS
    assert "hello from the learner" in result.output


def test_the_workspace_state_and_reference_cache_are_hidden_from_the_learner(exercise, tmp_path):
    state = tmp_path / ".tutor"
    state.mkdir()
    (state / "progress.db").write_text("secret")
    path = learner(tmp_path, f"""
        import subprocess

        def softmax(X):
            out = subprocess.run(["ls", "-A", {str(state)!r}], capture_output=True, text=True).stdout
            raise RuntimeError("saw:" + out.replace(chr(10), ","))
        """)
    pool = WorkerPool(eager=False)
    try:
        grader = Grader(pool=pool, cache_dir=tmp_path / "cache", protected=[PACK], hidden=[state])
        result = grader.grade(exercise, path)
    finally:
        pool.close()
    if "mount namespace" in result.note:
        pytest.skip("no private mount namespace here")
    assert "saw:" in result.checks[0].message
    assert "progress.db" not in result.checks[0].message


GUARD_SCRIPT = r"""
import sys, types
from tutor.engine.guard import ForbiddenAPIError, Guard
import torch
learner = "/tmp/learner_file.py"
guard = Guard([learner], [])
guard.ban("torch.softmax")
guard.protect_imports()
x = torch.zeros(2, 3)

def run_as_learner(src):
    ns = {}
    exec(compile(src, learner, "exec"), ns)
    return ns["f"]()

out = {}
# update_wrapper's __wrapped__ would hand out the original
out["wrapped"] = hasattr(torch.softmax, "__wrapped__")
# harness code still calls the original freely
out["harness"] = torch.softmax(x, -1).shape == (2, 3)
# code compiled from a string counts as the learner's
try:
    ns = {}
    exec(compile("import torch\ndef g(x):\n    return torch.softmax(x, -1)\n", "<made-up>", "exec"), ns)
    ns["g"](x); out["exec"] = "allowed"
except ForbiddenAPIError:
    out["exec"] = "forbidden"
guard.violation = None
# the learner's own import of tutor is refused...
try:
    run_as_learner("def f():\n    import tutor.grader.compare\n"); out["direct"] = "allowed"
except ForbiddenAPIError:
    out["direct"] = "forbidden"
guard.violation = None
# ...while harness code called by the learner may re-import a tutor module it already uses
import tutor.grader.compare
def harness_callback():
    import tutor.grader.compare as c
    return c
sys.modules["harness"] = types.SimpleNamespace(cb=harness_callback)
try:
    run_as_learner("import sys\ndef f():\n    return sys.modules['harness'].cb()\n"); out["callback"] = "allowed"
except ForbiddenAPIError:
    out["callback"] = "forbidden"
print(out)
"""


def test_guard_rules(tmp_path):
    script = tmp_path / "guard_rules.py"  # a real file: code run by `python -c` counts as a string's
    script.write_text(GUARD_SCRIPT)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = eval(proc.stdout.strip().splitlines()[-1])  # noqa: S307 - our own script's dict
    assert out == {"wrapped": False, "harness": True, "exec": "forbidden", "direct": "forbidden",
                   "callback": "allowed"}


@pytest.mark.parametrize("args", [["--help"], ["list"], ["hint", "chapter3/softmax"]])
def test_cold_commands_import_no_torch(args, tmp_path):
    """`tutor --help`, `list` and `hint` answer without importing torch (or numba)."""
    ws = tmp_path / "ws"
    env = dict(os.environ)
    subprocess.run([sys.executable, "-m", "tutor", "init", str(ws), "--pack", str(PACK)], check=True,
                   capture_output=True, env=env)
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom tutor.cli import app\n"
            f"r = CliRunner().invoke(app, {args!r} + ([] if {args!r} == ['--help'] else ['--workspace', {str(ws)!r}]))\n"
            "assert r.exit_code == 0, r.output\n"
            "print('torch' in sys.modules, 'numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_autograd_in_the_child_does_not_import_sympy(exercise, tmp_path):
    """gradcheck's first use would import sympy (seconds on a cold path); the stand-in avoids it
    and still rejects a gradient of the wrong shape."""
    path = learner(tmp_path, """
        import sys
        import torch

        def softmax(X):
            x = X.double().requires_grad_(True)
            torch.autograd.grad(x.exp(), x, grad_outputs=torch.ones_like(x))
            try:
                torch.autograd.grad(x.exp(), x, grad_outputs=torch.ones(1, 1, dtype=x.dtype))
                shape_check = "missing"
            except RuntimeError:
                shape_check = "works"
            raise RuntimeError(f"sympy={'sympy' in sys.modules} shape_check={shape_check}")
        """)
    pool = WorkerPool(eager=False)
    try:
        result = grade(exercise, path, pool, tmp_path)
    finally:
        pool.close()
    assert "sympy=False shape_check=works" in result.checks[0].message


@pytest.fixture
def reduced(monkeypatch):
    """The fallback, as where bwrap cannot run."""
    from tutor.engine import sandbox

    monkeypatch.setenv("TUTOR_SANDBOX", "reduced")
    sandbox.reset_plan()
    yield
    sandbox.reset_plan()


def test_without_namespaces_the_result_says_so_and_python_connections_are_refused(exercise, tmp_path, monkeypatch,
                                                                                   reduced):
    monkeypatch.setenv("TUTOR_NO_NAMESPACES", "1")  # what a system without unshare looks like
    path = learner(tmp_path, """
        import socket

        def softmax(X):
            socket.create_connection(("127.0.0.1", 9), timeout=1)
            return X
        """)
    pool = WorkerPool(eager=False)
    try:
        result = grade(exercise, path, pool, tmp_path)
    finally:
        pool.close()
    assert result.verdict is Verdict.FORBIDDEN
    assert "network access" in result.checks[0].message
    assert "network isolation unavailable" in result.note
    assert "mount namespace" in result.note
    assert result.isolation == "reduced: forced by TUTOR_SANDBOX=reduced"


def test_the_fallback_grades_and_says_so_everywhere(exercise, tmp_path, reduced):
    pool = WorkerPool(eager=False)
    try:
        good = grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
        stolen = grade(exercise, learner(tmp_path, (Path(__file__).parent / "redteam" / "submissions"
                                                    / "read_reference_file.py").read_text()), pool, tmp_path)
    finally:
        pool.close()
    assert good.verdict is Verdict.PASS and stolen.verdict is Verdict.FORBIDDEN
    assert good.isolation.startswith("reduced: ") and good.to_json()["isolation"] == good.isolation
    assert "isolation reduced" in good.note


def _fake_bwrap(tmp_path, complaint: str) -> Path:
    fake = tmp_path / "bwrap"
    fake.write_text(f"#!/bin/sh\necho '{complaint}' >&2\nexit 1\n")
    fake.chmod(0o755)
    return fake


def test_where_bwrap_cannot_run_the_grader_falls_back_and_says_why(exercise, tmp_path, monkeypatch):
    from tutor.engine import sandbox

    monkeypatch.setenv("TUTOR_BWRAP", str(_fake_bwrap(tmp_path, "bwrap: setting up uid map: Permission denied")))
    monkeypatch.delenv("TUTOR_SANDBOX", raising=False)
    sandbox.reset_plan()
    pool = WorkerPool(eager=False)
    try:
        result = grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
    finally:
        pool.close()
        sandbox.reset_plan()
    assert result.verdict is Verdict.PASS
    assert result.isolation.startswith("reduced: bwrap cannot run here: bwrap: setting up uid map: Permission denied")
    assert "AppArmor" in result.isolation


def test_when_full_isolation_is_required_a_machine_without_it_is_a_clear_error(exercise, tmp_path, monkeypatch):
    from tutor.engine import sandbox

    monkeypatch.setenv("TUTOR_BWRAP", str(_fake_bwrap(tmp_path, "bwrap: No permissions to create new namespace")))
    monkeypatch.setenv("TUTOR_SANDBOX", "full")
    sandbox.reset_plan()
    pool = WorkerPool(eager=False)
    try:
        with pytest.raises(SandboxError, match="TUTOR_SANDBOX=full, but bwrap cannot run here"):
            grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
    finally:
        pool.close()
        sandbox.reset_plan()


def test_cpu_time_not_wall_time_is_the_budget(exercise, tmp_path):
    """Sleeping longer than the 2 s CPU budget (within the wall cap) passes; CPU burnt in a
    child process is charged to the check (the whole tree is accounted)."""
    sleepy = learner(tmp_path / "sleepy", CORRECT + textwrap.dedent("""
        import time
        _real = softmax

        def softmax(X):
            if tuple(X.shape) == (8, 10):
                time.sleep(3)
            return _real(X)
        """))
    burner = learner(tmp_path / "burner", CORRECT + textwrap.dedent("""
        import subprocess, sys
        _real = softmax

        def softmax(X):
            if tuple(X.shape) == (8, 10):
                subprocess.run([sys.executable, "-c", "while True: pass"])
            return _real(X)
        """))
    pool = WorkerPool(eager=False)
    try:
        slept = grade(exercise, sleepy, pool, tmp_path)
        burnt = grade(exercise, burner, pool, tmp_path)
    finally:
        pool.close()
    assert slept.verdict is Verdict.PASS, [c.message for c in slept.checks]
    assert [c.verdict for c in burnt.checks] == [Verdict.PASS, Verdict.TIMEOUT, Verdict.PASS]
    assert "2 s of CPU time" in burnt.checks[1].message


def test_waiting_for_the_cpu_is_not_sleeping():
    """The 3x + 2 s cap counts only time with no learner process runnable: on a machine so busy
    that a runnable process waits for the CPU, a right answer does not time out; code that
    sleeps does; CPU over budget must be seen twice in a row (a zombie counted twice for an
    instant is not a timeout); plain wall time has a far ceiling."""
    clock = [0.0]
    budget = runner._Budget("check", 1.0, 10.0, clock=lambda: clock[0])
    for _ in range(1000):  # 20 s runnable on a crowded machine, 0.5 s of CPU
        clock[0] += 0.02
        assert budget.exceeded(10.5, busy=True) is None
    verdicts = []
    for _ in range(300):  # then asleep: stopped after 3 x 1 s + 2 s of it
        clock[0] += 0.02
        verdicts.append(budget.exceeded(10.5, busy=False))
    assert verdicts.index("idle") in range(245, 255)
    spike = runner._Budget("check", 1.0, 10.0, clock=lambda: clock[0])
    assert spike.exceeded(11.5, busy=True) is None and spike.exceeded(10.6, busy=True) is None
    assert spike.exceeded(11.5, busy=True) is None and spike.exceeded(11.5, busy=True) == "cpu"
    crowded = runner._Budget("check", 1.0, 0.0, clock=lambda: clock[0])
    clock[0] += 71
    assert crowded.exceeded(0.5, busy=True) == "wall"


def test_verdicts_do_not_depend_on_load(exercise, tmp_path):
    """Busy loops on twice the cores: a correct solution still passes, an endless loop still
    times out (on CPU time, charged only while it runs)."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 * (os.cpu_count() or 1))]
    pool = WorkerPool(eager=False)
    try:
        good = grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
        endless = grade(exercise, learner(tmp_path, "def softmax(X):\n    while True:\n        pass\n"), pool, tmp_path)
    finally:
        for p in loops:
            p.kill()
            p.wait()
        pool.close()
    assert good.verdict is Verdict.PASS, [c.message for c in good.checks]
    assert endless.verdict is Verdict.TIMEOUT


def test_a_zygote_that_dies_mid_job_is_a_crash_and_the_slot_is_replaced(exercise, tmp_path):
    import signal
    import threading

    path = learner(tmp_path, CORRECT + "\nimport time\ntime.sleep(4)\n")
    pool = WorkerPool(eager=False)
    try:
        slot = pool.spare
        assert slot.wait_ready(300)
        threading.Timer(1.5, lambda: os.kill(slot.zygote_pid, signal.SIGKILL)).start()
        died = grade(exercise, path, pool, tmp_path)
        after = grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
    finally:
        pool.close()
    assert died.verdict is Verdict.CRASH
    assert "sandbox died" in died.checks[0].message
    assert after.verdict is Verdict.PASS and pool._slots == [] and not slot.alive()


def test_a_wedged_zygote_is_a_crash_and_the_slot_is_replaced(exercise, tmp_path, monkeypatch):
    """The job already handed a process chain runs; the next one, which the stopped zygote
    cannot fork, is a crash; the one after gets a fresh slot."""
    import signal

    from tutor.engine import slot as slots

    monkeypatch.setattr(slots, "TAKE_TIMEOUT_S", 2.0)
    pool = WorkerPool(eager=False)
    try:
        slot = pool.spare
        assert slot.wait_ready(300)
        os.kill(slot.zygote_pid, signal.SIGSTOP)
        first = grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
        wedged = grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
        after = grade(exercise, learner(tmp_path, CORRECT), pool, tmp_path)
    finally:
        pool.close()
    assert first.verdict is Verdict.PASS
    assert [c.verdict for c in wedged.checks] == [Verdict.CRASH] * 3
    assert "stopped answering" in wedged.checks[0].message
    assert after.verdict is Verdict.PASS and not slot.alive()


SANDBOX_VIEW = """
import os, pwd, json, sys

def softmax(X):
    seen = {
        "uid": os.getuid(), "gid": os.getgid(), "user": pwd.getpwuid(os.getuid()).pw_name,
        "caps": [l.split()[1] for l in open("/proc/self/status") if l.startswith(("CapEff", "CapPrm", "CapBnd", "CapAmb"))],
        "nnp": [l.split()[1] for l in open("/proc/self/status") if l.startswith("NoNewPrivs")][0],
        "pid1": open("/proc/1/cmdline", "rb").read().split(b"\\0")[0].decode(),
        "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
        "root": sorted(os.listdir("/")),
        "workspace": sorted(os.listdir("/workspace")),
        "repo": sorted(os.listdir(os.path.dirname(os.path.dirname(sys.modules["tutor"].__file__)))),
        "tutor": sorted(os.listdir(os.path.dirname(sys.modules["tutor"].__file__))),
        "tutor_lessons": sorted(os.listdir(os.path.join(os.path.dirname(sys.modules["tutor"].__file__), "lessons"))),
        "env": sorted(os.environ),
        "home": os.environ["HOME"], "cwd": os.getcwd(),
    }
    for path in ("/tmp", os.environ["HOME"]):
        open(os.path.join(path, "scratch"), "w").write("ok")
    seen["lesson_ro"] = bool(os.statvfs("/lesson").f_flag & os.ST_RDONLY)  # opening it is refused by the guard
    for path in ("/workspace/x", "/usr/x", "/x"):
        try:
            open(path, "w")
            seen[path] = "writable"
        except OSError as exc:
            seen[path] = exc.strerror
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    seen["new_userns"] = libc.unshare(0x10000000) == 0  # CLONE_NEWUSER: closed to jobs
    seen["mount"] = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0
    raise RuntimeError("SEEN" + json.dumps(seen))
"""


def test_what_the_sandbox_shows_the_learner(exercise, tmp_path):
    import json

    pool = WorkerPool(eager=False)
    try:
        if pool.isolation != "full":
            pytest.skip(f"bwrap is not usable here ({pool.isolation})")
        result = grade(exercise, learner(tmp_path, SANDBOX_VIEW), pool, tmp_path)
    finally:
        pool.close()
    message = result.checks[0].message
    assert "SEEN" in message, message
    seen, _ = json.JSONDecoder().raw_decode(message[message.index("SEEN") + 4:])
    assert (seen["uid"], seen["gid"], seen["user"]) == (65534, 65534, "learner")
    assert seen["caps"] == ["0000000000000000"] * 4 and seen["nnp"] == "1"
    assert seen["pids"][0] == 1 and len(seen["pids"]) <= 3  # its own pid namespace: init, itself
    assert seen["workspace"] == ["chapter3"]  # only the file being graded
    assert "lessons" in seen["tutor"] and seen["tutor_lessons"] == []  # the packs are covered
    assert set(seen["env"]) <= {"PATH", "HOME", "USER", "TMPDIR", "LANG", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE",
                                "PYTHONNOUSERSITE", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                "NUMBA_NUM_THREADS", "PYTHONPATH", "LC_CTYPE", "TUTOR_NO_NAMESPACES"} | {
                                    k for k in seen["env"] if k.startswith(("LC_", "NUMBA_"))}
    assert seen["/workspace/x"] == seen["/usr/x"] == seen["/x"] == "Read-only file system" and seen["lesson_ro"]
    assert "tests" not in seen["repo"]  # an editable install binds its tutor/ folder, not the repository
    assert "home" in seen["root"] and "workspace" in seen["root"] and "lesson" in seen["root"]
    assert seen["cwd"] == seen["home"] == "/home/learner"
    assert not seen["new_userns"] and not seen["mount"]


def test_forked_helpers_sharing_memory_are_not_counted_twice(exercise, tmp_path):
    """Eight forks of the child share its pages (torch): summed resident sets would be ~6x the
    child's and cross the 1 GB limit; the proportional share does not."""
    path = learner(tmp_path, CORRECT + textwrap.dedent("""
        import os
        import time

        _real = softmax

        def softmax(X):
            pids = []
            for _ in range(8):
                pid = os.fork()
                if pid == 0:
                    time.sleep(0.6)
                    os._exit(0)
                pids.append(pid)
            for pid in pids:
                os.waitpid(pid, 0)
            return _real(X)
        """))
    pool = WorkerPool(eager=False)
    try:
        result = grade(exercise, path, pool, tmp_path)
    finally:
        pool.close()
    assert result.verdict is Verdict.PASS, [c.message for c in result.checks]


def test_a_solution_graded_in_place_inside_its_pack_is_not_hidden_from_itself(tmp_path):
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    solution = pack / "chapter3" / "softmax" / "solutions" / "softmax.py"
    solution.parent.mkdir()
    solution.write_text(CORRECT)
    ex = load_catalog([pack], include_builtin=False).exercise("chapter3/softmax")
    pool = WorkerPool(eager=False)
    try:
        result = Grader(pool=pool, cache_dir=tmp_path / "cache", protected=[pack]).grade(ex, solution)
    finally:
        pool.close()
    assert result.verdict is Verdict.PASS, [c.message for c in result.checks]


def test_the_grader_makes_itself_non_dumpable():
    """Nothing of this user's may ptrace the grader or read its /proc entries (no Yama here)."""
    code = ("import ctypes\nfrom tutor.engine.runner import WorkerPool\n"
            "libc = ctypes.CDLL(None)\nbefore = libc.prctl(3, 0, 0, 0, 0)\n"
            "pool = WorkerPool(prestart=False)\nprint(before, libc.prctl(3, 0, 0, 0, 0))\npool.close()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["1", "0"], out.stderr


def test_a_fork_the_process_limit_refuses_is_the_fork_loop_crash_not_an_error(exercise, tmp_path):
    """Under load the sandbox's RLIMIT_NPROC may refuse a fork loop before the process-count poll
    sees it: the verdict is the same crash either way."""
    code = ("def softmax(X):\n"
            "    raise BlockingIOError(11, 'Resource temporarily unavailable')\n")
    pool = WorkerPool(eager=False)
    try:
        result = grade(exercise, learner(tmp_path, code), pool, tmp_path)
    finally:
        pool.close()
    assert {c.verdict for c in result.checks} == {Verdict.CRASH}
    assert "processes at once" in result.checks[0].message
