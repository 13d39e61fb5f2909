"""One grading session over a workspace: resolve targets, grade, record progress."""

from __future__ import annotations

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
             cache_dir: Path | None = None) -> "Session":
        catalog = catalog or load_catalog(workspace.packs)
        protected = [Path(ex.folder).parent.parent for ex in catalog.exercises]
        grader = Grader(pool=pool, cache_dir=cache_dir or reference_cache_dir(), protected=sorted(set(protected)))
        return cls(workspace, catalog, grader)

    def progress(self) -> ProgressStore:
        return ProgressStore(self.workspace.progress_db)

    def check(self, exercises: list[Exercise], on_event: EventSink | None = None, *, record: bool = True) -> Report:
        store = self.progress() if record else None
        results: list[ExerciseResult] = []
        for ex in exercises:
            path = self.workspace.learner_file(ex)
            result = self.grader.grade(ex, path, on_event=on_event)
            if store is not None:
                store.record_attempt(Attempt(time.time(), ex.id, str(result.verdict), result.score,
                                             round(result.duration_s, 4), file_hash(path)))
            results.append(result)
        return Report(__version__, str(self.workspace.root), results)

    def close(self) -> None:
        self.grader.close()
