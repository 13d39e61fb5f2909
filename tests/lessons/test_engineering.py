"""The engineering chapter: learner answers written in other styles than the mutants, graded as
`tutor check` grades them (the ring all-reduce runs in forked gloo ranks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.grader.results import Verdict

RING = "engineering/ring_allreduce"


@pytest.fixture(scope="module")
def chapter(catalog):
    return catalog.chapter("engineering")


def _failed(result):
    return [c for c in result.checks if c.verdict is Verdict.FAIL]


def test_chapter_metadata(chapter, catalog):
    assert chapter.title and chapter.summary
    assert [e.slug for e in chapter.exercises] == ["ring_allreduce", "data_parallel", "grad_accumulation",
                                                   "loss_scaling", "int8_quantization", "cuda_bias_relu",
                                                   "cuda_reduction"]
    cuda = catalog.exercise("engineering/cuda_bias_relu")
    assert cuda.capabilities.cuda_simulator and cuda.capabilities.numba_in_child
    reduction = catalog.exercise("engineering/cuda_reduction")
    assert reduction.capabilities.cuda_simulator and reduction.capabilities.numba_in_child
    assert {"torch.sum", "torch.Tensor.sum", "aten:sum", "numpy.sum"} <= set(reduction.banned_names)
    ring = catalog.exercise(RING)
    assert ring.capabilities.processes >= 5 and ring.capabilities.loopback
    assert "torch.distributed.all_reduce" in ring.banned_names
    assert "torch.distributed.send" not in ring.banned_names


PARAMETER_SERVER = '''
import torch
import torch.distributed as dist


def ring_all_reduce(x, mean=False):
    rank, world = dist.get_rank(), dist.get_world_size()
    if rank == 0:
        total = x.clone()
        for other in range(1, world):
            got = torch.empty_like(x)
            dist.recv(got, src=other)
            total += got
        for other in range(1, world):
            dist.send(total, dst=other)
    else:
        dist.send(x.clone(), dst=0)
        total = torch.empty_like(x)
        dist.recv(total, src=0)
    return total / world if mean else total
'''


def test_a_parameter_server_gets_the_numbers_right_and_is_told_it_is_not_a_ring(grade):
    result = grade(RING, PARAMETER_SERVER)
    failed = _failed(result)
    assert [c.name for c in failed] == [c.name for c in result.checks if c.name.startswith("a ring's traffic")]
    traffic = failed[0]
    assert traffic.diagnosis == "allreduce.not_ring"
    # rank 0 sends to everyone: the message names a rank and its right neighbour
    assert "rank 0 sent to rank(s) 2, 3" in traffic.message and "right neighbour, rank 1" in traffic.message


def test_a_collective_under_another_name_is_forbidden(grade):
    source = '''
import torch
import torch.distributed as dist
from torch.distributed import distributed_c10d


def ring_all_reduce(x, mean=False):
    world = dist.get_world_size()
    pieces = [torch.empty_like(x) for _ in range(world)]
    distributed_c10d.all_gather(pieces, x.clone())
    total = torch.stack(pieces).sum(0)
    return total / world if mean else total
'''
    result = grade(RING, source)
    assert result.verdict is Verdict.FORBIDDEN
    assert "all_gather" in " ".join(c.message for c in result.checks)


def test_an_exception_on_one_rank_is_the_learners_error_with_rank_and_line(grade):
    source = '''
import torch
import torch.distributed as dist


def ring_all_reduce(x, mean=False):
    if dist.get_rank() == 2:
        raise ValueError("rank two is unhappy")
    return x.clone()
'''
    result = grade(RING, source)
    first = result.checks[0]
    assert first.verdict is Verdict.ERROR
    assert "rank 2 of 3 raised ValueError: rank two is unhappy" in first.message
    assert "line 8 of your file" in first.message


# -- data_parallel ----------------------------------------------------------------------------------------

DP = "engineering/data_parallel"

AVERAGE_OF_MEANS_WITH_NP_SPLIT = '''
import numpy as np
import torch


def data_parallel_step(replicas, X, y, loss_fn, lr):
    W = len(replicas)
    index_sets = np.array_split(np.arange(len(X)), W)
    grads, losses = [], []
    for model, idx in zip(replicas, index_sets):
        if len(idx) == 0:
            continue
        idx = torch.as_tensor(idx)
        model.zero_grad()
        loss = loss_fn(model(X[idx]), y[idx])
        loss.backward()
        grads.append([p.grad.clone() for p in model.parameters()])
        losses.append(loss.item())
    mean = [torch.stack(gs).mean(0) for gs in zip(*grads)]
    with torch.no_grad():
        for model in replicas:
            for p, g in zip(model.parameters(), mean):
                p -= lr * g
    return float(np.mean(losses))
'''


def test_data_parallel_equal_weights_pass_even_shards_and_are_named_on_uneven_ones(grade):
    result = grade(DP, AVERAGE_OF_MEANS_WITH_NP_SPLIT)
    by_id = {c.id: c for c in result.checks}
    assert by_id["lesson_example"].verdict is Verdict.PASS and by_id["random_mlp"].verdict is Verdict.PASS
    uneven = by_id["uneven_shards"]
    assert uneven.verdict is Verdict.FAIL and uneven.diagnosis == "dp.unweighted_average"
    assert "4 worker(s), batches of 10, 7, 13" in uneven.message


def test_data_parallel_only_replica_zero_updated_names_the_replica(grade):
    source = '''
import torch


def data_parallel_step(replicas, X, y, loss_fn, lr):
    model = replicas[0]
    model.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    return loss.item()
'''
    result = grade(DP, source)
    first = result.checks[0]
    assert first.verdict is Verdict.FAIL
    assert "replica 1's parameter 0" in first.message and "every replica" in first.message


# -- grad_accumulation ------------------------------------------------------------------------------------

ACC = "engineering/grad_accumulation"


def test_accumulation_with_a_counter_divided_by_k_is_named_on_ragged_micro_batches(grade):
    source = '''
def accumulate_step(model, optimizer, micro_batches, loss_fn):
    optimizer.zero_grad()
    losses = []
    for i, (x, t) in enumerate(micro_batches):
        loss = loss_fn(model(x), t)
        (loss / len(micro_batches)).backward()
        losses.append(loss.item())
    optimizer.step()
    optimizer.zero_grad()
    return sum(losses) / len(losses)
'''
    result = grade(ACC, source)
    by_id = {c.id: c for c in result.checks}
    assert by_id["equal_micro_batches"].verdict is Verdict.PASS
    assert by_id["unequal_micro_batches"].diagnosis == "accum.equal_weights"
    assert "4+4+2" in by_id["unequal_micro_batches"].message


def test_accumulation_that_concatenates_the_micro_batches_fails_only_the_memory_check(grade):
    source = '''
import torch


def accumulate_step(model, optimizer, micro_batches, loss_fn):
    X = torch.cat([x for x, _ in micro_batches])
    y = torch.cat([t for _, t in micro_batches])
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()
'''
    result = grade(ACC, source)
    failed = _failed(result)
    assert [c.id for c in failed] == ["one_graph_at_a_time"]
    assert failed[0].diagnosis == "accum.one_graph" and "1 forward pass" in failed[0].message


# -- loss_scaling -----------------------------------------------------------------------------------------

AMP = "engineering/loss_scaling"

SCALER_WITHOUT_RESET = '''
import math


class LossScaler:
    def __init__(self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self.scale = init_scale
        self.g, self.b, self.n = growth_factor, backoff_factor, growth_interval
        self.steps_taken = 0

    def scale_loss(self, loss):
        return loss * self.scale

    def step(self, optimizer):
        params = [p for group in optimizer.param_groups for p in group["params"] if p.grad is not None]
        values = [v for p in params for v in p.grad.reshape(-1).tolist()]
        if not all(math.isfinite(v) for v in values):
            self.scale *= self.b
            return False
        for p in params:
            p.grad /= self.scale
        optimizer.step()
        self.steps_taken += 1
        if self.steps_taken % self.n == 0:
            self.scale *= self.g
        return True
'''


def test_loss_scaler_growth_counter_that_survives_an_overflow_is_named(grade):
    result = grade(AMP, SCALER_WITHOUT_RESET)
    by_id = {c.id: c for c in result.checks}
    resets = by_id["growth_counter_resets"]
    assert resets.verdict is Verdict.FAIL and resets.diagnosis == "amp.counter_not_reset"
    assert "step 4" in resets.message and "the scale after it is 16, expected 8" in resets.message


def test_loss_scaler_scale_attribute_must_be_a_number(grade):
    source = SCALER_WITHOUT_RESET.replace("self.scale = init_scale", "self.scale = str(init_scale)")
    result = grade(AMP, source)
    assert result.checks[0].verdict is Verdict.ERROR
    assert "LossScaler.scale should be a number, got str" in result.checks[0].message


# -- int8_quantization ------------------------------------------------------------------------------------

INT8 = "engineering/int8_quantization"


def test_int8_truncating_with_int_is_named_and_shows_the_input(grade):
    source = '''
import torch


def quantize_int8(w, per_channel=False):
    m = w.abs().reshape(w.shape[0], -1).max(dim=1).values if per_channel else w.abs().max()
    s = torch.where(m == 0, torch.ones_like(m), m / 127)
    view = s.view(-1, *([1] * (w.dim() - 1))) if per_channel else s
    return (w / view).int().to(torch.int8), s


def dequantize_int8(q, scale):
    return q.to(scale.dtype) * (scale.view(-1, *([1] * (q.dim() - 1))) if scale.dim() else scale)
'''
    result = grade(INT8, source)
    by_id = {c.id: c for c in result.checks}
    assert by_id["random_per_tensor"].verdict is Verdict.FAIL
    assert by_id["random_per_tensor"].diagnosis == "quant.truncated"
    assert "quantize_int8(<tensor of shape (4, 6)" in by_id["random_per_tensor"].message
    assert by_id["dequantize_lesson"].verdict is Verdict.PASS


def test_int8_per_column_scales_are_named_as_the_wrong_axis(grade):
    source = '''
import torch


def quantize_int8(w, per_channel=False):
    if per_channel:
        m = w.abs().max(dim=0).values
    else:
        m = w.abs().max()
    s = torch.where(m > 0, m / 127, torch.ones_like(m))
    return torch.clamp(torch.round(w / s), -127, 127).to(torch.int8), s


def dequantize_int8(q, scale):
    return q.to(scale.dtype) * (scale[:, None] if scale.dim() == 1 else scale)
'''
    result = grade(INT8, source)
    per_channel = next(c for c in result.checks if c.id == "lesson_per_channel")
    assert per_channel.verdict is Verdict.FAIL and per_channel.diagnosis == "quant.wrong_axis"


# -- cuda_bias_relu ---------------------------------------------------------------------------------------

CUDA = "engineering/cuda_bias_relu"


def test_cuda_kernel_without_a_guard_is_named_when_the_checks_launch_it(grade):
    source = '''
import numpy as np
import torch
from numba import cuda

THREADS = (16, 16)


@cuda.jit
def bias_relu_kernel(x, b, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    j = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    out[i, j] = max(x[i, j] + b[j], 0.0)


def bias_relu(x, b):
    rows, cols = x.shape
    out = np.empty((rows, cols), np.float32)
    bias_relu_kernel[((rows + 15) // 16, (cols + 15) // 16), THREADS](x.numpy(), b.numpy(), out)
    return torch.from_numpy(out)
'''
    result = grade(CUDA, source)
    kernel = next(c for c in result.checks if c.id == "kernel_launched_by_us")
    assert kernel.verdict is Verdict.FAIL and kernel.diagnosis == "cuda.no_bounds_check"
    assert "outside the arrays" in kernel.message


def test_cuda_numpy_arithmetic_in_the_launcher_is_forbidden(grade):
    source = '''
import numpy as np
import torch
from numba import cuda


@cuda.jit
def bias_relu_kernel(x, b, out):
    i, j = cuda.grid(2)
    if i < out.shape[0] and j < out.shape[1]:
        out[i, j] = x[i, j] + b[j]


def bias_relu(x, b):
    out = np.empty(tuple(x.shape), np.float32)
    bias_relu_kernel[(4, 4), (16, 16)](x.numpy(), b.numpy(), out)
    return torch.from_numpy(np.maximum(out, 0))
'''
    result = grade(CUDA, source)
    assert result.verdict is Verdict.FORBIDDEN


# -- cuda_reduction ---------------------------------------------------------------------------------------

REDUCTION = "engineering/cuda_reduction"

_REDUCTION_LAUNCHER = """

