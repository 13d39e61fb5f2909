"""Where lesson packs come from (--lessons, TUTOR_LESSONS, installed packages, tutor.toml) and
which of them may grade: only the operator's in `tutor grade`, with --lessons, and in CI mode."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from locations import FIXTURE_PACK, ROOT
from tutor.engine.errors import CatalogError
from tutor.engine.packs import (ENV_VAR, PackSource, build_catalog, choose_catalog, ci_mode, env_packs,
                                operator_packs)
from tutor.engine.workspace import Workspace

DIST = Path(__file__).resolve().parent / "fixtures" / "lesson_pack_dist"
DIST_PACK = DIST / "tutor_fixture_lessons"


def run_tutor(*args, env_extra=None, drop=("CI", ENV_VAR), cwd=None):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, timeout=300,
                          env=env, cwd=cwd)


def ids(choice):
    return [ex.id for ex in choice.catalog.exercises]


@pytest.mark.parametrize("value, expected", [("true", True), ("1", True), ("yes", True), ("", False),
                                             ("false", False), ("0", False)])
def test_ci_mode_follows_the_ci_variable(value, expected):
    assert ci_mode({"CI": value}) is expected
    assert ci_mode({}) is False


def test_lessons_env_and_order(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    env = {ENV_VAR: f"{a}{os.pathsep}{b}{os.pathsep}"}
    assert env_packs(env) == [PackSource(a, ENV_VAR), PackSource(b, ENV_VAR)]
    sources = operator_packs([tmp_path / "c"], env, entry_points=False)
    assert [(s.path.name, s.origin) for s in sources] == [("c", "--lessons"), ("a", ENV_VAR), ("b", ENV_VAR)]


def test_tutor_lessons_adds_a_pack_and_the_same_folder_twice_is_one_pack():
    env = {ENV_VAR: str(FIXTURE_PACK)}
    choice = choose_catalog(None, [FIXTURE_PACK], env=env)
    assert "chapter2/double" in ids(choice)
    assert [s.origin for s in choice.sources] == ["built-in", "--lessons"]


def test_a_workspace_pack_counts_for_a_self_learner_only(tmp_path):
    ws = Workspace(tmp_path, (FIXTURE_PACK,))
    mine = choose_catalog(ws, env={})
    assert "chapter2/double" in ids(mine) and mine.notice is None and not mine.trusted
    for kwargs in ({"env": {"CI": "true"}}, {"strict": True, "env": {}}, {"batch": True, "env": {}},
                   {"lessons": [DIST_PACK], "env": {}}):
        choice = choose_catalog(ws, **kwargs)
        assert "chapter2/double" not in ids(choice), kwargs
        assert choice.trusted and [s.path for s in choice.ignored] == [FIXTURE_PACK]
        assert choice.notice and "ignoring the lesson pack" in choice.notice and "\n" not in choice.notice


def test_an_id_clash_between_packs_names_both(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(FIXTURE_PACK, copy)
    with pytest.raises(CatalogError) as err:
        build_catalog([PackSource(FIXTURE_PACK, "--lessons"), PackSource(copy, ENV_VAR)])
    message = str(err.value)
    assert "chapter2/double is defined twice" in message and str(FIXTURE_PACK) in message and str(copy) in message
    # A pack that redefines a built-in exercise clashes with the built-in curriculum.
    clash = tmp_path / "clash" / "chapter4"
    shutil.copytree(ROOT / "tutor" / "lessons" / "chapter4" / "softmax", clash / "softmax")
    shutil.copy(ROOT / "tutor" / "lessons" / "chapter4" / "chapter.toml", clash / "chapter.toml")
    with pytest.raises(CatalogError, match="chapter4/softmax is defined twice: by the built-in curriculum"):
        build_catalog([PackSource(clash.parent, "--lessons")])


def test_a_missing_pack_folder_is_a_one_line_error(tmp_path):
    proc = run_tutor("instructor", "preview", "softmax", "--lessons", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"tutor: {tmp_path / 'nope'}: lesson pack folder not found (from --lessons)"]


@pytest.fixture
def workspace_with_own_pack(tmp_path):
    ws = tmp_path / "ws"
    assert run_tutor("init", str(ws), "--pack", str(FIXTURE_PACK)).returncode == 0
    return ws


def test_ci_mode_ignores_workspace_packs_and_says_so(workspace_with_own_pack):
    ws = workspace_with_own_pack
    mine = run_tutor("list", "--format", "json", "-w", str(ws))
    assert mine.returncode == 0 and mine.stderr == ""
    assert "chapter2/double" in mine.stdout
    for extra, args in (({"CI": "true"}, ()), ({}, ("--strict",))):
        proc = run_tutor("check", "chapter2/double", "-w", str(ws), *args, env_extra=extra)
        assert proc.returncode == 2, (proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 2 and "ignoring the lesson pack(s) listed in" in lines[0] and str(FIXTURE_PACK) in lines[0]
        assert "unknown target 'chapter2/double'" in lines[1]
    listing = run_tutor("list", "--format", "json", "-w", str(ws), env_extra={"CI": "1"})
    assert listing.returncode == 0 and "chapter2/double" not in listing.stdout
    assert "ignoring the lesson pack" in listing.stderr


def test_lessons_option_grades_an_operator_pack(tmp_path):
    ws = tmp_path / "ws"
    assert run_tutor("init", str(ws), "--lessons", str(DIST_PACK)).returncode == 0
    assert (ws / "chapter3" / "relu.py").is_file()
    assert "packs = []" in (ws / "tutor.toml").read_text()  # an operator pack is not the workspace's
    (ws / "chapter3" / "relu.py").write_text("def relu(X):\n    return X.clamp(min=0)\n")
    proc = run_tutor("check", "chapter3/relu", "-w", str(ws), "--lessons", str(DIST_PACK), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["results"][0]["verdict"] == "pass"
    env = run_tutor("check", "chapter3/relu", "-w", str(ws), "--format", "json", env_extra={ENV_VAR: str(DIST_PACK)})
    assert env.returncode == 0, env.stderr


def test_an_installed_package_exposing_tutor_lessons_is_a_pack(tmp_path):
    """The pack template of docs/PACKS.md, installed with pip (local, no network) into a folder
    on PYTHONPATH: its exercises join the catalog through the entry point."""
    pytest.importorskip("setuptools")
    source = tmp_path / "src"
    shutil.copytree(DIST, source)
    target = tmp_path / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-build-isolation",
                          "--no-deps", "--target", str(target), str(source)], capture_output=True, text=True, timeout=300)
    if pip.returncode != 0:
        pytest.skip(f"pip cannot build locally here: {pip.stderr[-300:]}")
    assert (target / "tutor_fixture_lessons" / "chapter3" / "relu" / "exercise.toml").is_file()
    ws = tmp_path / "ws"
    env = {"PYTHONPATH": os.pathsep.join(p for p in (str(target), os.environ.get("PYTHONPATH", "")) if p)}
    assert run_tutor("init", str(ws), env_extra=env).returncode == 0
    assert (ws / "chapter3" / "relu.py").is_file()
    (ws / "chapter3" / "relu.py").write_text("def relu(X):\n    return X.abs()\n")
    proc = run_tutor("check", "relu", "-w", str(ws), "--format", "json", env_extra=dict(env, CI="true"))
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)["results"][0]
    assert result["exercise"] == "chapter3/relu" and result["verdict"] == "fail"
    # Installed twice (a folder on TUTOR_LESSONS holding the same exercise): a one-line clash error.
    clash = run_tutor("list", "-w", str(ws), env_extra=dict(env, **{ENV_VAR: str(DIST_PACK)}))
    assert clash.returncode == 2 and len(clash.stderr.strip().splitlines()) == 1
    assert "chapter3/relu is defined twice" in clash.stderr and "package tutor-fixture-lessons" in clash.stderr
