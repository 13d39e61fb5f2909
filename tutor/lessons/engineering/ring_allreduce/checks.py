"""Scenarios of engineering/ring_allreduce: the learner's function runs in W processes joined in a
gloo process group, as it would under torchrun, and every rank's result comes back here.

The harness forks W workers (fork, not spawn: torch is already imported here, and a spawned
worker would import it again). Each joins the group through a FileStore in a private temporary
folder, talking over 127.0.0.1; runs the same cases in the same order, as SPMD code does;
records every message its process group sends; and writes its results back on its own pipe.
Workers stay alive until all have answered (a rank that exits early would reset its peers'
connections), then the harness kills them all and removes the folder, whatever happened.

A deadlock shows as every unfinished rank's main thread asleep (state S) for STUCK_S seconds
with no answer: a state, not a duration, so a busy machine (runnable ranks) never looks stuck.
The group's own timeout and CALL_S stand behind it for code that spins instead of sleeping.

The oracle (`torch_all_reduce`) runs the same scenario with dist.all_reduce in the workers.
"""

from __future__ import annotations

import datetime
import os
import pickle
import select
import shutil
import signal
import struct
import tempfile
import time
import traceback
from types import SimpleNamespace

import numpy as np
import torch
import torch.distributed as dist
from torch._C._distributed_c10d import ProcessGroup

from tutor.grader import kit

JOIN_S = 30.0  # forking W workers and joining the group; a loaded machine is slow at it
CALL_S = 20.0  # every case, once joined; also the group's own timeout for a send or recv
STUCK_S = 2.0  # every unfinished rank's main thread asleep this long: a deadlock
POLL_S = 0.02
F32, F64, I64 = torch.float32, torch.float64, torch.int64


# -- the oracle -----------------------------------------------------------------------------------------

def torch_all_reduce():
    """Stands in for the learner's module: torch's own collective (the learner may not use it)."""

    def ring_all_reduce(x, mean=False):
        out = x.clone()
        dist.all_reduce(out)
        if mean:
            out = out / dist.get_world_size()
        return out

    return SimpleNamespace(ring_all_reduce=ring_all_reduce)


# -- cases ----------------------------------------------------------------------------------------------

def rank_input(ctx, case, rank):
    """Rank `rank`'s tensor for a case: seeded per (check, case, rank), so both sides agree."""
    shape, dtype = tuple(case["shape"]), case["dtype"]
    if "values" in case:
        return torch.tensor(case["values"][rank], dtype=dtype).reshape(shape)
    g = ctx.generator(1000 * case["index"] + rank)
    if dtype == I64:
        return torch.randint(-50, 50, shape, generator=g)
    return torch.randn(shape, generator=g, dtype=F64).to(dtype) * 3


def describe(case, world):
    dtype = str(case["dtype"]).removeprefix("torch.")
    shape = "×".join(str(s) for s in case["shape"]) or "scalar"
    n = int(np.prod(case["shape"]))
    what = f"a {shape} {dtype} tensor on each of {world} ranks ({n} elements"
    what += f", {n % world} left over when split {world} ways)" if n % world else f", {n // world} per chunk)"
    return what + (" with mean=True" if case.get("mean") else "")


# -- one worker -----------------------------------------------------------------------------------------

class Traffic:
    """Every send of this process's group: (destination rank, elements), by case."""

    def __init__(self):
        self.sends: list[list[int]] = []

    def install(self):
        original = ProcessGroup.send
        log = self.sends

        def send(pg, tensors, dst, *args, **kwargs):
            log.append([int(dst), int(sum(t.numel() for t in tensors))])
            return original(pg, tensors, dst, *args, **kwargs)

        ProcessGroup.send = send


def _learner_where(exc, learner_file):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == learner_file]
    return f" (line {frames[-1].lineno} of your file)" if frames else ""


