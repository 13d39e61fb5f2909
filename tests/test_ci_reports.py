"""CI formats from one grading: GitHub annotations on the learner's file, Gradescope's
results.json, JUnit that stays valid XML whatever the learner printed, several at once."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from locations import FIXTURE_PACK
from tutor.grader.reports.github import Locations, escape_data, escape_property, render_github
from tutor.grader.reports.gradescope import render_gradescope
from tutor.grader.reports.junit import render_junit
from tutor.grader.reports.outputs import OutputError, OutputSpec, pair_outputs
from tutor.grader.results import CheckResult, ExerciseResult, Report, Verdict


def seq(*tokens):
    out = []
    for token in tokens:
        kind, value = token.split("=", 1)
        out.append((kind, value))
    return out


@pytest.mark.parametrize("tokens, expected", [
    ((), [("text", None)]),
    (("format=junit", "output=r.xml"), [("junit", "r.xml")]),
    (("output=r.xml", "format=junit"), [("junit", "r.xml")]),
    (("format=junit", "output=r.xml", "format=github", "format=gradescope", "output=g.json"),
     [("junit", "r.xml"), ("github", None), ("gradescope", "g.json")]),
    (("format=github", "format=junit", "output=r.xml"), [("github", None), ("junit", "r.xml")]),
    (("output=out.txt",), [("text", "out.txt")]),
    (("format=github", "format=gradescope", "output=g.json", "output=r.json", "format=json"),
     [("github", None), ("gradescope", "g.json"), ("json", "r.json")]),
])
def test_each_output_file_pairs_with_its_format(tokens, expected):
    specs = pair_outputs(seq(*tokens))
    assert specs == [OutputSpec(f, Path(p) if p else None) for f, p in expected]


@pytest.mark.parametrize("tokens, message", [
    (("format=json", "format=junit"), "cannot both go to standard output"),
    (("format=json", "output=a", "output=b"), "needs its own --format"),
    (("format=junit", "output=a", "format=json", "output=a"), "same file"),
    (("format=html",), "unknown --format"),
])
def test_ambiguous_outputs_are_usage_errors(tokens, message):
    with pytest.raises(OutputError, match=message):
        pair_outputs(seq(*tokens))


def sample_report(workspace: Path) -> Report:
    failing = ExerciseResult("chapter2/double", "Double it", [
        CheckResult("small vector", Verdict.PASS),
        CheckResult("random matrix, seeded", Verdict.FAIL, "100% wrong:\nexpected 2, got 3",
                    diagnosis="double.triples", evidence="expected 2, got 3"),
        CheckResult("import", Verdict.ERROR, "ZeroDivisionError: division by zero (chapter2/double.py, line 5)"),
    ], duration_s=0.5, output="\x1b[31mred\x00\ud800 text")
    waiting = ExerciseResult("chapter2/other", "Other", [CheckResult("one", Verdict.NOT_STARTED, "not started")])
    passing = ExerciseResult("chapter2/fine", "Fine", [CheckResult("one", Verdict.PASS)])
    return Report("0.1.0", str(workspace), [failing, waiting, passing])


def test_github_annotations_point_at_the_learners_file_and_line(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    ws = repo / "course"
    (ws / "chapter2").mkdir(parents=True)
    (ws / "chapter2" / "double.py").write_text("import torch\n\n\ndef double(X):\n    return 1 / 0\n")
    (ws / "chapter2" / "other.py").write_text("def other(X):\n    raise NotImplementedError\n")
    locations = Locations({"chapter2/double": ws / "chapter2" / "double.py", "chapter2/other": ws / "chapter2" / "other.py"},
                          {"chapter2/double": ("double",), "chapter2/other": ("other",)})
    lines = render_github(sample_report(ws), locations).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 2  # one per failing check; passing and not-started checks have none
    assert errors[0] == ("::error file=course/chapter2/double.py,line=4,title=chapter2/double%3A random matrix%2C seeded::"
                         "fail [double.triples]: 100%25 wrong:%0Aexpected 2, got 3")
    assert errors[1].startswith("::error file=course/chapter2/double.py,line=5,title=chapter2/double%3A import::error: ")
    [warning] = [line for line in lines if line.startswith("::warning ")]
    assert warning.startswith("::warning file=course/chapter2/other.py,line=1,title=chapter2/other%3A not started::")
    assert lines[-1] == "::notice title=tutor::1/3 exercises pass, score 0.44"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A" and escape_data("a:b\r") == "a:b%0D"


def test_gradescope_results_follow_the_schema(tmp_path):
    data = json.loads(render_gradescope(sample_report(tmp_path)))
    assert set(data) == {"score", "execution_time", "output", "visibility", "stdout_visibility", "tests"}
    assert data["score"] == pytest.approx(1 / 3 + 0 + 1)
    assert len(data["tests"]) == 5
    for test in data["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility", "tags"}
        assert test["status"] in ("passed", "failed") and test["visibility"] == "visible"
        assert 0 <= test["score"] <= test["max_score"]
    assert sum(t["max_score"] for t in data["tests"]) == pytest.approx(3)
    assert sum(t["score"] for t in data["tests"]) == pytest.approx(data["score"], abs=1e-5)
    failed = data["tests"][1]
    assert failed["name"] == "chapter2/double: random matrix, seeded" and failed["status"] == "failed"
    assert failed["output"].startswith("[double.triples] 100% wrong")
    assert data["tests"][2]["output"].startswith("error: ZeroDivisionError")


def test_junit_is_valid_xml_whatever_the_learner_printed(tmp_path):
    xml = render_junit(sample_report(tmp_path))
    root = ElementTree.fromstring(xml)
    out = root.find(".//system-out").text
    assert out == "\\x1b[31mred\\x00\\ud800 text"
    assert root.find(".//failure").get("message") == "100% wrong:"


def tutor(*args, cwd=None, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TUTOR_LESSONS")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd, env=env)


def test_one_check_feeds_junit_annotations_gradescope_and_json(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    ws = tmp_path / "ws"
    assert tutor("init", str(ws), "--lessons", str(pack)).returncode == 0
    (ws / "chapter2" / "double.py").write_text("import torch\n\ndef double(X):\n    return X * 3\n")
    proc = tutor("check", "chapter2/double", "--lessons", str(pack), "--strict",
                 "--format", "junit", "-o", "out/report.xml", "--format", "github",
                 "--format", "gradescope", "-o", "out/results.json", "-o", "out/report.json", "--format", "json",
                 "-w", str(ws), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 2
    assert all(line.startswith("::error file=ws/chapter2/double.py,line=3,title=chapter2/double%3A ") for line in errors)
    assert "[double.triples]" in errors[0]
    assert "Double it" in proc.stdout  # annotations alone say little in a log: the text report comes too
    suite = ElementTree.parse(tmp_path / "out" / "report.xml").getroot().find("testsuite")
    assert suite.get("name") == "chapter2/double" and suite.get("failures") == "2"
    scope = json.loads((tmp_path / "out" / "results.json").read_text())
    assert scope["score"] == 0 and [t["status"] for t in scope["tests"]] == ["failed", "failed"]
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["results"][0]["verdict"] == "fail"
    bad = tutor("check", "--format", "json", "--format", "junit", "-w", str(ws))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "cannot both go to standard output" in bad.stderr
