# diagnosis: allreduce.no_allgather
import torch
import torch.distributed as dist


def ring_all_reduce(x, mean=False):
    rank, world = dist.get_rank(), dist.get_world_size()
    flat = x.reshape(-1).clone()
    chunks = list(torch.tensor_split(flat, world))
    right, left = (rank + 1) % world, (rank - 1) % world
    for s in range(world - 1):
        incoming = torch.empty_like(chunks[(rank - s - 1) % world])
        req = dist.isend(chunks[(rank - s) % world], right)
        dist.recv(incoming, left)
        req.wait()
        chunks[(rank - s - 1) % world] += incoming
    out = flat.reshape(x.shape)
    return out / world if mean else out
