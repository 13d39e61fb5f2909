"""Chapter 8: messages and diagnoses on hand-written wrong answers (in other styles than the
mutants), the bans, and the heavy batch-norm check's oracle (the Numba kernel, not torch).
(That every solution passes and every mutant is caught is test_catalog_validates.py's job.)"""

from __future__ import annotations

import numpy as np
import torch

from tutor.grader.build import oracle_for
from tutor.grader.context import Context
from tutor.grader.reference import checks_module, load_checks, load_trusted_module

BN_CHANNELS_LAST = """
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    C = X.shape[1]
    Z = X.movedim(1, -1)
    rows = Z.reshape(-1, C)
    if training:
        mean = rows.mean(0)
        var = {VAR}
        m = rows.shape[0]
        new_mean = running_mean + momentum * (mean.detach() - running_mean)
        new_var = running_var + momentum * (var.detach() * m / (m - 1) - running_var)
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean, running_var
    Y = gamma * (Z - mean) / {DENOMINATOR} + beta
    return Y.movedim(-1, 1), new_mean, new_var
"""


def bn_source(var="((rows - mean) ** 2).mean(0)", denominator="torch.sqrt(var + eps)"):
    return BN_CHANNELS_LAST.replace("{VAR}", var).replace("{DENOMINATOR}", denominator)


def by_id(result):
    return {c.id: c for c in result.checks}


def test_chapter8_has_its_exercises_in_book_order(catalog):
    chapter = catalog.chapter("chapter8")
    assert chapter.title == "Modern Convolutional Neural Networks"
    assert [ex.id for ex in chapter.exercises] == [
        "chapter8/nin", "chapter8/batch_norm", "chapter8/residual_block", "chapter8/dense_block"]


def test_the_channels_last_style_passes_and_the_misprint_is_named_on_the_lesson_example(grade):
    assert grade("chapter8/batch_norm", bn_source()).verdict == "pass"
    result = grade("chapter8/batch_norm", bn_source(denominator="(var + eps)"))
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "batch_norm.divides_by_variance"
    assert "√(σ² + ε)" in first.message
    # The call is shown with its arguments named, so the mode reads as such.
    assert "training=True" in first.message and "X=tensor([[1., 6.]" in first.message
    assert "output[0]" in first.message


def test_unbiased_variance_and_a_forgotten_eps_are_named_in_another_style(grade):
    result = grade("chapter8/batch_norm", bn_source(var="rows.var(0)"))
    assert by_id(result)["random_4d"].diagnosis == "batch_norm.unbiased_variance"
    result = grade("chapter8/batch_norm", bn_source(denominator="var.sqrt()"))
    checks = by_id(result)
    assert checks["constant_channel"].verdict == "fail"
    assert checks["constant_channel"].diagnosis == "batch_norm.no_eps"
    assert checks["random_4d"].verdict == "pass"  # ε only shows where σ² is tiny


def test_one_pass_variance_is_caught_only_far_from_zero(grade):
    result = grade("chapter8/batch_norm", bn_source(var="(rows * rows).mean(0) - mean * mean"))
    checks = by_id(result)
    assert checks["random_4d"].verdict == "pass"
    far = checks["far_from_zero"]
    assert far.verdict == "fail" and far.diagnosis == "batch_norm.one_pass_variance"
    assert "E[x²] − (E[x])²" in far.message


