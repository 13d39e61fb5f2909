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


# -- deep_rnn ---------------------------------------------------------------------------------------

DEEP_RNN_DIAGNOSES = {"deep_rnn.backward_not_reversed", "deep_rnn.concat_wrong_axis", "deep_rnn.direction_major",
                      "deep_rnn.forward_half_only", "deep_rnn.reverse_wrong_end", "deep_rnn.reverse_shares_weights",
                      "deep_rnn.h0_ignored", "deep_rnn.halves_swapped", "deep_rnn.h_n_from_last_step"}


def test_deep_rnn_metadata_mutants_and_bans(exercises, catalog):
    ex = exercises["deep_rnn"]
    slugs = [e.slug for e in catalog.chapter("chapter10").exercises]
    assert slugs.index("gru_cell") < slugs.index("deep_rnn") < slugs.index("beam_search")  # 10.2, 10.3–10.4, 10.8
    assert len(ex.hints) >= 3 and len(ex.solutions) >= 2 and len(load_checks(ex)) >= 8
    assert {m.diagnosis for m in ex.mutants if m.diagnosis and m.diagnosis != "any"} == DEEP_RNN_DIAGNOSES
    assert set(ex.diagnoses) == DEEP_RNN_DIAGNOSES
    assert any(m.verdict == "forbidden" for m in ex.mutants)
    for name in ("torch.nn.RNN", "torch.nn.RNNCell", "torch.rnn_tanh", "torch._VF.rnn_tanh", "aten:rnn_tanh"):
        assert name in ex.banned_names
    assert "deep_rnn(X: torch.Tensor, params: dict[str, torch.Tensor], num_layers: int," in ex.lesson
    assert "-> tuple[torch.Tensor, torch.Tensor]" in ex.lesson


def _nn_rnn_cases():
    import torch

    torch.manual_seed(10)
    for T, B, D, H, L, bidirectional in ((1, 1, 1, 1, 1, True), (5, 3, 4, 6, 3, False), (4, 2, 3, 5, 2, True),
                                         (6, 1, 2, 3, 3, True)):
        rnn = torch.nn.RNN(D, H, num_layers=L, bidirectional=bidirectional).double()
        X = torch.randn(T, B, D, dtype=torch.float64)
        h0 = torch.randn(L * (2 if bidirectional else 1), B, H, dtype=torch.float64)
        for start in (None, h0):
            with torch.no_grad():
                want = rnn(X, start)
            yield (X, dict(rnn.named_parameters()), L, bidirectional, start), want


def test_deep_rnn_oracles_and_reference_equal_torch_nn_rnn(exercises):
    """Both oracles (nn.RNN with the parameters swapped in, and the Numba kernel per layer and
    direction) and the reference give what an nn.RNN module itself returns, h0 given or not."""
    import torch

    from tutor.grader.reference import checks_module

    ex = exercises["deep_rnn"]
    checks = checks_module(ex)
    reference = load_trusted_module(ex.reference_path, "test_reference")
    candidates = (checks.torch_rnn().deep_rnn, checks.kernel_rnn().deep_rnn, reference.deep_rnn)
    for (X, params, L, bidirectional, h0), want in _nn_rnn_cases():
        params = {k: v.detach() for k, v in params.items()}
        for deep_rnn in candidates:
            with torch.no_grad():
                got = deep_rnn(X, params, L, bidirectional=bidirectional, h0=h0)
            assert len(got) == 2
            for a, b in zip(got, want):
                assert a.shape == b.shape and a.dtype == b.dtype
                assert torch.allclose(a, b, rtol=1e-10, atol=1e-12), (deep_rnn, X.shape, L, bidirectional)


