# diagnosis: quant.broadcast
import torch


def quantize_int8(w, per_channel=False):
    amax = w.reshape(w.shape[0], -1).abs().amax(dim=1) if per_channel else w.abs().amax()
    scale = torch.where(amax > 0, amax / 127, torch.ones_like(amax))
    s = scale.reshape(-1, *[1] * (w.dim() - 1)) if per_channel else scale
    return torch.clamp(torch.round(w / s), -127, 127).to(torch.int8), scale


def dequantize_int8(q, scale):
    if scale.dim() == 1 and q.shape[-1] == scale.shape[0]:
        return q.to(scale.dtype) * scale  # broadcasts over columns, not rows
    return q.to(scale.dtype) * (scale.reshape(-1, *[1] * (q.dim() - 1)) if scale.dim() == 1 else scale)