def _worker(module, ctx, rank, world, cases, store_path, out_fd):
    """Runs in the forked process: join, run every case, write the results, then wait to be killed."""
    answer = {"rank": rank, "outputs": [], "unchanged": [], "fresh": [], "sends": [], "error": None,
              "exception": None, "forbidden": None}
    try:
        os.environ["GLOO_SOCKET_IFNAME"] = "lo"  # 127.0.0.1, whatever the host name resolves to
        store = dist.FileStore(store_path, world)
        dist.init_process_group("gloo", store=store, rank=rank, world_size=world,
                                timeout=datetime.timedelta(seconds=CALL_S))
        _write(out_fd, b"J")
        traffic = Traffic()
        traffic.install()
        fn = kit.function(module, "ring_all_reduce")
        for case in cases:
            x = rank_input(ctx, case, rank)
            before = x.clone()
            start = len(traffic.sends)
            out = fn(x, mean=True) if case.get("mean") else fn(x)
            answer["sends"].append(traffic.sends[start:])
            answer["unchanged"].append(bool(torch.equal(x, before)))
            if isinstance(out, torch.Tensor):
                answer["fresh"].append(not (out.numel() and out.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()))
                answer["outputs"].append(out.detach().clone().numpy())
            else:
                answer["fresh"].append(True)
                answer["outputs"].append({"__unsupported__": type(out).__name__})
    except BaseException as exc:  # noqa: BLE001 - everything a rank raises is reported to the harness
        answer["exception"] = type(exc).__name__
        answer["error"] = f"{type(exc).__name__}: {exc}"[:1500] + _learner_where(exc, getattr(module, "__file__", ""))
    answer["forbidden"] = ctx.violation()
    try:
        payload = pickle.dumps(answer)
        _write(out_fd, b"R" + struct.pack("<Q", len(payload)) + payload)
    finally:
        while True:  # stay until the harness has every answer: an exit would reset the others' connections
            time.sleep(60)


