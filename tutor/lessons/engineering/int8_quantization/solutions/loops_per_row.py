"""Row by row, with Python's own max and a clamp written as min/max."""
import torch


def _one(w, amax):
    scale = amax / 127 if amax > 0 else torch.ones_like(amax)
    q = torch.round(w / scale)
    q = torch.minimum(torch.maximum(q, torch.full_like(q, -127)), torch.full_like(q, 127))
    return q.to(torch.int8), scale


def quantize_int8(w, per_channel=False):
    if not per_channel:
        return _one(w, w.abs().max())
    qs, scales = [], []
    for row in w:
        q, s = _one(row, row.abs().max())
        qs.append(q)
        scales.append(s)
    return torch.stack(qs), torch.stack(scales)


def dequantize_int8(q, scale):
    if scale.dim() == 0:
        return q.to(scale.dtype) * scale
    return torch.stack([row.to(scale.dtype) * s for row, s in zip(q, scale)])
