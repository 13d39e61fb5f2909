"""Chapter 10 (beam search, BLEU, corpus BLEU): each wrong variant is named, corpus BLEU agrees
with sacrebleu, and the messages say what went wrong."""

import random

import pytest

from tutor.grader.reference import load_checks, load_trusted_module

SLUGS = ["bleu", "corpus_bleu", "beam_search"]


@pytest.fixture(scope="module")
def exercises(catalog):
    return {ex.slug: ex for ex in catalog.chapter("chapter10").exercises}


def test_chapter_lists_the_exercises_in_book_order(exercises, catalog):
    assert [ex.slug for ex in catalog.chapter("chapter10").exercises][:3] == SLUGS
    for slug in SLUGS:
        ex = exercises[slug]
        assert len(load_checks(ex)) >= 6, ex.id


def test_beam_search_greedy_message_shows_the_sequence_greedy_misses(validation):
    result = validation.result("chapter10/beam_search", "mutants/greedy.py")
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "beam_search.greedy"
    assert "[A C B <eos>]" in first.message and "greedy search" in first.message
    assert next(c for c in result.checks if c.name.startswith("beam 1 on")).verdict == "pass"


def test_beam_search_prefix_without_bos_gets_a_clear_error(exercises, grade):
    ex = exercises["beam_search"]
    source = (ex.folder / "reference.py").read_text().replace("step_fn([bos] + tokens)", "step_fn(tokens)")
    result = grade(ex.id, source)
    assert result.verdict == "error"
    assert "must start with bos" in result.checks[0].message


def test_bleu_unclipped_message_shows_the_smallest_input(validation):
    result = validation.result("chapter10/bleu", "mutants/unclipped.py")
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


def test_corpus_bleu_sentence_average_is_named_against_sacrebleu(exercises, validation):
    ex = exercises["corpus_bleu"]
    result = validation.result("chapter10/corpus_bleu", "mutants/sentence_average.py")
    first = result.checks[0]
    assert first.diagnosis == "corpus_bleu.sentence_average"
    assert "sacrebleu gives 60.117443, you give 50.000000" in first.message
    assert "sacrebleu.*" in ex.banned_names


def _ranked(found, alpha):
    return sorted(([list(t), lp / len(t) ** alpha] for t, lp in found), key=lambda c: -c[1])


def _greedy(lm, max_len, alpha):
    found, tokens, logp = [], [], 0.0
    for _ in range(max_len):
        lp = lm([lm.bos, *tokens])
        best = int(lp.argmax())
        tokens, logp = tokens + [best], logp + float(lp[best])
        found.append((tokens, logp))
        if best == lm.eos:
            break
    return _ranked(found, alpha)


def _brute_force(lm, max_len, alpha):
    """Every sequence of 1..max_len tokens whose only eos, if any, is the last token."""
    import itertools

    found = []
    for n in range(1, max_len + 1):
        for seq in itertools.product(range(lm.vocab), repeat=n):
            if lm.eos not in seq[:-1]:
                found.append((list(seq), sum(float(lm([lm.bos, *seq[:i]])[seq[i]]) for i in range(n))))
    return _ranked(found, alpha)


def test_the_oracle_is_greedy_at_beam_1_and_brute_force_with_a_wide_beam(exercises):
    """What the checks compare against is itself checked: the reference beam search equals greedy
    search at beam 1 and exhaustive enumeration when the beam holds every sequence."""
    from tutor.grader.reference import checks_module

    ex = exercises["beam_search"]
    lms = checks_module(ex)
    reference = load_trusted_module(ex.reference_path, "test_reference")

    def search(lm, beam, max_len, alpha):
        return [[list(t), float(s)] for t, s in reference.beam_search(lm, lm.bos, lm.eos, beam, max_len, alpha)]

    def same(got, want):
        assert [c[0] for c in got] == [c[0] for c in want]
        assert [c[1] for c in got] == pytest.approx([c[1] for c in want], rel=1e-9)

    for seed in (21, 22, 23):
        lm = lms.RandomLM(5, seed, eos_bias=0.5)
        same(search(lm, 1, 6, 0.75), _greedy(lm, 6, 0.75))
    for vocab, max_len, alpha in ((4, 3, 0.75), (3, 4, 1.0)):
        lm = lms.RandomLM(vocab, 30 + vocab)
        same(search(lm, 10 ** 3, max_len, alpha), _brute_force(lm, max_len, alpha))
