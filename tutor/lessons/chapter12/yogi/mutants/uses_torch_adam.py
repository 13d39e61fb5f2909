# diagnosis: any
# verdict: forbidden
# Wraps torch.optim.Adam instead of writing the update (and Adam is not Yogi): the optimizers are banned.
import torch


class Yogi(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))
        self.inner = torch.optim.Adam(self.param_groups, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

    def step(self, closure=None):
        return self.inner.step(closure)
