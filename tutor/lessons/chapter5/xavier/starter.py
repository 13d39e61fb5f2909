import torch


def xavier_std(n_in: int, n_out: int) -> float:
    """The standard deviation of Xavier's normal form: √(2 / (n_in + n_out))."""
    raise NotImplementedError("xavier_std: write me")


def xavier_bound(n_in: int, n_out: int) -> float:
    """The half-width a of Xavier's uniform form U(−a, a): √(6 / (n_in + n_out))."""
    raise NotImplementedError("xavier_bound: write me")


def xavier_normal(n_in: int, n_out: int, generator: torch.Generator) -> torch.Tensor:
    """A (n_out, n_in) float32 weight with entries N(0, 2 / (n_in + n_out)), drawn from generator."""
    raise NotImplementedError("xavier_normal: write me")


def xavier_uniform(n_in: int, n_out: int, generator: torch.Generator) -> torch.Tensor:
    """A (n_out, n_in) float32 weight with entries U(−a, a), a = xavier_bound(n_in, n_out), drawn from generator."""
    raise NotImplementedError("xavier_uniform: write me")
