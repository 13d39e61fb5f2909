"""docs/AUTHORING.md's worked example, built file by file from the document, validates."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tutor.engine.catalog import load_catalog
from tutor.grader.grade import Grader
from tutor.grader.validate import validate_all

DOC = Path(__file__).resolve().parent.parent / "docs" / "AUTHORING.md"
BLOCK = re.compile(r"<!-- file: (?P<path>\S+) -->\n```\w*\n(?P<body>.*?)```", re.S)


def build_pack(root: Path) -> list[str]:
    written = []
    for m in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        target = root / m.group("path")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(m.group("body"), encoding="utf-8")
        written.append(m.group("path"))
    return written


def test_the_worked_example_validates(tmp_path):
    written = build_pack(tmp_path)
    assert "chapter3/relu/exercise.toml" in written and len(written) >= 10
    catalog = load_catalog([tmp_path], include_builtin=False)
    grader = Grader(cache_dir=None)
    findings = validate_all(catalog.exercises, lambda: grader, jobs=1)
    assert findings and all(f.ok for f in findings), "\n".join(f.line() for f in findings if not f.ok)


def test_schema_command_writes_a_json_schema(tmp_path, tutor_cmd):
    out = tmp_path / "exercise.schema.json"
    done = subprocess.run([*tutor_cmd, "instructor", "schema", "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    schema = json.loads(out.read_text())
    spec = schema["$defs"]["ExerciseSpec"]
    assert {"format", "title", "functions", "hints", "checks"} <= set(spec["required"])
    assert spec["additionalProperties"] is False
    kinds = {d["properties"]["kind"]["enum"][0] for name, d in schema["$defs"].items() if name.endswith("Spec")
             and "kind" in d.get("properties", {})}
    assert {"value", "property", "gradient", "scenario", "training", "raises"} <= kinds
