import torch


def quantize_int8(w: torch.Tensor, per_channel: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric int8 quantisation: returns (q, scale) with q = round(w / scale) in [−127, 127]
    as int8 (w's shape) and scale = max|w| / 127 in w's dtype: a 0-d tensor, or with
    per_channel=True one scale per row (dim 0), shape (C,). A scale whose maximum is 0 is 1."""
    raise NotImplementedError("quantize_int8: write me")


def dequantize_int8(q: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """q · scale in scale's dtype; a 1-D scale holds one value per row (dim 0) of q."""
    raise NotImplementedError("dequantize_int8: write me")
