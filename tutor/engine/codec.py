"""Plain-data wire format between a grading child and the parent.

Only JSON scalars, lists, string-keyed dicts and numeric/bool arrays cross the boundary.
Arrays travel as base64 of their raw bytes with an explicit dtype and shape, so the parent
never unpickles anything a learner could have shaped.
"""

from __future__ import annotations

import base64
import binascii
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


_MARKERS = ("__array__", "__float__", "__dict__")
_MAX_DIMS = 32
_MAX_ELEMENTS = 1 << 31


def encode(value: Any) -> Any:
    """Plain data -> JSON-able structure. A dict whose own keys look like our markers is
    wrapped, so a learner's {"__array__": ...} stays a dict and is never read as an array."""
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
        out = {k: encode(v) for k, v in value.items()}
        return {"__dict__": out} if any(k in value for k in _MARKERS) else out
    return value


def decode(value: Any, _depth: int = 0) -> Any:
    """JSON-able structure -> plain data, validating every marker it rebuilds. Anything
    malformed (a shape that overflows, bad base64, a wrong key) raises CodecError, never
    another exception."""
    try:
        return _decode(value, _depth)
    except CodecError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError, MemoryError, RecursionError) as exc:
        raise CodecError(f"malformed data ({type(exc).__name__})") from None


def _decode(value: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise CodecError("result nested too deeply")
    if type(value) is list:
        return [_decode(v, depth + 1) for v in value]
    if type(value) is dict:
        if "__array__" in value:
            return _decode_array(value)
        if "__float__" in value:
            if set(value) != {"__float__"} or value["__float__"] not in ("nan", "inf", "-inf"):
                raise CodecError("malformed float marker")
            return float(value["__float__"])
        if "__dict__" in value:
            inner = value["__dict__"]
            if set(value) != {"__dict__"} or type(inner) is not dict:
                raise CodecError("malformed dict marker")
            return {str(k): _decode(v, depth + 1) for k, v in inner.items()}
        return {str(k): _decode(v, depth + 1) for k, v in value.items()}
    if value is None or type(value) in (bool, int, float, str):
        return value
    raise CodecError(f"unexpected value of type {type(value).__name__}")


def _decode_array(value: dict) -> np.ndarray:
    if set(value) != {"__array__", "shape", "data"}:
        raise CodecError("malformed array marker")
    dtype, shape, data = value["__array__"], value["shape"], value["data"]
    if type(dtype) is not str or dtype not in ALLOWED_DTYPES:
        raise CodecError(f"array dtype {str(dtype)[:40]!r} not allowed")
    if type(shape) is not list or len(shape) > _MAX_DIMS or any(type(s) is not int or s < 0 for s in shape):
        raise CodecError("malformed array shape")
    count = 1
    for s in shape:
        count *= s
        if count > _MAX_ELEMENTS:
            raise CodecError("array too large")
    if type(data) is not str:
        raise CodecError("malformed array data")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise CodecError("array data is not base64") from None
    itemsize = np.dtype(dtype).itemsize
    if len(raw) != count * itemsize:
        raise CodecError("array data does not match its shape")
    return np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(tuple(shape)).copy()


def dumps(value: Any) -> str:
    return json.dumps(encode(value), separators=(",", ":"))


def loads(text: str) -> Any:
    return decode(json.loads(text))
