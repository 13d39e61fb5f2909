# mistake: assigns p.data = p - lr * g, which gives p new memory so views of the old memory miss the update
import torch


def sgd_update_(params: list[torch.Tensor], grads: list[torch.Tensor], lr: float) -> None:
    for p, g in zip(params, grads):
        p.data = p.data - lr * g