def test_deep_rnn_lesson_numbers_are_what_the_oracle_gives(exercises):
    import torch

    from tutor.grader.reference import checks_module

    ex = exercises["deep_rnn"]
    checks = checks_module(ex)
    inputs = checks.lesson_inputs(None)
    outputs, h_n = checks.torch_rnn().deep_rnn(*inputs.values())
    assert outputs.detach().reshape(-1).tolist() == pytest.approx([0.4621, 0.9614, -0.6463, -0.9640], abs=1e-4)
    assert h_n.detach().reshape(-1).tolist() == pytest.approx([-0.6463, 0.9614], abs=1e-4)
    assert "outputs = [[[ 0.4621,  0.9614]]," in ex.lesson and "[[−0.6463, −0.9640]]]" in ex.lesson
    assert "h̃₁ = tanh(2·0.5 + (−1)·(−0.9640))   = tanh(1.9640)  ≈  0.9614" in ex.lesson
    assert inputs["X"].dtype == torch.float32 and "h0" not in inputs


def test_deep_rnn_detector_names_the_final_state_mix_ups_only(exercises):
    """The detector reads h_n's mistakes off the data alone, and stays quiet on right answers,
    one-directional RNNs and outputs that are wrong anyway."""
    import numpy as np

    from tutor.grader.reference import checks_module

    detect = checks_module(exercises["deep_rnn"]).detect_final_states
    rng = np.random.default_rng(0)
    L, T, B, H = 2, 4, 3, 5
    out, h_n = rng.standard_normal((T, B, 2 * H)), rng.standard_normal((2 * L, B, H))
    expected = {"out": [out, h_n]}
    direction_major = h_n[[0, 2, 1, 3]]
    assert detect({"out": [out, direction_major]}, expected) == "deep_rnn.direction_major"
    last_step = h_n.copy()
    last_step[-1] = out[-1, :, H:]
    assert detect({"out": [out, last_step]}, expected) == "deep_rnn.h_n_from_last_step"
    assert detect({"out": [out, h_n]}, expected) is None
    assert detect({"out": [out + 1, direction_major]}, expected) is None  # outputs wrong: not this mistake
    assert detect({"out": [out, h_n * 2]}, expected) is None
    one_way = {"out": [out[..., :H], h_n]}
    assert detect({"out": [out[..., :H], direction_major]}, one_way) is None
    assert detect({"out": "not a pair"}, expected) is None


def test_deep_rnn_flip_without_flipping_back_is_named_on_the_lesson_example(grade):
    """A learner who reverses the sequence with index lists and projects the inputs up front, but
    keeps the backward states in the order they were computed."""
    source = """
import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    T, B, _ = X.shape
    H = params["weight_hh_l0"].shape[0]
    dirs = 2 if bidirectional else 1
    if h0 is None:
        h0 = torch.zeros(num_layers * dirs, B, H, dtype=X.dtype)
    h_n = []
    for layer in range(num_layers):
        results = []
        for d in range(dirs):
            s = "_reverse" if d else ""
            order = list(range(T))[::-1] if d else list(range(T))
            xw = X[order] @ params[f"weight_ih_l{layer}{s}"].T + params[f"bias_ih_l{layer}{s}"]
            h = h0[layer * dirs + d]
            hs = []
            for t in range(T):
                h = torch.tanh(xw[t] + h @ params[f"weight_hh_l{layer}{s}"].T + params[f"bias_hh_l{layer}{s}"])
                hs.append(h)
            results.append(torch.stack(hs))
            h_n.append(h)
        X = torch.cat(results, dim=2)
    return X, torch.stack(h_n)
"""
    result = grade("chapter10/deep_rnn", source)
    assert result.verdict == "fail"
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "deep_rnn.backward_not_reversed"
    assert "the lesson's example" in first.message and "expected 0.961396, got -0.964028" in first.message
    assert [c.verdict for c in result.checks[1:2]] == ["pass"]  # forward-only layers are right


