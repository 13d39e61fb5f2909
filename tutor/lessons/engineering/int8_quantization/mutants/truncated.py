# diagnosis: quant.truncated
import torch


def quantize_int8(w, per_channel=False):
    amax = w.reshape(w.shape[0], -1).abs().amax(dim=1) if per_channel else w.abs().amax()
    scale = torch.where(amax > 0, amax / 127, torch.ones_like(amax))
    s = scale.reshape(-1, *[1] * (w.dim() - 1)) if per_channel else scale
    q = (w / s).to(torch.int8)  # toward zero, not to the nearest
    return q, scale


def dequantize_int8(q, scale):
    s = scale.reshape(-1, *[1] * (q.dim() - 1)) if scale.dim() == 1 else scale
    return q.to(scale.dtype) * s
