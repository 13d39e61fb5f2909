# diagnosis: quant.zero_scale
import torch


def quantize_int8(w, per_channel=False):
    amax = w.reshape(w.shape[0], -1).abs().amax(dim=1) if per_channel else w.abs().amax()
    scale = amax / 127
    s = scale.reshape(-1, *[1] * (w.dim() - 1)) if per_channel else scale
    q = torch.clamp(torch.round(w / s), -127, 127).nan_to_num(0).to(torch.int8)
    return q, scale


def dequantize_int8(q, scale):
    s = scale.reshape(-1, *[1] * (q.dim() - 1)) if scale.dim() == 1 else scale
    return q.to(scale.dtype) * s
