"""Ban groups: every alias of a shortcut, named once.

An exercise bans shortcuts by group (`bans = ["softmax"]` in exercise.toml) and, for the odd
extra, by dotted name (`banned = [...]`). A group lists each way to reach the shortcut:

- a Python name: a function (`torch.softmax`), a Tensor method (`torch.Tensor.softmax`), a
  class (`torch.nn.Softmax`: constructing it is banned), `package.module.*` (every function and
  class of a module), or a whole module (`scipy.signal`);
- `aten:NAME`: an operator of torch's dispatcher, caught however it is reached (a Python alias,
  `torch.ops.aten.NAME.default`, a `torch._C` entry point, another thread).

A name whose package is installed must resolve (a typo would silently disable the ban):
`tutor instructor validate` and tests check that. A name ending in `?` may be missing (an API
only some torch versions have). A name whose top-level package is not installed cannot be
reached by the learner either, and is skipped.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

ATEN = "aten:"

_SOFTMAX_PY = ("torch.softmax", "torch.nn.functional.softmax", "torch.Tensor.softmax", "torch.special.softmax",
               "torch._C._VariableFunctions.softmax", "torch.nn.Softmax", "torch.nn.Softmax2d")

GROUPS: dict[str, tuple[str, ...]] = {
    "softmax": _SOFTMAX_PY + ("aten:_softmax", "aten:softmax", "aten:_safe_softmax", "aten:special_softmax"),
    "log_softmax": ("torch.log_softmax", "torch.nn.functional.log_softmax", "torch.Tensor.log_softmax",
                    "torch.special.log_softmax", "torch._C._VariableFunctions.log_softmax", "torch.nn.LogSoftmax",
                    "aten:_log_softmax", "aten:log_softmax", "aten:special_log_softmax"),
    "logsumexp": ("torch.logsumexp", "torch.Tensor.logsumexp", "torch.special.logsumexp",
                  "torch._C._VariableFunctions.logsumexp", "aten:logsumexp"),
    "cross_entropy": ("torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss",
                      "torch._C._nn.cross_entropy_loss", "torch._C._nn.nll_loss", "torch._C._nn.nll_loss_nd",
                      "torch.nn.CrossEntropyLoss", "torch.nn.NLLLoss", "aten:cross_entropy_loss", "aten:nll_loss",
                      "aten:nll_loss_nd", "aten:nll_loss_forward", "aten:nll_loss2d_forward"),
    "convolution": ("torch.nn.functional.conv1d", "torch.nn.functional.conv2d", "torch.nn.functional.conv3d",
                    "torch.nn.functional.conv_transpose1d", "torch.nn.functional.conv_transpose2d",
                    "torch.nn.functional.unfold", "torch.nn.Conv1d", "torch.nn.Conv2d", "torch.nn.Conv3d",
                    "torch.nn.LazyConv2d", "torch.nn.ConvTranspose2d", "torch.nn.Unfold", "torch.conv1d",
                    "torch.conv2d", "torch.conv3d", "torch.convolution", "torch._convolution",
                    "torch._C._VariableFunctions.conv2d", "torch._C._VariableFunctions.convolution",
                    "torch._C._nn.im2col", "scipy.signal", "scipy.ndimage",
                    "aten:convolution", "aten:_convolution", "aten:conv1d", "aten:conv2d", "aten:conv3d",
                    "aten:convolution_overrideable", "aten:mkldnn_convolution", "aten:_slow_conv2d_forward",
                    "aten:thnn_conv2d", "aten:im2col"),
    "pooling": ("torch.nn.functional.max_pool1d", "torch.nn.functional.max_pool2d", "torch.nn.functional.max_pool3d",
                "torch.nn.functional.max_pool2d_with_indices", "torch.nn.functional.avg_pool1d",
                "torch.nn.functional.avg_pool2d", "torch.nn.functional.avg_pool3d",
                "torch.nn.functional.adaptive_max_pool2d", "torch.nn.functional.adaptive_avg_pool2d",
                "torch.nn.functional.lp_pool2d", "torch.nn.functional.fractional_max_pool2d", "torch.max_pool1d",
                "torch.max_pool2d", "torch.avg_pool1d", "torch._C._nn.avg_pool2d",
                "torch._C._nn.max_pool2d_with_indices", "torch._C._nn.adaptive_avg_pool2d", "torch.nn.MaxPool2d",
                "torch.nn.AvgPool2d", "torch.nn.AdaptiveMaxPool2d", "torch.nn.AdaptiveAvgPool2d",
                "torch.nn.LPPool2d", "aten:max_pool2d", "aten:max_pool2d_with_indices", "aten:avg_pool2d",
                "aten:_adaptive_avg_pool2d", "aten:adaptive_max_pool2d", "aten:mkldnn_max_pool2d",
                "aten:quantized_max_pool2d"),
    "optimizers": ("torch.optim.Adam", "torch.optim.AdamW", "torch.optim.Adamax", "torch.optim.NAdam",
                   "torch.optim.RAdam", "torch.optim.SparseAdam", "torch.optim.SGD", "torch.optim.RMSprop",
                   "torch.optim.Adagrad", "torch.optim.Adadelta", "torch.optim.Adafactor?", "torch.optim.ASGD",
                   "torch.optim.Rprop", "torch.optim.LBFGS", "torch.optim.Muon?", "torch.optim._functional.*",
                   "torch.optim.adam.adam", "torch.optim.adam._single_tensor_adam",
                   "torch.optim.adam._multi_tensor_adam", "torch.optim.adam._fused_adam", "torch.optim.adamw.adamw",
                   "torch.optim.sgd.sgd", "torch.optim.adagrad.adagrad", "torch.optim.rmsprop.rmsprop",
                   "torch.optim.adadelta.adadelta", "aten:_fused_adam", "aten:_fused_adamw", "aten:_fused_sgd",
                   "aten:_fused_adagrad",
                   # the per-tensor and list loops behind the optimizers that chapter 12 has learners write
                   "torch.optim.sgd._single_tensor_sgd", "torch.optim.sgd._multi_tensor_sgd",
                   "torch.optim.sgd._fused_sgd", "torch.optim.adagrad._single_tensor_adagrad",
                   "torch.optim.adagrad._multi_tensor_adagrad", "torch.optim.adagrad._fused_adagrad",
                   "torch.optim.rmsprop._single_tensor_rmsprop", "torch.optim.rmsprop._multi_tensor_rmsprop",
                   "torch.optim.adadelta._single_tensor_adadelta", "torch.optim.adadelta._multi_tensor_adadelta"),
    "lr_schedulers": ("torch.optim.lr_scheduler.*",),
    "autograd": ("torch.Tensor.backward", "torch.autograd.backward", "torch.autograd.grad",
                 "torch.autograd.functional.*", "torch.autograd.forward_ad.make_dual", "torch.autograd.gradcheck",
                 "torch.autograd.gradgradcheck", "torch.func.grad", "torch.func.grad_and_value", "torch.func.vjp",
                 "torch.func.jvp", "torch.func.jacrev", "torch.func.jacfwd", "torch.func.hessian",
                 "torch.func.linearize"),
    "checkpoint": ("torch.utils.checkpoint.checkpoint", "torch.utils.checkpoint.checkpoint_sequential",
                   "torch.utils.checkpoint.CheckpointFunction", "torch.utils.checkpoint.CheckpointFunction.apply"),
    "sacrebleu": ("sacrebleu.*", "sacrebleu.metrics.bleu.*", "sacrebleu.metrics.helpers.*", "sacrebleu.compat.*",
                  "sacrebleu.metrics.bleu.BLEU.compute_bleu", "nltk.translate.bleu_score.corpus_bleu",
                  "nltk.translate.bleu_score.sentence_bleu", "nltk.translate.bleu_score.modified_precision",
                  "torchtext.data.metrics.bleu_score", "torcheval.metrics.functional.bleu_score"),
    # chapter 8 (modern convolutional networks)
    "batch_norm": ("torch.nn.functional.batch_norm", "torch.batch_norm", "torch._C._VariableFunctions.batch_norm",
                   "torch.native_batch_norm", "torch._native_batch_norm_legit",
                   "torch._native_batch_norm_legit_no_training", "torch._batch_norm_impl_index",
                   "torch.batch_norm_stats", "torch.batch_norm_elemt", "torch.batch_norm_update_stats",
                   "torch.batch_norm_gather_stats", "torch.batch_norm_gather_stats_with_counts",
                   "torch.cudnn_batch_norm", "torch.miopen_batch_norm", "torch.quantized_batch_norm",
                   "torch.nn.BatchNorm1d", "torch.nn.BatchNorm2d", "torch.nn.BatchNorm3d", "torch.nn.LazyBatchNorm1d",
                   "torch.nn.LazyBatchNorm2d", "torch.nn.LazyBatchNorm3d", "torch.nn.SyncBatchNorm",
                   "torch.nn.modules.batchnorm._BatchNorm",
                   "aten:batch_norm", "aten:native_batch_norm", "aten:_native_batch_norm_legit",
                   "aten:_native_batch_norm_legit_no_training", "aten:_native_batch_norm_legit_functional",
                   "aten:_batch_norm_impl_index", "aten:_batch_norm_with_update",
                   "aten:_batch_norm_with_update_functional", "aten:_batch_norm_no_update", "aten:cudnn_batch_norm",
                   "aten:miopen_batch_norm", "aten:batch_norm_stats", "aten:batch_norm_elemt",
                   "aten:batch_norm_update_stats", "aten:batch_norm_gather_stats",
                   "aten:batch_norm_gather_stats_with_counts", "aten:quantized_batch_norm"),
    # chapter 10 (modern recurrent networks): every recurrent cell and layer torch ships. On the CPU the
    # cell and layer operators are composites that decompose before the dispatcher guard sees them, so
    # their Python entry points carry the ban: torch.*, and torch._VF.* (a module, so its attributes can
    # be wrapped; the torch._C._VariableFunctions.* attributes are read-only and stay listed for the day
    # the guard can intercept them).
    "rnn_cells": ("torch.nn.RNNCell", "torch.nn.GRUCell", "torch.nn.LSTMCell", "torch.nn.RNNCellBase",
                  "torch.nn.RNN", "torch.nn.GRU", "torch.nn.LSTM", "torch.nn.RNNBase",
                  "torch.gru_cell", "torch.lstm_cell", "torch.rnn_tanh_cell", "torch.rnn_relu_cell",
                  "torch.gru", "torch.lstm", "torch.rnn_tanh", "torch.rnn_relu",
                  "torch.quantized_gru_cell", "torch.quantized_lstm_cell", "torch.quantized_gru",
                  "torch.quantized_lstm", "torch.quantized_rnn_tanh_cell", "torch.quantized_rnn_relu_cell",
                  "torch._C._VariableFunctions.gru_cell", "torch._C._VariableFunctions.lstm_cell",
                  "torch._C._VariableFunctions.rnn_tanh_cell", "torch._C._VariableFunctions.rnn_relu_cell",
                  "torch._C._VariableFunctions.gru", "torch._C._VariableFunctions.lstm",
                  "torch._C._VariableFunctions.rnn_tanh", "torch._C._VariableFunctions.rnn_relu",
                  "torch._VF.gru_cell", "torch._VF.lstm_cell", "torch._VF.rnn_tanh_cell", "torch._VF.rnn_relu_cell",
                  "torch._VF.gru", "torch._VF.lstm", "torch._VF.rnn_tanh", "torch._VF.rnn_relu",
                  "aten:gru_cell", "aten:lstm_cell", "aten:rnn_tanh_cell", "aten:rnn_relu_cell", "aten:gru",
                  "aten:lstm", "aten:rnn_tanh", "aten:rnn_relu", "aten:_thnn_fused_gru_cell",
                  "aten:_thnn_fused_lstm_cell", "aten:_cudnn_rnn", "aten:miopen_rnn", "aten:mkldnn_rnn_layer",
                  "aten:quantized_gru", "aten:quantized_lstm", "aten:quantized_gru_cell",
                  "aten:quantized_lstm_cell"),
}


class BanError(ValueError):
    """A ban group or name that does not exist (a typo that would disable a ban)."""


@dataclass(frozen=True)
class Ban:
    name: str  # as written, without the optional marker
    optional: bool

    @property
    def is_aten(self) -> bool:
        return self.name.startswith(ATEN)

    @property
    def aten_op(self) -> str:
        return self.name[len(ATEN):]


def expand(groups: list[str] | tuple[str, ...], extra: list[str] | tuple[str, ...] = ()) -> list[Ban]:
    """Every name the groups and extras stand for, in order, without repeats."""
    out: dict[str, Ban] = {}
    for group in groups:
        if group not in GROUPS:
            known = ", ".join(sorted(GROUPS))
            raise BanError(f"unknown ban group {group!r} (known: {known})")
        for entry in GROUPS[group]:
            ban = parse(entry)
            out.setdefault(ban.name, ban)
    for entry in extra:
        ban = parse(entry)
        out.setdefault(ban.name, ban)
    return list(out.values())


def parse(entry: str) -> Ban:
    return Ban(entry.removesuffix("?"), entry.endswith("?"))


def installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def resolve(ban: Ban):
    """The object a ban names (an OpOverloadPacket for aten ops), or None when its package is not
    installed. Raises BanError when the package is installed but the name does not exist."""
    if ban.is_aten:
        import torch

        try:
            return getattr(torch.ops.aten, ban.aten_op)
        except (AttributeError, RuntimeError):
            if ban.optional:
                return None
            raise BanError(f"{ban.name}: torch {torch.__version__} has no such operator") from None
    dotted = ban.name.removesuffix(".*")
    top = dotted.split(".")[0]
    if not installed(top):
        return None
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            break
        return obj
    if ban.optional:
        return None
    raise BanError(f"{ban.name}: no such module, function or attribute in the installed packages")


def check_all(bans: list[Ban]) -> list[str]:
    """Problems: every ban that should resolve and does not (one line each)."""
    problems = []
    for ban in bans:
        try:
            resolve(ban)
        except BanError as exc:
            problems.append(str(exc))
    return problems
