"""Every built-in exercise passes `tutor instructor validate`: the course checks itself."""

import pytest

from tutor.engine.catalog import load_catalog

EXERCISES = [ex.id for ex in load_catalog().exercises]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_validates(exercise, validation):
    assert validation.findings.get(exercise), f"{exercise} was not validated"
    problems = validation.problems(exercise)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_lesson_states_the_task_and_has_hints(exercise, catalog):
    ex = catalog.exercise(exercise)
    assert len(ex.hints) >= 3
    lesson = ex.lesson.lower()
    assert "## your task" in lesson or "## the task" in lesson, "the lesson has a task section"
    for name in ex.functions:
        assert name in ex.lesson, f"the lesson names {name} (its exact signature is the contract)"
