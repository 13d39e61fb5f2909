# diagnosis: jacobian.no_detach
# Marks the caller's own tensor as requiring grad and backpropagates into it.
import torch


def jacobian(f, x):
    if not x.requires_grad:
        x.requires_grad_(True)
    if not x.is_leaf:
        x.retain_grad()
    y = f(x)
    rows = []
    for i in range(y.shape[0]):
        v = torch.zeros_like(y)
        v[i] = 1
        x.grad = None
        y.backward(v, retain_graph=True)
        rows.append(x.grad.clone())
    return torch.stack(rows)
