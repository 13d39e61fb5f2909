"""The curriculum as data: chapters and exercises loaded from lesson-pack folders.

A pack is a folder of `chapterN/` folders, each with `chapter.toml` and one folder per
exercise holding `exercise.toml`, `lesson.md`, `starter.py`, `reference.py` and `checks.py`
(plus optional `solutions/` and `mutants/` used by `tutor instructor validate` and tests).
The engine knows no exercise by name: everything it needs is read from these files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import msgspec

from tutor.engine import bans, schema
from tutor.engine.errors import CatalogError, TargetError

BUILTIN_PACK = Path(__file__).resolve().parent.parent / "lessons"
CHAPTER_DIR = re.compile(r"^chapter([1-9][0-9]*)$|^engineering$")
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
DIAGNOSIS_ID = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")
EXERCISE_FILES = ("exercise.toml", "lesson.md", "starter.py", "reference.py")
# Chapters past the book's (distributed training, mixed precision, ...) come after chapter 13.
ENGINEERING_NUMBER = 14


@dataclass(frozen=True)
class Mutant:
    """A known wrong implementation and the diagnosis the grader must give it."""

    path: Path
    diagnosis: str | None  # None: it must fail, with any diagnosis
    verdict: str = "fail"  # the exercise verdict it must get at least as bad as (fail, forbidden, ...)


@dataclass(frozen=True)
class Exercise:
    chapter: str
    slug: str
    title: str
    order: int
    section: str
    functions: tuple[str, ...]
    hints: tuple[str, ...]
    diagnoses: dict[str, str]
    time_limit_s: float
    memory_limit_mb: int
    compare_note: str
    folder: Path
    spec: schema.ExerciseSpec = field(compare=False, repr=False)
    bans: tuple[str, ...] = ()  # ban groups (tutor.engine.bans)
    banned: tuple[str, ...] = ()  # extra banned names

    @property
    def banned_names(self) -> list[str]:
        """Every name the exercise's ban groups and extra names stand for."""
        return [b.name for b in bans.expand(self.bans, self.banned)]

    @property
    def capabilities(self) -> schema.Capabilities:
        return self.spec.capabilities

    @property
    def has_checks_module(self) -> bool:
        return self.checks_path.is_file()

    @property
    def id(self) -> str:
        return f"{self.chapter}/{self.slug}"

    @property
    def workspace_path(self) -> str:
        return f"{self.chapter}/{self.slug}.py"

    @property
    def lesson_path(self) -> Path:
        return self.folder / "lesson.md"

    @property
    def starter_path(self) -> Path:
        return self.folder / "starter.py"

    @property
    def reference_path(self) -> Path:
        return self.folder / "reference.py"

    @property
    def checks_path(self) -> Path:
        return self.folder / "checks.py"

    @cached_property
    def lesson(self) -> str:
        return self.lesson_path.read_text(encoding="utf-8")

    @cached_property
    def starter(self) -> str:
        return self.starter_path.read_text(encoding="utf-8")

    @property
    def solutions(self) -> list[Path]:
        return sorted((self.folder / "solutions").glob("*.py"))

    @cached_property
    def mutants(self) -> list[Mutant]:
        return [Mutant(p, _declared(p, "diagnosis"), _declared(p, "verdict") or "fail")
                for p in sorted((self.folder / "mutants").glob("*.py"))]


@dataclass(frozen=True)
class Chapter:
    id: str
    number: int
    title: str
    summary: str
    exercises: tuple[Exercise, ...] = field(default=())


