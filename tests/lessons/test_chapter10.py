"""Chapter 10 (GRU cell, beam search, BLEU, corpus BLEU): each wrong variant is named, corpus BLEU
agrees with sacrebleu, the GRU oracle is torch's cell, and the messages say what went wrong."""

import random

import pytest

from tutor.grader.reference import load_checks, load_trusted_module

SLUGS = ["bleu", "corpus_bleu", "beam_search"]


@pytest.fixture(scope="module")
def exercises(catalog):
    return {ex.slug: ex for ex in catalog.chapter("chapter10").exercises}


def test_chapter_lists_the_exercises_in_book_order(exercises, catalog):
    slugs = [ex.slug for ex in catalog.chapter("chapter10").exercises]
    assert slugs.index("gru_cell") < slugs.index("bleu")  # 10.2 before 10.7 and 10.8
    assert [s for s in slugs if s in SLUGS] == SLUGS
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


# -- gru_cell ---------------------------------------------------------------------------------------

GRU_DIAGNOSES = {"gru.book_reset", "gru.gate_order", "gru.update_flipped", "gru.tanh_gates"}


def test_gru_cell_metadata_mutants_and_bans(exercises):
    ex = exercises["gru_cell"]
    assert len(ex.hints) >= 3 and len(ex.solutions) >= 2
    assert len(load_checks(ex)) >= 6
    assert {m.diagnosis for m in ex.mutants if m.diagnosis and m.diagnosis != "generic.nonfinite"} == set(ex.diagnoses)
    assert GRU_DIAGNOSES == set(ex.diagnoses)
    assert any(m.verdict == "forbidden" for m in ex.mutants)
    for name in ("torch.nn.GRUCell", "torch.gru_cell", "torch._C._VariableFunctions.gru_cell", "aten:gru_cell"):
        assert name in ex.banned_names
    assert "gru_cell(x: torch.Tensor, h: torch.Tensor, weight_ih" in ex.lesson


def test_gru_cell_oracle_and_reference_equal_torch_nn_grucell(exercises):
    """The oracle is what nn.GRUCell computes, and the reference agrees with the module itself."""
    import torch

    from tutor.grader.reference import checks_module

    ex = exercises["gru_cell"]
    oracle = checks_module(ex).torch_gru().gru_cell
    reference = load_trusted_module(ex.reference_path, "test_reference")
    torch.manual_seed(3)
    for B, D, H in ((1, 1, 1), (4, 3, 5), (2, 7, 2)):
        cell = torch.nn.GRUCell(D, H).double()
        x, h = torch.randn(B, D, dtype=torch.float64), torch.randn(B, H, dtype=torch.float64)
        with torch.no_grad():
            want = cell(x, h)
            assert torch.allclose(oracle(x, h, *cell.parameters()), want, rtol=1e-12, atol=1e-12)
            assert torch.allclose(reference.gru_cell(x, h, *cell.parameters()), want, rtol=1e-12, atol=1e-12)


def test_gru_cell_lesson_numbers_are_what_the_oracle_gives(exercises):
    from tutor.grader.reference import checks_module

    checks = checks_module(exercises["gru_cell"])
    inputs = checks.lesson_inputs(None)
    assert float(checks.torch_gru().gru_cell(*inputs.values())) == pytest.approx(0.5937, abs=1e-4)
    assert "0.5937" in exercises["gru_cell"].lesson and "0.6187" in exercises["gru_cell"].lesson


def test_gru_cell_book_reset_in_another_style_is_named_on_the_lesson_example(grade):
    """A learner who follows the book with F.linear and explicit slices: named at the first check."""
    source = """
import torch
import torch.nn.functional as F


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h.shape[1]
    s = [slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)]
    r = torch.sigmoid(F.linear(x, weight_ih[s[0]], bias_ih[s[0]]) + F.linear(h, weight_hh[s[0]], bias_hh[s[0]]))
    z = torch.sigmoid(F.linear(x, weight_ih[s[1]], bias_ih[s[1]]) + F.linear(h, weight_hh[s[1]], bias_hh[s[1]]))
    n = torch.tanh(F.linear(x, weight_ih[s[2]], bias_ih[s[2]]) + F.linear(r * h, weight_hh[s[2]], bias_hh[s[2]]))
    return z * h + (1 - z) * n
"""
    result = grade("chapter10/gru_cell", source)
    assert result.verdict == "fail"
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "gru.book_reset"
    assert "r ⊙ (h W_hnᵀ + b_hn)" in first.message
    assert "the lesson's example" in first.message and "expected 0.593668, got 0.618704" in first.message


