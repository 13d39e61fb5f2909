# mistake: replaces the list entries with new tensors instead of changing the tensors the caller holds
import torch


def sgd_update_(params: list[torch.Tensor], grads: list[torch.Tensor], lr: float) -> None:
    with torch.no_grad():
        for i in range(len(params)):
            params[i] = params[i] - lr * grads[i]
