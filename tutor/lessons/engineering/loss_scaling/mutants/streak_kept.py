# diagnosis: amp.counter_not_reset
import torch


class LossScaler:
    def __init__(self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self.scale, self.gf, self.bf, self.gi, self.good = float(init_scale), growth_factor, backoff_factor, growth_interval, 0

    def scale_loss(self, loss):
        return loss * self.scale

    def step(self, optimizer):
        grads = [p.grad for g in optimizer.param_groups for p in g["params"] if p.grad is not None]
        if not all(torch.isfinite(g).all() for g in grads):
            self.scale *= self.bf  # the count of good steps carries on across the overflow
            return False
        for g in grads:
            g.div_(self.scale)
        optimizer.step()
        self.good += 1
        if self.good % self.gi == 0:
            self.scale *= self.gf
        return True
