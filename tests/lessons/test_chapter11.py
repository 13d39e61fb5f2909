"""Chapter 11 (attention and transformers): the references agree with torch's own modules, the
heavy checks take their expected values from the Numba kernels (not torch), and hand-written
wrong answers in other styles than the mutants get the right diagnosis and a useful message.
(That every solution passes and every mutant is caught is test_catalog_validates.py's job.)"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tutor import kernels
from tutor.grader.build import oracle_for
from tutor.grader.context import Context
from tutor.grader.reference import checks_module, load_checks, load_trusted_module

SLUGS = ["masked_softmax", "dot_product_attention", "additive_attention", "multi_head_attention",
         "positional_encoding", "encoder_block", "patch_embedding"]


@pytest.fixture(scope="module")
def exercises(catalog):
    return {ex.slug: ex for ex in catalog.chapter("chapter11").exercises}


def reference(exercises, slug):
    return load_trusted_module(exercises[slug].reference_path, "test_ch11_reference")


def by_id(result):
    return {c.id: c for c in result.checks}


# -- the chapter -------------------------------------------------------------------------------

def test_chapter11_has_the_seven_exercises_in_book_order(catalog, exercises):
    chapter = catalog.chapter("chapter11")
    assert chapter.title == "Attention Mechanisms and Transformers"
    assert [ex.slug for ex in chapter.exercises] == SLUGS
    for slug in SLUGS:
        assert len(load_checks(exercises[slug])) >= 7, slug


def test_the_attention_and_layer_norm_kernels_back_heavy_checks(exercises):
    oracles = {}
    for slug in SLUGS:
        for check in load_checks(exercises[slug]):
            if check.kind == "heavy":
                oracles[slug] = check.oracle
                assert check.match_variants is False
    assert oracles == {"dot_product_attention": "kernel:attention", "multi_head_attention": "checks:kernel_mha",
                       "encoder_block": "kernel:layer_norm", "patch_embedding": "checks:kernel_patch_embedding"}
    assert "attention" in exercises["dot_product_attention"].spec.capabilities.kernels
    assert "attention" in exercises["multi_head_attention"].spec.capabilities.kernels
    assert "layer_norm" in exercises["encoder_block"].spec.capabilities.kernels


@pytest.mark.parametrize("slug", ["dot_product_attention", "multi_head_attention", "encoder_block",
                                  "patch_embedding"])
def test_heavy_expectations_come_from_the_kernels_not_torch(monkeypatch, exercises, slug):
    def refuse(*args, **kwargs):
        raise AssertionError("the heavy reference must not call torch's version")

    ex = exercises[slug]
    heavy = next(c for c in load_checks(ex) if c.kind == "heavy")
    ref = reference(exercises, slug)
    learner_side = heavy.run(ref, Context(seed=heavy.seed))
    oracle = oracle_for(heavy, ex.spec, ref, checks_module(ex))
    with monkeypatch.context() as m:
        for name in ("softmax", "layer_norm", "conv2d", "scaled_dot_product_attention"):
            m.setattr(F, name, refuse)
        for name in ("softmax", "layer_norm", "conv2d", "matmul", "bmm", "einsum"):
            m.setattr(torch, name, refuse)
        m.setattr(torch.Tensor, "softmax", refuse)
        m.setattr(torch.Tensor, "__matmul__", refuse)
        grader_side = heavy.run(oracle, Context(seed=heavy.seed, role="reference"))
    got = learner_side.get("out", learner_side) if isinstance(learner_side, dict) else learner_side
    want = grader_side.get("out", grader_side) if isinstance(grader_side, dict) else grader_side
    assert isinstance(want, torch.Tensor) and want.shape == got.shape and want.numel() >= 65536
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-4, atol=1e-4)


# -- the references agree with torch's modules -----------------------------------------------------

def test_dot_product_attention_matches_torch_and_the_kernel_on_a_fully_masked_query(exercises):
    dpa = reference(exercises, "dot_product_attention").dot_product_attention
    g = torch.Generator().manual_seed(0)
    q, k, v = torch.randn(2, 4, 8, generator=g), torch.randn(2, 6, 8, generator=g), torch.randn(2, 6, 3, generator=g)
    mask = torch.rand(2, 4, 6, generator=g) > 0.4
    mask[1, 2] = False  # a query that may attend to no key
    mine = dpa(q, k, v, mask)
    assert torch.equal(mine[1, 2], torch.zeros(3))
    np.testing.assert_allclose(mine.numpy(), kernels.attention(q, k, v, mask, backend="cpu"), rtol=1e-5, atol=1e-6)
    mask[1, 2] = True
    torch.testing.assert_close(dpa(q, k, v, mask), F.scaled_dot_product_attention(q, k, v, attn_mask=mask))


def test_multi_head_attention_matches_nn_multihead_attention(exercises):
    mha_ref = reference(exercises, "multi_head_attention").multi_head_attention
    torch.manual_seed(1)
    mha = torch.nn.MultiheadAttention(12, 3, bias=False, batch_first=True)
    q, kv = torch.randn(2, 4, 12), torch.randn(2, 5, 12)
    mask = torch.tensor([[True] * 5, [True, True, False, False, False]])[:, None, :].expand(2, 4, 5)
    W_q, W_k, W_v = (w.T for w in mha.in_proj_weight.detach().chunk(3))
    with torch.no_grad():
        # torch's boolean masks say True for *forbidden*; one mask per (sequence, head) row
        want, _ = mha(q, kv, kv, attn_mask=(~mask).repeat_interleave(3, dim=0))
    torch.testing.assert_close(mha_ref(q, kv, kv, W_q, W_k, W_v, mha.out_proj.weight.detach().T, 3, mask), want)


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_block_matches_nn_transformer_encoder_layer(exercises, norm_first):
    block = reference(exercises, "encoder_block").encoder_block
    torch.manual_seed(2)
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True, norm_first=norm_first).eval()
    with torch.no_grad():
        layer.self_attn.in_proj_bias.zero_()
        layer.self_attn.out_proj.bias.zero_()
    W_q, W_k, W_v = (w.T for w in layer.self_attn.in_proj_weight.detach().chunk(3))
    params = {"W_q": W_q, "W_k": W_k, "W_v": W_v, "W_o": layer.self_attn.out_proj.weight.detach().T,
              "W_1": layer.linear1.weight.detach().T, "b_1": layer.linear1.bias.detach(),
              "W_2": layer.linear2.weight.detach().T, "b_2": layer.linear2.bias.detach(),
              "gamma1": layer.norm1.weight.detach(), "beta1": layer.norm1.bias.detach(),
              "gamma2": layer.norm2.weight.detach(), "beta2": layer.norm2.bias.detach()}
    X = torch.randn(3, 5, 8)
    causal = torch.ones(5, 5, dtype=torch.bool).tril()
    with torch.no_grad():
        want = layer(X, src_mask=~causal)
    torch.testing.assert_close(block(X, params, 2, causal, norm_first=norm_first), want)


def test_patch_embedding_and_positional_encoding_follow_their_definitions(exercises):
    patch = reference(exercises, "patch_embedding").patch_embedding
    conv = torch.nn.Conv2d(3, 6, kernel_size=4, stride=4)
    X = torch.randn(2, 3, 8, 12)
    with torch.no_grad():
        out = patch(X, conv.weight, conv.bias, 4)
        assert out.shape == (2, 6, 6)
        # token r·3 + c is the patch at grid row r, column c
        torch.testing.assert_close(out[1, 1 * 3 + 2], conv(X[1:2, :, 4:8, 8:12]).reshape(6))
    P = reference(exercises, "positional_encoding").positional_encoding(7, 5)
    i, col = 6, 3  # a cosine column: pair j = 1 uses the exponent 2j/d = 2/5
    assert P.dtype == torch.float32 and P[i, col].item() == pytest.approx(np.cos(i / 10000 ** (2 / 5)), abs=1e-6)
    assert P[i, 4].item() == pytest.approx(np.sin(i / 10000 ** (4 / 5)), abs=1e-6)


# -- wrong answers written in other styles than the mutants ----------------------------------------

def test_d2l_masked_softmax_is_right_except_on_empty_rows(grade):
    # D2L's approach in a learner's words: flatten, repeat_interleave, fill with -1e6.
    source = ("import torch\n"
              "def masked_softmax(X, valid_lens):\n"
              "    if valid_lens is None:\n"
              "        e = torch.exp(X - X.max(-1, keepdim=True).values)\n"
              "        return e / e.sum(-1, keepdim=True)\n"
              "    shape = X.shape\n"
              "    lens = torch.repeat_interleave(valid_lens, shape[1]) if valid_lens.dim() == 1 else valid_lens.reshape(-1)\n"
              "    X = X.reshape(-1, shape[-1])\n"
              "    keep = torch.arange(shape[-1])[None, :] < lens[:, None]\n"
              "    X = torch.where(keep, X, torch.tensor(-1e6))\n"
              "    e = torch.exp(X - X.max(-1, keepdim=True).values)\n"
              "    return (e / e.sum(-1, keepdim=True)).reshape(shape)\n")
    checks = by_id(grade("chapter11/masked_softmax", source))
    assert checks["lesson_per_batch"].verdict == "pass"
    empty = checks["lesson_per_row"]
    assert empty.verdict == "fail" and empty.diagnosis == "masked_softmax.fully_masked_uniform"
    assert "tensor([[1, 4], [0, 2]], dtype=int64)" in empty.message and "expected 0, got 0.25" in empty.message


def test_masked_softmax_through_the_aten_operator_is_forbidden(grade):
    source = ("import torch\n"
              "def masked_softmax(X, valid_lens):\n"
              "    lens = valid_lens if valid_lens.dim() == 2 else valid_lens[:, None]\n"
              "    masked_out = torch.arange(X.shape[-1]) >= lens[..., None]\n"
              "    return torch.ops.aten._masked_softmax(X, masked_out.expand(X.shape), -1, 0).nan_to_num(0.0)\n")
    assert grade("chapter11/masked_softmax", source).verdict == "forbidden"


def test_dot_product_attention_mistakes_in_another_style_are_named(grade):
    def source(scale, dim, fill="float('-inf')", cond="~mask"):
        return ("import torch\n"
                "def dot_product_attention(queries, keys, values, mask=None):\n"
                f"    s = torch.einsum('bqd,bkd->bqk', queries, keys){scale}\n"
                f"    if mask is not None:\n        s = s.masked_fill({cond}, {fill})\n"
                f"    w = torch.nn.functional.softmax(s, dim={dim})\n"
                "    return torch.einsum('bqk,bkv->bqv', w, values)\n")

    no_scale = by_id(grade("chapter11/dot_product_attention", source("", -1)))["lesson_example"]
    assert no_scale.diagnosis == "attention.no_scale" and "√d" in no_scale.message
    assert "dot_product_attention(tensor([[[1., 1., 1., 1.], [2., 0., 0., 0.]]])" in no_scale.message
    over_queries = by_id(grade("chapter11/dot_product_attention", source(" / 2.0", 1)))["lesson_example"]
    assert over_queries.diagnosis == "attention.softmax_over_queries"
    inverted = by_id(grade("chapter11/dot_product_attention", source(" / 2.0", -1, "-1e9", "mask")))
    assert inverted["lesson_example"].verdict == "pass"
    assert inverted["lesson_example_masked"].diagnosis == "attention.mask_inverted"


def test_multi_head_attention_with_a_plain_view_names_the_split(grade):
    source = ("import torch, math\n"
              "def split_heads(X, num_heads):\n"
              "    B, L, H = X.shape\n"
              "    return X.view(B * num_heads, L, H // num_heads)\n"
              "def merge_heads(X, num_heads):\n"
              "    BH, L, d = X.shape\n"
              "    return X.view(BH // num_heads, num_heads, L, d).transpose(1, 2).reshape(BH // num_heads, L, -1)\n"
              "def multi_head_attention(queries, keys, values, W_q, W_k, W_v, W_o, num_heads, mask=None):\n"
              "    raise NotImplementedError\n")
    result = grade("chapter11/multi_head_attention", source)
    split = by_id(result)["split_lesson"]
    assert split.verdict == "fail" and split.diagnosis == "mha.split_without_transpose"
    assert "split_heads(tensor([[[0., 1., 2., 3.], [4., 5., 6., 7.]]]), 2)" in split.message
    assert by_id(result)["merge_lesson"].verdict == "pass"


def test_multi_head_attention_through_nn_multihead_attention_is_forbidden(grade):
    source = ("import torch\n"
              "def split_heads(X, num_heads):\n    raise NotImplementedError\n"
              "def merge_heads(X, num_heads):\n    raise NotImplementedError\n"
              "def multi_head_attention(queries, keys, values, W_q, W_k, W_v, W_o, num_heads, mask=None):\n"
              "    m = torch.nn.MultiheadAttention(W_q.shape[1], num_heads, bias=False, batch_first=True)\n"
              "    return m(queries @ W_q, keys @ W_k, values @ W_v)[0]\n")
    assert grade("chapter11/multi_head_attention", source).verdict == "forbidden"


def test_encoder_without_residuals_names_the_misprint_on_the_lesson_example(validation):
    result = validation.result("chapter11/encoder_block", "mutants/drops_residual_connections.py")
    checks = by_id(result)
    assert all(checks[i].verdict == "pass" for i in checks if i.startswith("ln_"))
    first = checks["block_switched_off_post"]
    assert first.verdict == "fail" and first.diagnosis == "encoder.no_residual"
    assert "misprint" in first.message and "W_o = 0, W_2 = 0" in first.message
    assert checks["block_switched_off_pre"].diagnosis == "encoder.no_residual"


def test_layer_norm_with_torch_var_defaults_is_named_unbiased(grade):
    source = ("import torch\n"
              "def layer_norm(X, gamma, beta, eps=1e-5):\n"
              "    return gamma * (X - X.mean(-1, keepdim=True)) / torch.sqrt(X.var(-1, keepdim=True) + eps) + beta\n"
              "def encoder_block(X, params, num_heads, mask=None, norm_first=False):\n"
              "    raise NotImplementedError\n")
    first = grade("chapter11/encoder_block", source).checks[0]
    assert first.verdict == "fail" and first.diagnosis == "layer_norm.unbiased_variance"
    assert "d − 1" in first.message and "tensor([[1., 2., 3., 4.], [2., 2., 2., 2.]])" in first.message


def test_encoder_block_with_nn_layer_norm_modules_is_forbidden(grade):
    source = ("import torch\n"
              "def layer_norm(X, gamma, beta, eps=1e-5):\n"
              "    ln = torch.nn.LayerNorm(X.shape[-1], eps=eps)\n"
              "    with torch.no_grad():\n"
              "        ln.weight.copy_(gamma); ln.bias.copy_(beta)\n"
              "    return ln(X)\n"
              "def encoder_block(X, params, num_heads, mask=None, norm_first=False):\n"
              "    raise NotImplementedError\n")
    assert grade("chapter11/encoder_block", source).verdict == "forbidden"


def test_positional_encoding_halves_are_named_concatenated(grade):
    source = ("import torch\n"
              "def positional_encoding(num_steps, num_hiddens):\n"
              "    P = torch.zeros(num_steps, num_hiddens)\n"
              "    half = (num_hiddens + 1) // 2\n"
              "    for i in range(num_steps):\n"
              "        for j in range(half):\n"
              "            a = i / 10000 ** (2 * j / num_hiddens)\n"
              "            P[i, j] = torch.sin(torch.tensor(a))\n"
              "            if half + j < num_hiddens:\n"
              "                P[i, half + j] = torch.cos(torch.tensor(a))\n"
              "    return P\n")
    first = grade("chapter11/positional_encoding", source).checks[0]
    assert first.verdict == "fail" and first.diagnosis == "pe.concatenated"
    assert "positional_encoding(3, 4)" in first.message


def test_patch_embedding_reshaped_without_transpose_is_named(grade):
    source = ("import torch\n"
              "def patch_embedding(X, weight, bias, patch_size):\n"
              "    conv = torch.nn.functional.conv2d(X, weight, bias, stride=patch_size)\n"
              "    B, hidden = conv.shape[:2]\n"
              "    return conv.view(B, -1, hidden)\n")
    checks = by_id(grade("chapter11/patch_embedding", source))
    first = checks["lesson_example"]
    assert first.verdict == "fail" and first.diagnosis == "vit.flatten_without_transpose"
    assert "expected shape" not in first.message  # the shape is right: the numbers are in the wrong places
    assert checks["single_patch"].verdict == "pass"  # one patch: nothing to mix up
