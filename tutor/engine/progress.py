"""Progress store: every check attempt and every hint taken, in SQLite under .tutor/.

Each record is its own committed transaction in WAL mode, so a kill mid-write loses at most
the record being written, never one already recorded.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

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


class ProgressStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return db

    def record_attempt(self, attempt: Attempt) -> None:
        with closing(self._connect()) as db:
            db.execute(
                "INSERT INTO attempts (ts, exercise, verdict, score, duration_s, file_hash) VALUES (?,?,?,?,?,?)",
                (attempt.ts, attempt.exercise, attempt.verdict, attempt.score, attempt.duration_s, attempt.file_hash),
            )

    def attempts(self, exercise: str | None = None) -> list[Attempt]:
        query = "SELECT ts, exercise, verdict, score, duration_s, file_hash FROM attempts"
        args: tuple = ()
        if exercise:
            query += " WHERE exercise = ?"
            args = (exercise,)
        with closing(self._connect()) as db:
            return [Attempt(*row) for row in db.execute(query + " ORDER BY id", args)]

    def latest(self) -> dict[str, Attempt]:
        """The last attempt of every exercise, unless the exercise was reset after it."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT ts, exercise, verdict, score, duration_s, file_hash FROM attempts AS a "
                "WHERE id IN (SELECT MAX(id) FROM attempts GROUP BY exercise) "
                "AND a.ts > COALESCE((SELECT MAX(ts) FROM resets AS r WHERE r.exercise = a.exercise), -1)"
            ).fetchall()
        return {row[1]: Attempt(*row) for row in rows}

    def last_exercise(self) -> str | None:
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT exercise FROM (SELECT exercise, ts FROM attempts UNION ALL SELECT exercise, ts FROM hints "
                "UNION ALL SELECT exercise, ts FROM resets) "
                "ORDER BY ts DESC LIMIT 1"
            ).fetchone()
        return row[0] if row else None

    def take_hint(self, exercise: str, available: int) -> int:
        """Record the next hint of an exercise; returns its 1-based level (capped at available)."""
        with closing(self._connect()) as db:
            taken = db.execute("SELECT COUNT(*) FROM hints WHERE exercise = ?", (exercise,)).fetchone()[0]
            level = min(taken + 1, available)
            db.execute("INSERT INTO hints (ts, exercise, level) VALUES (?,?,?)", (time.time(), exercise, level))
        return level

    def hints_taken(self, exercise: str) -> int:
        with closing(self._connect()) as db:
            return db.execute("SELECT COUNT(*) FROM hints WHERE exercise = ?", (exercise,)).fetchone()[0]

    def hint_level(self, exercise: str) -> int:
        """Highest hint level revealed so far."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT MAX(level) FROM hints WHERE exercise = ?", (exercise,)).fetchone()
        return row[0] or 0

    def record_reset(self, exercise: str, ts: float | None = None) -> None:
        """The exercise went back to its starter: earlier attempts no longer say how it stands."""
        with closing(self._connect()) as db:
            db.execute("INSERT INTO resets (ts, exercise) VALUES (?,?)", (time.time() if ts is None else ts, exercise))

    def version(self) -> tuple[int, int, int]:
        """Changes whenever anything is recorded (a cheap poll for screens that follow progress)."""
        with closing(self._connect()) as db:
            return db.execute("SELECT (SELECT COALESCE(MAX(id), 0) FROM attempts), (SELECT COALESCE(MAX(id), 0) "
                              "FROM hints), (SELECT COALESCE(MAX(id), 0) FROM resets)").fetchone()
