"""Inputs, scenarios and the training run of chapter10/masked_loss.

The expected values come from reference.py (teacher forcing is one line of indexing and the loss a
log-softmax with a mask; there is no kernel for either). The training run is a tiny GRU
encoder–decoder learning to copy digit strings: it builds its decoder inputs with the learner's
teacher_forcing_inputs and trains on the learner's masked_cross_entropy, so both pieces shape the
curve that is compared with the reference's.
"""

import math

import numpy as np
import torch

from tutor.grader import kit

LN3 = math.log(3.0)


# -- inputs ------------------------------------------------------------------------------------------

def lesson_loss_inputs(ctx):
    """The lesson's example: B = 2, T = 3, V = 2, valid lengths 3 and 1."""
    logits = torch.tensor([[[LN3, 0.0], [0.0, 0.0], [LN3, 0.0]],
                           [[0.0, 0.0], [LN3, 0.0], [LN3, 0.0]]])
    return {"logits": logits, "targets": torch.tensor([[0, 1, 1], [0, 1, 1]]), "valid_len": torch.tensor([3, 1])}


def loss_inputs(ctx, B, T, V, lengths=None, dtype="float32", scale=2.0, offset=0):
    """Random logits and targets; `lengths` fixes valid_len, else it is drawn in 1..T with a full row
    and (when T > 1) a row of length 1 among them, so both ends of the mask are tried."""
    g = ctx.generator(offset)
    logits = torch.randn(B, T, V, generator=g, dtype=getattr(torch, dtype)) * scale
    targets = torch.randint(0, V, (B, T), generator=g)
    if lengths is None:
        valid = torch.randint(1, T + 1, (B,), generator=g)
        valid[0] = T
        if B > 1:
            valid[-1] = 1
    else:
        valid = torch.tensor(lengths, dtype=torch.int64)
    return {"logits": logits, "targets": targets, "valid_len": valid}


def underflow_inputs(ctx):
    """Padding that holds confident, wrong predictions: their probability underflows to 0 in float32,
    so log(softmax) is −inf there, and −inf × 0 is NaN."""
    data = loss_inputs(ctx, B=3, T=5, V=6, lengths=[5, 2, 3], offset=1)
    logits, targets, valid = data["logits"], data["targets"], data["valid_len"]
    for b in range(3):
        for t in range(int(valid[b]), 5):
            wrong = (int(targets[b, t]) + 1) % 6
            logits[b, t, wrong] = 200.0
    return data


def target_inputs(ctx, B, T, vocab=20, bos=1, offset=0):
    """Random target ids in 3..vocab−1 with an eos (2) and padding (0) after each row's length."""
    g = ctx.generator(offset)
    targets = torch.randint(3, vocab, (B, T), generator=g)
    for b in range(B):
        n = int(torch.randint(0, T, (1,), generator=g)) if b else T - 1  # the first row fills all T
        targets[b, n] = 2
        targets[b, n + 1:] = 0
    return {"targets": targets, "bos": bos}


def loss_call(inputs):
    """masked_cross_entropy(logits (B, T, V) float32, targets (B, T), valid_len=[...])."""
    def shape(v):
        if isinstance(v, dict) and "__tensor__" in v:
            return tuple(v["__tensor__"]), v.get("dtype", "")
        return tuple(np.shape(v)), getattr(v, "dtype", "")

    (lshape, ldtype), (tshape, _) = shape(inputs["logits"]), shape(inputs["targets"])
    valid = inputs["valid_len"]
    lengths = [int(x) for x in np.asarray(valid).reshape(-1)] if not isinstance(valid, dict) else "..."
    return (f"masked_cross_entropy(logits of shape {lshape} ({ldtype}), targets of shape {tshape}, "
            f"valid_len={lengths}) [seeded random logits and targets]")


# -- padding can hold anything ------------------------------------------------------------------------

def padding_ignored(module, ctx):
    """The same batch twice, differing only at padded positions (logits and target ids)."""
    loss = kit.function(module, "masked_cross_entropy")
    data = loss_inputs(ctx, B=4, T=6, V=5, lengths=[6, 4, 1, 3], offset=2)
    other = {k: v.clone() for k, v in data.items()}
    g = ctx.generator(3)
    for b, n in enumerate(data["valid_len"].tolist()):
        other["logits"][b, n:] = torch.randn(6 - n, 5, generator=g) * 5.0
        other["targets"][b, n:] = torch.randint(0, 5, (6 - n,), generator=g)
    first = loss(data["logits"], data["targets"], data["valid_len"])
    second = loss(other["logits"], other["targets"], other["valid_len"])
    return {"loss": first, "loss with other padding": second}


