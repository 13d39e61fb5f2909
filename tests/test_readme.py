"""The README's curriculum table is the built-in catalog, chapter by chapter, in order."""

from locations import ROOT
from tutor.engine.catalog import load_catalog


def curriculum_rows() -> list[str]:
    rows = []
    for chapter in load_catalog().chapters:
        label = f"{chapter.number} {chapter.title}" if chapter.id.startswith("chapter") else chapter.title
        rows.append(f"| {label} | {', '.join(ex.slug for ex in chapter.exercises)} |")
    return rows


def readme_rows() -> list[str]:
    text = (ROOT / "README.md").read_text()
    table = text.split("## Curriculum", 1)[1].split("\n\n", 2)[1]
    return table.splitlines()[2:]  # after the header and its rule


def test_readme_curriculum_lists_every_builtin_exercise_in_order():
    assert readme_rows() == curriculum_rows(), "\n".join(["README should read:", *curriculum_rows()])
