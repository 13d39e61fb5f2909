"""Normal samples made from pairs of uniform ones (the Box–Muller transform), in float64."""
import math

import torch


def xavier_std(n_in, n_out):
    return float(torch.tensor(2.0 / (n_in + n_out), dtype=torch.float64).sqrt())


def xavier_bound(n_in, n_out):
    return math.sqrt(3.0) * math.sqrt(2.0 / (n_in + n_out))


def xavier_normal(n_in, n_out, generator):
    u1 = 1.0 - torch.rand(n_out, n_in, generator=generator, dtype=torch.float64)   # in (0, 1]
    u2 = torch.rand(n_out, n_in, generator=generator, dtype=torch.float64)
    z = torch.sqrt(-2.0 * torch.log(u1)) * torch.cos(2 * math.pi * u2)
    return (z * xavier_std(n_in, n_out)).float()


def xavier_uniform(n_in, n_out, generator):
    a = xavier_bound(n_in, n_out)
    return torch.rand(n_out, n_in, generator=generator) * (2 * a) - a