def test_statistics_over_n_and_h_only_are_the_wrong_axes(grade):
    source = """
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if X.dim() == 2:
        dims, shape = (0,), (1, -1)
    else:
        dims, shape = (0, 2), (1, -1, 1, 1)   # W forgotten
    mean = X.mean(dims, keepdim=True)
    var = X.var(dims, keepdim=True, unbiased=False)
    Y = gamma.view(shape) * (X - mean) / torch.sqrt(var + eps) + beta.view(shape)
    all_dims = (0,) if X.dim() == 2 else (0, 2, 3)
    m = X.numel() // X.shape[1]
    mu, v = X.detach().mean(all_dims), X.detach().var(all_dims, unbiased=True)
    return Y, (1 - momentum) * running_mean + momentum * mu, (1 - momentum) * running_var + momentum * v
"""
    result = grade("chapter8/batch_norm", source)
    checks = by_id(result)
    assert checks["random_2d"].verdict == "pass"
    assert checks["random_4d"].verdict == "fail" and checks["random_4d"].diagnosis == "batch_norm.wrong_axes"
    assert "per channel" in checks["random_4d"].message.lower() or "one mean and one variance per channel" in \
        checks["random_4d"].message


def test_batch_statistics_in_eval_mode_are_named(grade):
    source = bn_source().replace("    else:\n        mean, var, new_mean, new_var = running_mean, running_var, "
                                 "running_mean, running_var\n",
                                 "    else:\n        mean, var = rows.mean(0), ((rows - rows.mean(0)) ** 2).mean(0)\n"
                                 "        new_mean, new_var = running_mean, running_var\n")
    result = grade("chapter8/batch_norm", source)
    checks = by_id(result)
    assert checks["lesson_training"].verdict == "pass"
    assert checks["lesson_eval"].diagnosis == "batch_norm.batch_stats_in_eval"
    assert "running_mean and running_var" in checks["lesson_eval"].message


def test_layer_norm_bent_into_batch_norm_and_the_aten_operator_are_forbidden(grade):
    through_layer_norm = """
import torch
import torch.nn.functional as F


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    C = X.shape[1]
    rows = X.transpose(0, 1).reshape(C, -1)
    Y = F.layer_norm(rows, rows.shape[1:], eps=eps).reshape(X.transpose(0, 1).shape).transpose(0, 1)
    shape = (1, -1) + (1,) * (X.dim() - 2)
    return Y * gamma.view(shape) + beta.view(shape), running_mean, running_var
"""
    assert grade("chapter8/batch_norm", through_layer_norm).verdict == "forbidden"
    through_aten = """
import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    rm, rv = running_mean.clone(), running_var.clone()
    Y = torch.ops.aten.native_batch_norm.default(X, gamma, beta, rm, rv, training, momentum, eps)[0]
    return Y, rm, rv
"""
    assert grade("chapter8/batch_norm", through_aten).verdict == "forbidden"


def test_heavy_batch_norm_expectations_come_from_the_numba_kernel_not_torch(monkeypatch, catalog):
    ex = catalog.exercise("chapter8/batch_norm")
    assert "batch_norm" in ex.capabilities.kernels
    heavy = load_checks(ex)[-1]
    assert heavy.kind == "heavy" and heavy.oracle == "checks:kernel_batch_norm"
    reference = load_trusted_module(ex.reference_path, "tutor_reference")
    oracle = oracle_for(heavy, ex.spec, reference, checks_module(ex))
    learner_side = heavy.run(reference, Context(seed=heavy.seed))

    def refuse(*args, **kwargs):
        raise AssertionError("the heavy reference must not compute batch norm with torch")

    with monkeypatch.context() as m:
        for name in ("mean", "var", "var_mean", "sqrt", "rsqrt", "batch_norm"):
            m.setattr(torch, name, refuse)
        m.setattr(torch.Tensor, "mean", refuse)
        m.setattr(torch.Tensor, "var", refuse)
        m.setattr(torch.nn.functional, "batch_norm", refuse)
        grader_side = heavy.run(oracle, Context(seed=heavy.seed, role="reference"))
    want, got = grader_side["out"], learner_side["out"]
    assert tuple(want[0].shape) == (32, 64, 32, 32) and want[0].dtype == torch.float32
    for e, g in zip(want, got):
        assert e.shape == g.shape and e.dtype == g.dtype
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-4, atol=1e-4)