def test_gru_cell_using_torch_cell_is_forbidden(grade):
    source = "import torch\n\ndef gru_cell(x, h, *weights):\n    return torch.gru_cell(x, h, *weights)\n"
    assert grade("chapter10/gru_cell", source).verdict == "forbidden"


# -- lstm_cell --------------------------------------------------------------------------------------

LSTM_DIAGNOSES = {"lstm.gate_order", "lstm.no_tanh_on_cell", "lstm.old_cell_in_output", "lstm.sigmoid_candidate",
                  "lstm.swapped_outputs"}


def test_lstm_cell_metadata_mutants_and_bans(exercises, catalog):
    ex = exercises["lstm_cell"]
    slugs = [e.slug for e in catalog.chapter("chapter10").exercises]
    assert slugs[:2] == ["lstm_cell", "gru_cell"]  # D2L 10.1, 10.2
    assert len(ex.hints) >= 3 and len(ex.solutions) >= 2 and len(load_checks(ex)) >= 6
    assert {m.diagnosis for m in ex.mutants if m.diagnosis} == LSTM_DIAGNOSES == set(ex.diagnoses)
    assert any(m.verdict == "forbidden" for m in ex.mutants)
    assert {"torch.nn.LSTMCell", "torch.lstm_cell", "torch._VF.lstm_cell"} <= set(ex.banned_names)
    assert "-> tuple[torch.Tensor, torch.Tensor]" in ex.lesson


def test_lstm_cell_oracle_reference_and_lesson_agree_with_torch_nn_lstmcell(exercises):
    import torch

    from tutor.grader.reference import checks_module

    ex = exercises["lstm_cell"]
    checks = checks_module(ex)
    oracle = checks.torch_lstm().lstm_cell
    reference = load_trusted_module(ex.reference_path, "test_reference")
    torch.manual_seed(4)
    for B, D, H in ((1, 1, 1), (4, 3, 5)):
        cell = torch.nn.LSTMCell(D, H).double()
        x, h, c = (torch.randn(B, n, dtype=torch.float64) for n in (D, H, H))
        with torch.no_grad():
            want = cell(x, (h, c))
            for got in (oracle(x, h, c, *cell.parameters()), reference.lstm_cell(x, h, c, *cell.parameters())):
                assert all(torch.allclose(a, b, rtol=1e-12, atol=1e-12) for a, b in zip(got, want))
    h1, c1 = oracle(*checks.lesson_inputs(None).values())
    assert (float(h1), float(c1)) == pytest.approx((0.6848, 1.2131), abs=1e-4)
    assert "h' = 0.8176·tanh(1.2131) ≈ 0.8176·0.8376 ≈ 0.6848" in ex.lesson


def test_lstm_cell_book_gate_order_with_separate_products_is_named(grade):
    """A learner who slices the blocks in the book's order i, f, o, c̃ with four products per side."""
    source = """
import torch


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h.shape[1]
    blocks = []
    for k in range(4):
        rows = slice(k * H, (k + 1) * H)
        blocks.append(x @ weight_ih[rows].T + h @ weight_hh[rows].T + bias_ih[rows] + bias_hh[rows])
    I, F, O, C_tilde = torch.sigmoid(blocks[0]), torch.sigmoid(blocks[1]), torch.sigmoid(blocks[2]), torch.tanh(blocks[3])
    c_new = F * c + I * C_tilde
    return O * torch.tanh(c_new), c_new
"""
    result = grade("chapter10/lstm_cell", source)
    assert result.verdict == "fail"
    first = result.checks[0]
    assert first.diagnosis == "lstm.gate_order" and "i, f, g, o" in first.message


# -- masked_loss (teacher forcing with a masked loss) -----------------------------------------------

MASKED_LOSS_DIAGNOSES = {
    "masked_loss.not_shifted", "masked_loss.shifted_left", "masked_loss.wrapped_around",
    "masked_loss.bos_replaces_first", "masked_loss.keeps_last_token", "masked_loss.padding_counted",
    "masked_loss.mask_one_too_long", "masked_loss.mask_one_too_short", "masked_loss.per_sequence_losses",
    "masked_loss.divides_by_all_positions", "masked_loss.summed_sequence_losses",
    "masked_loss.mean_of_sequence_means", "masked_loss.log_of_softmax",
}


