# mistake: adds the gradient instead of subtracting it (gradient ascent)
import torch


def sgd_update_(params: list[torch.Tensor], grads: list[torch.Tensor], lr: float) -> None:
    with torch.no_grad():
        for p, g in zip(params, grads):
            p += lr * g
