import math


class EarlyStopping:
    """Stops training once the validation loss has not improved for `patience` epochs in a row.

    An epoch improves when val_loss < best_loss - min_delta. Attributes, updated by step:
    best_loss (math.inf before the first step), best_epoch (the epoch of best_loss, counting
    step calls from 0) and bad_epochs (epochs in a row without improvement).
    """

    def __init__(self, patience: int, min_delta: float = 0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.best_loss = math.inf
        self.best_epoch = -1
        self.bad_epochs = 0

    def step(self, val_loss: float) -> bool:
        """Record one epoch's validation loss; True when training should stop."""
        raise NotImplementedError("EarlyStopping.step: write me")