def test_deep_rnn_h_n_collected_per_direction_is_named(grade):
    """A learner who reads h0 in the right order but builds h_n as every forward final state, then
    every backward one: outputs right, h_n in the wrong order. The detector names it on the first
    check with two bidirectional layers, although no mutant makes exactly this mix."""
    source = """
import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    dirs = 2 if bidirectional else 1
    B, H = X.shape[1], params["weight_hh_l0"].shape[0]
    starts = h0 if h0 is not None else X.new_zeros(num_layers * dirs, B, H)
    forward_finals, backward_finals = [], []
    inp = X
    for k in range(num_layers):
        outs = []
        for d in range(dirs):
            tag = f"l{k}" + ("_reverse" if d else "")
            h = starts[k * dirs + d]
            steps = range(inp.shape[0] - 1, -1, -1) if d else range(inp.shape[0])
            states = {}
            for t in steps:
                h = torch.tanh(inp[t] @ params["weight_ih_" + tag].T + params["bias_ih_" + tag]
                               + h @ params["weight_hh_" + tag].T + params["bias_hh_" + tag])
                states[t] = h
            outs.append(torch.stack([states[t] for t in range(inp.shape[0])]))
            (backward_finals if d else forward_finals).append(h)
        inp = torch.cat(outs, -1)
    return inp, torch.stack(forward_finals + backward_finals)
"""
    result = grade("chapter10/deep_rnn", source)
    by_id = {c.id: c for c in result.checks}
    assert by_id["bidirectional_layer"].verdict == "pass"  # one layer: the two orders agree
    deep = by_id["deep_bidirectional"]
    assert deep.verdict == "fail" and deep.diagnosis == "deep_rnn.direction_major"
    assert "k·num_directions + d" in deep.message and "num_layers=2, bidirectional=True" in deep.message


def test_deep_rnn_torch_recurrent_layers_by_other_routes_are_forbidden(grade):
    vf = """
import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    dirs = 2 if bidirectional else 1
    if h0 is None:
        h0 = X.new_zeros(num_layers * dirs, X.shape[1], params["weight_hh_l0"].shape[0])
    return torch._VF.rnn_tanh(X, h0, list(params.values()), True, num_layers, 0.0, False, bidirectional, False)
"""
    module_path = """
from torch.nn.modules.rnn import RNN


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    rnn = RNN(params["weight_ih_l0"].shape[1], params["weight_hh_l0"].shape[0], num_layers,
              bidirectional=bidirectional).to(X.dtype)
    rnn.load_state_dict(params)
    return rnn(X, h0)
"""
    for source in (vf, module_path):
        assert grade("chapter10/deep_rnn", source).verdict == "forbidden"


def test_deep_rnn_forward_half_shape_error_is_named_and_other_shape_errors_stay_errors(grade):
    """Feeding layer 1 only the forward half crashes rather than giving wrong numbers; the
    layer_input check names it (here written with einsum, whose message differs from matmul's).
    A crash at layer 1 for another reason (the halves joined along the batch axis) is not given
    that name: it stays an error there, and its own mistake is named on the one-layer checks."""
    half = """
import torch


def deep_rnn(X, params, num_layers, bidirectional=False, h0=None):
    dirs = 2 if bidirectional else 1
    B, H = X.shape[1], params["weight_hh_l0"].shape[0]
    h0 = torch.zeros(num_layers * dirs, B, H, dtype=X.dtype) if h0 is None else h0
    inp, last = X, []
    for k in range(num_layers):
        per_direction = []
        for d in range(dirs):
            tag = f"l{k}" + ("_reverse" if d else "")
            h, states = h0[k * dirs + d], {}
            for t in (range(X.shape[0])[::-1] if d else range(X.shape[0])):
                h = torch.tanh(torch.einsum("bi,hi->bh", inp[t], params["weight_ih_" + tag]) + params["bias_ih_" + tag]
                               + torch.einsum("bj,hj->bh", h, params["weight_hh_" + tag]) + params["bias_hh_" + tag])
                states[t] = h
            last.append(h)
            per_direction.append(torch.stack([states[t] for t in sorted(states)]))
        out = torch.cat(per_direction, dim=-1)
        inp = per_direction[0]
    return out, torch.stack(last)
"""
    result = grade("chapter10/deep_rnn", half)
    by_id = {c.id: c for c in result.checks}
    assert by_id["bidirectional_layer"].verdict == "pass"
    check = by_id["layer_input"]
    assert check.verdict == "fail" and check.diagnosis == "deep_rnn.forward_half_only"
    assert "one layer alone is right" in check.message and "einsum" in check.message
    assert by_id["deep_bidirectional"].verdict == "error"

    batch_axis = half.replace("out = torch.cat(per_direction, dim=-1)", "out = torch.cat(per_direction, dim=1)") \
        .replace("inp = per_direction[0]", "inp = out")
    result = grade("chapter10/deep_rnn", batch_axis)
    by_id = {c.id: c for c in result.checks}
    assert by_id["lesson_example"].diagnosis == "deep_rnn.concat_wrong_axis"
    assert by_id["layer_input"].verdict == "error" and by_id["layer_input"].diagnosis is None
    assert not any(c.diagnosis == "deep_rnn.forward_half_only" for c in result.checks)


