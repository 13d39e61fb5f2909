import torch


def quantize_int8(w: torch.Tensor, per_channel: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    if per_channel:
        amax = w.reshape(w.shape[0], -1).abs().amax(dim=1)  # one per row (output channel)
    else:
        amax = w.abs().amax()
    scale = torch.where(amax > 0, amax / 127, torch.ones_like(amax))  # zeros: any scale works, take 1
    s = scale.reshape(-1, *[1] * (w.dim() - 1)) if per_channel else scale
    q = torch.clamp(torch.round(w / s), -127, 127).to(torch.int8)
    return q, scale


def dequantize_int8(q: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    s = scale.reshape(-1, *[1] * (q.dim() - 1)) if scale.dim() == 1 else scale
    return q.to(scale.dtype) * s
