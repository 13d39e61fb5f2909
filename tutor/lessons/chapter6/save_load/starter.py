import io

import torch
from torch import nn


def save_state(model: nn.Module) -> bytes:
    """model's state_dict (parameters and buffers), written by torch.save into memory."""
    raise NotImplementedError("save_state: write me")


def load_state(model: nn.Module, data: bytes) -> nn.Module:
    """Load the state saved by save_state into `model` (in place, strictly), switch it to
    evaluation mode and return it."""
    raise NotImplementedError("load_state: write me")