def judge_padding_ignored(got, expected, jc):
    first, second = got["loss"], got["loss with other padding"]
    call = "masked_cross_entropy(4 sequences of valid length [6, 4, 1, 3], T = 6, V = 5)"
    if first.shape == () and second.shape == () and not np.allclose(first, second, rtol=1e-5, atol=1e-7):
        return (f"{call}: changing only the padded positions (their logits and target ids) changed your loss from "
                f"{float(first):.6g} to {float(second):.6g}; the padding must not count at all "
                f"(the expected loss is {float(expected['loss']):.6g} both times)")
    mismatch = kit.compare_plain(got, expected)
    return kit.Mismatch(f"{call}: {mismatch.message}", mismatch.details) if mismatch else None


# -- training: a tiny encoder–decoder learns to copy ---------------------------------------------------

PAD, BOS, EOS, VOCAB, T_MAX = 0, 1, 2, 8, 6


def copy_batch(g, B):
    """Digit strings (tokens 3..7) of 1..5 tokens; the target is the string, eos, then padding."""
    lengths = torch.randint(1, T_MAX, (B,), generator=g)
    source = torch.full((B, T_MAX), PAD, dtype=torch.int64)
    target = torch.full((B, T_MAX), PAD, dtype=torch.int64)
    for b, n in enumerate(lengths.tolist()):
        digits = torch.randint(3, VOCAB, (n,), generator=g)
        source[b, :n] = digits
        target[b, :n] = digits
        target[b, n] = EOS
    return source, target, lengths + 1  # valid_len counts the eos


class CopyModel(torch.nn.Module):
    def __init__(self, hidden=32, embed=16):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, embed)
        self.encoder = torch.nn.GRU(embed, hidden, batch_first=True)
        self.decoder = torch.nn.GRU(embed, hidden, batch_first=True)
        self.out = torch.nn.Linear(hidden, VOCAB)

    def forward(self, source, decoder_inputs):
        _, state = self.encoder(self.embed(source))
        outputs, _ = self.decoder(self.embed(decoder_inputs), state)
        return self.out(outputs)  # (B, T, V)


def adam_step(params, moments, t, lr=0.02, b1=0.9, b2=0.999, eps=1e-8):
    """Adam written out (torch.optim's first step costs seconds of CPU: it imports its compiler)."""
    with torch.no_grad():
        for p, (m, v) in zip(params, moments):
            m.mul_(b1).add_(p.grad, alpha=1 - b1)
            v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
            p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps))


def _form(value):
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}"
    return kit.describe_type(value)


def train_copy(module, ctx, steps=80, batch=16):
    shift = kit.function(module, "teacher_forcing_inputs")
    loss_fn = kit.function(module, "masked_cross_entropy")
    g = ctx.generator()
    with kit.seeded(ctx.seed):
        model = CopyModel()
    params = list(model.parameters())
    moments = [(torch.zeros_like(p), torch.zeros_like(p)) for p in params]
    losses = []
    for step in range(1, steps + 1):
        source, target, valid_len = copy_batch(g, batch)
        decoder_inputs = shift(target.clone(), BOS)
        if not isinstance(decoder_inputs, torch.Tensor) or decoder_inputs.shape != target.shape:
            raise TypeError(f"teacher_forcing_inputs(targets of shape {tuple(target.shape)}, bos) should return the "
                            f"decoder inputs in the same shape, got {_form(decoder_inputs)}")
        logits = model(source, decoder_inputs.long())
        loss = loss_fn(logits, target, valid_len)
        if not isinstance(loss, torch.Tensor) or loss.dim() != 0:
            raise TypeError(f"masked_cross_entropy should return a 0-d tensor (one number) to train on, got "
                            f"{_form(loss)}")
        kit.clear_grads(params)
        loss.backward()
        adam_step(params, moments, step)
        losses.append(float(loss.detach()))
        ctx.emit("loss", step, losses[-1])
    return {"final_loss": losses[-1], "losses": losses}
