"""`tutor grade`: a class of workspaces, hostile ones included, into a gradebook with verdicts,
problems instead of silent zeros, feedback files, a sealed cache that skips unchanged
students, and deterministic shards."""

import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from locations import FIXTURE_PACK
from tutor.grader.batch import Submission, find_submissions, parse_shard, select_shard
from tutor.engine.errors import WorkspaceError

TARGET = "chapter2/double"
STARTER = (FIXTURE_PACK / "chapter2" / "double" / "starter.py").read_text()


def make_class(root: Path, pack: Path) -> dict[str, str]:
    """Ten students; returns what each must get for chapter2/double."""
    def student(name, body=None, config="[workspace]\nformat = 1\npacks = []\n"):
        folder = root / name
        (folder / "chapter2").mkdir(parents=True)
        if config is not None:
            (folder / "tutor.toml").write_text(config)
        if body is not None:
            (folder / "chapter2" / "double.py").write_text(body)
        return folder

    student("ada", "def double(X):\n    return X + X\n")
    student("bob", "def double(X):\n    return X * 3\n")  # a known mistake: double.triples
    student("cy", STARTER)
    student("dee", "def double(X):\n    return 2 * X\n", config="[workspace\npacks = [")  # broken tutor.toml
    student("eve")  # the file is missing
    fay = student("fay")
    (fay / "chapter2" / "double.py").symlink_to(pack / "chapter2" / "double" / "reference.py")
    # A linked folder leading out of the workspace (to a correct file elsewhere).
    outside = root.parent / "outside" / "chapter2"
    outside.mkdir(parents=True)
    (outside / "double.py").write_text("def double(X):\n    return X + X\n")
    ivy = root / "ivy"
    ivy.mkdir()
    (ivy / "tutor.toml").write_text("[workspace]\n")
    (ivy / "chapter2").symlink_to(outside)
    # A student whose tutor.toml lists their own pack, in which "double" is graded by checks
    # they wrote: ignored, so their wrong answer fails.
    own = root / "gus" / "mypack"
    shutil.copytree(pack, own)
    (own / "chapter2" / "double" / "reference.py").write_text("def double(X):\n    return X * 3\n")
    student("gus", "def double(X):\n    return X * 3\n", config='[workspace]\npacks = ["mypack"]\n')
    # Hostile: looks for other students' files; it may only see its own.
    student("hal", "import os\n\n"
                   f"ROOT = {str(root)!r}\n\n"
                   "def double(X):\n"
                   "    try:\n"
                   "        seen = os.listdir(ROOT) + os.listdir(os.path.join(ROOT, 'ada', 'chapter2'))\n"
                   "    except OSError:\n"
                   "        seen = []\n"
                   "    if seen:\n"
                   "        raise RuntimeError('can see ' + ', '.join(sorted(seen)[:5]))\n"
                   "    return X + X\n")
    # Hostile: tries to rewrite the instructor's checks through a shell (past the Python guard).
    checks = pack / "chapter2" / "double" / "exercise.toml"
    student("jay", "import subprocess\n"
                   f"subprocess.run(['sh', '-c', 'echo [[checks]] >> {checks}'], capture_output=True)\n\n"
                   "def double(X):\n    return X + X\n")
    return {"ada": "pass", "bob": "fail", "cy": "not_started", "dee": "pass", "eve": "error", "fay": "error",
            "gus": "fail", "hal": "pass", "ivy": "error", "jay": "pass"}


