import torch


def _warmup_factor(step: int, warmup: int) -> float:
    return 1.0 if warmup == 0 else min(1.0, step / warmup)


def warmup_cosine(step: int, base_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    # Multiplicative factors, as torch's LambdaLR thinks of them, computed in float64.
    if step < warmup_steps:
        return float(base_lr * _warmup_factor(step, warmup_steps))
    progress = torch.tensor((step - warmup_steps) / (total_steps - warmup_steps), dtype=torch.float64).clamp(max=1.0)
    cosine = 0.5 * (1 + torch.cos(torch.pi * progress))
    return float(min_lr + (base_lr - min_lr) * cosine)
