"""Plain-data wire format between a grading child and the parent.

Only JSON scalars, lists, string-keyed dicts and numeric/bool arrays cross the boundary.
Arrays travel as base64 of their raw bytes with an explicit dtype and shape, so the parent
never unpickles anything a learner could have shaped.
"""

from __future__ import annotations

import base64
import json
import math
import sys
from typing import Any

import numpy as np

ALLOWED_DTYPES = frozenset(
    {"float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool", "complex64", "complex128"}
)
_MAX_DEPTH = 32


class CodecError(ValueError):
    """The data is not plain data (or was forged into something that is not)."""


def to_plain(value: Any, _depth: int = 0) -> Any:
    """Convert a scenario's return value (tensors included) to plain Python/numpy data."""
    if _depth > _MAX_DEPTH:
        raise CodecError("result nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is np.ndarray:
        return value
    if isinstance(value, np.generic):
        return value.item()
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        return _tensor_to_array(torch, value)
    if type(value) in (list, tuple):
        return [to_plain(v, _depth + 1) for v in value]
    if type(value) is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise CodecError(f"dict key {k!r} is not a string")
            out[k] = to_plain(v, _depth + 1)
        return out
    # Anything else is described, not trusted: the parent sees a marker it can report.
    return {"__unsupported__": type(value).__qualname__}


def _tensor_to_array(torch, value) -> np.ndarray:
    # Disable __torch_function__ so a Tensor subclass cannot intercept its own conversion.
    with torch._C.DisableTorchFunction():
        base = torch.Tensor.as_subclass(value, torch.Tensor).detach().cpu()
        if base.dtype == torch.bfloat16:
            base = base.to(torch.float32)
        if base.is_conj():
            base = base.resolve_conj()
        try:
            return base.numpy().copy()
        except TypeError as exc:
            raise CodecError(f"tensor of dtype {base.dtype} cannot be graded") from exc


def encode(value: Any) -> Any:
    """Plain data -> JSON-able structure."""
    if isinstance(value, np.ndarray):
        dtype = value.dtype.name
        if dtype not in ALLOWED_DTYPES:
            raise CodecError(f"array dtype {dtype} cannot be graded")
        data = np.ascontiguousarray(value)
        return {"__array__": dtype, "shape": list(value.shape), "data": base64.b64encode(data.tobytes()).decode()}
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def decode(value: Any, _depth: int = 0) -> Any:
    """JSON-able structure -> plain data, validating every array it rebuilds."""
    if _depth > _MAX_DEPTH:
        raise CodecError("result nested too deeply")
    if isinstance(value, list):
        return [decode(v, _depth + 1) for v in value]
    if isinstance(value, dict):
        if "__array__" in value:
            dtype = value["__array__"]
            if dtype not in ALLOWED_DTYPES:
                raise CodecError(f"array dtype {dtype!r} not allowed")
            shape = tuple(int(s) for s in value["shape"])
            raw = base64.b64decode(value["data"])
            arr = np.frombuffer(raw, dtype=np.dtype(dtype))
            if arr.size != int(np.prod(shape, dtype=np.int64)):
                raise CodecError("array data does not match its shape")
            return arr.reshape(shape).copy()
        if "__float__" in value:
            return float(value["__float__"])
        return {str(k): decode(v, _depth + 1) for k, v in value.items()}
    if value is None or type(value) in (bool, int, float, str):
        return value
    raise CodecError(f"unexpected value of type {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(encode(value), separators=(",", ":"))


def loads(text: str) -> Any:
    return decode(json.loads(text))
