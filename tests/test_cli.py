"""The real command line against real workspaces: exit codes, reports, one-line errors."""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from locations import LESSONS

SOLUTIONS = {
    "softmax": LESSONS / "chapter4" / "softmax" / "solutions" / "unsqueeze_style.py",
    "cross_entropy": LESSONS / "chapter4" / "cross_entropy" / "solutions" / "one_hot.py",
}


def tutor(*args, cwd=None, check_rc=None):
    proc = subprocess.run([sys.executable, "-m", "tutor", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc


@pytest.fixture
def ws(tmp_path):
    tutor("init", str(tmp_path / "ws"), check_rc=0)
    return tmp_path / "ws"


def solve(ws: Path, slug: str, source: Path | None = None, text: str | None = None):
    target = ws / "chapter4" / f"{slug}.py"
    if text is not None:
        target.write_text(text)
    else:
        shutil.copyfile(source or SOLUTIONS[slug], target)


def test_fresh_workspace_is_not_started_with_exit_1(ws):
    proc = tutor("check", "chapter4/softmax", "chapter4/cross_entropy", "--workspace", str(ws), "--format", "json",
                 check_rc=1)
    report = json.loads(proc.stdout)
    assert [r["verdict"] for r in report["results"]] == ["not_started", "not_started"]
    assert report["summary"] == {"exercises": 2, "passed": 0, "score": 0.0}


def test_correct_solutions_pass_with_exit_0_and_json_follows_the_contract(ws):
    solve(ws, "softmax")
    solve(ws, "cross_entropy")
    proc = tutor("check", "softmax", "chapter4/cross_entropy", "--format", "json", cwd=ws, check_rc=0)
    report = json.loads(proc.stdout)
    assert set(report) == {"tutor_version", "workspace", "results", "summary"}
    assert report["workspace"] == str(ws.resolve())
    for result in report["results"]:
        assert set(result) == {"exercise", "verdict", "score", "duration_s", "checks", "isolation"}
        assert result["verdict"] == "pass" and result["score"] == 1.0
        assert result["isolation"] == "full" or result["isolation"].startswith("reduced: ")
        assert len(result["checks"]) >= 5
        for check in result["checks"]:
            assert {"name", "verdict", "message", "diagnosis"} <= set(check)  # keys may be added, never removed
            assert check["verdict"] == "pass" and check["diagnosis"] is None
    assert report["summary"] == {"exercises": 2, "passed": 2, "score": 1.0}
    listing = json.loads(tutor("list", "--format", "json", cwd=ws, check_rc=0).stdout)
    statuses = {ex["id"]: ex["status"] for ch in listing["chapters"] for ex in ch["exercises"]}
    assert statuses["chapter4/softmax"] == "pass"


def test_mutant_fails_with_diagnosis_in_text_and_junit(ws, tmp_path):
    solve(ws, "softmax", LESSONS / "chapter4" / "softmax" / "mutants" / "no_max_shift.py")
    out = tmp_path / "report.xml"
    proc = tutor("check", "softmax", "--format", "junit", "-o", str(out), "--workspace", str(ws), check_rc=1)
    assert "softmax.no_max_shift" in proc.stdout  # the text report is still shown
    assert "Subtract each row's maximum" in proc.stdout
    root = ElementTree.parse(out).getroot()
    suite = root.find("testsuite")
    assert suite.get("name") == "chapter4/softmax" and suite.get("failures") == "1"
    failure = root.find(".//failure")
    assert failure.get("type") == "fail" and "diagnosis: softmax.no_max_shift" in failure.text


def test_syntax_error_is_error_with_file_and_line(ws):
    solve(ws, "softmax", text="import torch\n\ndef softmax(X):\n    return X +\n")
    proc = tutor("check", "chapter4/softmax", "--format", "json", "--workspace", str(ws), check_rc=1)
    result = json.loads(proc.stdout)["results"][0]
    assert result["verdict"] == "error"
    assert "SyntaxError" in result["checks"][0]["message"]
    assert "chapter4/softmax.py, line 4" in result["checks"][0]["message"]


def test_runtime_error_is_error_with_trimmed_traceback(ws):
    solve(ws, "softmax", text="import torch\n\ndef softmax(X):\n    return helper(X)\n\ndef helper(X):\n    raise ValueError('boom')\n")
    proc = tutor("check", "softmax", "--workspace", str(ws), "--format", "json", check_rc=1)
    message = json.loads(proc.stdout)["results"][0]["checks"][0]["message"]
    assert "ValueError: boom (chapter4/softmax.py, line 7)" in message
    assert "in helper" in message and "tutor/engine" not in message


@pytest.mark.parametrize("args, pattern", [
    (["check", "chapter99"], "unknown target 'chapter99'"),
    (["hint", "nope"], "unknown target 'nope'"),
])
def test_unknown_target_is_one_line_exit_2(ws, args, pattern):
    proc = tutor(*args, "--workspace", str(ws), check_rc=2)
    assert pattern in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_missing_workspace_is_one_line_exit_2(tmp_path):
    proc = tutor("check", "chapter4", cwd=tmp_path, check_rc=2)
    assert "no tutor workspace" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_broken_lesson_pack_is_one_line_exit_2(ws, fixture_pack):
    (fixture_pack / "chapter2" / "double" / "exercise.toml").write_text("title = 3\n")
    config = ws / "tutor.toml"
    config.write_text(config.read_text().replace("packs = []", f"packs = [{json.dumps(str(fixture_pack))}]"))
    proc = tutor("check", "chapter4", "--workspace", str(ws), check_rc=2)
    assert "exercise.toml" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_broken_checks_module_is_one_line_exit_2(ws, fixture_pack):
    (fixture_pack / "chapter2" / "double" / "checks.py").write_text("import torch\nCHECKS = [\n")
    tutor("init", str(ws), "--pack", str(fixture_pack), check_rc=0)
    (ws / "chapter2" / "double.py").write_text("def double(X):\n    return X + X\n")
    proc = tutor("check", "chapter2/double", "--workspace", str(ws), check_rc=2)
    assert "checks.py: cannot be imported: SyntaxError" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_instructor_pack_exercise_is_graded_and_forbidden_api_caught(ws, fixture_pack):
    tutor("init", str(ws), "--pack", str(fixture_pack), check_rc=0)
    (ws / "chapter2" / "double.py").write_text("import torch\ndef double(X):\n    return torch.mul(X, 2)\n")
    proc = tutor("check", "double", "--workspace", str(ws), "--format", "json", check_rc=1)
    result = json.loads(proc.stdout)["results"][0]
    assert result["verdict"] == "forbidden" and "torch.mul" in result["checks"][0]["message"]
    (ws / "chapter2" / "double.py").write_text("def double(X):\n    return X * 2.0\n")
    tutor("check", "double", "--workspace", str(ws), check_rc=0)


def test_hints_are_progressive_and_counted(ws):
    first = tutor("hint", "softmax", "--workspace", str(ws), check_rc=0).stdout
    second = tutor("hint", "chapter4/softmax", "--workspace", str(ws), check_rc=0).stdout
    assert "hint 1/3" in first and "hint 2/3" in second
    from tutor.engine.progress import ProgressStore

    assert ProgressStore(ws / ".tutor" / "progress.db").hints_taken("chapter4/softmax") == 2


def test_reset_keeps_backup_and_init_keeps_work(ws):
    solve(ws, "softmax", text="# my precious attempt\n")
    tutor("init", str(ws), check_rc=0)
    assert (ws / "chapter4" / "softmax.py").read_text() == "# my precious attempt\n"
    proc = tutor("reset", "softmax", "--yes", "--workspace", str(ws), check_rc=0)
    assert "back to its starter" in proc.stdout
    backups = list((ws / ".tutor" / "backups").rglob("*.py"))
    assert [b.read_text() for b in backups] == ["# my precious attempt\n"]
    assert "NotImplementedError" in (ws / "chapter4" / "softmax.py").read_text()


def test_gradebook_for_a_class(tmp_path):
    klass = tmp_path / "class"
    for student in ("ada", "bob"):
        tutor("init", str(klass / student), check_rc=0)
    shutil.copyfile(SOLUTIONS["softmax"], klass / "ada" / "chapter4" / "softmax.py")
    out = tmp_path / "grades.csv"
    proc = tutor("grade", str(klass), "-t", "chapter4/softmax", "-o", str(out), check_rc=1)
    assert "ada" in proc.stdout
    rows = out.read_text().splitlines()
    assert rows[0] == "student,chapter4/softmax:verdict,chapter4/softmax:score,passed,total,max_total,problems"
    assert rows[1] == "ada,pass,1.0,1,1.0,1," and rows[2] == "bob,not_started,0.0,0,0.0,1,"
    from tutor.engine.progress import ProgressStore

    assert ProgressStore(klass / "ada" / ".tutor" / "progress.db").attempts() == []  # grading a class writes nothing


def test_instructor_new_scaffolds_a_loadable_exercise(tmp_path):
    pack = tmp_path / "mypack"
    proc = tutor("instructor", "new", str(pack), "chapter5/relu", "--function", "relu", check_rc=0)
    assert "created" in proc.stdout
    from tutor.engine.catalog import load_catalog

    [ex] = load_catalog([pack], include_builtin=False).exercises
    assert ex.id == "chapter5/relu" and ex.functions == ("relu",)
    again = tutor("instructor", "new", str(pack), "chapter5/relu", check_rc=2)
    assert "already exists" in again.stderr


def test_instructor_validate_fixture_pack(fixture_pack):
    proc = tutor("instructor", "validate", str(fixture_pack), check_rc=0)
    assert "mutants/triples.py -> fail [double.triples]" in proc.stdout
    # A mutant the checks cannot tell from right makes validation fail.
    (fixture_pack / "chapter2" / "double" / "mutants" / "sneaky.py").write_text(
        "# diagnosis: double.triples\ndef double(X):\n    return X + X\n")
    proc = tutor("instructor", "validate", str(fixture_pack), check_rc=1)
    assert "FAIL" in proc.stdout and "sneaky.py" in proc.stdout


def test_help_is_fast_and_imports_no_torch():
    code = "import sys; from typer.testing import CliRunner; from tutor.cli import app; " \
           "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; " \
           "assert 'check' in r.output; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_init_pack_keeps_the_config_and_stores_paths_relative(tmp_path, fixture_pack):
    ws = tmp_path / "ws"
    tutor("init", str(ws), check_rc=0)
    config = ws / "tutor.toml"
    config.write_text(config.read_text() + "# my own note\n")
    second = tmp_path / "second"
    shutil.copytree(fixture_pack, second)
    (second / "chapter2" / "double").rename(second / "chapter2" / "twice")
    tutor("init", str(ws), "--pack", str(fixture_pack), check_rc=0)
    tutor("init", str(ws), "--pack", str(second), check_rc=0)
    tutor("init", str(ws), "--pack", str(fixture_pack), check_rc=0)  # already listed: not twice
    import tomllib

    text = config.read_text()
    assert "# my own note" in text
    packs = tomllib.loads(text)["workspace"]["packs"]
    assert packs == ["../pack", "../second"]
    listed = json.loads(tutor("list", "--format", "json", "--workspace", str(ws), check_rc=0).stdout)
    ids = [e["id"] for ch in listed["chapters"] for e in ch["exercises"]]
    assert "chapter2/double" in ids and "chapter2/twice" in ids


def test_a_corrupt_progress_store_never_blocks_grading(ws):
    """Kept aside with one warning, a fresh store started: no sqlite traceback, in any command."""
    solve(ws, "softmax")
    (ws / ".tutor").mkdir(exist_ok=True)
    (ws / ".tutor" / "progress.db").write_bytes(b"garbage" * 500)
    proc = tutor("check", "chapter4/softmax", "--workspace", str(ws), check_rc=0)
    assert proc.stderr.count("tutor: warning:") == 1 and "corrupt-" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(list((ws / ".tutor").glob("progress.db.corrupt-*"))) == 1
    listing = json.loads(tutor("list", "--format", "json", "--workspace", str(ws), check_rc=0).stdout)
    statuses = {ex["id"]: ex["status"] for ch in listing["chapters"] for ex in ch["exercises"]}
    assert statuses["chapter4/softmax"] == "pass"


def test_preview_prints_hints_and_diagnoses_as_written(capsys, monkeypatch):
    """Square brackets in a diagnosis are an index (valid_len[b]), not Rich markup to swallow."""
    from tutor.grader.commands import run_preview

    monkeypatch.setenv("COLUMNS", "200")
    run_preview("chapter10/masked_loss", [])
    lines = capsys.readouterr().out.splitlines()
    rules = {line.strip("─ "): i for i, line in enumerate(lines) if line.startswith("─")}
    diagnoses = "\n".join(lines[rules["diagnoses"]:])
    assert "valid_len[b]" in diagnoses, diagnoses
