from pathlib import Path

import pytest

from tutor.engine.catalog import load_catalog
from tutor.engine.errors import CatalogError, TargetError


def test_builtin_catalog_has_chapter4_in_order():
    catalog = load_catalog()
    ch4 = catalog.chapter("chapter4")
    assert [ex.slug for ex in ch4.exercises][:2] == ["softmax", "cross_entropy"]
    softmax = catalog.exercise("chapter4/softmax")
    assert softmax.functions == ("softmax",)
    assert len(softmax.hints) >= 3
    assert "torch.softmax" in softmax.banned_names and "aten:_softmax" in softmax.banned_names
    assert softmax.workspace_path == "chapter4/softmax.py"


def test_fixture_pack_loads_alone(fixture_pack):
    catalog = load_catalog([fixture_pack], include_builtin=False)
    assert [ex.id for ex in catalog.exercises] == ["chapter2/double"]
    [mutant] = catalog.exercise("chapter2/double").mutants
    assert mutant.diagnosis == "double.triples" and mutant.verdict == "fail"


@pytest.mark.parametrize("targets, expected", [
    (["chapter4"], ["chapter4/softmax", "chapter4/cross_entropy"]),
    (["4"], ["chapter4/softmax", "chapter4/cross_entropy"]),
    (["chapter4/softmax"], ["chapter4/softmax"]),
    (["softmax"], ["chapter4/softmax"]),
    (["softmax", "chapter4"], ["chapter4/softmax", "chapter4/cross_entropy"]),
    (["chapter4/softmax.py"], ["chapter4/softmax"]),
])
def test_targets_resolve(targets, expected):
    got = [ex.id for ex in load_catalog().resolve(targets)]
    assert got[: len(expected)] == expected
    assert set(expected) <= set(got)


@pytest.mark.parametrize("target", ["chapter99", "nope", "99", "chapter4/nope"])
def test_unknown_target_is_a_target_error(target):
    with pytest.raises(TargetError, match="unknown target"):
        load_catalog().resolve([target])


def test_ambiguous_slug_names_both(fixture_pack):
    other = fixture_pack / "chapter3"
    (other).mkdir()
    (other / "chapter.toml").write_text('title = "Three"\n')
    import shutil

    shutil.copytree(fixture_pack / "chapter2" / "double", other / "double")
    with pytest.raises(TargetError, match="ambiguous.*chapter2/double.*chapter3/double"):
        load_catalog([fixture_pack], include_builtin=False).resolve(["double"])


def _break(pack: Path, name: str, old: str, new: str) -> Path:
    path = pack / "chapter2" / "double" / name
    path.write_text(path.read_text().replace(old, new))
    return path


@pytest.mark.parametrize("name, old, new, pattern", [
    ("exercise.toml", 'title = "Double it"\n', "", r"exercise\.toml: Object missing required field `title`"),
    ("exercise.toml", "order = 1", 'order = "first"', r"exercise\.toml: Expected `int`, got `str` - at `order`"),
    ("exercise.toml", 'hints = [', 'hints = ["only one"]\nold_hints = [',
     r"exercise\.toml: Expected `array` of length >= 3 - at `hints`"),
    ("exercise.toml", "title =", "title = = ", r"exercise\.toml: invalid TOML"),
    ("exercise.toml", "order = 1", "order = 1\ncolour = 'red'", r"exercise\.toml: Object contains unknown field `colour`"),
    ("exercise.toml", 'inputs.X = { gen = "randn", shape = [3, 4] }', 'inputs.X = { gen = "randn", shap = [3, 4] }',
     r"exercise\.toml: Object contains unknown field `shap` - at `checks\[1\] \(id 'random_matrix'\)"),
    ("exercise.toml", 'id = "random_matrix"', 'id = "small_vector"', r"two checks share the id 'small_vector'"),
    ("exercise.toml", "format = 2\n", "", r"no `format = 2`: this looks like the first lesson format"),
    ("exercise.toml", 'banned = ["torch.mul"]', 'bans = ["sofmax"]', r"unknown ban group 'sofmax'"),
    ("exercise.toml", 'title = "random matrix"\ninputs.X = { gen = "randn", shape = [3, 4] }',
     'title = "random matrix"\nkind = "scenario"\nrun = "nothing"',
     r"checks\.py: file missing \(check 'random_matrix' names code from it\)"),
    ("mutants/triples.py", "double.triples", "double.quadruples", r"triples\.py: diagnosis 'double.quadruples' is not declared"),
])
def test_broken_lesson_files_name_file_and_field(fixture_pack, name, old, new, pattern):
    _break(fixture_pack, name, old, new)
    with pytest.raises(CatalogError, match=pattern):
        load_catalog([fixture_pack], include_builtin=False)


def test_missing_lesson_file_is_named(fixture_pack):
    (fixture_pack / "chapter2" / "double" / "lesson.md").unlink()
    with pytest.raises(CatalogError, match=r"double/lesson\.md: file missing"):
        load_catalog([fixture_pack], include_builtin=False)


def test_pack_cannot_redefine_a_builtin_exercise(fixture_pack, tmp_path):
    import shutil

    clash = tmp_path / "clash"
    shutil.copytree(fixture_pack / "chapter2", clash / "chapter4")
    (clash / "chapter4" / "double").rename(clash / "chapter4" / "softmax")
    with pytest.raises(CatalogError, match="'softmax' is already defined"):
        load_catalog([clash])


def test_engine_knows_no_exercise_by_name():
    """The engine and grader hold no exercise-specific code paths (names live in lessons/)."""
    root = Path(__file__).resolve().parent.parent / "tutor"
    for package in ("engine", "grader"):
        for path in (root / package).rglob("*.py"):
            if path.name == "bans.py":  # names torch's APIs (the softmax family...), not exercises
                continue
            text = path.read_text()
            for slug in ("softmax", "cross_entropy", "bptt", "beam_search", "conv2d", "lenet", "adam"):
                assert f'"{slug}"' not in text and f"'{slug}'" not in text, (path, slug)
