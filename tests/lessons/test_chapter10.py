"""Chapter 10 (beam search, BLEU, corpus BLEU): right solutions pass, each wrong variant fails
with its diagnosis, corpus BLEU agrees with sacrebleu, and the messages say what went wrong."""

import random
from pathlib import Path

import pytest

from tutor.engine.catalog import BUILTIN_PACK, load_chapter
from tutor.grader.reference import load_checks, load_trusted_module
from tutor.grader.validate import validate_exercise

from recording import RecordingGrader

CHAPTER = BUILTIN_PACK / "chapter10"
SLUGS = ["bleu", "corpus_bleu", "beam_search"]



@pytest.fixture(scope="module")
def grader(tmp_path_factory):
    g = RecordingGrader(cache_dir=tmp_path_factory.mktemp("cache"))
    yield g
    g.close()


@pytest.fixture(scope="module")
def exercises():
    return {ex.slug: ex for ex in load_chapter(CHAPTER).exercises}


_validated: dict = {}


@pytest.fixture
def validated(exercises, grader):
    """validated(slug) -> (findings, {file name in the pack: result}); each exercise is validated once."""
    def get(slug):
        if slug not in _validated:
            ex = exercises[slug]
            start = len(grader.results)
            findings = validate_exercise(ex, grader)
            names = ["starter.py", "reference.py", *(p.relative_to(ex.folder).as_posix() for p in ex.solutions),
                     *(m.path.relative_to(ex.folder).as_posix() for m in ex.mutants)]
            results = grader.results[start:]
            assert len(results) == len(names)
            _validated[slug] = (findings, dict(zip(names, results)))
        return _validated[slug]
    return get


def _grade(grader, tmp_path: Path, ex, source: str):
    path = tmp_path / ex.chapter / f"{ex.slug}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    return grader.grade(ex, path)


def test_chapter_lists_the_exercises_in_book_order(exercises):
    assert [ex.slug for ex in load_chapter(CHAPTER).exercises] == SLUGS
    for ex in exercises.values():
        checks = load_checks(ex)
        assert len(checks) >= 6, ex.id
        assert len(ex.hints) >= 3, ex.id


@pytest.mark.parametrize("slug", SLUGS)
def test_validation(slug, exercises, validated):
    ex = exercises[slug]
    findings, _ = validated(slug)
    bad = [f.line() for f in findings if not f.ok]
    assert not bad, "\n".join(bad)
    assert len(ex.solutions) >= 2
    declared = {m.diagnosis for m in ex.mutants if m.diagnosis}
    assert declared == set(ex.diagnoses), "every diagnosis has a mutant that triggers it"


def test_beam_search_greedy_message_shows_the_sequence_greedy_misses(validated):
    result = validated("beam_search")[1]["mutants/greedy.py"]
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "beam_search.greedy"
    assert "[A C B <eos>]" in first.message and "greedy search" in first.message
    assert next(c for c in result.checks if c.name.startswith("beam 1 on")).verdict == "pass"


def test_beam_search_prefix_without_bos_gets_a_clear_error(exercises, grader, tmp_path):
    ex = exercises["beam_search"]
    source = (ex.folder / "reference.py").read_text().replace("step_fn([bos] + tokens)", "step_fn(tokens)")
    result = _grade(grader, tmp_path, ex, source)
    assert result.verdict == "error"
    assert "must start with bos" in result.checks[0].message


def test_bleu_unclipped_message_shows_the_smallest_input(validated):
    result = validated("bleu")[1]["mutants/unclipped.py"]
    clipping = next(c for c in result.checks if c.name.startswith("clipping"))
    assert clipping.diagnosis == "bleu.unclipped"
    assert "bleu('the the the the', 'the cat', k=1): expected 0.5, got 1" in clipping.message


def test_corpus_bleu_reference_agrees_with_sacrebleu_on_random_corpora(exercises):
    from sacrebleu.metrics import BLEU

    reference = load_trusted_module(exercises["corpus_bleu"].reference_path, "test_reference")
    rng = random.Random(7)
    words = "a b c d e f".split()
    metric = BLEU(tokenize="none", smooth_method="none", force=True)
    for _ in range(40):
        refs = [" ".join(rng.choices(words, k=rng.randint(1, 12))) for _ in range(rng.randint(1, 6))]
        hyps = [" ".join(rng.choices(words, k=rng.randint(0, 12))) for _ in refs]
        want = metric.corpus_score(hyps, [refs]).score
        assert reference.corpus_bleu(hyps, refs) == pytest.approx(want, rel=1e-9, abs=1e-9)


def test_corpus_bleu_sentence_average_is_named_against_sacrebleu(exercises, validated):
    ex = exercises["corpus_bleu"]
    result = validated("corpus_bleu")[1]["mutants/sentence_average.py"]
    first = result.checks[0]
    assert first.diagnosis == "corpus_bleu.sentence_average"
    assert "sacrebleu gives 60.117443, you give 50.000000" in first.message
    assert "sacrebleu.*" in ex.banned
