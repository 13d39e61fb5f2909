# diagnosis: pe.concatenated
import torch


def positional_encoding(num_steps, num_hiddens):
    """[all sines | all cosines] instead of alternating columns."""
    half = (num_hiddens + 1) // 2
    position = torch.arange(num_steps, dtype=torch.float32)[:, None]
    angles = position / torch.pow(10000.0, torch.arange(0, num_hiddens, 2, dtype=torch.float32) / num_hiddens)
    return torch.cat([torch.sin(angles), torch.cos(angles[:, : num_hiddens - half])], dim=1)
