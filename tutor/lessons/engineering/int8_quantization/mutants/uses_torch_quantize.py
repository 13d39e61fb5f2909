# verdict: forbidden
import torch


def quantize_int8(w, per_channel=False):
    amax = w.reshape(w.shape[0], -1).abs().amax(dim=1) if per_channel else w.abs().amax()
    scale = torch.where(amax > 0, amax / 127, torch.ones_like(amax))
    if per_channel:
        qt = torch.quantize_per_channel(w.float(), scale.double(), torch.zeros_like(scale, dtype=torch.long), 0, torch.qint8)
    else:
        qt = torch.quantize_per_tensor(w.float(), float(scale), 0, torch.qint8)
    return qt.int_repr(), scale


def dequantize_int8(q, scale):
    s = scale.reshape(-1, *[1] * (q.dim() - 1)) if scale.dim() == 1 else scale
    return q.to(scale.dtype) * s
