# diagnosis: jacobian.sums_outputs
import torch


def jacobian(f, x):
    x = x.detach().requires_grad_(True)
    rows = []
    for i in range(f(x).shape[0]):
        x.grad = None
        f(x).sum().backward()
        rows.append(x.grad.clone())
    return torch.stack(rows)
