"""Hostile submissions against the sandbox: each gets its verdict, and nothing of it survives.

Every file in submissions/ is one learner file for the red-team exercise chapter3/softmax
(tests/redteam/pack: chapter4/softmax's checks with a 2 s CPU-time limit and 1 GiB of
memory). Its first comment lines say what the grader must answer:

    # verdict: timeout            (alternatives: error|forbidden)
    # message: substring          (optional, in some check's message)
    # diagnosis: id               (optional)
    # needs: full                 (skipped unless the sandbox is bwrap: the attack would hit
    #                              the machine itself under the fallback)
    # needs: thread-guard         (expected to fail until the guard enforces bans per thread)
    # exercise: chapter3/softmax_small_memory   (optional: the same checks, other limits)

Submissions may name the real paths an attacker would aim at; the test fills them in:
__PACK_DIR__, __CACHE_DIR__, __STATE_DIR__ (the workspace's .tutor), __GRADER_PID__ and
__PORTS__ (where a test server listens and must receive nothing).

After each grading the test checks, by its own scan of /proc, that no process of the job is
left: none in the job's pid namespace, none of the pids seen in its tree, and nothing in the
slot's sandbox but the waiting zygote and its next, idle process chain. It also checks that
the lesson pack, the reference cache and the workspace's state are untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import py_compile
import socket
import subprocess
import threading
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tutor.engine import isolation
from tutor.engine.catalog import load_catalog
from tutor.engine.runner import WorkerPool, wait_for_cleanup
from tutor.grader.grade import Grader
from tutor.grader.reports import RENDERERS
from tutor.grader.results import Report, Verdict

HERE = Path(__file__).resolve().parent
PACK = HERE / "pack"
SUBMISSIONS = sorted((HERE / "submissions").glob("*.py"))
EXERCISE_ID = "chapter3/softmax"
SECRET = "TUTOR_REDTEAM_SECRET"


def header(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep and key in ("verdict", "message", "diagnosis", "needs", "exercise"):
            out[key] = value.strip()
    return out


def pack_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(PACK.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path).encode() + path.read_bytes())
    return h.hexdigest()


class _Server:
    """A TCP server on this machine that a sandboxed submission must never reach."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self.received.append(conn.recv(100))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([PACK], include_builtin=False)


@pytest.fixture(scope="module")
def server():
    s = _Server()
    yield s
    s.sock.close()


@pytest.fixture(scope="module")
def pool():
    # A secret in the grader's environment, as CI has: no sandbox may see it.
    os.environ[SECRET] = "hunter2"
    # The bytecode a grader that imported reference.py leaves next to it (an ordinary user's
    # run may not write into the repository: the root run covers that case).
    try:
        pyc = py_compile.compile(str(PACK / "chapter3" / "softmax" / "reference.py"), doraise=True)
    except (OSError, py_compile.PyCompileError):
        pyc = None
    # The warm path's pool: numba preloaded.
    pool = WorkerPool(preload=("numba",))
    yield pool
    pool.close()
    os.environ.pop(SECRET, None)
    if pyc:
        Path(pyc).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def pristine_pack():
    return pack_digest()


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / ".tutor").mkdir()
    (tmp_path / ".tutor" / "progress.db").write_bytes(b"")
    (tmp_path / "chapter3").mkdir()
    return tmp_path


def fill(source: str, workspace: Path, cache_dir: Path, server: _Server) -> str:
    return (source.replace("__PACK_DIR__", str(PACK)).replace("__CACHE_DIR__", str(cache_dir))
            .replace("__STATE_DIR__", str(workspace / ".tutor")).replace("__GRADER_PID__", str(os.getpid()))
            .replace("__PORTS__", repr([server.port])))


def grade(pool, exercise, workspace, source: str, cache_dir: Path):
    learner = workspace / exercise.workspace_path
    learner.write_text(source)
    grader = Grader(pool=pool, cache_dir=cache_dir, protected=[PACK], hidden=[workspace / ".tutor"])
    return grader.grade(exercise, learner)


