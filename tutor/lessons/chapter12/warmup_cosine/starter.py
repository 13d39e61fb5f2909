def warmup_cosine(step: int, base_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    """The learning rate at `step` (counted from 0): a linear warmup from 0 to base_lr over
    warmup_steps steps, then a half cosine from base_lr down to min_lr, reached at total_steps
    and kept from then on. Returns a Python float."""
    raise NotImplementedError("warmup_cosine: write me")
