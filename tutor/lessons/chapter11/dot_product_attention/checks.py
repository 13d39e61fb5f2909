"""Inputs of chapter11/dot_product_attention's heavy check (its oracle is the Numba kernel)."""

import torch


def heavy_padding_mask(ctx):
    """(16, 1, 256): sequence b has a seeded valid length in [1, 256]; one of them is full."""
    lengths = torch.randint(1, 257, (16,), generator=ctx.generator(1))
    lengths[0] = 256
    return (torch.arange(256) < lengths[:, None])[:, None, :]
