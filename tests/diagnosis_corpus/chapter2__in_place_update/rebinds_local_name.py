# mistake: rebinds the loop variable with p = p - lr * g, so the caller's tensors never change
import torch


def sgd_update_(params: list[torch.Tensor], grads: list[torch.Tensor], lr: float) -> None:
    with torch.no_grad():
        for p, g in zip(params, grads):
            p = p - lr * g