def test_deep_rnn_concat_detector_knows_both_wrong_axes_and_nothing_else(exercises):
    import numpy as np

    from tutor.grader.reference import checks_module

    detect = checks_module(exercises["deep_rnn"]).detect_concat_axis
    rng = np.random.default_rng(1)
    T, B, H = 3, 2, 4
    out, h_n = rng.standard_normal((T, B, 2 * H)), rng.standard_normal((2, B, H))
    expected = {"out": [out, h_n]}
    for axis in (0, 1):
        joined = np.concatenate([out[..., :H], out[..., H:]], axis=axis)
        assert detect({"out": [joined, h_n]}, expected) == "deep_rnn.concat_wrong_axis"
    assert detect({"out": [out, h_n]}, expected) is None
    assert detect({"out": [np.zeros((2 * T, B, H)), h_n]}, expected) is None
    assert detect({"out": [out.reshape(T * B, 2 * H), h_n]}, expected) is None


# -- greedy_decode ----------------------------------------------------------------------------------

GREEDY_DIAGNOSES = {"greedy.not_fed_back", "greedy.state_not_carried", "greedy.continues_after_eos",
                    "greedy.stops_at_first_eos", "greedy.no_early_stop", "greedy.argmax_axis", "greedy.bos_in_output",
                    "greedy.length_without_eos", "greedy.float_tokens"}

# The lesson's example, written out: rows finish at steps 3, 6 and 4; step_fn is called 6 times.
LESSON_TOKENS = [[3, 4, 2, 0, 0, 0], [8, 9, 10, 11, 7, 2], [5, 6, 7, 2, 0, 0]]


def test_greedy_decode_metadata_order_and_mutants(exercises, catalog):
    ex = exercises["greedy_decode"]
    slugs = [e.slug for e in catalog.chapter("chapter10").exercises]
    assert slugs.index("gru_cell") < slugs.index("greedy_decode") < slugs.index("bleu")  # 10.7 before 10.7.6, 10.8
    assert len(ex.hints) >= 3 and len(ex.solutions) >= 2 and len(load_checks(ex)) >= 6
    assert {m.diagnosis for m in ex.mutants if m.diagnosis} == GREEDY_DIAGNOSES == set(ex.diagnoses)
    assert "-> tuple[torch.Tensor, torch.Tensor]" in ex.lesson and "step_fn: Callable[[torch.Tensor, Any]" in ex.lesson


def test_greedy_decode_lesson_numbers_are_what_the_reference_gives(exercises):
    from tutor.grader.reference import checks_module

    ex = exercises["greedy_decode"]
    checks = checks_module(ex)
    reference = load_trusted_module(ex.reference_path, "test_reference")
    full, short = (checks.run_cases(reference, checks.CASES[name]())["cases"][0]
                   for name in ("lesson_example", "lesson_max_len"))
    assert (full["tokens"], full["lengths"], full["calls"]) == (LESSON_TOKENS, [3, 6, 4], 6)
    assert (short["tokens"], short["lengths"], short["calls"]) == ([r[:4] for r in LESSON_TOKENS], [3, 4, 4], 4)
    assert "lengths = [3, 6, 4]" in ex.lesson and "step_fn is called 6 times, not 10" in ex.lesson
    assert "tokens = [[3, 4, 2, 0], [8, 9, 10, 11], [5, 6, 7, 2]], lengths = [3, 4, 4]" in ex.lesson
    names = checks.Translator.names
    assert [" ".join(names[t] for t in row if t) for row in full["tokens"]] == [
        "va ! <eos>", "je suis chez moi . <eos>", "j'ai perdu . <eos>"]


