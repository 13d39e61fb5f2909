# diagnosis: any
# verdict: forbidden
# Wraps the library optimizer instead of writing the update.
import torch


class Adagrad(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps))
        self.inner = torch.optim.Adagrad(self.param_groups, lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                         initial_accumulator_value=initial_accumulator_value, eps=eps)

    def step(self, closure=None):
        return self.inner.step(closure)
