# verdict: forbidden
import torch


class LossScaler:
    def __init__(self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self.inner = torch.amp.GradScaler("cpu", init_scale=init_scale, growth_factor=growth_factor,
                                          backoff_factor=backoff_factor, growth_interval=growth_interval)

    @property
    def scale(self):
        return self.inner.get_scale()

    def scale_loss(self, loss):
        return self.inner.scale(loss)

    def step(self, optimizer):
        before = self.inner.get_scale()
        self.inner.step(optimizer)
        self.inner.update()
        return self.inner.get_scale() >= before
