"""Inputs, scenarios and the oracle of chapter10/lstm_cell. The expected states come from torch's
own LSTM cell (`torch.lstm_cell`, what torch.nn.LSTMCell calls), run only by the grader;
reference.py is a hand-written cell that must agree with it like any solution."""

from types import SimpleNamespace

import torch

from tutor.grader import kit

DTYPES = {"float32": torch.float32, "float64": torch.float64}
WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _torch_lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    return torch.lstm_cell(x, (h, c), weight_ih, weight_hh, bias_ih, bias_hh)


def torch_lstm():
    return SimpleNamespace(lstm_cell=_torch_lstm_cell)


def lesson_inputs(ctx):
    """The lesson's hand-worked example: B = D = H = 1; rows of the stacked weights are i, f, g, o."""
    def t(v):
        return torch.tensor(v, dtype=torch.float32)

    return {"x": t([[1.0]]), "h": t([[0.5]]), "c": t([[1.0]]), "weight_ih": t([[1.0], [-1.0], [0.5], [1.5]]),
            "weight_hh": t([[-2.0], [4.0], [1.0], [0.0]]), "bias_ih": t([0.0, 0.0, 0.0, 0.0]),
            "bias_hh": t([0.0, 0.0, 1.0, 0.0])}


def cell_inputs(ctx, B, D, H, dtype="float32", scale=1.0, zero_state=False, offset=0):
    """Weights drawn as nn.LSTMCell draws them (uniform in ±1/√H), times `scale`."""
    g = ctx.generator(offset)
    dt = DTYPES[dtype]
    bound = scale / H ** 0.5

    def u(*shape):
        return (torch.rand(*shape, generator=g, dtype=dt) * 2 - 1) * bound

    x = torch.randn(B, D, generator=g, dtype=dt) * (1.0 if scale == 1.0 else 3.0)
    if zero_state:
        h, c = torch.zeros(B, H, dtype=dt), torch.zeros(B, H, dtype=dt)
    else:
        h = torch.rand(B, H, generator=g, dtype=dt) * 2 - 1
        c = torch.randn(B, H, generator=g, dtype=dt) * 2
    return {"x": x, "h": h, "c": c, "weight_ih": u(4 * H, D), "weight_hh": u(4 * H, H), "bias_ih": u(4 * H),
            "bias_hh": u(4 * H)}


def lesson_call(inputs):
    return "lstm_cell(the lesson's example: x = [[1.0]], h = [[0.5]], c = [[1.0]])"


def sizes_call(inputs):
    B, D = inputs["x"].shape
    H = inputs["h"].shape[1]
    state = "h = c = 0" if not inputs["h"].any() and not inputs["c"].any() else "random h and c"
    return f"lstm_cell(x of shape ({B}, {D}), {state} of shape ({B}, {H}), {inputs['x'].dtype})"


def run_sequence(module, ctx):
    """(h, c) over 12 steps from zero: a small error in one step compounds through the later ones."""
    inputs = cell_inputs(ctx, B=2, D=3, H=4, dtype="float64", zero_state=True)
    xs = torch.randn(12, 2, 3, generator=ctx.generator(1), dtype=torch.float64)
    cell = kit.function(module, "lstm_cell")
    h, c, hs, cs = inputs["h"], inputs["c"], [], []
    for x in xs:
        h, c = cell(x, h, c, *(inputs[name] for name in WEIGHTS))
        hs.append(h)
        cs.append(c)
    return {"h": torch.stack(hs), "c": torch.stack(cs)}


def gradients(module, ctx):
    """float64 gradients of a random weighting of h' and c' with respect to all seven inputs."""
    inputs = {k: v.requires_grad_(True) for k, v in cell_inputs(ctx, B=2, D=3, H=3, dtype="float64").items()}
    h, c = kit.function(module, "lstm_cell")(*inputs.values())
    g = ctx.generator(7)
    loss = (h * torch.randn(h.shape, generator=g, dtype=torch.float64)).sum() + \
        (c * torch.randn(c.shape, generator=g, dtype=torch.float64)).sum()
    grads = torch.autograd.grad(loss, list(inputs.values()), allow_unused=True)
    return {name: (torch.zeros_like(v) if gr is None else gr.detach()) for (name, v), gr in zip(inputs.items(), grads)}
