import numpy as np


def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # Build the whole schedule once and read one entry of it.
    warm = base_lr * np.arange(warmup_steps) / max(warmup_steps, 1)
    k = np.arange(total_steps - warmup_steps + 1)
    decay = min_lr + (base_lr - min_lr) * (1 + np.cos(np.pi * k / (total_steps - warmup_steps))) / 2
    table = np.concatenate([warm, decay])
    return float(table[min(step, total_steps)])
