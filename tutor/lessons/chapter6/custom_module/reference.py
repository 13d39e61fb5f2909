import torch
from torch import nn


class LinearReLU(nn.Module):
    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return torch.relu(X @ self.weight.T + self.bias)