def _write(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# -- the harness ----------------------------------------------------------------------------------------

class Rank:
    def __init__(self, rank, pid, fd):
        self.rank, self.pid, self.fd = rank, pid, fd
        self.buffer = b""
        self.joined = False
        self.answer = None
        self.eof = False

    def read(self):
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            self.eof = True
            return
        self.buffer += chunk
        if not self.joined and self.buffer[:1] == b"J":
            self.joined, self.buffer = True, self.buffer[1:]
        if self.buffer[:1] == b"R" and len(self.buffer) >= 9:
            size = struct.unpack("<Q", self.buffer[1:9])[0]
            if len(self.buffer) >= 9 + size:
                self.answer = pickle.loads(self.buffer[9:9 + size])

    def asleep(self) -> bool:
        """The rank's main thread (the learner's code) is sleeping (S): it waits for a message.

        Only the main thread: gloo's own threads wake up now and then to poll their sockets,
        so "every thread asleep" is rarely seen even in a deadlock. A rank whose main thread
        is runnable, or one starved of CPU on a busy machine, shows R and never counts."""
        try:
            with open(f"/proc/{self.pid}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            return False
        return stat[stat.rfind(b")") + 2:][:1] == b"S"


def run_group(module, ctx, world, cases):
    """Every rank's answer for `cases`, or a failure: {"ranks": [...], "failure": None or {...}}.
    The ranks talk over 127.0.0.1: the exercise declares `loopback`, so the sandbox brings up
    the loopback of the job's own, otherwise empty, network namespace."""
    folder = tempfile.mkdtemp(prefix="tutor-ring-")
    ranks: list[Rank] = []
    try:
        for rank in range(world):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                try:
                    os.close(read_fd)
                    for other in ranks:
                        os.close(other.fd)
                    _worker(module, ctx, rank, world, cases, os.path.join(folder, "store"), write_fd)
                finally:
                    os._exit(0)
            os.close(write_fd)
            ranks.append(Rank(rank, pid, read_fd))
        failure = _watch(ranks, world)  # first: the answers arrive while it watches
        return {"ranks": [r.answer for r in ranks], "failure": failure}
    finally:
        for r in ranks:
            try:
                os.kill(r.pid, signal.SIGKILL)
            except OSError:
                pass
        for r in ranks:
            try:
                os.waitpid(r.pid, 0)
            except OSError:
                pass
            os.close(r.fd)
        shutil.rmtree(folder, ignore_errors=True)


def _watch(ranks, world):
    """Read the workers until each has answered; None, or what went wrong."""
    started = time.monotonic()
    joined_at = None
    asleep_since = None
    while True:
        waiting = [r for r in ranks if r.answer is None and not r.eof]
        if not waiting:
            break
        ready, _, _ = select.select([r.fd for r in waiting], [], [], POLL_S)
        for r in waiting:
            if r.fd in ready:
                r.read()
        answered = [r for r in ranks if r.answer is not None]
        if any(r.answer.get("error") or r.answer.get("forbidden") for r in answered):
            break  # one rank failed: the others may wait for it forever
        if any(r.eof and r.answer is None for r in ranks):
            break
        now = time.monotonic()
        if joined_at is None:
            if all(r.joined for r in ranks):
                joined_at = now
            elif now - started > JOIN_S:
                late = [r.rank for r in ranks if not r.joined]
                return {"kind": "join", "ranks": late,
                        "text": f"rank(s) {_names(late)} did not join the process group within {JOIN_S:g} s"}
            continue
        pending = [r for r in ranks if r.answer is None]
        if pending and all(r.asleep() for r in pending):
            asleep_since = asleep_since or now
            if now - asleep_since >= STUCK_S:
                return {"kind": "deadlock", "ranks": [r.rank for r in pending],
                        "done": [r.rank for r in ranks if r.answer is not None]}
        else:
            asleep_since = None
        if now - joined_at > CALL_S:
            return {"kind": "timeout", "ranks": [r.rank for r in pending],
                    "text": f"rank(s) {_names([r.rank for r in pending])} did not return within {CALL_S:g} s"}
    dead = [r for r in ranks if r.eof and r.answer is None]
    if dead:
        return {"kind": "died", "ranks": [r.rank for r in dead],
                "text": f"rank(s) {_names([r.rank for r in dead])} ended without returning (the process exited or was killed)"}
    return None


def _names(ranks):
    return ", ".join(str(r) for r in ranks)


# -- what a scenario returns --------------------------------------------------------------------------

class RankError(Exception):
    """A rank raised: reported as the learner's error, with the rank and the line."""


def settle(ctx, result, world):
    """Turn a rank's exception into the check's verdict (not_started, forbidden, error); keep the rest."""
    for answer in result["ranks"]:
        if answer and answer.get("forbidden"):
            ctx.forbid(answer["forbidden"])
    failed = [a for a in result["ranks"] if a and a.get("error")]
    if failed:
        first = next((a for a in failed if a.get("exception") == "NotImplementedError"), failed[0])
        if first.get("exception") == "NotImplementedError":
            raise NotImplementedError(first["error"].removeprefix("NotImplementedError: "))
        if first.get("exception") == "NotDefined":
            raise kit.NotDefined(first["error"].removeprefix("NotDefined: "))
        raise RankError(f"rank {first['rank']} of {world} raised {first['error']}")
    failure = result["failure"]
    if failure and failure["kind"] in ("join", "died"):
        text = failure["text"]
        if failure["kind"] == "join":
            text += ("; the sandbox may give this process no loopback network (127.0.0.1), which gloo "
                     "needs even on one machine")
        raise RankError(text)
    return result


def scenario(module, ctx, world, cases):
    cases = [dict(case, index=i) for i, case in enumerate(cases)]
    result = settle(ctx, run_group(module, ctx, world, cases), world)
    out = {"world": world, "cases": [describe(c, world) for c in cases], "failure": result["failure"],
           "outputs": [], "unchanged": [], "fresh": [], "sends": []}
    for answer in result["ranks"]:
        answer = answer or {}
        for key in ("outputs", "unchanged", "fresh", "sends"):
            out[key].append(answer.get(key, []))
    return out


def lesson_example(module, ctx):
    values = [[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0], [100.0, 200.0, 300.0, 400.0]]
    return scenario(module, ctx, 3, [{"shape": [4], "dtype": F32, "values": values}])


def random_float32(module, ctx):
    return scenario(module, ctx, 4, [{"shape": [16], "dtype": F32}, {"shape": [3, 5], "dtype": F32}])


def uneven_sizes(module, ctx):
    return scenario(module, ctx, 4, [{"shape": [n], "dtype": F64} for n in (7, 10, 13, 3, 1)])


def mean(module, ctx):
    return scenario(module, ctx, 3, [{"shape": [9], "dtype": F64, "mean": True},
                                      {"shape": [2, 4], "dtype": F64, "mean": True},
                                      {"shape": [5], "dtype": F64}])


def two_ranks(module, ctx):
    return scenario(module, ctx, 2, [{"shape": [6], "dtype": I64}, {"shape": [5], "dtype": F64, "mean": True}])


def five_ranks(module, ctx):
    return scenario(module, ctx, 5, [{"shape": [12], "dtype": F64}, {"shape": [4, 3], "dtype": I64}])


TRAFFIC_N = 4000


def traffic(module, ctx):
    return scenario(module, ctx, 4, [{"shape": [TRAFFIC_N], "dtype": F32}])


# -- judging --------------------------------------------------------------------------------------------

def _deadlock(got, jc):
    failure = got.get("failure") or {}
    if failure.get("kind") == "deadlock":
        stuck = failure.get("ranks", [])
        done = failure.get("done", [])
        text = (f"with {got['world']} ranks, rank(s) {_names(stuck)} never returned: every one of them sat blocked "
                f"for {STUCK_S:g} s waiting for a message no rank was sending"
                + (f", while rank(s) {_names(done)} had returned" if done else "")
                + ". The harness stopped them all")
        return jc.fail(text, "allreduce.deadlock")
    if failure.get("kind") == "timeout":
        return jc.fail(failure.get("text", "timeout") + " (the ranks kept running: an endless loop?)")
    return None


def _compare_values(got, expected, rtol=1e-5, atol=1e-6):
    """The first case and rank whose result differs, as a Mismatch (None when all agree)."""
    world = got["world"]
    for c, what in enumerate(expected["cases"]):
        for rank in range(world):
            have = got["outputs"][rank][c] if c < len(got["outputs"][rank]) else None
            want = expected["outputs"][rank][c]
            m = kit.compare_plain(have, want, what=f"rank {rank}'s result", rtol=rtol, atol=atol)
            if m:
                return kit.Mismatch(f"{what}: {m.message}", m.details)
    return None


def judge_values(got, expected, jc):
    stuck = _deadlock(got, jc)
    if stuck:
        return stuck
    mismatch = _compare_values(got, expected)
    if mismatch:
        return mismatch
    for c, what in enumerate(expected["cases"]):
        for rank in range(got["world"]):
            if not got["unchanged"][rank][c]:
                return jc.fail(f"{what}: the results are right, but rank {rank}'s input tensor was changed; "
                               f"reduce into a copy", "generic.input_mutated")
            if not got["fresh"][rank][c]:
                return jc.fail(f"{what}: rank {rank} returned its input tensor itself (or a view of it); "
                               f"return a new tensor", "generic.same_object")
    return None


def judge_traffic(got, expected, jc):
    problem = judge_values(got, expected, jc)
    if problem is not None:
        return problem
    world, n = got["world"], TRAFFIC_N
    chunk = -(-n // world)
    budget_messages, budget_elements = 2 * (world - 1), 2 * (world - 1) * chunk
    lines = []
    for rank in range(world):
        sends = got["sends"][rank][0]
        right = (rank + 1) % world
        elements = sum(e for _, e in sends)
        lines.append(f"rank {rank}: {len(sends)} sends, {elements} elements")
        others = sorted({d for d, _ in sends if d != right})
        if others:
            return jc.fail(f"{n} float32 elements on {world} ranks: rank {rank} sent to rank(s) {_names(others)}; "
                           f"in a ring each rank sends only to its right neighbour, rank {right}",
                           "allreduce.not_ring")
        if elements > budget_elements or len(sends) > budget_messages:
            return jc.fail(f"{n} float32 elements on {world} ranks: rank {rank} sent {len(sends)} messages with "
                           f"{elements} elements in all; a ring sends {budget_messages} messages of about n/W = "
                           f"{n // world} elements ({2 * (world - 1) * n // world} in all), whatever the number of "
                           f"ranks", "allreduce.not_ring")
        if not sends:
            return jc.fail(f"rank {rank} sent nothing through its process group, yet the results are right: "
                           f"the ring must pass the chunks with send/recv (or isend/irecv)", "allreduce.not_ring")
    return kit.Judgement("pass", "; ".join(lines))
