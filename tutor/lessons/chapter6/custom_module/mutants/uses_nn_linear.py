# verdict: forbidden
import torch
from torch import nn


class LinearReLU(nn.Module):
    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.inner = nn.Linear(in_features, out_features)
        self.weight, self.bias = self.inner.weight, self.inner.bias

    def forward(self, X):
        return torch.relu(self.inner(X))
