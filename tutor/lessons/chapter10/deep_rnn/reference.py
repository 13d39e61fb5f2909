"""Trusted reference: one direction of one layer at a time, each a plain loop over time."""

import torch


def _direction(X, h, W_ih, W_hh, b_ih, b_hh, reverse):
    """Every state of one direction, stored at the time step it belongs to, and the last state computed."""
    T = X.shape[0]
    states = [None] * T
    for t in (reversed(range(T)) if reverse else range(T)):
        h = torch.tanh(X[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
        states[t] = h
    return torch.stack(states), h


def deep_rnn(X: torch.Tensor, params: dict[str, torch.Tensor], num_layers: int, bidirectional: bool = False,
             h0: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    directions = ("", "_reverse") if bidirectional else ("",)
    H = params["weight_hh_l0"].shape[0]
    if h0 is None:
        h0 = X.new_zeros(num_layers * len(directions), X.shape[1], H)
    layer_input, last = X, []
    for k in range(num_layers):
        outputs = []
        for d, suffix in enumerate(directions):
            p = [params[f"{name}_l{k}{suffix}"] for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            states, h = _direction(layer_input, h0[k * len(directions) + d], *p, reverse=d == 1)
            outputs.append(states)
            last.append(h)
        layer_input = torch.cat(outputs, dim=-1)  # (T, B, directions·H): the next layer sees both
    return layer_input, torch.stack(last)
