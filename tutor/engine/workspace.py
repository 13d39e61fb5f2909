"""A learner's workspace: tutor.toml, one file per exercise, and `.tutor/` for progress.

Learner files are precious: nothing here overwrites one without first keeping a copy.
"""

from __future__ import annotations

import os
import shutil
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tutor.engine.catalog import Catalog, Exercise
from tutor.engine.errors import WorkspaceError

CONFIG_NAME = "tutor.toml"
STATE_DIR = ".tutor"
CONFIG_TEMPLATE = """\
# A tutor workspace. Edit the files under chapterN/; grade them with `tutor check`.
[workspace]
format = 1
# Extra lesson packs (folders of chapterN/ folders), relative to this file.
packs = []
"""


@dataclass(frozen=True)
class Workspace:
    root: Path
    packs: tuple[Path, ...] = field(default=())

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def progress_db(self) -> Path:
        return self.state_dir / "progress.db"

    @property
    def backup_dir(self) -> Path:
        return self.state_dir / "backups"

    def learner_file(self, ex: Exercise) -> Path:
        return self.root / ex.workspace_path

    def is_untouched(self, ex: Exercise) -> bool:
        path = self.learner_file(ex)
        return path.is_file() and path.read_text(encoding="utf-8") == ex.starter

    def reset(self, ex: Exercise) -> Path | None:
        """Put the starter back; the old file is kept in .tutor/backups. Returns the backup."""
        target = self.learner_file(ex)
        backup = None
        if target.exists():
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = self.backup_dir / ex.chapter / f"{ex.slug}-{stamp}-{time.time_ns() % 10**6:06d}.py"
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, backup)
        _atomic_write(target, ex.starter)
        return backup


def reference_cache_dir() -> Path:
    """Where cached reference results live: outside every workspace, so that a workspace (a
    student's pushed repository, say) cannot bring its own forged expected values."""
    explicit = os.environ.get("TUTOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tutor" / "reference"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def find_workspace(start: Path | None = None, explicit: Path | None = None) -> Workspace:
    """The workspace named by --workspace, else the nearest folder upwards holding tutor.toml."""
    if explicit is not None:
        root = Path(explicit).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise WorkspaceError(f"{root} is not a tutor workspace (no {CONFIG_NAME}); create one with `tutor init {explicit}`")
        return _open(root)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return _open(folder)
    raise WorkspaceError(f"no tutor workspace here or above {here}; create one with `tutor init DIR`")


def _open(root: Path) -> Workspace:
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path}: invalid TOML: {exc}") from None
    section = data.get("workspace", {})
    packs = section.get("packs", [])
    if not isinstance(packs, list) or not all(isinstance(p, str) for p in packs):
        raise WorkspaceError(f"{path}: 'workspace.packs' must be a list of folder paths")
    return Workspace(root, tuple((root / p).resolve() for p in packs))


def init_workspace(root: Path, catalog: Catalog) -> tuple[Workspace, list[Exercise]]:
    """Create (or top up) a workspace. Existing learner files are never touched.

    Returns the workspace and the exercises whose starters were written now.
    """
    root = Path(root).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    root.mkdir(parents=True, exist_ok=True)
    config = root / CONFIG_NAME
    if not config.exists():
        _atomic_write(config, CONFIG_TEMPLATE)
    ws = _open(root)
    ws.state_dir.mkdir(exist_ok=True)
    written = []
    for ex in catalog.exercises:
        target = ws.learner_file(ex)
        if target.exists():
            continue
        _atomic_write(target, ex.starter)
        written.append(ex)
    return ws, written
