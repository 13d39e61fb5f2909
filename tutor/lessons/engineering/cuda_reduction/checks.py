"""engineering/cuda_reduction: the learner's shared-memory tree sum, on numba's CUDA simulator (the
exercise declares cuda_simulator). The oracle adds in float64 on the CPU; the inputs of the
multi-block checks are distinct integers, so every float32 partial sum is exact and a dropped or
double-counted element shows. The simulator runs a block's threads as Python threads, so a
missing barrier may or may not change a value: `syncthreads_between` reads the kernel's source
instead and finds a shared-memory read that can see another thread's unfinished write."""

from __future__ import annotations

import ast
import inspect
from types import SimpleNamespace

import numpy as np
import torch

from tutor.grader import kit

THREADS = 32  # the contract: the kernel is launched with 32 threads per block


def _poison_shared_memory() -> None:
    """On the simulator, shared arrays start as np.empty: whatever the allocator hands back, often
    zeros, so a slot no thread wrote can go unnoticed. On a GPU it holds leftovers of earlier
    blocks. Filled with NaN instead, a read of an unwritten slot shows in every sum, every time.
    The simulator keys a block's shared arrays by the line that allocates them, so the wrapper
    keys them the same way (by its caller's line) and fills each one once, when it is made."""
    import os
    import sys
    import traceback

    if os.environ.get("NUMBA_ENABLE_CUDASIM") != "1":
        return
    try:
        from numba.cuda.simulator import kernel as simkernel
        from numba.cuda.simulator import kernelapi
        from numba.np import numpy_support
        from numba.core import types
    except ImportError:
        return
    shared = kernelapi.FakeCUDAShared
    if getattr(shared.array, "poisoned", False):
        return
    plain = shared.array

    def array(self, shape, dtype):
        allocations = getattr(self, "_allocations", None)
        if shape == 0 or not isinstance(allocations, dict):
            return plain(self, shape, dtype)
        caller = traceback.extract_stack(sys._getframe())[-2][0:2]
        out = allocations.get(caller)
        if out is None:
            if isinstance(dtype, types.Type):
                dtype = numpy_support.as_dtype(dtype)
            out = np.empty(shape, dtype)
            if np.issubdtype(out.dtype, np.floating):
                out.fill(np.nan)
            allocations[caller] = out
        return out

    array.poisoned = True
    shared.array = array

    # One launch keeps its shared arrays from block to block (blocks run one after another): a
    # slot the next block does not write still holds the last block's value. Refill before each.
    blocks = getattr(simkernel, "BlockManager", None)
    if blocks is None or not hasattr(simkernel, "_get_kernel_context"):
        return
    plain_run = blocks.run

    def run(self, *args, **kwargs):
        context = simkernel._get_kernel_context()
        allocations = getattr(getattr(context, "_shared", None), "_allocations", None)
        for out in (allocations.values() if isinstance(allocations, dict) else ()):
            if np.issubdtype(out.dtype, np.floating):
                out.fill(np.nan)
        return plain_run(self, *args, **kwargs)

    blocks.run = run



def exact_sum():
    def reduce_sum(x):
        return float(x.to(torch.float64).sum())

    def block_sum_kernel(x, partial):  # the scenarios launch the learner's kernel only
        raise AssertionError("the oracle's kernel is never launched")

    return SimpleNamespace(reduce_sum=reduce_sum, block_sum_kernel=block_sum_kernel)


def _is_oracle(module) -> bool:
    return not hasattr(module, "__file__")


def _distinct_ints(ctx, n, offset=0):
    """1…n in a seeded order, with every third one negated: distinct, exact in float32."""
    g = ctx.generator(offset)
    values = torch.randperm(n, generator=g).to(torch.float32) + 1
    signs = torch.where(torch.arange(n) % 3 == 2, -1.0, 1.0)
    return values * signs


# The inputs of the value checks come from here: they are made in the learner's process after numba
# is set up for the simulator (when checks.py is imported it is not yet), the moment to poison it.


def x_lesson(ctx):
    _poison_shared_memory()
    return torch.tensor([0.5, -1.0, 2.0, 3.5, -0.25], dtype=torch.float32)


def x_one(ctx):
    _poison_shared_memory()
    return torch.tensor([2.5], dtype=torch.float32)


def x_random(ctx):
    _poison_shared_memory()
    return torch.randn(40, generator=ctx.generator(0), dtype=torch.float64).to(torch.float32)


# -- the static check: a barrier between every shared write and a read of it ---------------------


def _is_barrier(node) -> bool:
    call = node.value if isinstance(node, ast.Expr) else None
    if not isinstance(call, ast.Call):
        return False
    f = call.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return name.startswith("syncthreads")


