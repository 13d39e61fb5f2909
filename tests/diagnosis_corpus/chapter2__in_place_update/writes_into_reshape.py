# mistake: flattens each parameter with reshape and writes into that, which is a copy for non-contiguous parameters
import torch


def sgd_update_(params: list[torch.Tensor], grads: list[torch.Tensor], lr: float) -> None:
    with torch.no_grad():
        for p, g in zip(params, grads):
            flat = p.reshape(-1)
            flat[:] = flat - lr * g.reshape(-1)
