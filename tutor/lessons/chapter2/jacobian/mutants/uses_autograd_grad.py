# diagnosis: any
# verdict: forbidden
import torch


def jacobian(f, x):
    x = x.detach().requires_grad_(True)
    y = f(x)
    return torch.stack([torch.autograd.grad(y[i], x, retain_graph=True)[0] for i in range(y.shape[0])])
