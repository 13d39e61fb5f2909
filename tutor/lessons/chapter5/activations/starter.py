import torch


def relu(x: torch.Tensor) -> torch.Tensor:
    """max(x, 0) elementwise; same shape and dtype as x."""
    raise NotImplementedError("relu: write me")


def relu_grad(x: torch.Tensor) -> torch.Tensor:
    """The derivative of relu at x: 1 where x > 0, else 0 (also at x = 0); x's shape and dtype."""
    raise NotImplementedError("relu_grad: write me")


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """1 / (1 + exp(-x)) elementwise, finite for any x (x = ±1000 included)."""
    raise NotImplementedError("sigmoid: write me")


def sigmoid_grad(x: torch.Tensor) -> torch.Tensor:
    """The derivative of sigmoid at x: sigmoid(x) * (1 - sigmoid(x))."""
    raise NotImplementedError("sigmoid_grad: write me")


def tanh(x: torch.Tensor) -> torch.Tensor:
    """(exp(x) - exp(-x)) / (exp(x) + exp(-x)) elementwise, through exp and finite for any x."""
    raise NotImplementedError("tanh: write me")


def tanh_grad(x: torch.Tensor) -> torch.Tensor:
    """The derivative of tanh at x: 1 - tanh(x)**2."""
    raise NotImplementedError("tanh_grad: write me")
