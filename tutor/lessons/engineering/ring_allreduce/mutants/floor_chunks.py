# diagnosis: allreduce.remainder_dropped
import torch
import torch.distributed as dist


def ring_all_reduce(x, mean=False):
    rank, world = dist.get_rank(), dist.get_world_size()
    flat = x.reshape(-1).clone()
    c = flat.numel() // world  # the last n mod W elements belong to no chunk
    chunks = [flat[i * c:(i + 1) * c] for i in range(world)]
    right, left = (rank + 1) % world, (rank - 1) % world
    for s in range(world - 1):
        incoming = torch.empty_like(chunks[(rank - s - 1) % world])
        req = dist.isend(chunks[(rank - s) % world], right)
        dist.recv(incoming, left)
        req.wait()
        chunks[(rank - s - 1) % world] += incoming
    for s in range(world - 1):
        req = dist.isend(chunks[(rank + 1 - s) % world], right)
        dist.recv(chunks[(rank - s) % world], left)
        req.wait()
    out = flat.reshape(x.shape)
    return out / world if mean else out
