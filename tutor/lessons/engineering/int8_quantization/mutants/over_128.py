# diagnosis: quant.overflow
import torch


def quantize_int8(w, per_channel=False):
    amax = w.reshape(w.shape[0], -1).abs().amax(dim=1) if per_channel else w.abs().amax()
    scale = torch.where(amax > 0, amax / 128, torch.ones_like(amax))  # 128 steps: the max lands on 128
    s = scale.reshape(-1, *[1] * (w.dim() - 1)) if per_channel else scale
    q = torch.round(w / s).to(torch.int8)  # no clamp: 128 wraps to -128
    return q, scale


def dequantize_int8(q, scale):
    s = scale.reshape(-1, *[1] * (q.dim() - 1)) if scale.dim() == 1 else scale
    return q.to(scale.dtype) * s
