"""Fill an empty tensor in place with normal_ and uniform_, which take the distribution's own
parameters; the bound comes from the variance through Var(U(−a, a)) = a²/3."""
import torch


def xavier_std(n_in, n_out):
    variance = 2.0 / (n_in + n_out)
    return variance ** 0.5


def xavier_bound(n_in, n_out):
    return (3 * xavier_std(n_in, n_out) ** 2) ** 0.5


def xavier_normal(n_in, n_out, generator):
    return torch.empty(n_out, n_in).normal_(0.0, xavier_std(n_in, n_out), generator=generator)


def xavier_uniform(n_in, n_out, generator):
    a = xavier_bound(n_in, n_out)
    return torch.empty(n_out, n_in).uniform_(-a, a, generator=generator)
