"""Input generators: the `inputs` of a declarative check, turned into tensors and values.

Each check draws its random inputs from one generator seeded by the check's id, in the order
the inputs are written, so the learner's side and the reference's side get the same values.
"""

from __future__ import annotations

from typing import Any, Callable

from tutor.engine import schema
from tutor.grader.context import Context


def _dtype(name: str | None, default=None):
    import torch

    return getattr(torch, name) if name else default


def _tensor(spec: schema.TensorGen):
    import torch

    value = spec.value
    if spec.dtype:
        return torch.tensor(value, dtype=_dtype(spec.dtype))
    t = torch.tensor(value)
    return t.float() if t.is_floating_point() else t


def make_inputs(specs: dict[str, Any], functions: Any = None) -> Callable[[Context], dict]:
    """A function ctx -> {name: value} building the inputs a spec describes.
    `functions` is the exercise's checks module, for `{ gen = "call", function = ... }`."""

    def build(ctx: Context) -> dict:
        import torch

        g = ctx.generator()
        out = {}
        for name, spec in specs.items():
            value = _one(spec, g, ctx, functions, name)
            if isinstance(spec, schema._Gen) and spec.requires_grad and isinstance(value, torch.Tensor):
                value = value.requires_grad_(True)
            out[name] = value
        return out

    return build


def _one(spec, g, ctx, functions, name):
    import torch

    if not isinstance(spec, schema._Gen):
        return spec  # a plain TOML value: as written
    if isinstance(spec, schema.TensorGen):
        return _tensor(spec)
    if isinstance(spec, schema.RandnGen):
        # A tuple, not *shape: shape = [] is a 0-d tensor (a bias), and torch.randn() alone is an error.
        t = torch.randn(tuple(spec.shape), generator=g, dtype=torch.float64) * spec.scale + spec.shift
        return t.to(_dtype(spec.dtype))
    if isinstance(spec, schema.RandGen):
        t = torch.rand(tuple(spec.shape), generator=g, dtype=torch.float64) * (spec.high - spec.low) + spec.low
        return t.to(_dtype(spec.dtype))
    if isinstance(spec, schema.RandintGen):
        return torch.randint(spec.low, spec.high, tuple(spec.shape), generator=g).to(_dtype(spec.dtype))
    if isinstance(spec, schema.ArangeGen):
        n = 1
        for s in spec.shape:
            n *= s
        return (torch.arange(n, dtype=torch.float64) * spec.scale).reshape(spec.shape).to(_dtype(spec.dtype))
    if isinstance(spec, schema.FullGen):
        return torch.full(tuple(spec.shape), spec.value, dtype=_dtype(spec.dtype))
    if isinstance(spec, schema.RaggedGen):
        lengths = torch.randint(spec.min_len, spec.max_len + 1, (spec.count,), generator=g).tolist()
        shape = (lambda n: (n,)) if spec.dim is None else (lambda n: (n, spec.dim))
        return [torch.randn(*shape(n), generator=g, dtype=torch.float64).to(_dtype(spec.dtype)) for n in lengths]
    if isinstance(spec, schema.LengthsGen):
        return torch.randint(spec.low, spec.high + 1, (spec.count,), generator=g)
    if isinstance(spec, schema.TokensGen):
        picks = torch.randint(0, len(spec.vocab), (spec.count,), generator=g).tolist()
        return " ".join(spec.vocab[i] for i in picks)
    if isinstance(spec, schema.TupleGen):
        return tuple(spec.value)
    if isinstance(spec, schema.NoneGen):
        return None
    if isinstance(spec, schema.CallGen):
        fn = getattr(functions, spec.function, None)
        if fn is None:
            raise LookupError(f"input {name!r}: checks.py defines no function {spec.function!r}")
        return fn(ctx)
    raise TypeError(f"input {name!r}: unknown generator {type(spec).__name__}")
