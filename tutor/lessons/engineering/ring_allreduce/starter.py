import torch
import torch.distributed as dist


def ring_all_reduce(x: torch.Tensor, mean: bool = False) -> torch.Tensor:
    """The sum (or, with mean=True, the average) of x over every rank of the default process
    group, returned as a new tensor of x's shape and dtype on every rank. Only dist.send/recv
    (or isend/irecv) between ring neighbours; x itself is left unchanged."""
    raise NotImplementedError("ring_all_reduce: write me")