def test_the_kernel_oracle_agrees_with_torch_on_a_small_batch():
    from tutor.engine.catalog import load_catalog

    ex = load_catalog().exercise("chapter8/batch_norm")
    bn = checks_module(ex).kernel_batch_norm().batch_norm
    g = torch.Generator().manual_seed(0)
    X = torch.randn(5, 3, 4, 2, generator=g, dtype=torch.float64)
    gamma, beta = torch.randn(3, generator=g, dtype=torch.float64), torch.randn(3, generator=g, dtype=torch.float64)
    rm, rv = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    Y, new_mean, new_var = bn(X, gamma, beta, rm, rv, True, 0.2, 1e-3)
    torch_rm, torch_rv = rm.clone(), rv.clone()
    want = torch.nn.functional.batch_norm(X, torch_rm, torch_rv, gamma, beta, training=True, momentum=0.2, eps=1e-3)
    torch.testing.assert_close(Y, want)
    torch.testing.assert_close(new_mean, torch_rm)
    torch.testing.assert_close(new_var, torch_rv)


def test_residual_relu_before_the_addition_is_named_in_a_sequential_style(grade):
    source = """
from torch import nn


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())
        self.skip = nn.Identity() if cin == cout and stride == 1 else nn.Conv2d(cin, cout, 1, stride)

    def forward(self, x):
        return self.body(x) + self.skip(x)


def residual_block(in_channels, out_channels, stride=1):
    return Block(in_channels, out_channels, stride)
"""
    result = grade("chapter8/residual_block", source)
    checks = by_id(result)
    assert checks["shapes"].verdict == "pass" and checks["shortcuts"].verdict == "pass"
    assert checks["identity_block"].diagnosis == "residual.relu_before_add"
    assert "relu(Y + X)" in checks["identity_block"].message


def test_residual_projection_by_channels_only_is_told_about_the_stride(grade):
    source = """
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(cin, cout, 3, stride, 1), nn.BatchNorm2d(cout)
        self.c2, self.b2 = nn.Conv2d(cout, cout, 3, 1, 1), nn.BatchNorm2d(cout)
        self.proj = nn.Conv2d(cin, cout, 1) if cin != cout else None   # stride forgotten twice

    def forward(self, x):
        y = self.b2(self.c2(torch.relu(self.b1(self.c1(x)))))
        return torch.relu(y + (x if self.proj is None else self.proj(x)))


def residual_block(in_channels, out_channels, stride=1):
    return Block(in_channels, out_channels, stride)
"""
    result = grade("chapter8/residual_block", source)
    checks = by_id(result)
    assert checks["identity_block"].verdict == "pass" and checks["more_channels"].verdict == "pass"
    for name in ("shortcuts", "stride_only", "channels_and_stride"):
        assert checks[name].verdict == "fail", name
        assert checks[name].diagnosis == "residual.projection_ignores_stride", (name, checks[name].message)
    assert "stride" in checks["channels_and_stride"].message


def test_residual_without_torch_layers_hears_the_contract(grade):
    source = """
import torch
from torch import nn
from torch.nn import functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(cout, cin, 3, 3) * 0.1)
        self.w2 = nn.Parameter(torch.randn(cout, cout, 3, 3) * 0.1)
        self.stride = stride

    def forward(self, x):
        return F.relu(F.conv2d(F.relu(F.conv2d(x, self.w1, stride=self.stride, padding=1)), self.w2, padding=1))


def residual_block(in_channels, out_channels, stride=1):
    return Block(in_channels, out_channels, stride)
"""
    result = grade("chapter8/residual_block", source)
    identity = by_id(result)["identity_block"]
    assert identity.verdict == "fail"
    assert "expected exactly two 3×3 convolutions" in identity.message and "none" in identity.message


