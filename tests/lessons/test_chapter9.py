"""Chapter 9 (BPTT): the oracle is autograd, each wrong variant is named, and the messages point
at the truncation boundary."""

import pytest

from tutor.grader.build import oracle_for
from tutor.grader.context import Context
from tutor.grader.reference import checks_module, load_checks, load_trusted_module

BPTT = "chapter9/bptt"


@pytest.fixture(scope="module")
def bptt(catalog):
    return catalog.exercise(BPTT)


def test_pack_shape(bptt):
    checks = load_checks(bptt)
    assert len(checks) >= 6
    assert len({c.kind for c in checks}) >= 2
    assert len(bptt.hints) >= 3
    assert any(m.verdict == "forbidden" for m in bptt.mutants), "autograd use must be caught"
    for api in ("torch.Tensor.backward", "torch.autograd.grad", "torch.autograd.functional.*"):
        assert api in bptt.banned_names


def test_expected_values_come_from_autograd(bptt):
    """The grader's side of every check runs autograd (the exercise's oracle), not reference.py."""
    first = load_checks(bptt)[0]
    reference = load_trusted_module(bptt.reference_path, "tutor_reference")
    oracle = oracle_for(first, bptt.spec, reference, checks_module(bptt))
    assert oracle is not reference and oracle.rnn_bptt.__name__ == "autograd_bptt"
    out = first.run(oracle, Context(seed=first.seed, role="reference"))["out"]
    assert abs(float(out["W_xh"][0, 0]) - 0.246868) < 1e-6 and abs(float(out["W_hh"][0, 0]) - 0.447678) < 1e-6


def test_off_by_one_is_named_with_the_smallest_k(validation):
    result = validation.result(BPTT, "mutants/truncation_off_by_one.py")
    sweep = next(c for c in result.checks if c.name.startswith("truncation at every k"))
    assert sweep.diagnosis == "bptt.truncation_off_by_one"
    assert "truncate=1" in sweep.message and "one step off" in sweep.message


def test_h0_boundary_message_names_h0(validation):
    result = validation.result(BPTT, "mutants/h0_boundary.py")
    boundary = next(c for c in result.checks if c.name.startswith("boundary"))
    assert boundary.verdict == "fail" and boundary.diagnosis == "bptt.h0_boundary"
    assert "output['H0']" in boundary.message and "truncate=4" in boundary.message
    # the weight gradients are right, so the full-BPTT checks pass
    assert next(c for c in result.checks if "full BPTT" in c.name).verdict == "pass"


def test_autograd_grad_is_forbidden_but_printing_under_no_grad_is_not(bptt, grade):
    cheat = ("import torch\n"
             "def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):\n"
             "    ps = [p.clone().requires_grad_() for p in (W_xh, W_hh, b_h, W_hq, b_q, H0)]\n"
             "    h, L = ps[5], 0\n"
             "    for t in range(len(X)):\n"
             "        h = torch.tanh(X[t] @ ps[0] + h @ ps[1] + ps[2])\n"
             "        L = L + (dO[t] * (h @ ps[3] + ps[4])).sum()\n"
             "    g = torch.autograd.grad(L, ps)\n"
             "    return dict(zip(('W_xh', 'W_hh', 'b_h', 'W_hq', 'b_q', 'H0'), g))\n")
    result = grade(BPTT, cheat)
    assert result.verdict == "forbidden"
    assert "torch.autograd.grad" in result.checks[0].message

    solution = (bptt.folder / "solutions" / "window_per_output.py").read_text()
    chatty = solution.replace("    T = X.shape[0]\n", "    T = X.shape[0]\n    with torch.no_grad():\n        print(X[0], H0)\n")
    assert chatty != solution
    assert grade(BPTT, chatty).verdict == "pass"



# -- perplexity, corpus partitioning, the RNN forward pass, gradient clipping ----------------------------

def _check(result, check_id):
    return next(c for c in result.checks if c.id == check_id)


def test_chapter9_reads_in_book_order(catalog):
    assert [ex.id for ex in catalog.chapter("chapter9").exercises] == [
        "chapter9/perplexity", "chapter9/seq_partition", "chapter9/rnn_forward", "chapter9/grad_clipping",
        "chapter9/bptt"]