def reduce_sum(x):
    n = x.shape[0]
    blocks = (n + THREADS - 1) // THREADS
    partial = np.zeros(blocks, np.float32)
    block_sum_kernel[blocks, THREADS](x.numpy(), partial)
    total = 0.0
    for b in range(blocks):
        total = total + float(partial[b])
    return total
"""


def _reduction(kernel_body: str, launcher: str = _REDUCTION_LAUNCHER) -> str:
    return ("import numpy as np\nimport torch\nfrom numba import cuda, float32\n\nTHREADS = 32\n\n\n@cuda.jit\n"
            "def block_sum_kernel(x, partial):\n" + kernel_body + launcher)


def _check(result, check_id):
    return next(c for c in result.checks if c.id == check_id)


def test_reduction_barrier_only_after_the_load_is_named_with_its_line(grade):
    source = _reduction("""    s = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    g = cuda.grid(1)
    s[t] = x[g] if g < x.shape[0] else 0.0
    cuda.syncthreads()
    for step in (16, 8, 4, 2, 1):
        if t < step:
            s[t] += s[t + step]
    if t == 0:
        partial[cuda.blockIdx.x] = s[0]
""")
    result = grade(REDUCTION, source)
    static = _check(result, "syncthreads_between")
    assert static.verdict is Verdict.FAIL and static.diagnosis == "cuda.missing_syncthreads"
    assert "line 17, 19" in static.message and "cuda.syncthreads()" in static.message


def test_reduction_starting_at_a_quarter_of_the_block_is_an_off_by_one_tree(grade):
    source = _reduction("""    s = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    g = cuda.grid(1)
    s[t] = 0.0
    if g < x.shape[0]:
        s[t] = x[g]
    cuda.syncthreads()
    for step in (8, 4, 2, 1):
        if t < step:
            s[t] += s[t + step]
        cuda.syncthreads()
    if t == 0:
        partial[cuda.blockIdx.x] = s[0]