def test_masked_loss_metadata_mutants_and_bans(exercises, catalog):
    ex = exercises["masked_loss"]
    slugs = [e.slug for e in catalog.chapter("chapter10").exercises]
    # the GRU (10.2), then training a seq2seq model (10.7), then scoring its output with BLEU (end of 10.7)
    assert slugs.index("gru_cell") < slugs.index("masked_loss") < slugs.index("bleu")
    assert ex.functions == ("teacher_forcing_inputs", "masked_cross_entropy")
    assert len(ex.hints) >= 3 and len(ex.solutions) >= 2 and len(load_checks(ex)) >= 10
    assert {m.diagnosis for m in ex.mutants if m.diagnosis and not m.diagnosis.startswith("generic.")} \
        == MASKED_LOSS_DIAGNOSES == set(ex.diagnoses)
    assert any(m.verdict == "forbidden" for m in ex.mutants)
    assert {"torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss", "aten:nll_loss_nd"} \
        <= set(ex.banned_names)
    assert "torch.log_softmax" not in ex.banned_names  # the topic is the mask, not log-softmax again
    assert ex.capabilities.streams_curve
    assert "teacher_forcing_inputs(targets: torch.Tensor, bos: int) -> torch.Tensor" in ex.lesson
    assert ("masked_cross_entropy(logits: torch.Tensor, targets: torch.Tensor, valid_len: torch.Tensor)"
            " -> torch.Tensor") in ex.lesson


def _masked_loss_modules(ex):
    files = [ex.reference_path, *ex.solutions]
    return [load_trusted_module(f, "test_masked_loss") for f in files]


def test_masked_loss_is_torch_cross_entropy_with_ignore_index(exercises):
    """The contract is the mean over real tokens: torch's cross_entropy with the padding ignored."""
    import torch

    ex = exercises["masked_loss"]
    modules = _masked_loss_modules(ex)
    g = torch.Generator().manual_seed(5)
    for B, T, V in ((1, 1, 2), (3, 5, 4), (6, 9, 11)):
        logits = torch.randn(B, T, V, generator=g, dtype=torch.float64) * 3
        targets = torch.randint(0, V, (B, T), generator=g)
        valid = torch.randint(1, T + 1, (B,), generator=g)
        ignored = targets.masked_fill(torch.arange(T)[None, :] >= valid[:, None], -100)
        want = torch.nn.functional.cross_entropy(logits.transpose(1, 2), ignored, ignore_index=-100)
        for module in modules:
            got = module.masked_cross_entropy(logits, targets, valid)
            assert got.shape == () and got.dtype == torch.float64
            assert float(got) == pytest.approx(float(want), rel=1e-12)
            shifted = module.teacher_forcing_inputs(targets, 7)
            assert shifted.dtype == targets.dtype and (shifted[:, 0] == 7).all()
            assert torch.equal(shifted[:, 1:], targets[:, :-1])


def test_masked_loss_lesson_numbers_are_what_the_code_gives(exercises):
    """Every number of the lesson's worked example: the right loss and the ones each mistake gives."""
    import torch

    from tutor.grader.reference import checks_module

    ex = exercises["masked_loss"]
    inputs = checks_module(ex).lesson_loss_inputs(None)
    reference = load_trusted_module(ex.reference_path, "test_masked_loss")
    assert float(reference.masked_cross_entropy(*inputs.values())) == pytest.approx(0.7651, abs=1e-4)
    shown = {"padding_counted": "0.9721", "divides_by_all_positions": "0.5100",
             "summed_sequence_losses": "1.0201", "mean_of_sequence_means": "0.7411"}
    for name, text in shown.items():
        mutant = load_trusted_module(ex.folder / "mutants" / f"{name}.py", "test_masked_loss")
        assert f"{float(mutant.masked_cross_entropy(*inputs.values())):.4f}" == text, name
        assert text in ex.lesson, name
    per_sequence = load_trusted_module(ex.folder / "mutants" / "per_sequence_losses.py", "test_masked_loss")
    assert [f"{v:.4f}" for v in per_sequence.masked_cross_entropy(*inputs.values()).tolist()] == ["0.7890", "0.2310"]
    targets = torch.tensor([[5, 6, 7, 2], [8, 2, 0, 0]])
    assert reference.teacher_forcing_inputs(targets, 1).tolist() == [[1, 5, 6, 7], [1, 8, 2, 0]]
    assert "[[1, 5, 6, 7]," in ex.lesson and "[1, 8, 2, 0]]" in ex.lesson


