import signal
import subprocess
import sys
import textwrap
import time

from tutor.engine.progress import Attempt, ProgressStore


def test_attempts_and_latest(tmp_path):
    store = ProgressStore(tmp_path / "p.db")
    store.record_attempt(Attempt(1.0, "chapter4/softmax", "fail", 0.5, 0.2, "aaa"))
    store.record_attempt(Attempt(2.0, "chapter4/softmax", "pass", 1.0, 0.2, "bbb"))
    store.record_attempt(Attempt(3.0, "chapter4/cross_entropy", "error", 0.0, 0.1, "ccc"))
    latest = store.latest()
    assert latest["chapter4/softmax"].verdict == "pass"
    assert latest["chapter4/cross_entropy"].file_hash == "ccc"
    assert len(store.attempts("chapter4/softmax")) == 2
    assert store.last_exercise() == "chapter4/cross_entropy"


def test_hints_are_counted_and_capped(tmp_path):
    store = ProgressStore(tmp_path / "p.db")
    assert [store.take_hint("x/y", 3) for _ in range(4)] == [1, 2, 3, 3]
    assert store.hints_taken("x/y") == 4
    assert store.hint_level("x/y") == 3


def test_kill_during_writes_loses_nothing_recorded(tmp_path):
    db = tmp_path / "p.db"
    log = tmp_path / "acked"
    writer = textwrap.dedent(f"""
        import sys
        from tutor.engine.progress import Attempt, ProgressStore
        store = ProgressStore({str(db)!r})
        with open({str(log)!r}, "w", buffering=1) as ack:
            for i in range(100000):
                store.record_attempt(Attempt(float(i), "a/b", "pass", 1.0, 0.0, str(i)))
                ack.write(f"{{i}}\\n")
    """)
    proc = subprocess.Popen([sys.executable, "-c", writer])
    deadline = time.time() + 30
    while time.time() < deadline and (not log.exists() or len(log.read_text().splitlines()) < 50):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    acked = len(log.read_text().splitlines())
    assert acked >= 50
    attempts = ProgressStore(db).attempts("a/b")
    # Every acknowledged record survived the kill, in order; at most one more was in flight.
    assert [a.file_hash for a in attempts[:acked]] == [str(i) for i in range(acked)]
    assert acked <= len(attempts) <= acked + 1


def test_a_corrupt_store_is_kept_aside_and_a_fresh_one_started(tmp_path):
    db = tmp_path / ".tutor" / "progress.db"
    db.parent.mkdir()
    db.write_bytes(b"this is not a database" * 100)
    store = ProgressStore(db)
    store.record_attempt(Attempt(1.0, "a/b", "pass", 1.0, 0.1, "x"))
    assert [a.verdict for a in store.attempts()] == ["pass"]
    kept = list(db.parent.glob("progress.db.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    assert len(store.notices) == 1 and "kept it as progress.db.corrupt-" in store.notices[0]


def test_a_store_that_breaks_after_opening_is_replaced_not_raised(tmp_path):
    db = tmp_path / "progress.db"
    store = ProgressStore(db)
    store.record_attempt(Attempt(1.0, "a/b", "pass", 1.0, 0.1, "x"))
    db.write_bytes(b"\0garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"progress.db{suffix}").unlink(missing_ok=True)
    assert store.latest() == {}
    store.record_attempt(Attempt(2.0, "a/b", "fail", 0.0, 0.1, "y"))
    assert [a.verdict for a in store.attempts()] == ["fail"]
    assert any("corrupt-" in n for n in store.notices)


def test_a_deleted_store_is_started_again_with_a_notice(tmp_path):
    db = tmp_path / ".tutor" / "progress.db"
    first = ProgressStore(db)
    assert first.notices == []
    first.take_hint("a/b", 3)
    db.unlink()
    again = ProgressStore(db)
    assert again.notices and "was missing" in again.notices[0]
    assert again.hints_taken("a/b") == 0


def test_a_read_only_workspace_reads_and_records_nothing(tmp_path):
    """A real read-only mount (root: a private mount namespace; otherwise a folder without
    write permission): the store reads what is there and says progress is not saved."""
    import os
    import shutil

    db = tmp_path / "ws" / ".tutor" / "progress.db"
    ProgressStore(db).record_attempt(Attempt(1.0, "a/b", "pass", 1.0, 0.1, "x"))
    code = textwrap.dedent(f"""
        from tutor.engine.progress import Attempt, ProgressStore
        store = ProgressStore({str(db)!r})
        store.record_attempt(Attempt(2.0, "a/b", "fail", 0.0, 0.1, "y"))
        print(store.writable, [a.verdict for a in store.attempts()], store.take_hint("a/b", 3))
        print(store.notices)
    """)
    if os.geteuid() == 0 and shutil.which("unshare"):
        folder = str(db.parent.parent)
        cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c",
               f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && exec \"$0\" -c \"$1\"",
               sys.executable, code]
    else:
        os.chmod(db.parent, 0o555)
        cmd = [sys.executable, "-c", code]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "False ['pass'] 1"
    assert "progress is not saved" in lines[1]
    assert out.stderr.count("tutor: warning: progress is not saved") == 1
    assert [a.verdict for a in ProgressStore(db).attempts()] == ["pass"]