""")
    result = grade(REDUCTION, source)
    assert result.verdict is Verdict.FAIL
    kernel = _check(result, "kernel_launched_by_us")
    assert kernel.verdict is Verdict.FAIL and kernel.diagnosis == "cuda.halving_off_by_one"
    assert _check(result, "syncthreads_between").verdict is Verdict.PASS


def test_reduction_returning_the_last_blocks_sum_is_named(grade):
    kernel = """    s = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    g = cuda.grid(1)
    s[t] = x[g] if g < x.shape[0] else 0.0
    cuda.syncthreads()
    step = 16
    while step >= 1:
        if t < step:
            s[t] += s[t + step]
        cuda.syncthreads()
        step //= 2
    if t == 0:
        partial[cuda.blockIdx.x] = s[0]
"""
    launcher = """

def reduce_sum(x):
    blocks = (x.shape[0] + THREADS - 1) // THREADS
    partial = np.zeros(blocks, np.float32)
    block_sum_kernel[blocks, THREADS](x.numpy(), partial)
    return float(partial[blocks - 1])
"""
    result = grade(REDUCTION, _reduction(kernel, launcher))
    several = _check(result, "several_blocks")
    assert several.verdict is Verdict.FAIL and several.diagnosis == "cuda.partials_not_combined"
    assert "one block of 32" in several.message
    assert _check(result, "kernel_launched_by_us").verdict is Verdict.PASS


def test_reduction_without_a_guard_on_the_grid_index_is_named(grade):
    source = _reduction("""    s = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    s[t] = x[cuda.blockIdx.x * 32 + t]
    cuda.syncthreads()
    step = 16
    while step > 0:
        if t < step:
            s[t] = s[t] + s[t + step]
        cuda.syncthreads()
        step = step >> 1
    if t == 0:
        partial[cuda.blockIdx.x] = s[0]
