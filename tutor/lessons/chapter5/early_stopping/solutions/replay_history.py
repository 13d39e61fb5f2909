"""Keeps the whole history and recomputes the state from it on every step: slower, but each
attribute is a pure function of the losses seen so far."""
import math


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.history = []
        self.best_loss, self.best_epoch, self.bad_epochs = math.inf, -1, 0

    def step(self, val_loss):
        self.history.append(val_loss)
        best, best_at = math.inf, -1
        for epoch, loss in enumerate(self.history):
            if loss < best - self.min_delta:
                best, best_at = loss, epoch
        self.best_loss, self.best_epoch = best, best_at
        self.bad_epochs = len(self.history) - 1 - best_at
        return self.bad_epochs >= self.patience
