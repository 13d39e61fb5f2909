# diagnosis: any
# verdict: forbidden
import torch.nn.functional as F


def pool2d(X, pool_size, stride=None, padding=0, mode="max"):
    fn = F.max_pool2d if mode == "max" else F.avg_pool2d
    return fn(X, pool_size, stride, padding)