def tutor(*args, env, cwd=None, check_rc=None):
    proc = subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, timeout=600,
                          env=env, cwd=cwd)
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded once (two jobs), with a private cache and key."""
    base = tmp_path_factory.mktemp("class")
    pack = base / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    root = base / "submissions"
    expected = make_class(root, pack)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TUTOR_LESSONS")}
    env.update(TUTOR_CACHE_DIR=str(base / "cache"), TUTOR_STATE_DIR=str(base / "state"))
    out = base / "grades.csv"
    proc = tutor("grade", str(root), TARGET, "--lessons", str(pack), "--jobs", "2", "-o", str(out),
                 "--feedback", str(base / "feedback"), env=env, check_rc=1)
    return {"base": base, "root": root, "pack": pack, "env": env, "expected": expected, "proc": proc, "csv": out}


def rows(path: Path) -> dict[str, dict]:
    return {r["student"]: r for r in csv.DictReader(io.StringIO(path.read_text()))}


def test_gradebook_has_verdicts_scores_totals_and_problems(graded):
    header = graded["csv"].read_text().splitlines()[0]
    assert header == f"student,{TARGET}:verdict,{TARGET}:score,passed,total,max_total,problems"
    book = rows(graded["csv"])
    assert sorted(book) == sorted(graded["expected"])
    assert {s: r[f"{TARGET}:verdict"] for s, r in book.items()} == graded["expected"], book
    assert book["ada"][f"{TARGET}:score"] == "1.0" and book["ada"]["passed"] == "1" and book["ada"]["total"] == "1.0"
    assert book["bob"][f"{TARGET}:score"] == "0.0" and book["bob"]["max_total"] == "1"
    assert book["ada"]["problems"] == "" and book["bob"]["problems"] == ""
    # A broken tutor.toml is said, not a silent zero: the student's work is still graded.
    assert book["dee"]["problems"].startswith("tutor.toml: invalid TOML")
    assert book["eve"]["problems"] == "chapter2/double.py missing"
    assert book["fay"]["problems"] == "chapter2/double.py is a symbolic link: not graded"
    assert book["ivy"]["problems"] == "chapter2/double.py is reached through a linked folder out of the workspace: not graded"


def test_students_own_packs_are_ignored_with_one_line(graded):
    lines = [line for line in graded["proc"].stderr.splitlines() if line.strip()]
    assert lines == ["tutor: ignoring the lesson packs listed in the tutor.toml of 1 student(s): tutor grade uses "
                     "the instructor's catalog only (built-in, --lessons, TUTOR_LESSONS, installed packs)"]


def test_no_progress_bar_when_not_a_terminal(graded):
    assert "grading" not in graded["proc"].stderr and "\x1b" not in graded["proc"].stderr


def test_a_student_sees_no_other_student(graded):
    book = rows(graded["csv"])
    assert book["hal"][f"{TARGET}:verdict"] == "pass", (graded["base"] / "feedback" / "hal.md").read_text()


def mounts_available() -> bool:
    code = "from tutor.engine.isolation import enter_namespaces; print(enter_namespaces()['mounts'])"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "True"


def test_lesson_packs_are_not_writable_from_a_learner_process(graded):
    """jay's shell tried to append to the pack's exercise.toml (which the grader would load for the
    next student); the pack is mounted read-only in every learner process."""
    if not mounts_available():
        pytest.skip("no mount namespaces here: packs are protected from Python code only")
    checks = (graded["pack"] / "chapter2" / "double" / "exercise.toml").read_text()
    assert checks == (FIXTURE_PACK / "chapter2" / "double" / "exercise.toml").read_text()


def test_feedback_files_explain_each_failing_check(graded):
    folder = graded["base"] / "feedback"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s}.md" for s in graded["expected"])
    bob = (folder / "bob.md").read_text()
    assert "Diagnosis `double.triples`: You multiply by three instead of two." in bob
    assert "small vector" in bob and "random matrix" in bob and "expected: tensor([2., 4., 6.])" in bob
    assert "0 of 1 exercises pass" in bob
    dee = (folder / "dee.md").read_text()
    assert "## Problems with the submission" in dee and "invalid TOML" in dee and "1 of 1 exercises pass" in dee
    assert "Not started yet" in (folder / "cy.md").read_text()


def test_json_gradebook_has_per_check_details(graded):
    out = graded["base"] / "grades.json"
    proc = tutor("grade", str(graded["root"]), TARGET, "--lessons", str(graded["pack"]), "-o", str(out),
                 env=graded["env"], check_rc=1)
    assert "0 graded, 10 unchanged since the last grading" in proc.stdout  # all from the cache
    data = json.loads(out.read_text())
    assert data["targets"] == [TARGET] and data["summary"]["students"] == 10
    bob = next(s for s in data["students"] if s["student"] == "bob")
    assert bob["cached"] is True and bob["problems"] == []
    [result] = bob["results"]
    assert result["exercise"] == TARGET and result["verdict"] == "fail"
    check = result["checks"][0]
    assert {"name", "verdict", "message", "diagnosis", "kind", "details", "evidence", "duration_s"} <= set(check)
    assert check["diagnosis"] == "double.triples" and check["details"]["expected"] == "tensor([2., 4., 6.])"


def test_rerun_skips_unchanged_students_and_force_grades_again(graded):
    env, root = graded["env"], graded["root"]
    (root / "bob" / "chapter2" / "double.py").write_text("def double(X):\n    return X + X\n")
    try:
        proc = tutor("grade", str(root), TARGET, "--lessons", str(graded["pack"]), "--format", "json", env=env,
                     check_rc=1)
        data = {s["student"]: s for s in json.loads(proc.stdout)["students"]}
        assert [s for s, d in data.items() if not d["cached"]] == ["bob"]
        assert data["bob"]["results"][0]["verdict"] == "pass"
    finally:
        (root / "bob" / "chapter2" / "double.py").write_text("def double(X):\n    return X * 3\n")
    # --force grades even an unchanged student again (shard 1/4: ada, eve and ivy).
    proc = tutor("grade", str(root), TARGET, "--lessons", str(graded["pack"]), "--shard", "1/4", "--force",
                 "--format", "json", env=env, check_rc=1)
    data = json.loads(proc.stdout)
    assert [(s["student"], s["cached"]) for s in data["students"]] == [("ada", False), ("eve", False), ("ivy", False)]


def test_a_forged_cache_entry_is_recomputed_not_trusted(graded):
    """A class cache entry the grader did not write (here: bob's, rewritten to say pass) is
    graded again, and the run says so."""
    cache = graded["base"] / "cache" / "gradebook"
    entries = sorted(cache.rglob("*.json"))
    assert entries
    forged = 0
    for entry in entries:
        blob = entry.read_bytes()
        if b'"fail"' in blob and b"double.triples" in blob:
            entry.write_bytes(blob[:32] + blob[32:].replace(b'"fail"', b'"pass"'))
            forged += 1
    assert forged >= 1
    proc = tutor("grade", str(graded["root"]), TARGET, "--lessons", str(graded["pack"]), "--format", "csv",
                 env=graded["env"], check_rc=1)
    book = {r["student"]: r for r in csv.DictReader(io.StringIO(proc.stdout))}
    assert book["bob"][f"{TARGET}:verdict"] == "fail"
    assert f"{forged} cached grading(s) did not verify" in proc.stderr


def test_progress_bar_on_a_terminal(graded):
    """On a terminal stderr shows rich's progress bar (everything is cached here, so it is quick)."""
    main, child = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "tutor", "grade", str(graded["root"]), TARGET, "--lessons",
                               str(graded["pack"]), "-o", str(graded["base"] / "tty.csv")],
                              stdout=subprocess.PIPE, stderr=child, env=dict(graded["env"], COLUMNS="100"),
                              timeout=300)
        os.close(child)
        child = None
        seen = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if child is not None:
            os.close(child)
        os.close(main)
    assert proc.returncode == 1
    assert b"grading" in seen and b"students" in seen and b"10/10" in seen