@dataclass(frozen=True)
class Catalog:
    chapters: tuple[Chapter, ...]

    @property
    def exercises(self) -> list[Exercise]:
        return [ex for ch in self.chapters for ex in ch.exercises]

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        hint = self.suggest(exercise_id)
        raise TargetError(f"unknown exercise {exercise_id!r}" + (f"; did you mean {hint}?" if hint else ""))

    def chapter(self, chapter_id: str) -> Chapter:
        for ch in self.chapters:
            if ch.id == chapter_id:
                return ch
        raise TargetError(f"unknown chapter {chapter_id!r}")

    def resolve(self, targets: list[str]) -> list[Exercise]:
        """Targets as the command line takes them: `chapter7`, `7`, `chapter4/softmax`, `softmax`."""
        chosen: list[Exercise] = []
        for target in targets:
            for ex in self._resolve_one(target.strip().strip("/")):
                if ex not in chosen:
                    chosen.append(ex)
        return chosen

    def _resolve_one(self, target: str) -> list[Exercise]:
        if target.isdigit():
            target = f"chapter{int(target)}"
        if target.endswith(".py"):
            target = target[:-3]
        for ch in self.chapters:
            if ch.id == target:
                return list(ch.exercises)
        matches = [ex for ex in self.exercises if target in (ex.id, ex.slug)]
        if len(matches) == 1:
            return matches
        if len(matches) > 1:
            names = ", ".join(ex.id for ex in matches)
            raise TargetError(f"{target!r} is ambiguous: it names {names}")
        hint = self.suggest(target)
        if hint:
            raise TargetError(f"unknown target {target!r}; did you mean {hint}?")
        known = ", ".join(ch.id for ch in self.chapters)
        raise TargetError(f"unknown target {target!r} (chapters: {known}; or an exercise like chapter4/softmax)")

    def suggest(self, target: str) -> str:
        """The nearest names to a mistyped target ('softmax (chapter4/softmax)'), or ''."""
        import difflib

        names: dict[str, str] = {ch.id: ch.id for ch in self.chapters}
        for ex in self.exercises:
            names.setdefault(ex.id, ex.id)
            names.setdefault(ex.slug, ex.id)
        target = target.lower()
        scored = sorted(((difflib.SequenceMatcher(None, target, name).ratio(), name) for name in names), reverse=True)
        close = [name for ratio, name in scored if ratio >= max(0.6, scored[0][0] - 0.05)] if scored else []
        shown = dict.fromkeys(names[name] if name == names[name] else f"{name} ({names[name]})" for name in close)
        return " or ".join(list(shown)[:2])


def _declared(path: Path, key: str) -> str | None:
    """A mutant declares what it must get on header lines: `# diagnosis: id`, `# verdict: forbidden`."""
    for line in path.read_text(encoding="utf-8").splitlines()[:15]:
        m = re.match(rf"#\s*{key}:\s*(\S+)", line)
        if m:
            return None if m.group(1) == "any" else m.group(1)
    return None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogError(f"{path}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: invalid TOML: {exc}") from None


def _schema_error(path: Path, data: dict, exc: Exception) -> CatalogError:
    """msgspec's message with the check's id where the field lies inside a check."""
    text = str(exc)
    m = re.search(r"\$\.checks\[(\d+)\]", text)
    if m:
        checks = data.get("checks") if isinstance(data.get("checks"), list) else []
        i = int(m.group(1))
        cid = checks[i].get("id") if i < len(checks) and isinstance(checks[i], dict) else None
        text = text.replace(m.group(0), f"checks[{i}]" + (f" (id {cid!r})" if cid else ""))
    text = text.replace("`$.", "`").replace(" - at `$`", "")
    return CatalogError(f"{path}: {text}")


# Diagnoses every exercise may name without declaring them: tutor.grader.diagnose.GENERIC.
GENERIC_PREFIX = "generic."


def _known(diagnosis: str | None, declared: dict) -> bool:
    return diagnosis is None or diagnosis in declared or diagnosis.startswith(GENERIC_PREFIX)


def _needs_checks_module(spec: schema.ExerciseSpec) -> str | None:
    for c in spec.checks:
        if isinstance(c, (schema.ScenarioSpec, schema.TrainingSpec)) or c.detectors:
            return f"check {c.id!r}"
        if isinstance(c, schema.PropertySpec) and any(isinstance(p, schema.CustomProperty) for p in c.properties):
            return f"check {c.id!r}"
        if isinstance(c, schema.CALL_KINDS) and (c.inputs_from or c.describe or any(
                isinstance(v, schema.CallGen) for v in c.inputs.values())):
            return f"check {c.id!r}"
        if (c.oracle or "").startswith("checks:"):
            return f"check {c.id!r}"
    if spec.defaults.oracle.startswith("checks:"):
        return "[defaults] oracle"
    return None


