# verdict: forbidden
import torch


def warmup_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total_steps - warmup_steps, eta_min=min_lr)
    for _ in range(min(step, total_steps) - warmup_steps):
        opt.step()
        sched.step()
    return float(opt.param_groups[0]["lr"])
