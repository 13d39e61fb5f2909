# diagnosis: jacobian.accumulates
import torch


def jacobian(f, x):
    x = x.detach().requires_grad_(True)
    y = f(x)
    rows = []
    for i in range(y.shape[0]):
        v = torch.zeros_like(y)
        v[i] = 1
        y.backward(v, retain_graph=True)
        rows.append(x.grad.clone())
    return torch.stack(rows)
