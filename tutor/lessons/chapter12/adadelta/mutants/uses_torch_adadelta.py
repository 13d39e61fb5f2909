# diagnosis: any
# verdict: forbidden
# Wraps the library optimizer instead of writing the update.
import torch


class Adadelta(torch.optim.Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))
        self.inner = torch.optim.Adadelta(self.param_groups, lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)

    def step(self, closure=None):
        return self.inner.step(closure)
