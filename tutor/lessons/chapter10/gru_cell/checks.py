"""Inputs and the oracle of chapter10/gru_cell. The expected states come from torch's own GRU cell
(`torch.gru_cell`, what torch.nn.GRUCell calls), run only by the grader; reference.py is a
hand-written cell that must agree with it like any solution."""

from types import SimpleNamespace

import torch

from tutor.grader import kit

DTYPES = {"float32": torch.float32, "float64": torch.float64}


def torch_gru():
    return SimpleNamespace(gru_cell=torch.gru_cell)


def lesson_inputs(ctx):
    """The lesson's hand-worked example: B = D = H = 1; rows of the stacked weights are r, z, n."""
    def t(v):
        return torch.tensor(v, dtype=torch.float32)

    return {"x": t([[1.0]]), "h": t([[0.5]]), "weight_ih": t([[1.0], [-1.0], [0.5]]),
            "weight_hh": t([[-2.0], [4.0], [1.0]]), "bias_ih": t([0.0, 0.0, 0.0]), "bias_hh": t([0.0, 0.0, 1.0])}


def cell_inputs(ctx, B, D, H, dtype="float32", scale=1.0, zero_state=False, offset=0):
    """Weights drawn as nn.GRUCell draws them (uniform in ±1/√H), times `scale`."""
    g = ctx.generator(offset)
    dt = DTYPES[dtype]
    bound = scale / H ** 0.5

    def u(*shape):
        return (torch.rand(*shape, generator=g, dtype=dt) * 2 - 1) * bound

    x = torch.randn(B, D, generator=g, dtype=dt) * (1.0 if scale == 1.0 else 3.0)
    h = torch.zeros(B, H, dtype=dt) if zero_state else torch.rand(B, H, generator=g, dtype=dt) * 2 - 1
    return {"x": x, "h": h, "weight_ih": u(3 * H, D), "weight_hh": u(3 * H, H), "bias_ih": u(3 * H),
            "bias_hh": u(3 * H)}


def lesson_call(inputs):
    return "gru_cell(the lesson's example: x = [[1.0]], h = [[0.5]])"


def sizes_call(inputs):
    B, D = inputs["x"].shape
    H = inputs["h"].shape[1]
    state = "h = 0" if not inputs["h"].any() else "random h"
    return f"gru_cell(x of shape ({B}, {D}), {state} of shape ({B}, {H}), {inputs['x'].dtype})"


def run_sequence(module, ctx):
    """h₁ … h₁₂ from h₀ = 0: a small error in one step compounds through the later ones."""
    inputs = cell_inputs(ctx, B=2, D=3, H=4, dtype="float64", zero_state=True)
    g = ctx.generator(1)
    xs = torch.randn(12, 2, 3, generator=g, dtype=torch.float64)
    cell = kit.function(module, "gru_cell")
    h, states = inputs["h"], []
    for x in xs:
        h = cell(x, h, inputs["weight_ih"], inputs["weight_hh"], inputs["bias_ih"], inputs["bias_hh"])
        states.append(h)
    return {"states": torch.stack(states)}
