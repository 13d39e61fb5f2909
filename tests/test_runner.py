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


def test_pool_refills_only_when_asked(exercise, tmp_path):
    pool = WorkerPool(eager=False)
    try:
        first = pool.spare
        worker = pool.take(refill=False)
        assert worker is first and pool.spare is None
        worker.close_unused()
        pool.refill()
        assert pool.spare is not None and pool.spare is not first
        assert pool.wait_ready(120)
    finally:
        pool.close()
    assert wait_for_cleanup(10)
    assert pool.spare is None


def test_a_grader_that_keeps_warm_has_a_ready_worker_after_each_grading(exercise, tmp_path):
    pool = WorkerPool(eager=False)
    grader = Grader(pool=pool, cache_dir=tmp_path / "cache", protected=[PACK], keep_warm=True)
    try:
        grader.grade(exercise, learner(tmp_path, CORRECT))
        assert pool.spare is not None and not pool.spare.used
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


def test_without_namespaces_the_result_says_so_and_python_connections_are_refused(exercise, tmp_path, monkeypatch):
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
