"""Unscale into fresh gradients first (as GradScaler.unscale_ does), then decide."""
import math

import torch


class LossScaler:
    def __init__(self, init_scale: float = 65536.0, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000):
        self.scale = init_scale
        self.settings = (growth_factor, backoff_factor, growth_interval)
        self.history = []  # True for each step taken since the last change of scale

    def scale_loss(self, loss):
        return self.scale * loss

    def step(self, optimizer):
        growth, backoff, interval = self.settings
        found_bad = False
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.grad = p.grad / self.scale
                if torch.isnan(p.grad).any() or torch.isinf(p.grad).any():
                    found_bad = True
        if found_bad:
            self.scale = self.scale * backoff
            self.history = []
            return False
        optimizer.step()
        self.history.append(True)
        if len(self.history) >= interval:
            self.scale = self.scale * growth
            self.history = []
        return True
