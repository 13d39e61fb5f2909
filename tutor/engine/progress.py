"""Progress store: every check attempt and every hint taken, in SQLite under .tutor/.

Each record is its own committed transaction in WAL mode, so a kill mid-write loses at most
the record being written, never one already recorded.

The store never stands between a learner and a grading: a corrupt database is kept aside
(`progress.db.corrupt-<time>`) and a fresh one started; a read-only workspace still grades
(reads what it can, records nothing); a deleted store is started again. Each case gives one
notice (`notices`, and once per process through `notice_handler`, by default a line on
stderr), never a traceback.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    exercise TEXT NOT NULL,
    verdict TEXT NOT NULL,
    score REAL NOT NULL,
    duration_s REAL NOT NULL,
    file_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts(exercise, id);
CREATE TABLE IF NOT EXISTS hints (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    exercise TEXT NOT NULL,
    level INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resets (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    exercise TEXT NOT NULL
);
"""
MARKER = ".progress-store"  # next to the database: it existed once, so its absence is news


@dataclass(frozen=True)
class Attempt:
    ts: float
    exercise: str
    verdict: str
    score: float
    duration_s: float
    file_hash: str


def file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


def _stderr_notice(text: str) -> None:
    try:
        sys.stderr.write(f"tutor: warning: {text}\n")
    except (OSError, ValueError):
        pass


# The TUI replaces this (stderr is its screen); tests collect notices from `store.notices`.
notice_handler: Callable[[str], None] = _stderr_notice
_announced: set[str] = set()


