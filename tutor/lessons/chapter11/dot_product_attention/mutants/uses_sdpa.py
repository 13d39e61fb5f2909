# verdict: forbidden
import torch.nn.functional as F


def dot_product_attention(queries, keys, values, mask=None):
    return F.scaled_dot_product_attention(queries, keys, values, attn_mask=mask).nan_to_num(0.0)
