import torch
import torch.distributed as dist


def ring_all_reduce(x: torch.Tensor, mean: bool = False) -> torch.Tensor:
    rank, world = dist.get_rank(), dist.get_world_size()
    flat = x.detach().reshape(-1).clone()
    n = flat.numel()
    # W chunks, the first n mod W of them one element longer: every element lands in exactly one
    sizes = [n // world + (1 if i < n % world else 0) for i in range(world)]
    chunks = list(torch.split(flat, sizes))  # views of flat: writing a chunk writes the result
    right, left = (rank + 1) % world, (rank - 1) % world

    # Reduce-scatter: after W - 1 steps rank r holds the full sum of chunk r + 1.
    for step in range(world - 1):
        send_i, recv_i = (rank - step) % world, (rank - step - 1) % world
        incoming = torch.empty_like(chunks[recv_i])
        request = dist.isend(chunks[send_i], right)
        dist.recv(incoming, left)
        request.wait()
        chunks[recv_i] += incoming

    # All-gather: pass the finished chunks once more around the ring.
    for step in range(world - 1):
        send_i, recv_i = (rank + 1 - step) % world, (rank - step) % world
        request = dist.isend(chunks[send_i], right)
        dist.recv(chunks[recv_i], left)
        request.wait()

    out = flat.reshape(x.shape)
    return out / world if mean else out
