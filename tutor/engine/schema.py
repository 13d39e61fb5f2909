"""The lesson format, v2: what `exercise.toml` and `chapter.toml` may hold, as typed structs.

msgspec checks every file against these types, so an unknown key or a wrong type is an
error that names the file and the field, and `tutor instructor schema` writes the same
types out as a JSON Schema for editors. Nothing here runs a check: the grader builds check
objects from these specs (tutor.grader.build), the engine only reads them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

import msgspec
from msgspec import Meta, Struct, field

FORMAT = 2

Id = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$", description="a lowercase slug: letters, digits, _")]
DiagnosisId = Annotated[str, Meta(pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$", description="topic.name")]
Dtype = Literal["float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool",
                "complex64", "complex128"]
Positive = Annotated[float, Meta(gt=0)]
Shape = list[Annotated[int, Meta(ge=0)]]


class _Spec(Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    pass


# -- input generators: `inputs.X = { gen = "randn", shape = [8, 10] }` -----------------------------------

class _Gen(_Spec, tag_field="gen", kw_only=True):
    requires_grad: bool = False


class TensorGen(_Gen, tag="tensor", kw_only=True):
    """Fixed values, as written (floats become float32 and ints int64 unless dtype says otherwise)."""

    value: Any
    dtype: Dtype | None = None


class RandnGen(_Gen, tag="randn", kw_only=True):
    """Seeded standard normal values × scale + shift."""

    shape: Shape
    dtype: Dtype = "float32"
    scale: float = 1.0
    shift: float = 0.0


class RandGen(_Gen, tag="rand", kw_only=True):
    """Seeded uniform values in [low, high)."""

    shape: Shape
    dtype: Dtype = "float32"
    low: float = 0.0
    high: float = 1.0


class RandintGen(_Gen, tag="randint", kw_only=True):
    """Seeded integers in [low, high), e.g. class labels."""

    shape: Shape
    high: int
    low: int = 0
    dtype: Dtype = "int64"


class ArangeGen(_Gen, tag="arange", kw_only=True):
    """0, 1, 2, … laid out in `shape` (row-major), times scale."""

    shape: Shape
    dtype: Dtype = "float32"
    scale: float = 1.0


class FullGen(_Gen, tag="full", kw_only=True):
    shape: Shape
    value: float
    dtype: Dtype = "float32"


class RaggedGen(_Gen, tag="ragged", kw_only=True):
    """A list of `count` seeded sequences of lengths in [min_len, max_len], each (length,) or (length, dim)."""

    count: Annotated[int, Meta(ge=1)]
    min_len: Annotated[int, Meta(ge=0)] = 1
    max_len: Annotated[int, Meta(ge=1)] = 8
    dim: Annotated[int, Meta(ge=1)] | None = None
    dtype: Dtype = "float32"


class LengthsGen(_Gen, tag="lengths", kw_only=True):
    """An int64 tensor of `count` seeded lengths in [low, high] (valid lengths for masking)."""

    count: Annotated[int, Meta(ge=1)]
    low: Annotated[int, Meta(ge=0)] = 0
    high: Annotated[int, Meta(ge=0)] = 8


class TokensGen(_Gen, tag="tokens", kw_only=True):
    """A string of `count` seeded tokens from `vocab`, separated by single spaces."""

    count: Annotated[int, Meta(ge=0)]
    vocab: list[str]


class TupleGen(_Gen, tag="tuple", kw_only=True):
    """A Python tuple (TOML arrays arrive as lists): `{ gen = "tuple", value = [2, 3] }`."""

    value: list


class NoneGen(_Gen, tag="none", kw_only=True):
    """Python None (TOML has no null)."""


class CallGen(_Gen, tag="call", kw_only=True):
    """An input built by a function of checks.py: `function(ctx)` returns the value."""

    function: str


Generator = Union[TensorGen, RandnGen, RandGen, RandintGen, ArangeGen, FullGen, RaggedGen, LengthsGen, TokensGen,
                  TupleGen, NoneGen, CallGen]
# A plain TOML value (number, string, boolean, array) is passed to the function as it is.
Input = Union[bool, int, float, str, list, Generator]


# -- properties: `properties = [{ is = "sums_to", value = 1.0, axis = -1 }]` ----------------------------

class _Prop(_Spec, tag_field="is", kw_only=True):
    pass


class SumsTo(_Prop, tag="sums_to", kw_only=True):
    value: float = 1.0
    axis: int = -1
    tol: float = 1e-5


class Between(_Prop, tag="between", kw_only=True):
    low: float
    high: float


class Finite(_Prop, tag="finite", kw_only=True):
    pass


class CloseTo(_Prop, tag="close_to", kw_only=True):
    """The output (a number or a tensor) equals `value` everywhere within tol."""

    value: float
    tol: float = 1e-6


class PythonInts(_Prop, tag="python_ints", kw_only=True):
    """A Python int, or a tuple/list of them (shapes, counts): not floats, not tensors."""

    length: int | None = None


class CustomProperty(_Prop, tag="custom", kw_only=True):
    """`function(out, inputs) -> bool` from checks.py; `text` says what it means."""

    function: str
    text: str


Property = Union[SumsTo, Between, Finite, CloseTo, PythonInts, CustomProperty]


# -- checks ----------------------------------------------------------------------------------------

class _Check(_Spec, tag_field="kind", kw_only=True):
    id: Id
    title: str
    # Where the expected result comes from: "reference" (reference.py), "kernel:NAME" (a Numba
    # kernel of tutor.kernels standing in for the function under test) or "checks:NAME" (a
    # function of checks.py returning an object that stands in for the learner's module).
    oracle: str | None = None
    timeout_s: Positive | None = None  # CPU seconds for this check (default: the exercise's)
    timeout_message: str | None = None  # said first when this check runs out of time
    heavy: bool = False  # a large input checked against a kernel; reported as "heavy"
    seed: int | None = None  # default: derived from the id, so renaming the title keeps the inputs
    match_variants: bool = True  # compare with the mutants' results to name the mistake
    detectors: list[str] = []  # functions of checks.py: (got, expected) -> diagnosis id or None
    diagnosis: DiagnosisId | None = None  # named when this check fails and nothing more specific is


class InputsFrom(_Spec, kw_only=True):
    """All of a check's inputs from one function of checks.py: `function(ctx, **args)` returns
    them as a dict, in call order (for inputs that must be drawn together)."""

    function: str
    args: dict[str, Any] = {}


class _Call(_Check, kw_only=True):
    function: str | None = None  # default: [defaults].function, else the first of `functions`
    inputs: dict[str, Input] = {}
    inputs_from: InputsFrom | None = None
    keywords: list[str] = []  # inputs passed by name; the others go positionally, in order
    describe: str | None = None  # a function of checks.py: inputs -> how messages show the call


class ValueSpec(_Call, tag="value", kw_only=True):
    """Call the function; its output must equal the oracle's (shape, dtype, values)."""

    rtol: float | None = None
    atol: float | None = None
    check_dtype: bool = True
    mutation_diagnosis: DiagnosisId | None = None
    fresh: bool | None = None  # the output must be a new tensor, not the input or a view of it


