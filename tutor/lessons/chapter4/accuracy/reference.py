import torch


def accuracy(scores: torch.Tensor, labels: torch.Tensor, from_logits: bool = True) -> float:
    if scores.dim() == labels.dim() + 1 and scores.shape[-1] == 1:
        scores = scores.squeeze(-1)  # one output column: a binary classifier's single score
    if scores.shape == labels.shape:
        predictions = (scores > (0.0 if from_logits else 0.5)).long()
    else:
        predictions = scores.argmax(dim=-1)  # the first maximum wins a tie
    return (predictions == labels).double().mean().item()