def test_greedy_decode_cases_have_clear_winners_and_cover_what_the_titles_say(exercises):
    """Every greedy choice the reference makes beats the runner-up by a margin no float rounding can
    flip, and the cases are what the check titles promise."""
    import torch

    from tutor.grader.reference import checks_module

    ex = exercises["greedy_decode"]
    checks = checks_module(ex)
    reference = load_trusted_module(ex.reference_path, "test_reference")
    margins, runs = [], {}
    for name, make in checks.CASES.items():
        runs[name] = []
        for case in make():
            model = case["model"]
            alive = torch.ones(model.batch_size, dtype=torch.bool)

            def step(tokens, state, model=model, alive=alive):
                logits, new_state = model(tokens, state)
                top = logits.topk(2, dim=1).values
                margins.append(float((top[:, 0] - top[:, 1])[alive].min()))  # finished rows do not count
                alive &= logits.argmax(dim=1) != 2
                return logits, new_state

            tokens, lengths = reference.greedy_decode(step, model.initial_state(), model.batch_size, 1, 2, 0,
                                                      case["max_len"])
            runs[name].append((model, case["max_len"], tokens, lengths))
    assert min(margins) > 0.05
    model, max_len, tokens, lengths = runs["random_decoders"][0]
    assert len(set(lengths.tolist())) >= 4 and any(bool((row != 2).all()) for row in tokens)  # one never finishes
    for model, max_len, tokens, lengths in runs["random_decoders"][1:] + runs["decoder_states"]:
        assert int(lengths.max()) < max_len and len(set(lengths.tolist())) >= 3  # all finish early, not together
    assert [m.kind for m, *_ in runs["decoder_states"]] == ["tensor", "tuple", "dict"]
    model, max_len, tokens, lengths = runs["square_batch"][0]
    assert model.batch_size == model.vocab and int(lengths.max()) < max_len
    single, one_step, at_once, never, _ = runs["edge_cases"]
    assert single[0].batch_size == 1 and one_step[1] == 1 and tuple(one_step[2].shape) == (4, 1)
    assert at_once[2].tolist() == [[2]] * 4 and at_once[3].tolist() == [1] * 4
    assert tuple(never[2].shape) == (3, 5) and never[3].tolist() == [5] * 3 and not bool((never[2] == 2).any())
    assert all(t.dtype == torch.int64 for run in runs.values() for *_, tok, ln in run for t in (tok, ln))


BOOK_STYLE = """
import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    # the book's loop: a fixed number of steps, the sentences cut at their eos afterwards
    outputs = [torch.full((batch_size, 1), bos)]
    for _ in range(max_len):
        Y, state = step_fn(outputs[-1], state)
        outputs.append(Y.argmax(dim=1, keepdim=True))
    out = torch.cat(outputs[1:], dim=1)
    lengths = []
    for row in out.tolist():
        lengths.append(row.index(eos) + 1 if eos in row else max_len)
    width = max(lengths)
    tokens = torch.full((batch_size, width), pad)
    for b, n in enumerate(lengths):
        tokens[b, :n] = out[b, :n]
    return tokens, torch.tensor(lengths)
"""


def test_greedy_decode_book_loop_that_cuts_afterwards_is_told_to_stop_early(grade):
    """The book's prediction loop decodes max_len steps and cuts at eos afterwards: the output is
    right, but the decoder is called 10 times where 6 do."""
    result = grade("chapter10/greedy_decode", BOOK_STYLE)
    first = result.checks[0]
    assert result.verdict == "fail" and first.diagnosis == "greedy.no_early_stop"
    assert "step_fn should be called 6 times (every row had said eos by then), got 10 calls" in first.message
    assert next(c for c in result.checks if c.name.startswith("the lesson's example with max_len=4")).verdict == "pass"


