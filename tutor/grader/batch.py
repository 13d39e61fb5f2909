"""Grading a class: many workspaces, graded in parallel, each student apart from the others.

Every student is read by the trusted parent (regular files only, bounded), copied into a
private folder of one grading *slot*, and graded there; the learner processes of a slot see
neither the submissions folder nor the other slots, nor the caches and their key. A slot
owns its worker pool and its Grader, made by an injectable factory, so that any pool (a
zygote that forks sandboxed children, say) drops in. Results are cached by content
(gradecache.py): a student whose files did not change is not graded again.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import stat
import tempfile
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tutor import __version__
from tutor.engine.catalog import Exercise
from tutor.engine.errors import TutorError, WorkspaceError
from tutor.engine.workspace import CONFIG_NAME, STATE_DIR, reference_cache_dir
from tutor.grader.gradecache import GradeCache
from tutor.grader.results import CheckResult, ExerciseResult, Report, Verdict

MAX_FILE_BYTES = 1 << 20  # a learner's .py file larger than this is not graded
MAX_FILES = 500  # Python files copied per student
SKIPPED_DIRS = {"__pycache__", "node_modules", STATE_DIR}


@dataclass(frozen=True)
class Submission:
    name: str  # relative to the submissions folder, with /
    folder: Path


@dataclass
class Snapshot:
    """What the parent read from one student's folder."""

    files: dict[str, bytes]  # relative path -> content, the Python files to grade with
    problems: list[str]
    lists_packs: bool  # the student's tutor.toml names lesson packs (ignored here)
    fingerprint: str


@dataclass
class StudentResult:
    name: str
    folder: Path
    report: Report
    problems: list[str] = field(default_factory=list)
    cached: bool = False


# -- finding students ---------------------------------------------------------------------

def find_submissions(root: Path, exclude: list[Path] = ()) -> list[Submission]:
    """One student per folder under root holding a tutor.toml (or one level deeper, as in
    root/<student>/<repository>); a folder with neither is still a student, whose tutor.toml
    is missing: a gradebook must not lose anyone silently."""
    root = Path(root)
    if not root.is_dir():
        raise WorkspaceError(f"{root}: submissions folder not found")
    skip = {os.path.realpath(p) for p in exclude}
    found: list[Submission] = []
    for sub in sorted(root.iterdir(), key=lambda p: p.name):
        if sub.name.startswith((".", "_")) or not sub.is_dir() or os.path.realpath(sub) in skip:
            continue
        if (sub / CONFIG_NAME).is_file():
            found.append(Submission(sub.name, sub))
            continue
        nested = sorted(p for p in sub.iterdir() if p.is_dir() and (p / CONFIG_NAME).is_file())
        if nested:
            found.extend(Submission(f"{sub.name}/{p.name}", p) for p in nested)
        else:
            found.append(Submission(sub.name, sub))
    if not found:
        raise WorkspaceError(f"{root}: no student folders found (one folder per student, each holding {CONFIG_NAME})")
    return found


def parse_shard(text: str) -> tuple[int, int]:
    """'i/n' (1 <= i <= n) -> (i, n)."""
    try:
        i, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise WorkspaceError(f"--shard {text!r}: expected i/n, e.g. 1/4") from None
    if not 1 <= i <= n:
        raise WorkspaceError(f"--shard {text!r}: i must be between 1 and n")
    return i, n


def select_shard(submissions: list[Submission], shard: tuple[int, int] | None) -> list[Submission]:
    """Round robin over the students sorted by name: shards are disjoint, cover everyone, and
    differ in size by at most one."""
    if shard is None:
        return list(submissions)
    i, n = shard
    ordered = sorted(submissions, key=lambda s: s.name)
    return [s for k, s in enumerate(ordered) if k % n == i - 1]


# -- reading a student's folder -----------------------------------------------------------

