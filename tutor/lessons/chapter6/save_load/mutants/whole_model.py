# diagnosis: save_load.whole_model
import io

import torch
from torch import nn


def save_state(model: nn.Module) -> bytes:
    buffer = io.BytesIO()
    torch.save(model, buffer)
    return buffer.getvalue()


def load_state(model: nn.Module, data: bytes) -> nn.Module:
    loaded = torch.load(io.BytesIO(data), weights_only=False)
    model.load_state_dict(loaded.state_dict())
    model.eval()
    return model