# -- shards and discovery (no grading) ----------------------------------------------------

def subs(names):
    return [Submission(n, Path(n)) for n in names]


def test_shards_are_deterministic_disjoint_and_cover_everyone():
    names = [f"s{i:02d}" for i in range(23)]
    shuffled = names[7:] + names[:7]
    for n in (1, 2, 3, 4, 7, 30):
        parts = [[s.name for s in select_shard(subs(shuffled), (i, n))] for i in range(1, n + 1)]
        flat = [x for p in parts for x in p]
        assert sorted(flat) == names and len(set(flat)) == len(flat)
        assert max(map(len, parts)) - min(map(len, parts)) <= 1
        assert parts == [[s.name for s in select_shard(subs(names), (i, n))] for i in range(1, n + 1)]


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "1", "1/0", "-1/2"])
def test_a_bad_shard_is_a_usage_error(text):
    with pytest.raises(WorkspaceError):
        parse_shard(text)


def test_bad_shard_on_the_command_line_is_one_line_exit_2(tmp_path):
    (tmp_path / "a").mkdir()
    proc = tutor("grade", str(tmp_path), "--shard", "3/2", env=dict(os.environ), check_rc=2)
    assert proc.stderr.strip() == "tutor: --shard '3/2': i must be between 1 and n"


