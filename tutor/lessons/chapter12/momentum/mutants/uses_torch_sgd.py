# diagnosis: any
# verdict: forbidden
# Wraps the library optimizer instead of writing the update.
import torch


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov))
        self.inner = torch.optim.SGD(self.param_groups, lr=lr, momentum=momentum, dampening=dampening,
                                     weight_decay=weight_decay, nesterov=nesterov)

    def step(self, closure=None):
        return self.inner.step(closure)