def _has_barrier(body) -> bool:
    """A barrier every thread reaches: in the body itself or a loop inside it, not under an `if`."""
    for stmt in body:
        if _is_barrier(stmt):
            return True
        if isinstance(stmt, (ast.For, ast.While)) and _has_barrier(stmt.body):
            return True
    return False


def _is_shared_array(call) -> bool:
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) or call.func.attr != "array":
        return False
    owner = call.func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "shared") or (isinstance(owner, ast.Name)
                                                                              and owner.id == "shared")


def _shared_names(fn) -> set[str]:
    names = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and _is_shared_array(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _accesses(node, shared):
    """(reads, writes) of the shared arrays in one simple statement (or a loop's test), as line numbers."""
    reads, writes = [], []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and sub.value.id in shared:
            (writes if isinstance(sub.ctx, ast.Store) else reads).append(sub.lineno)
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
        t = node.target
        if isinstance(t.value, ast.Name) and t.value.id in shared:
            reads.append(t.lineno)  # x[i] += … reads x[i] first
    return reads, writes


class _Barriers:
    """Walks a kernel in program order with one flag: has a shared array been written since the last
    cuda.syncthreads()? A loop body is walked twice (iteration k's writes meet iteration k+1's reads).
    After a loop with a barrier in it, a write left from its last step is not held against the reads
    that follow: in a tree reduction the last step is thread 0's alone, and thread 0 then reads its
    own slot."""

    def __init__(self, shared):
        self.shared = shared
        self.problems: list[int] = []

    def block(self, body, dirty, guarded=False):
        for stmt in body:
            dirty = self.stmt(stmt, dirty, guarded)
        return dirty

    def stmt(self, s, dirty, guarded):
        if _is_barrier(s):
            # Under an `if`, only some threads would reach it: on a GPU that hangs or is undefined, so it
            # separates nothing.
            return dirty if guarded else False
        if isinstance(s, ast.If):
            self._read(s.test, dirty)
            return self.block(s.body, dirty, True) or self.block(s.orelse, dirty, True)
        if isinstance(s, (ast.For, ast.While)):
            head = s.iter if isinstance(s, ast.For) else s.test
            self._read(head, dirty)
            once = self.block(s.body, dirty, guarded)
            twice = self.block(s.body, once, guarded)
            after = self.block(s.orelse, twice, guarded)
            if not guarded and _has_barrier(s.body):
                return after if s.orelse else False  # the last step's write is thread 0's own slot
            return after or dirty
        if isinstance(s, (ast.FunctionDef, ast.ClassDef)):
            return dirty
        reads, writes = _accesses(s, self.shared)
        if dirty and reads:
            self.problems.extend(reads)
        return dirty or bool(writes)

    def _read(self, expr, dirty):
        reads, _ = _accesses(expr, self.shared)
        if dirty and reads:
            self.problems.extend(reads)


def _kernel_def(module, name):
    source = inspect.getsource(module)
    tree = ast.parse(source)
    kernel = getattr(module, name, None)
    wanted = {name}
    for attr in ("py_func", "fn"):  # a Dispatcher on a GPU, a FakeCUDAKernel on the simulator
        inner = getattr(kernel, attr, None)
        if callable(inner):
            wanted.add(getattr(inner, "__name__", name))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in wanted:
            return node
    return None


def _not_written(fn) -> bool:
    """The starter's kernel: its body still raises NotImplementedError."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                return True
    return False


def syncthreads_between(module, ctx):
    """The learner's kernel source: which lines read a shared array that another thread may still be
    writing (no cuda.syncthreads() since the last write)."""
    if _is_oracle(module):
        return {"shared": True, "racy_lines": []}
    kit.member(module, "block_sum_kernel")
    try:
        fn = _kernel_def(module, "block_sum_kernel")
    except (OSError, TypeError, SyntaxError):
        fn = None
    if fn is None:
        return {"shared": True, "racy_lines": []}  # no source to read: the value checks still judge it
    if _not_written(fn):
        raise NotImplementedError("block_sum_kernel: write me")
    shared = _shared_names(fn)
    if not shared:
        return {"shared": False, "racy_lines": []}
    walker = _Barriers(shared)
    walker.block(fn.body, False)
    return {"shared": True, "racy_lines": sorted(set(walker.problems))}


def judge_syncthreads(got, expected, jc):
    if not got["shared"]:
        return jc.fail("block_sum_kernel never allocates cuda.shared.array: the task is a shared-memory "
                       "reduction (each block loads its chunk into a shared array and sums it as a tree)")
    lines = got["racy_lines"]
    if lines:
        where = ", ".join(str(n) for n in lines[:5])
        return jc.fail(f"block_sum_kernel reads its shared array on line {where} without a cuda.syncthreads() "
                       "since the last write to it: another thread of the block may not have written its slot "
                       "yet", "cuda.missing_syncthreads")
    return None


# -- the kernel alone, launched by the check ----------------------------------------------------------


def kernel_launched_by_us(module, ctx):
    """block_sum_kernel[3, 32] on 70 distinct integers (the third block holds 6): one partial sum per
    block, the threads past the end contributing nothing."""
    _poison_shared_memory()
    x = _distinct_ints(ctx, 70, 1)
    if _is_oracle(module):
        padded = torch.zeros(3 * THREADS, dtype=torch.float64)
        padded[:70] = x.to(torch.float64)
        return {"partial": padded.reshape(3, THREADS).sum(1), "error": "", "x": x}
    kernel = kit.member(module, "block_sum_kernel")
    partial = np.full(3, -1e30, dtype=np.float32)  # a block that never writes its entry leaves this
    try:
        kernel[3, THREADS](x.numpy(), partial)
    except IndexError as exc:
        return {"partial": torch.from_numpy(partial).to(torch.float64), "error": str(exc)[:300], "x": x}
    return {"partial": torch.from_numpy(partial).to(torch.float64), "error": "", "x": x}


def _lanes(x, keep):
    padded = np.zeros(3 * THREADS)
    padded[:70] = np.asarray(x, dtype=np.float64)
    blocks = padded.reshape(3, THREADS)
    return (blocks * keep[None, :]).sum(1)


def judge_kernel(got, expected, jc):
    what = "partial after block_sum_kernel[3, 32] on 70 values"
    if got["error"]:
        if "with size 70" in got["error"]:
            return jc.fail(f"launched as block_sum_kernel[3, 32] on 70 values (96 threads), the kernel read past "
                           f"the end of x: {got['error']}", "cuda.no_bounds_check")
        return jc.fail(f"launched as block_sum_kernel[3, 32] on 70 values, the kernel indexed out of range: "
                       f"{got['error']}")
    mismatch = kit.compare_plain(got["partial"], expected["partial"], what=what, rtol=0, atol=1e-6)
    if mismatch and np.isnan(np.asarray(got["partial"], dtype=np.float64)).any():
        return jc.fail(mismatch.message, "cuda.unwritten_slot", mismatch.details)
    if mismatch:
        lane = np.arange(THREADS)
        got_p = np.asarray(got["partial"], dtype=np.float64)
        early = [lane % 2 == 0, lane < THREADS // 2]  # stopped before the last step / began a step late
        if any(np.allclose(got_p, _lanes(expected["x"], k.astype(np.float64)), rtol=0, atol=1e-6) for k in early):
            return jc.fail(mismatch.message, "cuda.halving_off_by_one", mismatch.details)
    return mismatch


# -- the whole reduction over several blocks -----------------------------------------------------------


def _total(module, ctx, n):
    _poison_shared_memory()
    x = _distinct_ints(ctx, n)
    return {"total": kit.call(module, "reduce_sum", x.clone()), "x": x}


def total_100(module, ctx):
    return _total(module, ctx, 100)


def total_64(module, ctx):
    return _total(module, ctx, 64)


def judge_total(got, expected, jc):
    x = np.asarray(expected["x"], dtype=np.float64)
    n = x.shape[0]
    mismatch = kit.compare_plain(got["total"], expected["total"], what=f"reduce_sum(x) on {n} distinct integers",
                                 rtol=0, atol=1e-6)
    if mismatch and isinstance(got["total"], (int, float)):
        blocks = [x[b:b + THREADS].sum() for b in range(0, n, THREADS)]
        if any(abs(got["total"] - s) < 1e-6 for s in blocks):
            return jc.fail(mismatch.message + f" — that is the sum of one block of {THREADS}",
                           "cuda.partials_not_combined", mismatch.details)
    return mismatch


def _number(value):
    if isinstance(value, dict):  # a scenario's {"total", "x"}, a value check's {"out", ...}
        value = value.get("total", value.get("out"))
    if isinstance(value, (int, float, np.floating)):
        return float(value)
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return float(value)
    return None


def detect_unwritten(got, expected):
    """NaN from finite inputs: the kernel read a shared slot that no thread had written (the checks fill
    shared memory with NaN)."""
    g, e = _number(got), _number(expected)
    if g is not None and e is not None and np.isnan(g) and np.isfinite(e):
        return "cuda.unwritten_slot"
    return None