def test_submissions_are_found_one_level_down_and_none_is_lost(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "tutor.toml").write_text("")
    (tmp_path / "b" / "repo").mkdir(parents=True)  # GitHub Classroom layout: student/repository
    (tmp_path / "b" / "repo" / "tutor.toml").write_text("")
    (tmp_path / "c").mkdir()  # no tutor.toml at all: still a student
    (tmp_path / ".git").mkdir()
    (tmp_path / "feedback").mkdir()
    elsewhere = tmp_path.parent / f"{tmp_path.name}-clone"
    elsewhere.mkdir()
    (elsewhere / "tutor.toml").write_text("")
    (tmp_path / "d").symlink_to(elsewhere)  # the instructor's own link to a clone
    found = find_submissions(tmp_path, exclude=[tmp_path / "feedback"])
    assert [s.name for s in found] == ["a", "b/repo", "c", "d"]
    with pytest.raises(WorkspaceError, match="not found"):
        find_submissions(tmp_path / "nope")


def test_slots_use_the_injected_pool_factory_and_close_every_pool(tmp_path, monkeypatch):
    """The pool each slot grades with comes from the factory (a zygote pool drops in here)."""
    from tutor.engine.packs import build_catalog, catalog_version, PackSource
    from tutor.engine.runner import WorkerPool
    from tutor.grader.batch import ClassGrader, find_submissions
    from tutor.grader.gradecache import GradeCache

    monkeypatch.setenv("TUTOR_STATE_DIR", str(tmp_path / "state"))
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    root = tmp_path / "class"
    for name, body in (("a", "def double(X):\n    return X + X\n"), ("b", "def double(X):\n    return X - X\n")):
        (root / name / "chapter2").mkdir(parents=True)
        (root / name / "tutor.toml").write_text("")
        (root / name / "chapter2" / "double.py").write_text(body)
    made, closed = [], []

    class RecordingPool(WorkerPool):
        def close(self):
            closed.append(self)
            super().close()

    def factory():
        made.append(RecordingPool(eager=False))
        return made[-1]

    choice = build_catalog([PackSource(pack, "--lessons")], include_builtin=False)
    exercises = choice.catalog.exercises
    grader = ClassGrader(exercises, choice.roots, catalog_version(exercises), submissions_root=root, jobs=2,
                         cache=GradeCache(tmp_path / "cache"), pool_factory=factory, reference_cache=tmp_path / "ref")
    results = grader.grade(find_submissions(root))
    assert [(r.name, str(r.report.results[0].verdict)) for r in results] == [("a", "pass"), ("b", "fail")]
    assert len(made) == 2 and set(map(id, closed)) == set(map(id, made))
    assert all(pool.tokens for pool in made)  # each slot's pool started the workers it graded with


def test_feedback_and_csv_keep_learner_text_inert():
    """Learner output cannot close a code fence in feedback, nor become a spreadsheet formula."""
    from tutor.grader.batch import StudentResult
    from tutor.grader.feedback import fence, feedback_name, student_markdown
    from tutor.grader.gradebook import render_csv
    from tutor.grader.results import CheckResult, ExerciseResult, Report, Verdict

    assert fence("a ```` b").startswith("`````text\n") and fence("plain").startswith("```text\n")
    assert feedback_name("b/repo") == "b__repo.md" and feedback_name("../../etc") == "etc.md"
    result = ExerciseResult(TARGET, "Double it", [CheckResult("small vector", Verdict.ERROR, "boom\n```\n# owned")],
                            output="```\n<script>")
    student = StudentResult("=HYPERLINK(\"x\")", Path("/tmp/x"), Report("0", "/tmp/x", [result]), ["-1+1"])
    text = student_markdown(student)
    assert "````text\nboom\n```\n# owned\n````" in text
    rows = list(csv.reader(io.StringIO(render_csv([student], [TARGET]))))
    assert rows[1][0] == "'=HYPERLINK(\"x\")" and rows[1][-1] == "'-1+1"
