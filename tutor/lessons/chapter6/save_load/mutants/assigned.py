# diagnosis: save_load.assigned
import io

import torch
from torch import nn


def save_state(model: nn.Module) -> bytes:
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getvalue()


def load_state(model: nn.Module, data: bytes) -> nn.Module:
    state = torch.load(io.BytesIO(data), weights_only=True)
    model.load_state_dict(state, assign=True)
    model.eval()
    return model
