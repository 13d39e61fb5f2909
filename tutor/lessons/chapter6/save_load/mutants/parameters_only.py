# diagnosis: save_load.parameters_only
import io

import torch
from torch import nn


def save_state(model: nn.Module) -> bytes:
    buffer = io.BytesIO()
    torch.save({k: p.detach() for k, p in model.named_parameters()}, buffer)
    return buffer.getvalue()


def load_state(model: nn.Module, data: bytes) -> nn.Module:
    state = torch.load(io.BytesIO(data), weights_only=True)
    model.load_state_dict(state, strict=False)  # buffers are missing, so strict loading fails
    model.eval()
    return model