class StabilitySpec(ValueSpec, tag="stability", kw_only=True):
    """A value check on extreme inputs: overflow shows as NaN or inf."""


class ShapeSpec(_Call, tag="shape", kw_only=True):
    """Only the output's type, shape and dtype must equal the oracle's."""


class PropertySpec(_Call, tag="property", kw_only=True):
    properties: list[Property]


class GradientSpec(_Call, tag="gradient", kw_only=True):
    """Gradients (float64) through the function w.r.t. `wrt`, and torch's gradcheck."""

    wrt: list[str]
    not_differentiable: DiagnosisId | None = None
    gradcheck: bool = True
    rtol: float | None = 1e-6
    atol: float | None = 1e-8


class NotMutatedSpec(_Call, tag="not_mutated", kw_only=True):
    """The function leaves every input exactly as it was."""


class RaisesSpec(_Call, tag="raises", kw_only=True):
    """The function raises `error` (an exception class name, e.g. ValueError)."""

    error: str


class ScenarioSpec(_Check, tag="scenario", kw_only=True):
    """Trusted code of checks.py: `run(module, ctx)` returns plain data; `judge` compares it."""

    run: str
    args: dict[str, Any] = {}  # keyword arguments for run: one scenario function serves several checks
    judge: str = "equal"  # "equal", "trajectory", "curves", or a function of checks.py
    rtol: float | None = None
    atol: float | None = None
    label: str | None = None  # the kind shown in reports (value, property, stability, ...)