class ProgressStore:
    def __init__(self, path: Path, *, new: bool = False):
        """`new`: the workspace is being created, so a missing database is expected."""
        self.path = Path(path)
        self.notices: list[str] = []
        self.writable = True
        self._open(new)

    # -- opening, and what can go wrong --------------------------------------------------------
    def _notice(self, text: str) -> None:
        self.notices.append(text)
        if text not in _announced:
            _announced.add(text)
            notice_handler(text)

    def _open(self, new: bool) -> None:
        folder = self.path.parent
        existed = self.path.exists()
        if not self._can_write(folder):
            self._read_only(f"{folder} is read-only")
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._read_only(f"{folder} cannot be created ({exc.strerror})")
            return
        if not existed and not new and (folder / MARKER).exists():
            self._notice(f"{self.path} was missing (deleted?); started a fresh progress store")
        try:
            self._initialise()
        except sqlite3.DatabaseError as exc:
            if self._is_read_only_error(exc):
                self._read_only(f"{self.path} cannot be written ({exc})")
                return
            self._quarantine(exc)
            try:
                self._initialise()
            except sqlite3.DatabaseError as again:
                self._read_only(f"{self.path} cannot be used ({again})")
                return
        try:
            (folder / MARKER).touch()
        except OSError:
            pass

    def _initialise(self) -> None:
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)
            check = db.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {check[0] if check else 'no answer'}")

    @staticmethod
    def _can_write(folder: Path) -> bool:
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        return os.access(probe, os.W_OK)

    @staticmethod
    def _is_read_only_error(exc: Exception) -> bool:
        text = str(exc).lower()
        return any(w in text for w in ("readonly", "read-only", "unable to open", "permission", "locked"))

    def _read_only(self, why: str) -> None:
        self.writable = False
        self._notice(f"progress is not saved: {why}")

    def _quarantine(self, exc: Exception) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while kept.exists():
            n += 1
            kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                try:
                    os.replace(source, Path(f"{kept}{suffix}"))
                except OSError:
                    pass
        self._notice(f"{self.path.name} was unreadable ({exc}); kept it as {kept.name} and started a fresh one")

    def _connect(self) -> sqlite3.Connection:
        if not self.writable:
            if not self.path.exists():
                raise sqlite3.OperationalError("no progress store")
            uri = f"file:{self.path}?mode=ro&immutable=1"
            return sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return db

    def _run(self, action, default, write: bool = False):
        """Run one database action; a store that broke since it was opened is kept aside
        and started again (once), one that cannot be written is left alone, never raised."""
        if write and not self.writable:
            return default
        for attempt in (1, 2):
            try:
                with closing(self._connect()) as db:
                    return action(db)
            except sqlite3.DatabaseError as exc:
                if not self.writable or self._is_read_only_error(exc) or attempt == 2:
                    if write:
                        self._notice(f"progress not saved: {exc}")
                    return default
                self._quarantine(exc)
                try:
                    self._initialise()
                except sqlite3.DatabaseError:
                    return default
        return default

    # -- records ----------------------------------------------------------------------------------
    def record_attempt(self, attempt: Attempt) -> None:
        self._run(lambda db: db.execute(
            "INSERT INTO attempts (ts, exercise, verdict, score, duration_s, file_hash) VALUES (?,?,?,?,?,?)",
            (attempt.ts, attempt.exercise, attempt.verdict, attempt.score, attempt.duration_s, attempt.file_hash)),
            None, write=True)

    def attempts(self, exercise: str | None = None) -> list[Attempt]:
        query = "SELECT ts, exercise, verdict, score, duration_s, file_hash FROM attempts"
        args: tuple = ()
        if exercise:
            query += " WHERE exercise = ?"
            args = (exercise,)
        return self._run(lambda db: [Attempt(*row) for row in db.execute(query + " ORDER BY id", args)], [])

    def latest(self) -> dict[str, Attempt]:
        """The last attempt of every exercise, unless the exercise was reset after it."""
        rows = self._run(lambda db: db.execute(
            "SELECT ts, exercise, verdict, score, duration_s, file_hash FROM attempts AS a "
            "WHERE id IN (SELECT MAX(id) FROM attempts GROUP BY exercise) "
            "AND a.ts > COALESCE((SELECT MAX(ts) FROM resets AS r WHERE r.exercise = a.exercise), -1)").fetchall(), [])
        return {row[1]: Attempt(*row) for row in rows}

    def last_exercise(self) -> str | None:
        row = self._run(lambda db: db.execute(
            "SELECT exercise FROM (SELECT exercise, ts FROM attempts UNION ALL SELECT exercise, ts FROM hints "
            "UNION ALL SELECT exercise, ts FROM resets) ORDER BY ts DESC LIMIT 1").fetchone(), None)
        return row[0] if row else None

    def take_hint(self, exercise: str, available: int) -> int:
        """Record the next hint of an exercise; returns its 1-based level (capped at available).
        On a store that cannot be written the next hint is shown all the same."""
        taken = self.hints_taken(exercise)
        level = max(1, min(taken + 1, available))
        self._run(lambda db: db.execute("INSERT INTO hints (ts, exercise, level) VALUES (?,?,?)",
                                        (time.time(), exercise, level)), None, write=True)
        return level

    def hints_taken(self, exercise: str) -> int:
        return self._run(lambda db: db.execute("SELECT COUNT(*) FROM hints WHERE exercise = ?",
                                               (exercise,)).fetchone()[0], 0)

    def hint_level(self, exercise: str) -> int:
        """Highest hint level revealed so far."""
        row = self._run(lambda db: db.execute("SELECT MAX(level) FROM hints WHERE exercise = ?",
                                              (exercise,)).fetchone(), None)
        return (row[0] if row else 0) or 0

    def record_reset(self, exercise: str, ts: float | None = None) -> None:
        """The exercise went back to its starter: earlier attempts no longer say how it stands."""
        self._run(lambda db: db.execute("INSERT INTO resets (ts, exercise) VALUES (?,?)",
                                        (time.time() if ts is None else ts, exercise)), None, write=True)

    def version(self) -> tuple[int, int, int]:
        """Changes whenever anything is recorded (a cheap poll for screens that follow progress)."""
        row = self._run(lambda db: db.execute(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM attempts), (SELECT COALESCE(MAX(id), 0) "
            "FROM hints), (SELECT COALESCE(MAX(id), 0) FROM resets)").fetchone(), None)
        return tuple(row) if row else (0, 0, 0)
