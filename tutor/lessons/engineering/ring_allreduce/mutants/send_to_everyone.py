# diagnosis: allreduce.not_ring
import torch
import torch.distributed as dist


def ring_all_reduce(x, mean=False):
    rank, world = dist.get_rank(), dist.get_world_size()
    total = x.detach().clone()
    requests = [dist.isend(x.contiguous(), other) for other in range(world) if other != rank]
    for other in range(world):
        if other != rank:
            incoming = torch.empty_like(x)
            dist.recv(incoming, other)
            total += incoming
    for r in requests:
        r.wait()
    return total / world if mean else total
