# verdict: forbidden
import torch
import torch.nn.functional as F


def split_heads(X, num_heads):
    B, L, H = X.shape
    return X.reshape(B, L, num_heads, H // num_heads).transpose(1, 2).reshape(B * num_heads, L, -1)


def merge_heads(X, num_heads):
    BH, L, d = X.shape
    return X.reshape(-1, num_heads, L, d).transpose(1, 2).reshape(-1, L, num_heads * d)


def multi_head_attention(queries, keys, values, W_q, W_k, W_v, W_o, num_heads, mask=None):
    q, k, v = (split_heads(x @ w, num_heads) for x, w in ((queries, W_q), (keys, W_k), (values, W_v)))
    if mask is not None:
        mask = torch.broadcast_to(mask, (queries.shape[0], queries.shape[1], keys.shape[1]))
        mask = mask.repeat_interleave(num_heads, dim=0)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask).nan_to_num(0.0)
    return merge_heads(out, num_heads) @ W_o
