# diagnosis: allreduce.deadlock
import torch
import torch.distributed as dist


def ring_all_reduce(x, mean=False):
    rank, world = dist.get_rank(), dist.get_world_size()
    chunks = [c.clone() for c in torch.tensor_split(x.reshape(-1), world)]
    right, left = (rank + 1) % world, (rank - 1) % world
    for s in range(world - 1):
        incoming = torch.empty_like(chunks[(rank - s - 1) % world])
        dist.recv(incoming, left)  # every rank waits here: nobody has sent yet
        dist.send(chunks[(rank - s) % world], right)
        chunks[(rank - s - 1) % world] += incoming
    for s in range(world - 1):
        incoming = torch.empty_like(chunks[(rank - s) % world])
        dist.recv(incoming, left)
        dist.send(chunks[(rank + 1 - s) % world], right)
        chunks[(rank - s) % world] = incoming
    out = torch.cat(chunks).reshape(x.shape)
    return out / world if mean else out
