"""keepdim reductions give the broadcast shape directly; the scale is squeezed on the way out."""
import torch


def quantize_int8(w, per_channel=False):
    dims = tuple(range(1, w.dim())) if per_channel else tuple(range(w.dim()))
    amax = w.abs().amax(dim=dims, keepdim=True) if dims else w.abs()
    scale = amax / 127
    scale = scale.masked_fill(amax == 0, 1.0)
    q = (w / scale).round().clamp(-127, 127).to(torch.int8)
    return q, scale.reshape(-1) if per_channel else scale.reshape(())


def dequantize_int8(q, scale):
    view = scale.view(*scale.shape, *([1] * (q.dim() - scale.dim()))) if scale.dim() else scale
    return view * q.to(scale.dtype)
