# mistake: scales the gradient in place (g *= lr) before subtracting it, which changes the caller's gradients
import torch


def sgd_update_(params: list[torch.Tensor], grads: list[torch.Tensor], lr: float) -> None:
    with torch.no_grad():
        for p, g in zip(params, grads):
            g.mul_(lr)
            p.sub_(g)
