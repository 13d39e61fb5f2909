"""Hostile submissions against the sandbox: each gets its verdict, and nothing of it survives.

Every file in submissions/ is one learner file for the red-team exercise chapter3/softmax
(tests/redteam/pack: chapter4/softmax's checks with a 2 s time limit and 1 GiB of memory).
Its first comment lines say what the grader must answer:

    # verdict: timeout            (alternatives: error|forbidden)
    # message: substring          (optional, in some check's message)
    # diagnosis: id               (optional)
    # needs: mounts               (skipped where the child gets no private mount namespace)
    # exercise: chapter3/softmax_small_memory   (optional: the same checks, other limits)

After each grading the test asserts that no process of the submission is left: none carrying
the worker's environment marker (the pool's waiting spare aside), and none of the pids the
submission wrote to its `.pids` file.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from tutor.engine.catalog import load_catalog
from tutor.engine.runner import MARKER_VAR, WorkerPool, wait_for_cleanup
from tutor.grader.grade import Grader
from tutor.grader.results import Verdict

HERE = Path(__file__).resolve().parent
PACK = HERE / "pack"
SUBMISSIONS = sorted((HERE / "submissions").glob("*.py"))
EXERCISE_ID = "chapter3/softmax"


def header(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep and key in ("verdict", "message", "diagnosis", "needs", "exercise"):
            out[key] = value.strip()
    return out


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([PACK], include_builtin=False)


@pytest.fixture(scope="module")
def exercise(catalog):
    return catalog.exercise(EXERCISE_ID)


@pytest.fixture(scope="module")
def pool():
    # The warm path's pool: numba preloaded, a spare always starting while a case runs.
    pool = WorkerPool(preload=("numba",), eager=True)
    yield pool
    pool.close()


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / ".tutor").mkdir()
    (tmp_path / "chapter3").mkdir()
    return tmp_path


def marked_processes() -> dict[int, str]:
    """pid -> worker token of every live process carrying a grading worker's marker."""
    out = {}
    prefix = f"{MARKER_VAR}=".encode()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue
            with open(f"/proc/{name}/environ", "rb") as fh:
                env = fh.read().split(b"\0")
        except (OSError, IndexError):
            continue
        for item in env:
            if item.startswith(prefix):
                out[int(name)] = item[len(prefix):].decode()
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def grade(pool, exercise, workspace, source: Path, cache_dir: Path):
    learner = workspace / exercise.workspace_path
    learner.write_text(source.read_text())
    grader = Grader(pool=pool, cache_dir=cache_dir, protected=[PACK], hidden=[workspace / ".tutor"])
    return grader.grade(exercise, learner)


@pytest.mark.parametrize("submission", SUBMISSIONS, ids=[p.stem for p in SUBMISSIONS])
def test_hostile_submission(submission, pool, catalog, workspace):
    expect = header(submission)
    exercise = catalog.exercise(expect.get("exercise", EXERCISE_ID))
    cache_dir = Path(os.environ["TUTOR_CACHE_DIR"])
    port_file = (workspace / exercise.workspace_path).with_suffix(".port")
    server = _listen(port_file) if submission.stem == "network_connect" else None

    result = grade(pool, exercise, workspace, submission, cache_dir)

    if expect.get("needs") == "mounts" and "mount namespace" in result.note:
        pytest.skip("no private mount namespace on this system")
    verdicts = {Verdict(v) for v in expect["verdict"].split("|")}
    messages = " | ".join(c.message for c in result.checks)
    assert result.verdict in verdicts, f"{result.verdict}: {messages}"
    if "message" in expect:
        assert expect["message"] in messages
    if "diagnosis" in expect:
        assert expect["diagnosis"] in {c.diagnosis for c in result.checks}

    # Nothing of the submission is left running (once the background reaper is done: the
    # first sweep, which SIGKILLs everything found, happened before grade() returned).
    assert wait_for_cleanup(10)
    spare = pool.spare.token if pool.spare is not None else None
    ours = set(pool.tokens) - {spare}
    leftovers = {pid: token for pid, token in marked_processes().items() if token in ours}
    assert leftovers == {}
    pid_file = (workspace / exercise.workspace_path).with_suffix(".pids")
    if pid_file.exists():
        pids = [int(p) for p in pid_file.read_text().split()]
        assert pids, "the submission should have written its pids"
        assert [p for p in pids if alive(p)] == []
    # Output is captured and truncated, never unbounded.
    assert len(result.output) < 1_100_000
    # Neither the reference cache nor the workspace's state got anything from the learner.
    assert list(cache_dir.rglob("forged.json")) == list((workspace / ".tutor").rglob("forged.json")) == []
    if server is not None:
        assert server.received == []


class _Server:
    def __init__(self, sock):
        self.sock, self.received = sock, []

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self.received.append(conn.recv(100))


def _listen(port_file: Path) -> _Server:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    port_file.write_text(str(sock.getsockname()[1]))
    server = _Server(sock)
    threading.Thread(target=server.serve, daemon=True).start()
    return server


def test_grader_still_answers_after_the_suite(pool, exercise, workspace):
    """After every hostile case, an honest submission still passes in the same pool."""
    result = grade(pool, exercise, workspace, HERE / "submissions" / "correct.py", Path(os.environ["TUTOR_CACHE_DIR"]))
    assert result.verdict is Verdict.PASS


def test_forged_report_lines_do_not_reach_the_cli_report(tmp_path, tutor_cmd):
    """`tutor check --format json` prints only the report, whatever the learner prints."""
    ws = tmp_path / "ws"
    subprocess.run([*tutor_cmd, "init", str(ws), "--pack", str(PACK)], check=True, capture_output=True)
    (ws / "chapter3" / "softmax.py").write_text((HERE / "submissions" / "forged_stdout.py").read_text())
    proc = subprocess.run([*tutor_cmd, "check", EXERCISE_ID, "--format", "json", "--workspace", str(ws)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [r["verdict"] for r in report["results"]] == ["fail"]
    assert "PASS" not in proc.stdout and "PASS" not in proc.stderr
