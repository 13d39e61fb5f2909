"""Input generators of declarative checks (tutor.grader.inputs)."""

import msgspec
import torch

from tutor.engine import schema
from tutor.grader.context import Context
from tutor.grader.inputs import make_inputs


def build(specs: dict, seed: int = 3) -> dict:
    typed = {name: msgspec.convert(spec, schema.Generator) for name, spec in specs.items()}
    return make_inputs(typed)(Context(seed=seed))


def test_random_generators_make_0d_tensors_for_an_empty_shape():
    out = build({"b": {"gen": "randn", "shape": []}, "c": {"gen": "rand", "shape": [], "dtype": "float64"}})
    assert out["b"].shape == () and out["b"].dtype == torch.float32
    assert out["c"].shape == () and out["c"].dtype == torch.float64 and 0 <= float(out["c"]) < 1


def test_random_generators_are_seeded_and_drawn_in_order():
    first = build({"w": {"gen": "randn", "shape": [3]}, "b": {"gen": "randn", "shape": []}})
    again = build({"w": {"gen": "randn", "shape": [3]}, "b": {"gen": "randn", "shape": []}})
    assert torch.equal(first["w"], again["w"]) and torch.equal(first["b"], again["b"])
    g = torch.Generator().manual_seed(3)
    assert torch.equal(first["w"], torch.randn(3, generator=g, dtype=torch.float64).float())
