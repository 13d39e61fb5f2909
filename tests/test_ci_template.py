"""`tutor instructor ci-template`: the workflows parse as YAML, and every tutor command they
run exists, with options the command really has."""

import os
import shlex
import subprocess
import sys

import pytest
import yaml

from tutor.cli import app
from tutor.grader.ci_template import TemplateOptions, render_workflow, step_id

typer_main = pytest.importorskip("typer.main")


def click_command():
    return typer_main.get_command(app)


def tutor_invocations(workflow: dict) -> list[list[str]]:
    """Every `tutor ...` command line the workflow runs (run: scripts and command-grader inputs)."""
    found = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            scripts = [step.get("run", "")] + [str((step.get("with") or {}).get(k, "")) for k in ("command", "setup-command")]
            for script in scripts:
                for line in script.splitlines():
                    words = shlex.split(line)
                    if words and words[0] == "tutor":
                        found.append(words[1:])
    return found


def assert_runs_real_commands(invocations):
    group = click_command()
    assert invocations
    for words in invocations:
        ctx = group.make_context("tutor", list(words), resilient_parsing=True)
        name, command, rest = group.resolve_command(ctx, list(words))
        assert command is not None, words
        options = {opt for p in command.params for opt in getattr(p, "opts", [])}
        for word in rest:
            if word.startswith("-"):
                assert word.split("=")[0] in options, (name, word)
        # It parses: a wrong value or a missing argument would raise here.
        command.make_context(name, list(rest))


def workflow(*args):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TUTOR_LESSONS")}
    proc = subprocess.run([sys.executable, "-m", "tutor", "instructor", "ci-template", *args],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_plain_workflow_grades_in_trusted_mode_and_uploads_reports():
    text = workflow("--pack-repo", "course/lessons", "--pack-ref", "v2")
    data = yaml.safe_load(text)
    assert set(data["on"]) >= {"push", "pull_request"}
    steps = data["jobs"]["grade"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert uses.count("actions/checkout@v4") == 2
    pack = steps[1]["with"]
    assert pack["repository"] == "course/lessons" and pack["ref"] == "v2" and pack["path"] == "lesson-pack"
    install = next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    torch_line, tutor_line = install.strip().splitlines()[:2]
    assert "torch==" in torch_line and "--index-url https://download.pytorch.org/whl/cpu" in torch_line
    assert "tutor" in tutor_line
    [grade] = [s for s in steps if s.get("name") == "Grade"]
    words = shlex.split(grade["run"])
    for needed in ("--strict", "--format", "github", "junit", "gradescope", "--lessons", "lesson-pack", "--all"):
        assert needed in words
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and "report.xml" in upload["with"]["path"]
    assert_runs_real_commands(tutor_invocations(data))


def test_classroom_workflow_has_a_command_grader_per_exercise_and_the_reporter():
    text = workflow("--classroom", "-t", "chapter4", "--pack-pip", "my-course-lessons==1.0")
    data = yaml.safe_load(text)
    job = data["jobs"]["run-autograding-tests"]
    graders = [s for s in job["steps"] if s.get("uses", "").startswith("classroom-resources/autograding-command-grader")]
    from tutor.engine.catalog import load_catalog

    assert [g["with"]["test-name"] for g in graders] == [ex.id for ex in load_catalog().chapter("chapter4").exercises]
    assert [g["with"]["test-name"] for g in graders][:2] == ["chapter4/softmax", "chapter4/cross_entropy"]
    assert all(g["with"]["max-score"] == 1 for g in graders)
    reporter = job["steps"][-1]
    assert reporter["uses"].startswith("classroom-resources/autograding-grading-reporter")
    ids = [g["id"] for g in graders]
    assert reporter["with"]["runners"] == ",".join(ids)
    assert reporter["env"] == {f"{i.upper()}_RESULTS": f"${{{{steps.{i}.outputs.result}}}}" for i in ids}
    assert any("my-course-lessons==1.0" in s.get("run", "") for s in job["steps"])
    assert_runs_real_commands(tutor_invocations(data))


def test_workflow_file_is_written_once(tmp_path):
    out = tmp_path / ".github" / "workflows" / "tutor.yml"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "tutor", "instructor", "ci-template", "-o", str(out), *a],
                                    capture_output=True, text=True, timeout=120, env=env)
    assert run().returncode == 0 and yaml.safe_load(out.read_text())["name"] == "tutor"
    again = run()
    assert again.returncode == 2 and "exists; add --force" in again.stderr
    assert run("--force").returncode == 0


def test_step_ids_and_quoting_are_safe():
    assert step_id("chapter10/beam_search") == "chapter10-beam-search"
    opts = TemplateOptions(exercises=["chapter4/softmax"], targets=["chapter4"], tutor_spec="tutor @ git+https://x/y.git#a b")
    data = yaml.safe_load(render_workflow(opts))
    install = next(s["run"] for s in data["jobs"]["grade"]["steps"] if "pip install" in s.get("run", ""))
    assert shlex.split(install.splitlines()[1])[-1] == "tutor @ git+https://x/y.git#a b"
