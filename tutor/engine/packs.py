"""Where lesson packs come from, and which of them may decide a grade.

A pack is a folder of chapter folders (see catalog.py). Packs reach the catalog from:

- the operator of the grader, who is trusted: `--lessons DIR` (repeatable) on the command
  line, the `TUTOR_LESSONS` path list (os.pathsep-separated) in the environment, and installed
  distributions that expose a pack in the `tutor.lessons` entry-point group;
- the workspace, which is not: the `packs` list of its tutor.toml.

A pack carries the reference and the checks a submission is judged by, so a pack listed by
the submission itself could grade anything as right. Workspace packs are therefore used only
for a self-learner's own commands; `tutor grade`, any command given `--lessons`, and CI mode
(the `CI` environment variable set, or `--strict`) ignore them and say so.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from tutor.engine.catalog import BUILTIN_PACK, Catalog, load_catalog
from tutor.engine.errors import CatalogError

ENTRY_POINT_GROUP = "tutor.lessons"
ENV_VAR = "TUTOR_LESSONS"
_FALSE_WORDS = {"", "0", "false", "no", "off"}


@dataclass(frozen=True)
class PackSource:
    """One pack and where it came from (for error messages and notices)."""

    path: Path
    origin: str  # "--lessons", "TUTOR_LESSONS", "package NAME", "tutor.toml", "built-in"

    def describe(self) -> str:
        return "the built-in curriculum" if self.origin == "built-in" else f"{self.path} ({self.origin})"


@dataclass(frozen=True)
class CatalogChoice:
    catalog: Catalog
    sources: tuple[PackSource, ...]  # the packs the catalog holds, built-in first
    ignored: tuple[PackSource, ...] = ()  # workspace packs left out, if any
    notice: str | None = None  # one line for stderr when workspace packs were ignored
    trusted: bool = False  # True: only operator packs (grade, --lessons, CI mode)

    @property
    def roots(self) -> list[Path]:
        return [s.path for s in self.sources]


def ci_mode(env: Mapping[str, str] | None = None) -> bool:
    """CI providers set CI (GitHub Actions, GitLab, Travis, ... set CI=true)."""
    env = os.environ if env is None else env
    return env.get("CI", "").strip().lower() not in _FALSE_WORDS


def env_packs(env: Mapping[str, str] | None = None) -> list[PackSource]:
    env = os.environ if env is None else env
    value = env.get(ENV_VAR, "")
    return [PackSource(Path(p).expanduser(), ENV_VAR) for p in value.split(os.pathsep) if p.strip()]


def entry_point_packs() -> list[PackSource]:
    """Packs of installed distributions: `[project.entry-points."tutor.lessons"] name = "pkg"`.

    The value names a package whose folder is the pack; it is located without being imported.
    `pkg:attr` names an object instead (a path, or a function returning one), which is imported.
    """
    found = []
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
        dist = getattr(ep, "dist", None)
        origin = f"package {dist.name}" if dist is not None else f"entry point {ep.name}"
        found.append(PackSource(_entry_point_path(ep, origin), origin))
    return found


def _entry_point_path(ep, origin: str) -> Path:
    where = f"{ENTRY_POINT_GROUP} entry point {ep.name!r} = {ep.value!r} of {origin}"
    try:
        if ep.attr is None:
            spec = importlib.util.find_spec(ep.module)
            if spec is None:
                raise CatalogError(f"{where}: module {ep.module!r} not found")
            locations = list(spec.submodule_search_locations or [])
            if not locations:
                raise CatalogError(f"{where}: {ep.module!r} is a module, not a package folder")
            return Path(locations[0])
        value = ep.load()
        value = value() if callable(value) else value
        if not isinstance(value, (str, os.PathLike)):
            raise CatalogError(f"{where}: gives {type(value).__name__}, not a folder path")
        return Path(value)
    except CatalogError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken installed pack is a configuration error
        raise CatalogError(f"{where}: {type(exc).__name__}: {exc}") from None


def operator_packs(lessons: list[Path] | tuple[Path, ...] = (), env: Mapping[str, str] | None = None,
                   entry_points: bool = True) -> list[PackSource]:
    """The trusted packs: command line first, then environment, then installed packages."""
    sources = [PackSource(Path(p).expanduser(), "--lessons") for p in lessons]
    sources += env_packs(env)
    if entry_points:
        sources += entry_point_packs()
    return sources


def trust_reason(lessons, strict: bool, batch: bool, env: Mapping[str, str] | None = None) -> str | None:
    """Why only operator packs count here (None: a self-learner's own command)."""
    if batch:
        return "tutor grade uses the instructor's catalog only"
    if lessons:
        return "--lessons given"
    if strict:
        return "--strict"
    if ci_mode(env):
        return "CI mode (CI is set)"
    return None


def choose_catalog(workspace=None, lessons: list[Path] | tuple[Path, ...] = (), *, strict: bool = False,
                   batch: bool = False, env: Mapping[str, str] | None = None,
                   include_builtin: bool = True) -> CatalogChoice:
    """The catalog a command grades against, with the packs it holds and those it ignored."""
    reason = trust_reason(lessons, strict, batch, env)
    sources = operator_packs(lessons, env)
    workspace_packs = [PackSource(Path(p), "tutor.toml") for p in (getattr(workspace, "packs", ()) or ())]
    ignored: list[PackSource] = []
    notice = None
    if reason is None:
        sources += workspace_packs
    elif workspace_packs:
        ignored = workspace_packs
        names = ", ".join(str(s.path) for s in ignored)
        notice = (f"tutor: ignoring the lesson pack(s) listed in {workspace.root / 'tutor.toml'} ({names}): "
                  f"{reason}; only packs named by --lessons, {ENV_VAR} or installed packages grade here")
    return build_catalog(sources, include_builtin=include_builtin, ignored=ignored, notice=notice,
                         trusted=reason is not None)


def build_catalog(sources: list[PackSource], *, include_builtin: bool = True, ignored=(), notice=None,
                  trusted: bool = False) -> CatalogChoice:
    unique: list[PackSource] = [PackSource(BUILTIN_PACK, "built-in")] if include_builtin else []
    seen = {_same(s.path) for s in unique}
    for source in sources:
        if not source.path.is_dir():
            raise CatalogError(f"{source.path}: lesson pack folder not found (from {source.origin})")
        key = _same(source.path)
        if key not in seen:  # the same folder named twice (say --lessons and TUTOR_LESSONS) is one pack
            seen.add(key)
            unique.append(source)
    check_clashes(unique)
    catalog = load_catalog([s.path for s in unique if s.origin != "built-in"], include_builtin=include_builtin)
    return CatalogChoice(catalog, tuple(unique), tuple(ignored), notice, trusted)


def _same(path: Path) -> str:
    return os.path.realpath(path)


def exercise_ids(root: Path) -> list[str]:
    """The exercise ids a pack folder defines, read from its layout alone (cheap, no parsing)."""
    ids = []
    for chapter in sorted(p for p in root.iterdir() if p.is_dir() and (p / "chapter.toml").is_file()):
        for folder in sorted(p for p in chapter.iterdir() if p.is_dir() and (p / "exercise.toml").is_file()):
            ids.append(f"{chapter.name}/{folder.name}")
    return ids


def check_clashes(sources: list[PackSource]) -> None:
    """Two packs defining the same exercise is a configuration error naming both."""
    owner: dict[str, PackSource] = {}
    for source in sources:
        for ex_id in exercise_ids(source.path):
            if ex_id in owner:
                raise CatalogError(f"exercise {ex_id} is defined twice: by {owner[ex_id].describe()} and by "
                                   f"{source.describe()}; remove it from one of them")
            owner[ex_id] = source


def resolve(workspace=None, lessons=(), *, strict: bool = False, batch: bool = False,
            notify: Callable[[str], None] | None = None, **kwargs) -> CatalogChoice:
    """choose_catalog, saying on stderr (one line) when workspace packs are ignored."""
    choice = choose_catalog(workspace, lessons, strict=strict, batch=batch, **kwargs)
    if choice.notice:
        (notify or _stderr)(choice.notice)
    return choice


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _add(h, *parts: bytes | str) -> None:
    """Length-prefixed, so that no two different sequences of parts hash alike."""
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)


def catalog_version(exercises) -> str:
    """A digest of everything that decides how `exercises` are graded: tutor's own version and
    code, and every file of each exercise folder. Part of the key of cached class gradings."""
    from tutor import __version__

    h = hashlib.sha256()
    _add(h, __version__)
    package = Path(__file__).resolve().parent.parent
    for sub in ("engine", "grader", "kernels"):
        for path in sorted((package / sub).rglob("*.py")):
            _add(h, str(path.relative_to(package)), path.read_bytes())
    for ex in exercises:
        _add(h, ex.id)
        folder = Path(ex.folder)
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            _add(h, str(path.relative_to(folder)), path.read_bytes())
    return h.hexdigest()