def _read_regular(path: Path, limit: int, within: str | None = None) -> bytes | str:
    """The bytes of a regular file (never through a symbolic link, nor out of `within`), or why not."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "a symbolic link"
    if within is not None and not os.path.realpath(path).startswith(within + os.sep):
        return "reached through a linked folder out of the workspace"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > limit:
        return f"larger than {limit // 1024} KiB"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    return data if len(data) <= limit else f"larger than {limit // 1024} KiB"


def _config_problems(folder: Path) -> tuple[bytes, list[str], bool]:
    raw = _read_regular(folder / CONFIG_NAME, 64 * 1024)
    if isinstance(raw, str):
        return b"", [f"{CONFIG_NAME} {raw}" if raw != "missing" else f"no {CONFIG_NAME}"], False
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return raw, [f"{CONFIG_NAME}: not UTF-8 text"], False
    except tomllib.TOMLDecodeError as exc:
        return raw, [f"{CONFIG_NAME}: invalid TOML ({exc})"], False
    section = data.get("workspace", {})
    packs = section.get("packs", []) if isinstance(section, dict) else None
    if not isinstance(packs, list):
        return raw, [f"{CONFIG_NAME}: 'workspace.packs' must be a list"], False
    return raw, [], bool(packs)


def read_submission(folder: Path, exercises: list[Exercise]) -> Snapshot:
    """The exercise files first, then other Python files a solution may import (bounded)."""
    config, problems, lists_packs = _config_problems(folder)
    inside = os.path.realpath(folder)
    files: dict[str, bytes] = {}
    for ex in exercises:
        data = _read_regular(folder / ex.workspace_path, MAX_FILE_BYTES, inside)
        if isinstance(data, bytes):
            files[ex.workspace_path] = data
        elif data != "missing":
            problems.append(f"{ex.workspace_path} is {data}: not graded")
    too_many = False
    seen = 0
    for here, dirs, names in os.walk(folder):  # never follows symbolic links to folders
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(n for n in names if n.endswith(".py")):
            seen += 1
            rel = Path(here, name).relative_to(folder).as_posix()
            if rel in files:
                continue
            if len(files) >= MAX_FILES or seen > 20 * MAX_FILES:
                too_many = True
                break
            data = _read_regular(Path(here, name), MAX_FILE_BYTES, inside)
            if isinstance(data, bytes):
                files[rel] = data
        if too_many:
            break
    if too_many:
        problems.append(f"more than {MAX_FILES} Python files: only the exercise files and {MAX_FILES} others were used")
    reported = " ".join(problems)
    missing = [ex.workspace_path for ex in exercises
               if ex.workspace_path not in files and f"{ex.workspace_path} is " not in reported]
    if missing and len(missing) == len(exercises) > 1:
        problems.append(f"none of the {len(exercises)} exercise files is there")
    elif len(missing) > 3:
        problems.append(f"{len(missing)} exercise files missing: {', '.join(missing[:3])}, …")
    else:
        problems += [f"{path} missing" for path in missing]
    h = hashlib.sha256(config)
    for rel in sorted(files):
        h.update(b"\0" + rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    return Snapshot(files, problems, lists_packs, h.hexdigest())


# -- grading ------------------------------------------------------------------------------

PoolFactory = Callable[[], object]


def default_pool_factory(preload: tuple[str, ...] = ()):
    """A pool that starts a worker ahead only when asked to (the slot knows whether more
    gradings follow), so no worker is started for nothing at the end of a run."""
    from tutor.engine.runner import WorkerPool

    return WorkerPool(eager=False, preload=preload)


@dataclass
class Slot:
    """One grading at a time: its own folder, worker pool and Grader."""

    folder: Path
    pool: object
    grader: object

    @property
    def workspace(self) -> Path:
        return self.folder / "ws"

    def close(self) -> None:
        try:
            self.grader.close()
        finally:
            close = getattr(self.pool, "close", None)
            if close:
                close()


class ClassGrader:
    """Grades students into StudentResults; `grade()` may be called once per instance."""

    def __init__(self, exercises: list[Exercise], pack_roots: list[Path], catalog_version: str, *,
                 submissions_root: Path, jobs: int = 0, cache: GradeCache | None = None, force: bool = False,
                 pool_factory: PoolFactory | None = None, reference_cache: Path | None = None):
        self.exercises = list(exercises)
        self.targets = [ex.id for ex in self.exercises]
        self.pack_roots = [Path(p) for p in pack_roots]
        self.catalog_version = catalog_version
        self.submissions_root = Path(submissions_root).resolve()
        self.jobs = jobs if jobs > 0 else default_jobs()
        self.cache = cache
        self.force = force
        if pool_factory is None:
            from tutor.grader.warm_imports import for_exercises

            preload = for_exercises(self.exercises)  # a class means many gradings per worker
            pool_factory = lambda: default_pool_factory(preload)  # noqa: E731
        self.pool_factory = pool_factory
        self.reference_cache = reference_cache or reference_cache_dir()
        self.lists_packs = 0  # students whose tutor.toml names packs (ignored)
        self._elsewhere: list[Path] = []  # student folders reached through a link: hidden too

    def grade(self, submissions: list[Submission],
              on_result: Callable[[StudentResult], None] | None = None) -> list[StudentResult]:
        done = on_result or (lambda r: None)
        results: dict[str, StudentResult] = {}
        todo: list[tuple[Submission, Snapshot, str]] = []
        for sub in submissions:
            snap = read_submission(sub.folder, self.exercises)
            self.lists_packs += snap.lists_packs
            key = GradeCache.entry_key(self.catalog_version, self.targets, f"{sub.name}\0{snap.fingerprint}")
            hit = self._cached(key)
            if hit is not None:
                results[sub.name] = StudentResult(sub.name, sub.folder, Report(__version__, str(sub.folder), hit),
                                                  list(snap.problems), cached=True)
                done(results[sub.name])
            else:
                todo.append((sub, snap, key))
        if todo:
            root = str(self.submissions_root) + os.sep
            self._elsewhere = sorted({Path(os.path.realpath(s.folder)) for s, _, _ in todo
                                      if not os.path.realpath(s.folder).startswith(root)})
            for result in self._grade_all(todo, done):
                results[result.name] = result
        return [results[s.name] for s in submissions]

    def _cached(self, key: str) -> list[ExerciseResult] | None:
        if self.cache is None or self.force:
            return None
        entry = self.cache.get(key)
        if entry is None:
            return None
        try:
            results = [ExerciseResult.from_record(r) for r in entry["results"]]
        except (KeyError, TypeError, ValueError):
            return None
        return results if [r.exercise for r in results] == self.targets else None

    def _warm_references(self, snapshots: list[Snapshot]) -> None:
        """Compute the reference results once, here, before the slots start: otherwise every
        slot computes the same ones at the same time for its first student. Only exercises
        some student has started are worth it."""
        from tutor.grader.reference import ReferenceRunner, load_checks

        for ex in self.exercises:
            starter = ex.starter.encode()
            if not any(snap.files.get(ex.workspace_path, starter) != starter for snap in snapshots):
                continue
            checks = load_checks(ex)
            runner = ReferenceRunner(ex, checks, self.reference_cache)
            for index in range(len(checks)):
                try:
                    runner.expected(index)
                except Exception:  # noqa: BLE001 - the grading reports a broken reference, with its file
                    break

    def _grade_all(self, todo, done) -> list[StudentResult]:
        run_dir = Path(tempfile.mkdtemp(prefix="tutor-grade-"))
        n = min(self.jobs, len(todo))
        folders = [run_dir / f"slot{k}" for k in range(n)]
        for folder in folders:
            folder.mkdir(mode=0o700)
        slots: queue.Queue[Slot] = queue.Queue()
        made: list[Slot] = []
        out: list[StudentResult] = []
        try:
            for folder in folders:
                slot = self._make_slot(folder, [f for f in folders if f != folder])
                made.append(slot)
                slots.put(slot)
            # The slots' first workers import torch meanwhile.
            self._warm_references([snap for _, snap, _ in todo])
            stop = threading.Event()
            waiting = [len(todo)]  # students not taken by a slot yet
            lock = threading.Lock()

            def work(sub: Submission, snap: Snapshot, key: str) -> StudentResult:
                if stop.is_set():
                    raise _Stopped()
                slot = slots.get()
                with lock:
                    waiting[0] -= 1
                try:
                    return self._grade_student(slot, sub, snap, key, more=lambda: waiting[0] > 0)
                finally:
                    slots.put(slot)

            with ThreadPoolExecutor(max_workers=n, thread_name_prefix="tutor-grade") as pool:
                futures = [pool.submit(work, *item) for item in todo]
                try:
                    for future in as_completed(futures):
                        result = future.result()
                        out.append(result)
                        done(result)
                except BaseException:
                    stop.set()
                    for f in futures:
                        f.cancel()
                    raise
        finally:
            for slot in made:
                try:
                    slot.close()
                except Exception:  # noqa: BLE001 - closing is best effort; the grading is over
                    pass
            shutil.rmtree(run_dir, ignore_errors=True)
        return out

    def _make_slot(self, folder: Path, other_slots: list[Path]) -> Slot:
        from tutor.engine import sealed
        from tutor.grader.grade import Grader

        hidden = [*other_slots, *self._hidden_always(), *self._elsewhere]
        if self.cache is not None:
            hidden.append(self.cache.folder)
        key_dir = sealed.key_path().parent
        if key_dir.is_dir():
            hidden.append(key_dir)
        for path in hidden:  # a folder must exist before a child starts, or it could not be hidden
            try:
                Path(path).mkdir(parents=True, exist_ok=True)
            except OSError:
                pass
        pool = self.pool_factory()
        grader = Grader(pool=pool, cache_dir=self.reference_cache, protected=self.pack_roots,
                        hidden=[Path(p) for p in hidden])
        return Slot(folder, pool, grader)

    def _hidden_always(self) -> list[Path]:
        """The submissions folder, unless a lesson pack lives in it (the child must read its
        checks.py): then each student folder."""
        root = str(self.submissions_root)
        inside = any(os.path.realpath(p).startswith(root + os.sep) for p in self.pack_roots)
        if not inside:
            return [self.submissions_root]
        return [p for p in self.submissions_root.iterdir()
                if p.is_dir() and not any(os.path.realpath(r).startswith(os.path.realpath(p) + os.sep)
                                          or os.path.realpath(r) == os.path.realpath(p) for r in self.pack_roots)]

    def _grade_student(self, slot: Slot, sub: Submission, snap: Snapshot, key: str,
                       more: Callable[[], bool] = lambda: False) -> StudentResult:
        ws = slot.workspace
        shutil.rmtree(ws, ignore_errors=True)
        ws.mkdir()
        for rel, data in snap.files.items():
            target = ws / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        results = []
        problems = list(snap.problems)
        failed = False
        for n, ex in enumerate(self.exercises):
            try:
                # Start the next worker while this one grades, if anything follows in this slot.
                prefetch = n < len(self.exercises) - 1 or more()
                result = slot.grader.grade(ex, ws / ex.workspace_path, prefetch=prefetch)
            except TutorError:
                raise  # the lesson pack or the sandbox is broken: nobody can be graded
            except Exception as exc:  # noqa: BLE001 - one student's grading must not stop the class
                failed = True
                problems.append(f"{ex.id}: internal grading error ({type(exc).__name__}: {exc})")
                result = ExerciseResult(ex.id, ex.title, [CheckResult("grading", Verdict.ERROR,
                                                                      f"tutor could not grade this: {exc}")])
            results.append(_relocate(result, str(ws), str(sub.folder)))
        if self.cache is not None and not failed:
            self.cache.put(key, {"tutor_version": __version__, "results": [r.to_record() for r in results]})
        return StudentResult(sub.name, sub.folder, Report(__version__, str(sub.folder), results), problems)


class _Stopped(Exception):
    pass


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _relocate(result: ExerciseResult, private: str, original: str) -> ExerciseResult:
    """Messages name the student's own folder, not the private copy it was graded in."""
    def fix(text: str) -> str:
        return text.replace(private, original) if text and private in text else text

    result.output = fix(result.output)
    for check in result.checks:
        check.message, check.evidence, check.output = fix(check.message), fix(check.evidence), fix(check.output)
    return result
