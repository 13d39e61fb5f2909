import math

import torch


def positional_encoding(num_steps, num_hiddens):
    """Frequencies as exp(−2j·ln(10000)/d), then sin and cos stacked on a last axis and
    flattened, which interleaves them; an odd width drops the final cosine."""
    pairs = (num_hiddens + 1) // 2
    freq = torch.exp(-torch.arange(pairs, dtype=torch.float32) * 2 * math.log(10000.0) / num_hiddens)
    angles = torch.arange(num_steps, dtype=torch.float32)[:, None] * freq[None, :]
    both = torch.stack([torch.sin(angles), torch.cos(angles)], dim=-1)   # (steps, pairs, 2)
    return both.reshape(num_steps, 2 * pairs)[:, :num_hiddens]