def test_rnn_forward_heavy_check_is_backed_by_the_numba_kernel(catalog):
    import torch

    from tutor.grader.build import kernel_oracle

    ex = catalog.exercise("chapter9/rnn_forward")
    heavy = next(c for c in load_checks(ex) if c.id == "heavy")
    reference = load_trusted_module(ex.reference_path, "tutor_reference")
    oracle = oracle_for(heavy, ex.spec, reference, checks_module(ex))
    assert oracle is not reference and heavy.kind == "heavy" and "rnn_forward" in ex.spec.capabilities.kernels
    # the kernel and the reference agree on a small case (the heavy one is the validation's business)
    g = torch.Generator().manual_seed(7)
    args = [torch.randn(*s, generator=g, dtype=torch.float64) * 0.5 for s in ((5, 3, 4), (3, 6), (4, 6), (6, 6), (6,))]
    kernel = kernel_oracle("rnn_forward", "rnn_forward").rnn_forward(*args)
    assert kernel.dtype == torch.float64 and kernel.shape == (5, 3, 6)
    assert torch.allclose(kernel, reference.rnn_forward(*args), rtol=1e-10, atol=1e-12)


def test_rnn_forward_column_convention_is_named_and_the_fused_cell_is_forbidden(grade):
    column = ("import torch\n"
              "def rnn_forward(X, H0, W_xh, W_hh, b_h):\n"
              "    h, out = H0.T, []\n"
              "    for x in X:\n"
              "        h = torch.tanh(W_xh.T @ x.T + W_hh @ h + b_h[:, None])  # column vectors\n"
              "        out.append(h.T)\n"
              "    return torch.stack(out)\n")
    result = grade("chapter9/rnn_forward", column)
    assert _check(result, "lesson_example").diagnosis == "rnn.w_hh_transposed"
    assert "H_{t−1} @ W_hh" in _check(result, "lesson_example").message
    fused = ("import torch\n"
             "def rnn_forward(X, H0, W_xh, W_hh, b_h):\n"
             "    h, out = H0, []\n"
             "    for x in X:\n"
             "        h = torch.ops.aten.rnn_tanh_cell.default(x, h, W_xh.T, W_hh.T, b_h, None)\n"
             "        out.append(h)\n"
             "    return torch.stack(out)\n")
    assert grade("chapter9/rnn_forward", fused).verdict == "forbidden"


def test_perplexity_mask_multiplication_leaks_only_where_padding_is_minus_inf(validation):
    result = validation.result("chapter9/perplexity", "mutants/mask_multiplied.py")
    leak = _check(result, "padding_is_minus_inf")
    assert leak.verdict == "fail" and leak.diagnosis == "perplexity.padding_leaks"
    assert "NaN" in leak.message and "real tokens" in leak.message
    assert [c.id for c in result.checks if c.verdict != "pass"] == ["padding_is_minus_inf"]


def test_perplexity_per_sequence_average_is_named_on_the_padded_lesson_example(grade):
    source = ("import torch\n"
              "def perplexity(log_probs, mask=None):\n"
              "    if mask is None:\n"
              "        mask = torch.ones_like(log_probs, dtype=torch.bool)\n"
              "    if not mask.any():\n"
              "        raise ValueError('empty')\n"
              "    rows = log_probs.reshape(-1, log_probs.shape[-1]).double(); keep = mask.reshape(rows.shape)\n"
              "    means = [-(r[k]).mean() for r, k in zip(rows, keep) if k.any()]\n"
              "    return float(torch.exp(torch.stack(means).mean()))\n")
    result = grade("chapter9/perplexity", source)
    assert _check(result, "lesson_example").verdict == "pass"
    padded = _check(result, "lesson_padded")
    assert padded.verdict == "fail" and padded.diagnosis == "perplexity.per_sequence_mean"
    assert "3.0314" in padded.message or "3.03143" in padded.message