""")
    result = grade(REDUCTION, source)
    kernel = _check(result, "kernel_launched_by_us")
    assert kernel.verdict is Verdict.FAIL and kernel.diagnosis == "cuda.no_bounds_check"
    assert "past the end of x" in kernel.message


def test_reduction_torch_sum_in_the_launcher_is_forbidden(grade):
    source = _reduction("    pass\n", """

def reduce_sum(x):
    return x.sum().item()
""")
    assert grade(REDUCTION, source).verdict is Verdict.FORBIDDEN


def test_reduction_without_shared_memory_fails_the_source_check(grade):
    source = _reduction("""    g = cuda.grid(1)
    if g < x.shape[0]:
        cuda.atomic.add(partial, cuda.blockIdx.x, x[g])
""")
    static = _check(grade(REDUCTION, source), "syncthreads_between")
    assert static.verdict is Verdict.FAIL and "cuda.shared.array" in static.message


def _barrier_report(tmp_path, kernel_body: str) -> dict:
    """The source check of cuda_reduction's checks.py run directly on a kernel (no launch)."""
    import importlib.util

    import tutor

    checks_path = Path(tutor.__file__).parent / "lessons" / "engineering" / "cuda_reduction" / "checks.py"
    spec = importlib.util.spec_from_file_location("cuda_reduction_checks", checks_path)
    checks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checks)
    learner = tmp_path / "learner_reduction.py"
    learner.write_text("from numba import cuda, float32\n\n\ndef block_sum_kernel(x, partial):\n" + kernel_body)
    spec = importlib.util.spec_from_file_location("learner_reduction", learner)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return checks.syncthreads_between(module, None)