def test_dense_block_features_list_prepending_and_max_pool_transition_are_named(grade):
    source = """
import torch
from torch import nn
from torch.nn import functional as F


class Dense(nn.Module):
    def __init__(self, L, c0, k):
        super().__init__()
        self.layers = nn.ModuleList(nn.Sequential(nn.BatchNorm2d(c0 + i * k), nn.ReLU(),
                                                  nn.Conv2d(c0 + i * k, k, 3, padding=1)) for i in range(L))

    def forward(self, x):
        for layer in self.layers:
            x = torch.cat([layer(x), x], 1)
        return x


class Transition(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.bn, self.conv = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return F.max_pool2d(self.conv(F.relu(self.bn(x))), 2)


def dense_block(num_convs, in_channels, growth_rate):
    return Dense(num_convs, in_channels, growth_rate)


def transition_block(in_channels, out_channels):
    return Transition(in_channels, out_channels)
"""
    result = grade("chapter8/dense_block", source)
    checks = by_id(result)
    assert checks["lesson_shapes"].verdict == "pass" and checks["channel_counts"].verdict == "pass"
    assert checks["passes_input_through"].diagnosis == "dense_block.new_channels_first"
    assert checks["transition_values"].diagnosis == "transition.max_pool"
    assert checks["densenet_stages"].verdict == "pass"


def test_dense_block_with_a_fixed_channel_count_is_told_the_arithmetic(grade):
    source = """
import torch
from torch import nn


class Dense(nn.Module):
    def __init__(self, L, c0, k):
        super().__init__()
        self.layers = nn.ModuleList(nn.Sequential(nn.BatchNorm2d(c0 + k), nn.ReLU(), nn.Conv2d(c0 + k, k, 3, padding=1))
                                    if i else nn.Sequential(nn.BatchNorm2d(c0), nn.ReLU(), nn.Conv2d(c0, k, 3, padding=1))
                                    for i in range(L))

    def forward(self, x):
        for layer in self.layers:
            x = torch.cat([x, layer(x)], 1)
        return x


def dense_block(num_convs, in_channels, growth_rate):
    return Dense(num_convs, in_channels, growth_rate)


def transition_block(in_channels, out_channels):
    return nn.Sequential(nn.BatchNorm2d(in_channels), nn.ReLU(), nn.Conv2d(in_channels, out_channels, 1),
                         nn.AvgPool2d(2))
"""
    result = grade("chapter8/dense_block", source)
    checks = by_id(result)
    assert checks["lesson_shapes"].verdict == "pass"  # two blocks: c₀ and c₀ + k are right
    counts = checks["channel_counts"]
    assert counts.verdict == "fail" and counts.diagnosis == "dense_block.channels_not_accumulated"
    assert "[5, 8, 11, 14]" in counts.message
    assert checks["transition_values"].verdict == "pass"


def test_nin_head_with_a_linear_layer_is_forbidden_and_max_pooling_is_named(grade):
    block = """
import torch
from torch import nn


def nin_block(in_channels, out_channels, kernel_size, stride=1, padding=0):
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding), nn.ReLU(),
                         nn.Conv2d(out_channels, out_channels, 1), nn.ReLU(),
                         nn.Conv2d(out_channels, out_channels, 1), nn.ReLU())
"""
    linear = block + """

class Head(nn.Module):
    def __init__(self, cin, classes):
        super().__init__()
        self.block = nin_block(cin, classes, 3, 1, 1)

    def forward(self, x):
        y = self.block(x)
        return nn.functional.linear(y.mean((2, 3)), torch.eye(y.shape[1]))


def nin_head(in_channels, num_classes):
    return Head(in_channels, num_classes)
"""
    assert grade("chapter8/nin", linear).verdict == "forbidden"
    max_pooled = block + """

def nin_head(in_channels, num_classes):
    return nn.Sequential(nin_block(in_channels, num_classes, 3, 1, 1), nn.AdaptiveMaxPool2d(1), nn.Flatten())
"""
    result = grade("chapter8/nin", max_pooled)
    checks = by_id(result)
    assert checks["block_values"].verdict == "pass"
    assert checks["head_values"].diagnosis == "nin.max_pool_head"
    assert "average" in checks["head_values"].message
