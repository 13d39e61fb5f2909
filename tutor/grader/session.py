"""One grading session over a workspace: resolve targets, grade, record progress."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tutor import __version__
from tutor.engine.catalog import Catalog, Exercise, load_catalog
from tutor.engine.progress import Attempt, ProgressStore, file_hash
from tutor.engine.runner import WorkerPool
from tutor.engine.workspace import Workspace, reference_cache_dir
from tutor.grader.grade import EventSink, Grader
from tutor.grader.results import ExerciseResult, Report


@dataclass
class Session:
    workspace: Workspace
    catalog: Catalog
    grader: Grader

    @classmethod
    def open(cls, workspace: Workspace, *, pool: WorkerPool | None = None, catalog: Catalog | None = None,
             cache_dir: Path | None = None, keep_warm: bool = False) -> "Session":
        catalog = catalog or load_catalog(workspace.packs)
        protected = [Path(ex.folder).parent.parent for ex in catalog.exercises]
        grader = Grader(pool=pool, cache_dir=cache_dir or reference_cache_dir(), protected=sorted(set(protected)),
                        hidden=[workspace.state_dir], keep_warm=keep_warm)
        return cls(workspace, catalog, grader)

    @classmethod
    def open_warm(cls, workspace: Workspace, *, catalog: Catalog | None = None,
                  warm: list[Exercise] | None = None) -> "Session":
        """The session of the TUI and `tutor watch`: re-checks answer in a blink.

        A worker with torch, numpy and numba imported is always waiting (started again after
        each grading, once that grading is over, so the two do not share the CPU), and this
        process imports torch and the exercises' checks in a background thread meanwhile.
        """
        from tutor.engine.runner import WorkerPool

        from tutor.grader.warm_imports import ALWAYS

        # A warm worker pays for these while it waits, not while an exercise is being graded.
        pool = WorkerPool(preload=ALWAYS, eager=False)
        session = cls.open(workspace, pool=pool, catalog=catalog, keep_warm=True)
        session.grader._own_pool = True  # closing the session closes its pool
        session.warm_up_in_background(warm)
        return session

    def warm_up_in_background(self, exercises: list[Exercise] | None = None) -> threading.Thread:
        """Import torch and load the checks of `exercises` here, off the caller's thread."""

        def warm() -> None:
            try:
                import torch  # noqa: F401

                from tutor.grader.reference import load_checks

                for ex in exercises or []:
                    load_checks(ex)
            except Exception:  # noqa: BLE001 - warming up is an optimisation; grading reports real errors
                pass

        thread = threading.Thread(target=warm, name="tutor-warm-up", daemon=True)
        thread.start()
        return thread

    def progress(self) -> ProgressStore:
        return ProgressStore(self.workspace.progress_db)

    def check(self, exercises: list[Exercise], on_event: EventSink | None = None, *, record: bool = True) -> Report:
        store = self.progress() if record else None
        results: list[ExerciseResult] = []
        for n, ex in enumerate(exercises):
            path = self.workspace.learner_file(ex)
            result = self.grader.grade(ex, path, on_event=on_event, prefetch=n < len(exercises) - 1)
            if store is not None:
                store.record_attempt(Attempt(time.time(), ex.id, str(result.verdict), result.score,
                                             round(result.duration_s, 4), file_hash(path)))
            results.append(result)
        return Report(__version__, str(self.workspace.root), results)

    def close(self) -> None:
        self.grader.close()