def test_seq_partition_python_shuffle_is_a_valid_partition_in_another_order(grade):
    source = ("import random\nimport torch\n"
              "def partition_corpus(corpus, batch_size, num_steps, *, sequential=False, offset=None, generator=None):\n"
              "    if offset is None:\n"
              "        offset = int(torch.randint(0, num_steps, (1,), generator=generator))\n"
              "    if sequential:\n"
              "        n = (len(corpus) - offset - 1) // batch_size * batch_size\n"
              "        Xs = corpus[offset:offset + n].reshape(batch_size, -1)\n"
              "        Ys = corpus[offset + 1:offset + 1 + n].reshape(batch_size, -1)\n"
              "        return [(Xs[:, i:i + num_steps], Ys[:, i:i + num_steps])\n"
              "                for i in range(0, Xs.shape[1] - num_steps + 1, num_steps)]\n"
              "    starts = list(range(offset, len(corpus) - num_steps, num_steps))\n"
              "    random.Random(0).shuffle(starts)\n"
              "    out = []\n"
              "    for i in range(len(starts) // batch_size):\n"
              "        s = starts[i * batch_size:(i + 1) * batch_size]\n"
              "        out.append((torch.stack([corpus[j:j + num_steps] for j in s]),\n"
              "                    torch.stack([corpus[j + 1:j + 1 + num_steps] for j in s])))\n"
              "    return out\n")
    result = grade("chapter9/seq_partition", source)
    assert _check(result, "lesson_sequential").verdict == "pass"
    assert _check(result, "a_valid_partition").verdict == "pass"
    random_mode = _check(result, "random_sampling")
    assert random_mode.verdict == "fail" and random_mode.diagnosis == "seq.order"
    assert "torch.randperm(m, generator=generator)" in random_mode.message


def test_grad_clipping_assigning_p_grad_passes_and_the_ban_holds_through_getattr(grade):
    assigning = ("import torch\n"
                 "def clip_gradients(params, max_norm):\n"
                 "    params = [p for p in params if p.grad is not None]\n"
                 "    norm = torch.norm(torch.stack([torch.norm(p.grad) for p in params]))\n"
                 "    if norm > max_norm:\n"
                 "        for p in params:\n"
                 "            p.grad = p.grad * (max_norm / norm)\n"
                 "    return norm\n")
    result = grade("chapter9/grad_clipping", assigning)
    assert result.verdict == "pass", [(c.id, c.message) for c in result.checks if c.verdict != "pass"]
    training = _check(result, "train_rnn")
    assert len(training.series["learner"]["loss"]) == len(training.series["reference"]["loss"]) == 60
    cheat = ("import torch.nn.utils as u\n"
             "def clip_gradients(params, max_norm):\n"
             "    return float(getattr(u, 'clip_grad_' + 'norm_')(params, max_norm))\n")
    assert grade("chapter9/grad_clipping", cheat).verdict == "forbidden"


def test_grad_clipping_per_tensor_is_named_on_the_lesson_example(validation):
    result = validation.result("chapter9/grad_clipping", "mutants/per_tensor.py")
    first = result.checks[0]
    assert first.diagnosis == "clip.per_tensor"
    assert "max_norm=1.0" in first.message and "parameter 0's gradient" in first.message


def test_grad_clipping_a_second_walk_over_a_generator_is_named_and_says_a_list_works(grade):
    # Another style than mutants/two_passes.py: the norm from a generator expression over params,
    # then a second loop over params, which a generator has already used up.
    source = ("import math\n"
              "def clip_gradients(params, max_norm):\n"
              "    total = math.sqrt(sum(float((p.grad ** 2).sum()) for p in params if p.grad is not None))\n"
              "    scale = min(1.0, max_norm / total)\n"
              "    for p in params:\n"
              "        if p.grad is not None:\n"
              "            p.grad.mul_(scale)\n"
              "    return total\n")
    result = grade("chapter9/grad_clipping", source)
    assert _check(result, "lesson_clipped").verdict == "pass"
    generator = _check(result, "generator")
    assert generator.verdict == "fail" and generator.diagnosis == "clip.generator_consumed"
    assert "as a list are clipped correctly" in generator.message
    assert "a generator of 4 float32 parameters" in generator.message
