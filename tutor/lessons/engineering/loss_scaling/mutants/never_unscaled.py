# diagnosis: amp.not_unscaled
import torch


class LossScaler:
    def __init__(self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self.scale, self.gf, self.bf, self.gi, self.good = float(init_scale), growth_factor, backoff_factor, growth_interval, 0

    def scale_loss(self, loss):
        return loss * self.scale

    def step(self, optimizer):
        grads = [p.grad for g in optimizer.param_groups for p in g["params"] if p.grad is not None]
        if not all(torch.isfinite(g).all() for g in grads):
            self.scale *= self.bf
            self.good = 0
            return False
        optimizer.step()  # with the gradients still multiplied by the scale
        self.good += 1
        if self.good == self.gi:
            self.scale *= self.gf
            self.good = 0
        return True
