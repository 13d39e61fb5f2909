# verdict: forbidden
"""Lets ReduceLROnPlateau count the patience: the learning rate of a dummy optimizer drops when
the loss has not improved for `patience` epochs."""
import math

import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.bad_epochs, self.epoch = math.inf, -1, 0, 0
        self._opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        self._plateau = ReduceLROnPlateau(self._opt, factor=0.5, patience=patience - 1, threshold=min_delta,
                                          threshold_mode="abs")

    def step(self, val_loss):
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch = val_loss, self.epoch
        self.epoch += 1
        self._plateau.step(val_loss)
        self.bad_epochs = self._plateau.num_bad_epochs
        return self._opt.param_groups[0]["lr"] < 1.0
