"""register_parameter and torch.addmm on a flattened batch, reshaped back; ReLU by clamp."""
import torch
from torch import nn


class LinearReLU(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.register_parameter("weight", nn.Parameter(torch.randn(out_features, in_features)))
        self.register_parameter("bias", nn.Parameter(torch.zeros(out_features)))
        self.in_features, self.out_features = in_features, out_features

    def forward(self, X):
        flat = X.reshape(-1, self.in_features)
        out = torch.addmm(self.bias, flat, self.weight.t())
        return out.clamp(min=0).reshape(*X.shape[:-1], self.out_features)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}"