def test_greedy_decode_feeding_padding_is_named_with_what_the_decoder_saw(grade):
    """Per-row lists, but every step after the first feeds pad: the message says which row was fed
    what at which step, and what it had chosen."""
    source = """
import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    rows = [[] for _ in range(batch_size)]
    feed = torch.full((batch_size,), bos)
    for _ in range(max_len):
        logits, state = step_fn(feed, state)
        for b, token in enumerate(logits.argmax(-1).tolist()):
            if not rows[b] or rows[b][-1] != eos:
                rows[b].append(token)
        if all(r[-1] == eos for r in rows):
            break
        feed = torch.full((batch_size,), pad)
    width = max(map(len, rows))
    return torch.tensor([r + [pad] * (width - len(r)) for r in rows]), torch.tensor([len(r) for r in rows])
"""
    result = grade("chapter10/greedy_decode", source)
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "greedy.not_fed_back"
    assert "teacher forcing" in first.message
    assert "at step 2, row 0 was fed <pad>, but its choice at step 1 was va" in first.message


def test_greedy_decode_rows_that_keep_growing_are_named_and_shown(grade):
    """Lists that append every step's choice to every row until all rows have said eos."""
    source = """
import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    x = torch.full((batch_size,), bos)
    cols, seen = [], torch.zeros(batch_size, dtype=torch.bool)
    while len(cols) < max_len and not seen.all():
        logits, state = step_fn(x, state)
        x = logits.argmax(-1)
        cols.append(x)
        seen |= x == eos
    tokens = torch.stack(cols, 1)
    first = torch.where(tokens == eos, torch.arange(tokens.shape[1]), tokens.shape[1]).min(1).values
    return tokens, torch.clamp(first + 1, max=tokens.shape[1])
"""
    result = grade("chapter10/greedy_decode", source)
    first = result.checks[0]
    assert first.diagnosis == "greedy.continues_after_eos"
    assert "row 0 should be [va ! <eos> <pad> <pad> <pad>], got [va ! <eos>" in first.message


def test_greedy_decode_whatever_finished_rows_are_fed_passes(exercises, grade):
    """A finished row's input is never looked at: feeding it bos, eos or its raw choice is all correct."""
    ex = exercises["greedy_decode"]
    reference = (ex.folder / "reference.py").read_text()
    line = "        inputs = choice                                  # fed its own prediction, not a target"
    assert line in reference
    source = reference.replace(line, "        inputs = torch.where(finished, torch.full_like(choice, bos), choice)")
    assert grade(ex.id, source).verdict == "pass"


def test_greedy_decode_argmax_over_the_batch_says_so_when_shapes_clash(grade):
    """argmax(dim=0) of (3, 12) scores feeds 12 tokens back: the decoder's error says what happened."""
    source = """
import torch


def greedy_decode(step_fn, state, batch_size, bos, eos, pad, max_len):
    x, rows, done = torch.full((batch_size,), bos), [[] for _ in range(batch_size)], [False] * batch_size
    for _ in range(max_len):
        logits, state = step_fn(x, state)
        x = logits.argmax(dim=0)
        for b in range(batch_size):
            if not done[b]:
                rows[b].append(int(x[b]))
                done[b] = rows[b][-1] == eos
        if all(done):
            break
    width = max(map(len, rows))
    return torch.tensor([r + [pad] * (width - len(r)) for r in rows]), torch.tensor([len(r) for r in rows])
"""
    result = grade("chapter10/greedy_decode", source)
    assert result.checks[0].verdict == "error"
    message = result.checks[0].message
    assert "got shape (12,); 12 is the vocabulary size, so you took the argmax over the batch axis" in message
    square = next(c for c in result.checks if c.name.startswith("as many rows as tokens"))
    assert square.verdict == "fail" and square.diagnosis == "greedy.argmax_axis"


def test_greedy_decode_lists_instead_of_tensors_get_a_clear_error(grade, exercises):
    ex = exercises["greedy_decode"]
    source = (ex.folder / "reference.py").read_text().replace(
        "    return torch.stack(columns, dim=1), lengths", "    return torch.stack(columns, dim=1).tolist(), lengths")
    result = grade(ex.id, source)
    assert result.verdict == "error"
    assert "greedy_decode should return (tokens, lengths) as two tensors; tokens is a list" in result.checks[0].message


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