def load_exercise(folder: Path, chapter: str) -> Exercise:
    for name in EXERCISE_FILES:
        if not (folder / name).is_file():
            raise CatalogError(f"{folder / name}: file missing")
    meta_path = folder / "exercise.toml"
    data = _read_toml(meta_path)
    if "format" not in data:
        raise CatalogError(f"{meta_path}: no `format = 2`: this looks like the first lesson format, which tutor no "
                           f"longer reads; docs/AUTHORING.md shows the current one")
    try:
        spec = schema.decode(data, schema.ExerciseSpec)
    except msgspec.ValidationError as exc:
        raise _schema_error(meta_path, data, exc) from None
    slug = folder.name
    if not SLUG.match(slug):
        raise CatalogError(f"{folder}: exercise folder name must be a lowercase slug")
    ids = [c.id for c in spec.checks]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogError(f"{meta_path}: two checks share the id {dupes[0]!r}")
    for group in spec.bans:
        if group not in bans.GROUPS:
            raise CatalogError(f"{meta_path}: field 'bans': unknown ban group {group!r} "
                               f"(known: {', '.join(sorted(bans.GROUPS))})")
    for oracle in [spec.defaults.oracle] + [c.oracle for c in spec.checks if c.oracle]:
        if not (oracle == "reference" or oracle.startswith(("kernel:", "checks:"))):
            raise CatalogError(f"{meta_path}: oracle {oracle!r}: expected reference, kernel:NAME or checks:NAME")
    declared = spec.diagnoses
    named = [("defaults.mutation_diagnosis", spec.defaults.mutation_diagnosis)]
    for c in spec.checks:
        named += [(f"checks {c.id!r}: diagnosis", c.diagnosis)]
        named += [(f"checks {c.id!r}: mutation_diagnosis", getattr(c, "mutation_diagnosis", None))]
        named += [(f"checks {c.id!r}: not_differentiable", getattr(c, "not_differentiable", None))]
    for where, diagnosis in named:
        if not _known(diagnosis, declared):
            raise CatalogError(f"{meta_path}: {where} names {diagnosis!r}, which [diagnoses] does not declare")
    needs = _needs_checks_module(spec)
    if needs and not (folder / "checks.py").is_file():
        raise CatalogError(f"{folder / 'checks.py'}: file missing ({needs} names code from it)")
    ex = Exercise(
        chapter=chapter,
        slug=slug,
        title=spec.title,
        order=spec.order,
        section=spec.section,
        functions=tuple(spec.functions),
        hints=tuple(spec.hints),
        diagnoses=dict(declared),
        time_limit_s=float(spec.time_limit_s),
        memory_limit_mb=spec.memory_limit_mb,
        compare_note=spec.compare_note,
        folder=folder,
        spec=spec,
        bans=tuple(spec.bans),
        banned=tuple(spec.banned),
    )
    for mutant in ex.mutants:
        if not _known(mutant.diagnosis, declared):
            raise CatalogError(f"{mutant.path}: diagnosis '{mutant.diagnosis}' is not declared in {meta_path}")
    return ex


def load_chapter(folder: Path) -> Chapter:
    m = CHAPTER_DIR.match(folder.name)
    if not m:
        raise CatalogError(f"{folder}: chapter folders are named chapterN")
    meta_path = folder / "chapter.toml"
    data = _read_toml(meta_path)
    try:
        meta = schema.decode(data, schema.ChapterSpec)
    except msgspec.ValidationError as exc:
        raise _schema_error(meta_path, data, exc) from None
    exercises = [
        load_exercise(sub, folder.name)
        for sub in sorted(folder.iterdir())
        if sub.is_dir() and not sub.name.startswith((".", "_"))
    ]
    orders = [ex.order for ex in exercises]
    if len(set(orders)) != len(orders):
        raise CatalogError(f"{folder}: two exercises share the same 'order'")
    exercises.sort(key=lambda ex: ex.order)
    return Chapter(
        id=folder.name,
        number=int(m.group(1)) if m.group(1) else ENGINEERING_NUMBER,
        title=meta.title,
        summary=meta.summary,
        exercises=tuple(exercises),
    )


def load_pack(root: Path) -> list[Chapter]:
    if not root.is_dir():
        raise CatalogError(f"{root}: lesson pack folder not found")
    return [load_chapter(sub) for sub in sorted(root.iterdir()) if sub.is_dir() and CHAPTER_DIR.match(sub.name)]


def load_catalog(extra_packs: list[Path] | tuple[Path, ...] = (), include_builtin: bool = True) -> Catalog:
    """Builtin curriculum plus instructor packs; a pack's chapter merges into the same chapter id."""
    roots = ([BUILTIN_PACK] if include_builtin else []) + [Path(p) for p in extra_packs]
    by_id: dict[str, Chapter] = {}
    for root in roots:
        for ch in load_pack(root):
            if ch.id in by_id:
                old = by_id[ch.id]
                clash = {e.slug for e in old.exercises} & {e.slug for e in ch.exercises}
                if clash:
                    raise CatalogError(f"{root / ch.id}: exercise '{sorted(clash)[0]}' is already defined")
                merged = tuple(sorted(old.exercises + ch.exercises, key=lambda e: e.order))
                by_id[ch.id] = Chapter(old.id, old.number, old.title, old.summary, merged)
            else:
                by_id[ch.id] = ch
    return Catalog(tuple(sorted(by_id.values(), key=lambda c: c.number)))
