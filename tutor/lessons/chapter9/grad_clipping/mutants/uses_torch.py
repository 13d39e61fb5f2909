# diagnosis: any
# verdict: forbidden
"""Lets torch do it: the grader must say forbidden."""

import torch


def clip_gradients(params, max_norm):
    return float(torch.nn.utils.clip_grad_norm_(params, max_norm))
