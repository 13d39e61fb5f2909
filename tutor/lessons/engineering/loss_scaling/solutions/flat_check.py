"""One flat check over all gradients (a sum is inf or NaN as soon as one entry is), scale kept as a tensor."""
import torch


class LossScaler:
    def __init__(self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self._scale = torch.tensor(float(init_scale), dtype=torch.float64)
        self.growth, self.backoff, self.interval = growth_factor, backoff_factor, growth_interval
        self.streak = 0

    @property
    def scale(self):
        return self._scale.item()

    def scale_loss(self, loss):
        return loss * self._scale.to(loss.dtype)

    def step(self, optimizer):
        params = [p for g in optimizer.param_groups for p in g["params"] if p.grad is not None]
        total = sum(p.grad.double().sum() for p in params) if params else torch.tensor(0.0)
        # an inf + (-inf) or a NaN anywhere makes the sum NaN; an inf alone keeps it inf. The sum of
        # finite float32 values cannot overflow float64, so this is exact about "all finite".
        if not torch.isfinite(total):
            self._scale = self._scale * self.backoff
            self.streak = 0
            return False
        inv = 1.0 / self._scale.item()
        for p in params:
            p.grad.mul_(inv)
        optimizer.step()
        self.streak = (self.streak + 1) % self.interval
        if self.streak == 0:
            self._scale = self._scale * self.growth
        return True
