# diagnosis: any
# verdict: forbidden
import torch
from torch.utils.data import DataLoader, TensorDataset


def data_iter(X, y, batch_size, generator):
    return iter(DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True, generator=generator))
