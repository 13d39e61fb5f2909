# diagnosis: amp.grows_every_step
import torch


class LossScaler:
    def __init__(self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self.scale, self.gf, self.bf = float(init_scale), growth_factor, backoff_factor

    def scale_loss(self, loss):
        return loss * self.scale

    def step(self, optimizer):
        grads = [p.grad for g in optimizer.param_groups for p in g["params"] if p.grad is not None]
        if not all(torch.isfinite(g).all() for g in grads):
            self.scale *= self.bf
            return False
        for g in grads:
            g.div_(self.scale)
        optimizer.step()
        self.scale *= self.gf  # grows after every good step, whatever growth_interval says
        return True
