"""Correct: the three cases of the sign spelled out with torch.where, state created eagerly in
__init__, parameters updated through .data without a no_grad decorator, and the two corrections
folded into one step size with ε rescaled so that it still sits after √ŝ."""

import math

import torch


class Yogi(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.0):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = {"steps": 0, "avg": torch.zeros_like(p.data), "sq": torch.zeros_like(p.data)}

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                x, g = p.data, p.grad.data
                if wd:
                    g = g + wd * x
                st = self.state[p]
                st["steps"] += 1
                t = st["steps"]
                sq = g.square()
                grow = torch.where(sq > st["sq"], sq, torch.zeros_like(sq))   # s < g²: s grows by (1 − β₂)·g²
                shrink = torch.where(sq < st["sq"], sq, torch.zeros_like(sq))  # s > g²: it shrinks by as much
                st["sq"] = st["sq"] + (1 - b2) * (grow - shrink)
                st["avg"] = st["avg"] + (1 - b1) * (g - st["avg"])
                c1, c2 = 1 - b1 ** t, math.sqrt(1 - b2 ** t)
                # lr·(m/c1)/(√s/c2 + ε) = (lr·c2/c1)·m/(√s + ε·c2)
                x.addcdiv_(st["avg"], st["sq"].sqrt() + eps * c2, value=-lr * c2 / c1)
        return loss