def test_reduction_source_check_accepts_a_barrier_at_the_top_of_each_step(tmp_path):
    report = _barrier_report(tmp_path, """    sh = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    sh[t] = x[t]
    s = 16
    while s > 0:
        cuda.syncthreads()
        if t < s:
            sh[t] += sh[t + s]
        s //= 2
    if t == 0:
        partial[0] = sh[0]
""")
    assert report == {"shared": True, "racy_lines": []}


def test_reduction_source_check_does_not_count_a_barrier_inside_an_if(tmp_path):
    report = _barrier_report(tmp_path, """    sh = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    sh[t] = x[t]
    cuda.syncthreads()
    s = 16
    while s > 0:
        if t < s:
            sh[t] += sh[t + s]
            cuda.syncthreads()
        s //= 2
    partial[0] = sh[0]
""")
    assert report["racy_lines"] == [12, 15]


def test_reduction_threads_returning_early_past_the_end_leave_unwritten_slots(grade):
    source = _reduction("""    sh = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    g = cuda.grid(1)
    if g >= x.shape[0]:
        return
    sh[t] = x[g]
    cuda.syncthreads()
    s = 16
    while s > 0:
        if t < s:
            sh[t] += sh[t + s]
        cuda.syncthreads()
        s //= 2
    if t == 0:
        partial[cuda.blockIdx.x] = sh[0]
""")
    result = grade(REDUCTION, source)
    lesson = _check(result, "lesson_example")
    assert lesson.verdict is Verdict.FAIL and lesson.diagnosis == "cuda.unwritten_slot"
    assert "got nan" in lesson.message
    assert _check(result, "whole_blocks").verdict is Verdict.PASS  # 64 values fill both blocks
