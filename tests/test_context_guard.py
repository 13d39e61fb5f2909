"""Context.violation() and Context.forbid(): a scenario that runs learner code in processes it
forks reports their banned-API use back to the grading process's guard."""

import os

import pytest

from tutor.engine.guard import ForbiddenAPIError, Guard
from tutor.grader.context import Context


def test_forbid_records_the_violation_on_the_guard_and_raises_like_the_guard():
    guard = Guard([], [])
    ctx = Context(seed=1, guard=guard)
    assert ctx.violation() is None
    with pytest.raises(ForbiddenAPIError, match="torch.distributed.all_reduce"):
        ctx.forbid("torch.distributed.all_reduce")
    assert guard.violation == "torch.distributed.all_reduce"
    assert ctx.violation() == "torch.distributed.all_reduce"


def test_without_a_guard_nothing_is_recorded_and_forbid_still_stops_the_scenario():
    ctx = Context(seed=1)
    assert ctx.violation() is None
    with pytest.raises(RuntimeError, match="not allowed"):
        ctx.forbid("torch.distributed.broadcast")


def test_a_forked_process_sees_its_own_copy_of_the_guard():
    guard = Guard([], [])
    ctx = Context(seed=1, guard=guard)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: the learner reaches a banned API here, and the parent learns of it only by message
        try:
            ctx.forbid("torch.distributed.all_reduce")
        except ForbiddenAPIError:
            pass
        os.write(write, (ctx.violation() or "").encode())
        os._exit(0)
    os.close(write)
    seen = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    os.close(read)
    assert seen == "torch.distributed.all_reduce"
    assert ctx.violation() is None  # the parent's guard knows nothing until the scenario reports it