def test_masked_loss_training_streams_both_curves_and_the_loss_falls(validation):
    result = validation.result("chapter10/masked_loss", "reference.py")
    training = next(c for c in result.checks if c.kind == "training")
    assert training.verdict == "pass"
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert len(learner) == len(reference) == 80
    assert learner[-1][1] == pytest.approx(reference[-1][1], rel=1e-3)
    assert learner[-1][1] < 0.5 * learner[0][1]  # from about ln 8 (2.08) to under 1


def test_masked_loss_padding_counted_message_shows_the_lesson_numbers(validation):
    result = validation.result("chapter10/masked_loss", "mutants/padding_counted.py")
    lesson = next(c for c in result.checks if c.id == "lesson_loss")
    assert lesson.diagnosis == "masked_loss.padding_counted"
    assert "expected 0.765068, got 0.97214" in lesson.message  # the lesson works 0.9721 by hand
    padding = next(c for c in result.checks if c.id == "padding_ignored")
    assert padding.diagnosis == "masked_loss.padding_counted"
    assert "changing only the padded positions" in padding.message
    assert all(c.verdict == "pass" for c in result.checks if c.id in ("lesson_decoder_inputs", "no_padding"))


def test_masked_loss_loop_that_keeps_eos_out_is_named(grade):
    """A learner who loops over the real tokens but stops one short (range(n - 1)): the eos is lost."""
    source = """
import torch


def teacher_forcing_inputs(targets, bos):
    out = torch.empty_like(targets)
    out[:, 0] = bos
    out[:, 1:] = targets[:, :-1]
    return out


def masked_cross_entropy(logits, targets, valid_len):
    terms = []
    for b in range(logits.shape[0]):
        for t in range(int(valid_len[b]) - 1):
            terms.append(torch.logsumexp(logits[b, t], 0) - logits[b, t, targets[b, t]])
    return torch.stack(terms).mean()
"""
    result = grade("chapter10/masked_loss", source)
    assert result.verdict in ("fail", "error")
    lesson = next(c for c in result.checks if c.id == "lesson_loss")
    assert lesson.diagnosis == "masked_loss.mask_one_too_short"
    assert "eos" in lesson.message
    assert all(c.verdict == "pass" for c in result.checks
               if c.id in ("lesson_decoder_inputs", "random_targets", "single_position", "one_sequence_other_bos"))


def test_masked_loss_padded_f_pad_and_book_loss_are_named(grade):
    """F.pad puts bos in front but keeps the last token; the book's loss, per sequence over all T."""
    source = """
import torch
import torch.nn.functional as F


def teacher_forcing_inputs(targets, bos):
    return F.pad(targets, (1, 0), value=bos)


def masked_cross_entropy(logits, targets, valid_len):
    B, T, V = logits.shape
    weights = torch.ones(B, T, dtype=logits.dtype)
    weights[torch.arange(T).expand(B, T) >= valid_len.unsqueeze(1)] = 0
    log_p = logits - torch.logsumexp(logits, dim=2, keepdim=True)
    unweighted = -log_p.gather(2, targets[..., None])[..., 0]
    return (unweighted * weights).mean(dim=1)
"""
    result = grade("chapter10/masked_loss", source)
    first, lesson_loss = result.checks[0], next(c for c in result.checks if c.id == "lesson_loss")
    assert first.diagnosis == "masked_loss.keeps_last_token"
    assert lesson_loss.diagnosis == "masked_loss.per_sequence_losses"
    assert "MaskedSoftmaxCELoss" in lesson_loss.message


def test_masked_loss_nll_loss_on_log_softmax_is_forbidden(grade):
    source = """
import torch


def teacher_forcing_inputs(targets, bos):
    return torch.cat([torch.full_like(targets[:, :1], bos), targets[:, :-1]], 1)


def masked_cross_entropy(logits, targets, valid_len):
    keep = torch.arange(targets.shape[1])[None] < valid_len[:, None]
    return torch.nn.functional.nll_loss(torch.log_softmax(logits[keep], -1), targets[keep])
"""
    assert grade("chapter10/masked_loss", source).verdict == "forbidden"
