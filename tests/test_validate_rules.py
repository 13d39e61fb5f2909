"""`tutor instructor validate` catches each rule it claims: one broken copy of a good pack per rule."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tutor.engine.catalog import load_catalog
from tutor.engine.scaffold import new_exercise
from tutor.grader.grade import Grader
from tutor.grader.validate import validate_all

EX = "chapter2/double"


@pytest.fixture(scope="module")
def grader():
    g = Grader(cache_dir=None)
    yield g
    g.close()


def findings(pack, grader):
    catalog = load_catalog([pack], include_builtin=False)
    return validate_all(catalog.exercises, lambda: grader, jobs=1)


def failing(pack, grader) -> list[tuple[str, str]]:
    return [(f.file, f.expected) for f in findings(pack, grader) if not f.ok]


def edit(pack, name: str, old: str, new: str) -> None:
    path = pack / "chapter2" / "double" / name
    text = path.read_text()
    assert old in text, (name, old)
    path.write_text(text.replace(old, new))


def write(pack, name: str, text: str) -> None:
    path = pack / "chapter2" / "double" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_fixture_pack_validates(fixture_pack, grader):
    found = findings(fixture_pack, grader)
    assert found and all(f.ok for f in found), [f.line() for f in found if not f.ok]
    rules = {f.expected for f in found}
    assert {"every ban to resolve in the installed packages", "no AUTHOR: placeholder", "not_started",
            "pass", "at least 2 correct solutions", "a mutant for every declared diagnosis",
            "two gradings to be identical", "every check within 50% of its CPU budget",
            "fail with diagnosis double.triples"} <= rules


@pytest.mark.parametrize("rule, breaks, expect", [
    ("a ban that does not resolve", lambda p: edit(p, "exercise.toml", '"torch.mul"', '"torch.mull"'),
     ("exercise.toml", "every ban to resolve in the installed packages")),
    ("a placeholder left", lambda p: edit(p, "lesson.md", "# Double", "# Double\n\nAUTHOR: the idea"),
     ("(all files)", "no AUTHOR: placeholder")),
    ("a starter that already works", lambda p: edit(p, "starter.py", 'raise NotImplementedError("double: write me")',
                                                    "return X + X"),
     ("starter.py", "not_started")),
    ("one solution only", lambda p: (p / "chapter2/double/solutions/tensor_method.py").unlink(),
     ("solutions/", "at least 2 correct solutions")),
    ("a wrong solution", lambda p: write(p, "solutions/tensor_method.py", "def double(X):\n    return X * 2.5\n"),
     ("solutions/tensor_method.py", "pass")),
    ("a mutant that passes", lambda p: write(p, "mutants/triples.py", "# diagnosis: double.triples\n"
                                              "def double(X):\n    return 2 * X\n"),
     ("mutants/triples.py", "fail with diagnosis double.triples")),
    # Two mistakes the checks cannot tell apart: one of the two mutants gets the other's name.
    ("a mutant caught without its diagnosis", lambda p: (
        edit(p, "exercise.toml", '[diagnoses]\n', '[diagnoses]\n"double.tripled" = "You add X three times."\n'),
        write(p, "mutants/tripled.py", "# diagnosis: double.tripled\ndef double(X):\n    return X + X + X\n")),
     ("mutants/triples.py", "fail with diagnosis double.triples")),
    ("a diagnosis without a mutant", lambda p: edit(p, "exercise.toml", '[diagnoses]\n',
                                                    '[diagnoses]\n"double.halves" = "You halve it."\n'),
     ("mutants/", "a mutant for every declared diagnosis")),
    ("a check that is not deterministic", lambda p: (
        edit(p, "exercise.toml", 'inputs.X = { gen = "randn", shape = [3, 4] }',
             'inputs.X = { gen = "call", function = "unseeded" }'),
        write(p, "checks.py", "import torch\n\n\ndef unseeded(ctx):\n    return torch.randn(3, 4)\n")),
     ("reference.py", "two gradings to be identical")),
    ("a reference that eats its CPU budget", lambda p: (
        edit(p, "exercise.toml", "time_limit_s = 5", "time_limit_s = 4"),
        write(p, "reference.py", "import time\n\n\ndef double(X):\n    if X.numel() == 12:  # one check only\n"
                                 "        end = time.process_time() + 2.2\n"
                                 "        while time.process_time() < end:\n            pass\n    return X + X\n")),
     ("reference.py", "every check within 50% of its CPU budget")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_each_rule_is_caught(fixture_pack, grader, rule, breaks, expect):
    breaks(fixture_pack)
    assert expect in failing(fixture_pack, grader), rule


def test_a_fresh_scaffold_does_not_validate(tmp_path, grader):
    pack = tmp_path / "pack"
    new_exercise(pack, "chapter3/relu", "relu")
    bad = {expected for _, expected in failing(pack, grader)}
    assert {"no AUTHOR: placeholder", "at least 2 correct solutions", "a mutant for every declared diagnosis",
            "pass"} <= bad


def test_cli_validates_in_parallel_and_exits_1_on_a_problem(fixture_pack, tutor_cmd):
    shutil.copytree(fixture_pack / "chapter2" / "double", fixture_pack / "chapter2" / "twice")
    edit(fixture_pack, "exercise.toml", "order = 1", "order = 1")  # the copy keeps order 1: give it another
    twice = fixture_pack / "chapter2" / "twice" / "exercise.toml"
    twice.write_text(twice.read_text().replace("order = 1", "order = 2"))
    ok = subprocess.run([*tutor_cmd, "instructor", "validate", str(fixture_pack), "--jobs", "2"],
                        capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "2 exercise(s) validated, 0 problem(s)" in ok.stdout
    (fixture_pack / "chapter2" / "twice" / "solutions" / "tensor_method.py").unlink()
    bad = subprocess.run([*tutor_cmd, "instructor", "validate", str(fixture_pack), "-j", "2"],
                         capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1 and "1 problem(s)" in bad.stdout
