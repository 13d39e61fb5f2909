"""The engineering chapter: learner answers written in other styles than the mutants, graded as
`tutor check` grades them (the ring all-reduce runs in forked gloo ranks)."""

from __future__ import annotations

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
