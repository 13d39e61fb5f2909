# verdict: forbidden
import torch.distributed as dist


def ring_all_reduce(x, mean=False):
    out = x.clone()
    dist.all_reduce(out, op=dist.ReduceOp.SUM)
    return out / dist.get_world_size() if mean else out
