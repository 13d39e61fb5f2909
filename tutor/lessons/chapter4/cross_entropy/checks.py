"""Inputs for chapter4/cross_entropy that a generator cannot write."""

import torch


def copies_of_one_example(ctx):
    """64 copies of one example: the mean loss equals that example's loss, 2.4076."""
    return torch.tensor([[1.0, 2.0, 3.0]]).repeat(64, 1)
