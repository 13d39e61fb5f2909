# diagnosis: xavier.ignores_generator
import math

import torch


def xavier_std(n_in: int, n_out: int) -> float:
    return math.sqrt(2 / (n_in + n_out))


def xavier_bound(n_in: int, n_out: int) -> float:
    return math.sqrt(6 / (n_in + n_out))


def xavier_normal(n_in: int, n_out: int, generator: torch.Generator) -> torch.Tensor:
    return torch.randn(n_out, n_in) * xavier_std(n_in, n_out)


def xavier_uniform(n_in: int, n_out: int, generator: torch.Generator) -> torch.Tensor:
    a = xavier_bound(n_in, n_out)
    return (2 * torch.rand(n_out, n_in) - 1) * a
