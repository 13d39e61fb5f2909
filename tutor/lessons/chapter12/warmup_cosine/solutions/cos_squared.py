import math


def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # ½(1 + cos θ) = cos²(θ/2): the same curve, written as a squared quarter wave.
    decay_steps = total_steps - warmup_steps
    t = min(step, total_steps) - warmup_steps
    if t < 0:
        return base_lr * (t + warmup_steps) / warmup_steps
    return min_lr + (base_lr - min_lr) * math.cos(0.5 * math.pi * t / decay_steps) ** 2