class TrainingSpec(_Check, tag="training", kw_only=True):
    """Trains with the learner's piece; per-step losses stream to the live plot."""

    run: str
    args: dict[str, Any] = {}  # keyword arguments for run
    final_key: str = "final_loss"
    rtol: float = 1e-3
    atol: float = 1e-6
    at_most: float | None = None
    at_least: float | None = None
    compare_keys: list[str] = []
    curves: str | None = None  # a key holding the whole loss curve: judged step by step


CheckSpec = Union[ValueSpec, StabilitySpec, ShapeSpec, PropertySpec, GradientSpec, NotMutatedSpec, RaisesSpec,
                  ScenarioSpec, TrainingSpec]
CALL_KINDS = (ValueSpec, StabilitySpec, ShapeSpec, PropertySpec, GradientSpec, NotMutatedSpec, RaisesSpec)


# -- an exercise ------------------------------------------------------------------------------------

class Defaults(_Spec, kw_only=True):
    function: str | None = None
    oracle: str = "reference"
    mutation_diagnosis: DiagnosisId | None = None
    rtol: float | None = None
    atol: float | None = None
    fresh: bool = False


class Capabilities(_Spec, kw_only=True):
    streams_curve: bool = False  # a training check streams a loss curve (the TUI shows the live plot)
    kernels: list[str] = []  # tutor.kernels functions the oracles use (compiled ahead of the first check)
    numba_in_child: bool = False  # the learner's code uses Numba (imported in the sandbox)
    cuda_simulator: bool = False  # ... with numba.cuda on the simulator when no GPU is lent
    processes: Annotated[int, Meta(ge=1, le=16)] = 1  # the learner's code starts this many processes
    loopback: bool = False  # ... which talk over the sandbox's own loopback network


class ExerciseSpec(_Spec, kw_only=True):
    format: Literal[2]
    title: str
    order: int
    functions: list[Annotated[str, Meta(min_length=1)]]
    hints: Annotated[list[Annotated[str, Meta(min_length=1)]], Meta(min_length=3)]
    checks: Annotated[list[CheckSpec], Meta(min_length=1)]
    section: str = ""
    compare_note: str = ""
    bans: list[str] = []  # ban groups (tutor.engine.bans): every alias of a shortcut, at once
    banned: list[str] = []  # more dotted names (torch.foo, torch.Tensor.bar, aten:op, package.*)
    time_limit_s: Positive = 10.0  # CPU seconds per check
    memory_limit_mb: Annotated[int, Meta(gt=0)] = 2048
    defaults: Defaults = field(default_factory=Defaults)
    capabilities: Capabilities = field(default_factory=Capabilities)
    diagnoses: dict[DiagnosisId, Annotated[str, Meta(min_length=1)]] = {}


class ChapterSpec(_Spec, kw_only=True):
    title: str
    summary: str = ""


def decode(data: dict, kind: type[Struct]):
    """Validate parsed TOML; raises msgspec.ValidationError naming the field."""
    if kind is ExerciseSpec:
        # `kind = "value"` may be left out: the common case reads better without it.
        for check in data.get("checks", []) if isinstance(data.get("checks"), list) else []:
            if isinstance(check, dict):
                check.setdefault("kind", "value")
    return msgspec.convert(data, kind)


def json_schema() -> dict:
    schema = msgspec.json.schema(ExerciseSpec)
    schema["$defs"]["ExerciseSpec"]["description"] = "A tutor exercise (exercise.toml, lesson format v2)."
    return schema