# -- what survives ------------------------------------------------------------------------------------

def slots(pool):
    return list(pool._slots)


def survivors(pool) -> list[str]:
    """Every live process of a finished job, found by a scan of our own (not the runner's)."""
    table = isolation.process_table()
    found = []
    for slot in slots(pool):
        for record in list(slot.records.values()):
            for p in table.values():
                if p.state == "Z" or p.pid == os.getpid():
                    continue
                if record.pidns_fd is not None and same_namespace(p.pid, record.pidns_fd):
                    found.append(f"{p.pid} (in the job's pid namespace)")
                elif record.known.get(p.pid) == p.start and p.pid != record.j_pid:
                    found.append(f"{p.pid} (seen in the job's tree)")
                elif record.marker and isolation.environ_has(p.pid, record.marker.encode()):
                    found.append(f"{p.pid} (carries the job's marker)")
        found += [f"{pid} (in the slot's sandbox)" for pid in extra_in_sandbox(slot, table)]
    return found


def same_namespace(pid: int, ns_fd: int) -> bool:
    """The runner holds each recent job's pid namespace open, so its identity cannot be
    reused by a later job's while we look."""
    try:
        return os.stat(f"/proc/{pid}/ns/pid").st_ino == os.fstat(ns_fd).st_ino
    except OSError:
        return False


def extra_in_sandbox(slot, table) -> list[int]:
    """Processes in a slot's sandbox besides bwrap, the zygote and its idle next chain."""
    if not slot.alive() or slot.zygote_pid is None:
        return []
    allowed = {slot.proc.pid, slot.zygote_pid}
    zygote = table.get(slot.zygote_pid)
    if zygote is not None:
        allowed.add(zygote.ppid)  # bwrap's init in the sandbox's pid namespace
    chain = slot._host_pid(slot.zygote_pid, slot.ready_chain) if slot.ready_chain else None
    if chain is not None:
        allowed.update(p.pid for p in isolation.tree(chain, table))
    busy = {r.j_pid for r in slot.records.values() if not r.ended.is_set()}
    return [p.pid for p in isolation.tree(slot.proc.pid, table) if p.pid not in allowed and p.pid not in busy]


@pytest.mark.parametrize("submission", SUBMISSIONS, ids=[p.stem for p in SUBMISSIONS])
def test_hostile_submission(submission, pool, catalog, workspace, server, pristine_pack):
    expect = header(submission)
    if expect.get("needs") == "full" and pool.isolation != "full":
        pytest.skip(f"needs bwrap; this run's isolation is {pool.isolation}")
    exercise = catalog.exercise(expect.get("exercise", EXERCISE_ID))
    cache_dir = Path(os.environ["TUTOR_CACHE_DIR"])
    started = time.monotonic()

    result = grade(pool, exercise, workspace, fill(submission.read_text(), workspace, cache_dir, server), cache_dir)
    took = time.monotonic() - started

    verdicts = {Verdict(v) for v in expect["verdict"].split("|")}
    messages = " | ".join(c.message for c in result.checks)
    if expect.get("needs") == "thread-guard" and result.verdict not in verdicts:
        pytest.xfail(f"needs the guard's per-thread enforcement; got {result.verdict}: {messages[:200]}")
    assert result.verdict in verdicts, f"{result.verdict}: {messages}"
    if "message" in expect:
        assert expect["message"] in messages
    if "diagnosis" in expect:
        assert expect["diagnosis"] in {c.diagnosis for c in result.checks}
    assert result.isolation == pool.isolation

    # Nothing of the submission is left running.
    assert wait_for_cleanup(15)
    for slot in slots(pool):  # the zygote forks its next chain once a job is over
        deadline = time.monotonic() + 10
        while slot.alive() and slot.ready_chain is None and time.monotonic() < deadline:
            time.sleep(0.02)
    assert survivors(pool) == []
    # No budget was extended: even a timeout ends within its wall-clock cap (3 x 2 s + 2 s,
    # twice when the first check's verdict sends the rest to a second run), plus start-up.
    assert took < 60
    # Output is captured and truncated, never unbounded.
    assert len(result.output) < 1_100_000
    # The lesson pack, the reference cache and the workspace's state got nothing from it.
    assert pack_digest() == pristine_pack
    assert list(cache_dir.rglob("forged.json")) == list((workspace / ".tutor").rglob("forged.json")) == []
    assert (workspace / ".tutor" / "progress.db").read_bytes() == b""
    assert not (workspace / "chapter3" / "report.json").exists()
    assert not Path("/tmp/pwned-by-learner").exists()
    assert server.received == []
    if submission.stem == "hostile_text":
        assert_reports_survive(result)


