# diagnosis: quant.wrong_axis
import torch


def quantize_int8(w, per_channel=False):
    if per_channel and w.dim() > 1:
        amax = w.abs().amax(dim=tuple(range(w.dim() - 1)))  # one per column (the last axis)
        scale = torch.where(amax > 0, amax / 127, torch.ones_like(amax))
        q = torch.clamp(torch.round(w / scale), -127, 127).to(torch.int8)
        return q, scale
    amax = w.reshape(w.shape[0], -1).abs().amax(dim=1) if per_channel else w.abs().amax()
    scale = torch.where(amax > 0, amax / 127, torch.ones_like(amax))
    s = scale.reshape(-1, *[1] * (w.dim() - 1)) if per_channel else scale
    return torch.clamp(torch.round(w / s), -127, 127).to(torch.int8), scale


def dequantize_int8(q, scale):
    s = scale.reshape(-1, *[1] * (q.dim() - 1)) if scale.dim() == 1 else scale
    return q.to(scale.dtype) * s
