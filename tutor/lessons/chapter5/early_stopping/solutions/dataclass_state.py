"""A dataclass with the state as fields; the epoch is derived from how often step was called."""
import math
from dataclasses import dataclass, field


@dataclass
class EarlyStopping:
    patience: int
    min_delta: float = 0.0
    best_loss: float = math.inf
    best_epoch: int = -1
    bad_epochs: int = 0
    _calls: int = field(default=0, repr=False)

    def step(self, val_loss: float) -> bool:
        epoch, self._calls = self._calls, self._calls + 1
        improved = self.best_loss - val_loss > self.min_delta
        if improved:
            self.best_loss = val_loss
            self.best_epoch = epoch
        self.bad_epochs = 0 if improved else self.bad_epochs + 1
        return not self.bad_epochs < self.patience