def assert_reports_survive(result):
    report = Report("0", "ws", [result])
    text = RENDERERS["text"](report)
    text.encode("utf-8")  # no lone surrogate
    assert "\x00" not in text and "\x1b" not in text
    data = json.loads(RENDERERS["json"](report))
    assert "\\x00" in data["results"][0]["checks"][0]["message"]
    ET.fromstring(RENDERERS["junit"](report))  # parses: no control character left


def test_the_suite_runs_as_the_user_it_was_meant_to():
    """test_as_user.py runs this file as an ordinary user; make sure it really is one."""
    want = os.environ.get("TUTOR_REDTEAM_UID")
    assert want is None or os.geteuid() == int(want)


def test_forged_reference_cache_entries_are_recomputed(pool, catalog, workspace, server):
    """An entry the grader did not write (any writer: a learner under the fallback, another
    user) reads as missing: the expected values are recomputed, never taken from it."""
    exercise = catalog.exercise(EXERCISE_ID)
    cache_dir = workspace / "cache"
    correct = (HERE / "submissions" / "correct.py").read_text()
    assert grade(pool, exercise, workspace, correct, cache_dir).verdict is Verdict.PASS
    entries = list(cache_dir.rglob("*.json"))
    assert entries
    zeros = {"data": {"inputs": {}, "out": {"__array__": "float32", "shape": [2, 3], "data": "A" * 32}, "after": {}},
             "points": {}}
    for path in entries:  # "expected: all zeros", unsealed and sealed under a guessed key
        path.write_bytes(b"\0" * 32 + json.dumps(zeros).encode())
    wrong = "import torch\n\ndef softmax(X):\n    return torch.zeros_like(X)\n"
    assert grade(pool, exercise, workspace, wrong, cache_dir).verdict is Verdict.FAIL
    assert grade(pool, exercise, workspace, correct, cache_dir).verdict is Verdict.PASS


def test_grader_still_answers_after_the_suite(pool, catalog, workspace):
    """After every hostile case, an honest submission still passes in the same pool, and the
    slot that served them all is the same sandbox."""
    exercise = catalog.exercise(EXERCISE_ID)
    cache_dir = Path(os.environ["TUTOR_CACHE_DIR"])
    result = grade(pool, exercise, workspace, (HERE / "submissions" / "correct.py").read_text(), cache_dir)
    assert result.verdict is Verdict.PASS
    assert sum(s.jobs_run for s in slots(pool)) >= 1


def test_forged_report_lines_do_not_reach_the_cli_report(tmp_path, tutor_cmd):
    """`tutor check --format json` prints only the report, whatever the learner prints."""
    ws = tmp_path / "ws"
    subprocess.run([*tutor_cmd, "init", str(ws), "--pack", str(PACK)], check=True, capture_output=True)
    (ws / "chapter3" / "softmax.py").write_text((HERE / "submissions" / "forged_stdout.py").read_text())
    proc = subprocess.run([*tutor_cmd, "check", EXERCISE_ID, "--format", "json", "--workspace", str(ws)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [r["verdict"] for r in report["results"]] == ["fail"]
    assert report["results"][0]["isolation"]
    assert "PASS" not in proc.stdout and "PASS" not in proc.stderr
