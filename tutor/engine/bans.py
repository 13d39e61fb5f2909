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
import threading
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
    # -- chapters 2 and 3 (preliminaries; linear regression) --------------------------------------------
    # The broadcast rule computed for you (a shape, not a tensor).
    "broadcast_shapes": ("torch.broadcast_shapes", "torch.functional.broadcast_shapes", "torch._refs._broadcast_shapes",
                         "torch._prims_common.infer_size", "torch._C._infer_size", "numpy.broadcast_shapes",
                         "numpy.broadcast"),
    "pairwise_distances": ("torch.cdist", "torch.functional.cdist", "torch.pdist", "torch.nn.functional.pdist",
                           "torch.pairwise_distance", "torch.nn.functional.pairwise_distance",
                           "torch.nn.PairwiseDistance", "torch._euclidean_dist", "aten:cdist", "aten:_cdist_forward",
                           "aten:_euclidean_dist", "aten:pdist", "aten:_pdist_forward", "aten:pairwise_distance"),
    # Gradients without .backward() and .grad: what an exercise on backward itself must not use.
    "autograd_functional": ("torch.autograd.grad", "torch.autograd.functional.*", "torch.autograd.forward_ad.make_dual",
                            "torch.func.grad", "torch.func.grad_and_value", "torch.func.vjp", "torch.func.jvp",
                            "torch.func.jacrev", "torch.func.jacfwd", "torch.func.hessian", "torch.func.linearize"),
    # Ready-made minibatch iteration: what an exercise on shuffling and batching builds itself.
    "data_loaders": ("torch.utils.data.DataLoader", "torch.utils.data.BatchSampler", "torch.utils.data.RandomSampler",
                     "torch.utils.data.SubsetRandomSampler", "torch.utils.data.WeightedRandomSampler",
                     "torch.utils.data.random_split"),
    # Soft-thresholding ready-made (the lasso's proximal step).
    "soft_threshold": ("torch.nn.functional.softshrink", "torch._C._nn.softshrink", "torch.nn.Softshrink",
                       "aten:softshrink"),
    # The closed form of (ridge) least squares: solvers, inverses and the factorisations behind them.
    "least_squares": ("torch.linalg.lstsq", "torch.linalg.pinv", "torch.pinverse", "torch.Tensor.pinverse",
                      "torch.linalg.solve", "torch.linalg.solve_ex", "torch.linalg.inv", "torch.linalg.inv_ex",
                      "torch.inverse", "torch.Tensor.inverse", "torch.cholesky_solve", "torch.Tensor.cholesky_solve",
                      "torch.cholesky_inverse", "torch.linalg.cholesky", "torch.linalg.cholesky_ex",
                      "torch.linalg.qr", "torch.linalg.svd", "torch.svd", "torch.Tensor.svd", "torch.linalg.eigh",
                      "torch.linalg.solve_triangular", "torch.triangular_solve", "torch.linalg.tensorsolve",
                      "torch.linalg.tensorinv", "numpy.linalg.lstsq", "numpy.linalg.solve", "numpy.linalg.inv",
                      "numpy.linalg.pinv", "numpy.linalg.qr", "numpy.linalg.svd", "numpy.linalg.eigh",
                      "aten:linalg_lstsq", "aten:linalg_pinv", "aten:linalg_solve", "aten:_linalg_solve_ex",
                      "aten:linalg_inv_ex", "aten:linalg_inv", "aten:inverse", "aten:pinverse", "aten:cholesky_solve",
                      "aten:cholesky_inverse", "aten:linalg_cholesky_ex", "aten:cholesky", "aten:linalg_qr",
                      "aten:linalg_svd", "aten:_linalg_svd", "aten:svd", "aten:linalg_eigh", "aten:_linalg_eigh",
                      "aten:triangular_solve", "aten:linalg_solve_triangular", "aten:linalg_tensorsolve"),
    # -- chapters 5 and 6 (multilayer perceptrons; builder's guide) --
    # ReLU, sigmoid and tanh by every route, including the functions that contain one of them
    # whole (relu6/hardtanh/threshold, log-sigmoid, softplus, GLU, SiLU, tanhshrink) and the
    # backward operators that compute their derivatives.
    "activations": ("torch.relu", "torch.relu_", "torch.Tensor.relu", "torch.Tensor.relu_",
                    "torch._C._VariableFunctions.relu", "torch.nn.functional.relu", "torch.nn.functional.relu_",
                    "torch.nn.functional.relu6", "torch._C._nn.relu6", "torch.nn.functional.hardtanh",
                    "torch.nn.functional.hardtanh_", "torch._C._nn.hardtanh", "torch.nn.functional.threshold",
                    "torch.nn.functional.threshold_", "torch.threshold", "torch.threshold_", "torch.nn.ReLU",
                    "torch.nn.ReLU6", "torch.nn.Hardtanh", "torch.nn.Threshold",
                    "torch.sigmoid", "torch.sigmoid_", "torch.Tensor.sigmoid", "torch.Tensor.sigmoid_",
                    "torch._C._VariableFunctions.sigmoid", "torch.nn.functional.sigmoid", "torch.special.expit",
                    "torch.nn.functional.logsigmoid", "torch._C._nn.log_sigmoid", "torch.nn.functional.softplus",
                    "torch._C._nn.softplus", "torch.nn.functional.glu", "torch._C._nn.glu",
                    "torch.nn.functional.silu", "torch._C._nn.silu", "torch.nn.Sigmoid", "torch.nn.LogSigmoid",
                    "torch.nn.Softplus", "torch.nn.GLU", "torch.nn.SiLU",
                    "torch.tanh", "torch.tanh_", "torch.Tensor.tanh", "torch.Tensor.tanh_",
                    "torch._C._VariableFunctions.tanh", "torch.nn.functional.tanh", "torch.nn.functional.tanhshrink",
                    "torch.nn.Tanh", "torch.nn.Tanhshrink", "numpy.tanh", "scipy.special.expit",
                    "scipy.special.log_expit",
                    "aten:relu", "aten:relu_", "aten:hardtanh", "aten:hardtanh_", "aten:threshold", "aten:threshold_",
                    "aten:sigmoid", "aten:sigmoid_", "aten:special_expit", "aten:log_sigmoid_forward", "aten:softplus",
                    "aten:glu", "aten:silu", "aten:silu_", "aten:tanh", "aten:tanh_", "aten:threshold_backward",
                    "aten:sigmoid_backward", "aten:tanh_backward"),
    # torch's dropout decomposes into bernoulli_ and mul before the dispatcher's Python layer sees
    # it, so the Python names carry this group; native_dropout is the one operator that shows.
    "dropout": ("torch.nn.functional.dropout", "torch.nn.functional.dropout1d", "torch.nn.functional.dropout2d",
                "torch.nn.functional.dropout3d", "torch.nn.functional.alpha_dropout",
                "torch.nn.functional.feature_alpha_dropout", "torch.dropout", "torch.dropout_", "torch.alpha_dropout",
                "torch.alpha_dropout_", "torch.feature_dropout", "torch.feature_dropout_",
                "torch.feature_alpha_dropout", "torch.native_dropout", "torch._C._VariableFunctions.dropout",
                "torch.ops.aten.dropout", "torch.nn.Dropout", "torch.nn.Dropout1d", "torch.nn.Dropout2d",
                "torch.nn.Dropout3d", "torch.nn.AlphaDropout", "torch.nn.FeatureAlphaDropout",
                "aten:native_dropout", "aten:_fused_dropout", "aten:native_dropout_backward"),
    # Every initialiser (xavier_*, kaiming_*, uniform_, normal_, ...) and its fan helpers.
    "init": ("torch.nn.init.*",),
    # A layer of one's own instead of torch's affine layers (F.linear reaches the dispatcher as
    # addmm/matmul, which a hand-written layer uses too: the Python names carry this group).
    "linear_layers": ("torch.nn.functional.linear", "torch._C._nn.linear", "torch.nn.functional.bilinear",
                      "torch.nn.Linear", "torch.nn.LazyLinear", "torch.nn.Bilinear"),
    # Copying a live object in memory instead of sending its state through bytes.
    "module_copy": ("copy.deepcopy", "copy.copy"),
    # chapter11 (attention mechanisms and transformers)
    "masked_softmax": ("torch._masked_softmax", "torch.masked.softmax", "torch.masked.log_softmax",
                       "aten:_masked_softmax"),
    "attention": ("torch.nn.functional.scaled_dot_product_attention", "torch._C._nn.scaled_dot_product_attention",
                  "torch.nn.functional.multi_head_attention_forward", "torch.nn.MultiheadAttention",
                  "torch.nn.attention.flex_attention.flex_attention", "torch._native_multi_head_attention",
                  "aten:scaled_dot_product_attention", "aten:_scaled_dot_product_attention_math",
                  "aten:_scaled_dot_product_flash_attention", "aten:_scaled_dot_product_flash_attention_for_cpu",
                  "aten:_scaled_dot_product_efficient_attention", "aten:_scaled_dot_product_cudnn_attention",
                  "aten:_scaled_dot_product_fused_attention_overrideable", "aten:_fused_sdp_choice",
                  "aten:_safe_softmax", "aten:_native_multi_head_attention"),
    # Group, instance and batch norm of a reshaped or transposed tensor, and rms_norm of a centred
    # one, are layer norm too.
    "layer_norm": ("torch.nn.functional.layer_norm", "torch.layer_norm", "torch.native_layer_norm",
                   "torch._C._VariableFunctions.layer_norm", "torch.nn.LayerNorm",
                   "torch.nn.functional.group_norm", "torch.group_norm", "torch.native_group_norm",
                   "torch.nn.GroupNorm", "torch.nn.functional.instance_norm", "torch.instance_norm",
                   "torch.nn.InstanceNorm1d", "torch.nn.functional.batch_norm", "torch.batch_norm",
                   "torch.native_batch_norm", "torch.nn.BatchNorm1d", "torch.nn.functional.rms_norm",
                   "torch.rms_norm", "torch.nn.RMSNorm", "aten:layer_norm", "aten:native_layer_norm",
                   "aten:group_norm", "aten:native_group_norm", "aten:instance_norm", "aten:batch_norm",
                   "aten:native_batch_norm", "aten:_native_batch_norm_legit",
                   "aten:_native_batch_norm_legit_no_training", "aten:_batch_norm_impl_index", "aten:rms_norm",
                   "aten:_fused_rms_norm"),
    "transformer_layers": ("torch.nn.TransformerEncoderLayer", "torch.nn.TransformerEncoder",
                           "torch.nn.TransformerDecoderLayer", "torch.nn.TransformerDecoder", "torch.nn.Transformer",
                           "torch._transformer_encoder_layer_fwd", "aten:_transformer_encoder_layer_fwd"),
    # chapter 9 (recurrent neural networks)
    # rnn_tanh and rnn_tanh_cell are composite operators: they decompose into addmm and tanh before
    # the dispatcher guard could see them, so they are banned by name, torch.ops overloads first.
    "rnn": ("torch.nn.RNN", "torch.nn.RNNCell", "torch.rnn_tanh", "torch.rnn_tanh_cell", "torch._VF.rnn_tanh",
            "torch._VF.rnn_tanh_cell", "torch._C._VariableFunctions.rnn_tanh",
            "torch._C._VariableFunctions.rnn_tanh_cell", "torch.ops.aten.rnn_tanh.input",
            "torch.ops.aten.rnn_tanh.data", "torch.ops.aten.rnn_tanh", "torch.ops.aten.rnn_tanh_cell.default",
            "torch.ops.aten.rnn_tanh_cell"),
    "clip_grad": ("torch.nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad_norm", "torch.nn.utils.clip_grad_value_",
                  "torch.nn.utils.clip_grads_with_norm_?", "torch.nn.utils.get_total_norm?",
                  "torch.nn.utils.clip_grad.clip_grad_norm_", "torch.nn.utils.clip_grad.clip_grad_norm",
                  "torch.nn.utils.clip_grad.clip_grad_value_", "torch.nn.utils.clip_grad._clip_grads_with_norm_?",
                  "torch.nn.utils.clip_grad._get_total_norm?"),
    # -- engineering (scaling and speeding up training) ----------------------------------------------
    # Ready-made collectives: what a ring all-reduce builds from point-to-point sends and receives.
    # Every spelling torch.distributed offers, the process group's and its backend's own methods,
    # and the functional collectives; send, recv, isend, irecv and batch_isend_irecv stay allowed.
    "collectives": tuple(f"torch.distributed.{m}{name}" for m in ("", "distributed_c10d.") for name in (
        "all_reduce", "all_reduce_coalesced", "reduce", "reduce_scatter", "reduce_scatter_tensor",
        "_reduce_scatter_base", "reduce_scatter_single?", "all_gather", "all_gather_into_tensor",
        "all_gather_coalesced", "all_gather_object", "_all_gather_base", "all_gather_single?", "broadcast",
        "broadcast_object_list", "_broadcast_coalesced?", "gather", "gather_object", "scatter", "scatter_object_list",
        "all_to_all", "all_to_all_single")) + tuple(f"torch._C._distributed_c10d.{cls}.{name}" for cls in (
            "ProcessGroup", "Backend") for name in (
        "allreduce", "allreduce_coalesced", "reduce", "reduce_scatter", "_reduce_scatter_base", "allgather",
        "allgather_coalesced", "_allgather_base", "broadcast", "gather", "scatter", "alltoall", "alltoall_base")) + (
        "torch._C._distributed_c10d.ProcessGroup.allgather_into_tensor_coalesced?",
        "torch._C._distributed_c10d.ProcessGroup.reduce_scatter_tensor_coalesced?",
        "torch._C._distributed_c10d.ProcessGroup.all_gather_single?",
        "torch._C._distributed_c10d.ProcessGroup.all_gather_single_coalesced?",
        "torch._C._distributed_c10d.ProcessGroup.reduce_scatter_single?",
        "torch._C._distributed_c10d.ProcessGroup.reduce_scatter_single_coalesced?",
        "torch._C._distributed_c10d.ProcessGroup.all_to_all_single?",
        "torch.distributed.nn.functional.*",
        "torch.distributed._functional_collectives.all_reduce",
        "torch.distributed._functional_collectives.all_reduce_coalesced?",
        "torch.distributed._functional_collectives.all_gather_tensor",
        "torch.distributed._functional_collectives.all_gather_tensor_autograd?",
        "torch.distributed._functional_collectives.reduce_scatter_tensor",
        "torch.distributed._functional_collectives.reduce_scatter_tensor_autograd?",
        "torch.distributed._functional_collectives.broadcast",
        "torch.distributed._functional_collectives.all_to_all_single",
        "torch.distributed._functional_collectives.permute_tensor?",
    ),
    # Data parallelism done for you: replicating, scattering a batch and averaging gradients.
    "data_parallel": ("torch.nn.DataParallel", "torch.nn.parallel.DistributedDataParallel",
                      "torch.nn.parallel.data_parallel", "torch.nn.parallel.replicate",
                      "torch.nn.parallel.parallel_apply", "torch.nn.parallel.scatter_gather.scatter",
                      "torch.nn.parallel.scatter_gather.gather", "torch.distributed.fsdp.FullyShardedDataParallel?"),
    # Dynamic loss scaling ready-made: torch's GradScaler and the two fused operators behind it.
    "grad_scaler": ("torch.amp.GradScaler", "torch.amp.grad_scaler.GradScaler", "torch.cuda.amp.GradScaler",
                    "torch.cpu.amp.GradScaler?", "torch._amp_foreach_non_finite_check_and_unscale_",
                    "torch._amp_update_scale_", "aten:_amp_foreach_non_finite_check_and_unscale_",
                    "aten:_amp_update_scale_"),
    # torch's quantisation: quantised tensors, fake quantisation and the observers that pick scales.
    "quantization": ("torch.quantize_per_tensor", "torch.quantize_per_channel", "torch.quantize_per_tensor_dynamic",
                     "torch.fake_quantize_per_tensor_affine", "torch.fake_quantize_per_channel_affine",
                     "torch.dequantize", "torch.Tensor.dequantize", "torch.Tensor.int_repr",
                     "torch._make_per_tensor_quantized_tensor", "torch._make_per_channel_quantized_tensor",
                     "torch._choose_qparams_per_tensor", "torch.ao.quantization.observer.*",
                     "torch.ao.quantization.fake_quantize.*", "torch.ao.quantization.quantize_dynamic",
                     "aten:quantize_per_tensor", "aten:quantize_per_channel", "aten:quantize_per_tensor_dynamic",
                     "aten:fake_quantize_per_tensor_affine", "aten:fake_quantize_per_tensor_affine_cachemask",
                     "aten:fake_quantize_per_channel_affine", "aten:fake_quantize_per_channel_affine_cachemask",
                     "aten:_fake_quantize_learnable_per_tensor_affine",
                     "aten:_fake_quantize_learnable_per_channel_affine", "aten:dequantize", "aten:int_repr",
                     "aten:_choose_qparams_per_tensor"),
    # Array routines that run on the host. Inside a kernel they work on numba's CUDA simulator only,
    # never on a GPU: the loop over threads (and the shared-memory tree) is the exercise.
    "numpy_compute": ("numpy.sum", "numpy.add", "numpy.subtract", "numpy.multiply", "numpy.maximum",
                      "numpy.where", "numpy.dot", "numpy.vdot", "numpy.inner", "numpy.einsum", "numpy.matmul",
                      "numpy.tensordot", "numpy.linalg.norm", "numpy.cumsum", "numpy.mean", "math.fsum"),
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
    found = _longest_module(dotted)
    if found is not None:
        obj, rest = found[1], dotted.split(".")[found[0].count(".") + 1:]
        try:
            for attr in rest:
                obj = getattr(obj, attr)
            return obj
        except AttributeError:
            pass
    if ban.optional:
        return None
    raise BanError(f"{ban.name}: no such module, function or attribute in the installed packages")


# Resolving a ban may import torch for the first time; two threads doing that at once (validate
# --jobs 2) hand each other a half-initialised torch or deadlock in the import machinery.
_RESOLVING = threading.Lock()


def _longest_module(dotted: str):
    """(name, module): the longest prefix of `dotted` that imports (torch.nn.functional for
    torch.nn.functional.softmax), or None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        try:
            return name, importlib.import_module(name)
        except ImportError:
            continue
    return None


def modules_to_import(bans: list[Ban]) -> list[str]:
    """The modules a process imports to install these bans (scipy.signal for a ban of
    scipy.signal.correlate2d): what a worker can import once instead of once per job."""
    out: dict[str, None] = {}
    with _RESOLVING:
        for ban in bans:
            if ban.is_aten or not installed(ban.name.split(".")[0]):
                continue
            found = _longest_module(ban.name.removesuffix(".*"))
            if found is not None:
                out[found[0]] = None
    return list(out)


def check_all(bans: list[Ban]) -> list[str]:
    """Problems: every ban that should resolve and does not (one line each)."""
    problems = []
    with _RESOLVING:
        for ban in bans:
            try:
                resolve(ban)
            except BanError as exc:
                problems.append(str(exc))
    return problems
