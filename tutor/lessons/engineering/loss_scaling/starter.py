import torch


class LossScaler:
    """Dynamic loss scaling for float16 training.

    scale_loss(loss) multiplies the loss by the current scale before backward. step(optimizer)
    checks the (scaled) gradients of the optimizer's parameters: if any is inf or NaN it skips
    the step, multiplies the scale by backoff_factor and returns False; otherwise it divides
    the gradients by the scale in place, calls optimizer.step() and returns True, and after
    growth_interval such steps in a row it multiplies the scale by growth_factor."""

    def __init__(self, init_scale: float = 65536.0, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000):
        self.scale = float(init_scale)
        raise NotImplementedError("LossScaler.__init__: keep what else you need")

    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("LossScaler.scale_loss: write me")

    def step(self, optimizer: torch.optim.Optimizer) -> bool:
        raise NotImplementedError("LossScaler.step: write me")
