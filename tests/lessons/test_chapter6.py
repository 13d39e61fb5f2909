"""Chapter 6: messages and diagnoses on hand-written answers in other styles than the mutants
(test_catalog_validates.py checks that every solution passes and every mutant is caught)."""

from __future__ import annotations

import pytest

from tutor.grader.results import Verdict

EXERCISES = ["chapter6/custom_module", "chapter6/tied", "chapter6/custom_init", "chapter6/save_load"]


def failing(result):
    """The ids of the checks that do not pass."""
    return {c.id for c in result.checks if c.verdict is not Verdict.PASS}


def check(result, check_id):
    return next(c for c in result.checks if c.id == check_id)


def test_chapter_reads_in_book_order(catalog):
    chapter = catalog.chapter("chapter6")
    assert chapter.title == "Builder's Guide" and chapter.summary
    assert [ex.id for ex in chapter.exercises] == EXERCISES


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_exercise_is_complete(catalog, exercise_id):
    ex = catalog.exercise(exercise_id)
    assert len(ex.hints) >= 3 and len(ex.spec.checks) >= 4 and len(ex.solutions) >= 2
    assert {m.diagnosis for m in ex.mutants if m.diagnosis and not m.diagnosis.startswith("generic.")} == set(ex.diagnoses)
    for name in ex.functions:
        assert name in ex.lesson
    # tied parameters have no shortcut to ban: copying a layer is the mistake the exercise names
    assert any(m.verdict == "forbidden" for m in ex.mutants) == (exercise_id != "chapter6/tied")


# -- custom_module -----------------------------------------------------------------------------------

def test_parameters_in_a_python_list_are_not_registered(grade):
    source = """
import torch
from torch import nn

class LinearReLU(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.params = [torch.randn(out_features, in_features, requires_grad=True),
                       torch.zeros(out_features, requires_grad=True)]
        self.weight, self.bias = self.params

    def forward(self, X):
        return torch.relu(X @ self.weight.T + self.bias)
"""
    result = grade("chapter6/custom_module", source)
    registered = check(result, "registered")
    assert registered.diagnosis == "custom_module.not_registered"
    assert "named_parameters() lists nothing" in registered.message
    training = check(result, "training")
    assert training.diagnosis == "custom_module.not_registered"
    assert "net.parameters() yields 0 tensors, expected 4" in training.message
    assert "initial_values" not in failing(result) and "lesson_example" not in failing(result)


def test_an_affine_layer_without_relu_in_another_style_is_named(grade):
    source = """
import torch
from torch import nn

class LinearReLU(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, X):
        return torch.einsum("...i,oi->...o", X, self.weight) + self.bias
"""
    result = grade("chapter6/custom_module", source)
    example = check(result, "lesson_example")
    assert example.verdict is Verdict.FAIL and example.diagnosis == "custom_module.no_activation"
    assert "output" in example.message and "-1.5" in example.message


# -- tied -------------------------------------------------------------------------------------------------

TIED_COUNT = """

def count_parameters(net):
    return sum(p.numel() for p in net.parameters())
"""


def test_a_deep_copy_of_the_layer_is_not_tied(grade):
    source = """
import copy
from torch import nn

def tied_mlp(in_features, hidden, out_features):
    shared = nn.Linear(hidden, hidden)
    return nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), shared, nn.ReLU(), copy.deepcopy(shared),
                         nn.ReLU(), nn.Linear(hidden, out_features))
""" + TIED_COUNT
    result = grade("chapter6/tied", source)
    assert failing(result) == {"identity", "propagate", "gradient"}
    assert {check(result, i).diagnosis for i in ("identity", "propagate", "gradient")} == {"tied.copies"}
    assert "yours is the first use's contribution alone" in check(result, "gradient").message


@pytest.mark.parametrize("count, fails", [
    ("sum(p.numel() for _, p in net.named_parameters(remove_duplicate=False))", {"count_tied", "count_shared_weight"}),
    ("sum(p.numel() for m in net.modules() for p in m.parameters(recurse=False))", {"count_shared_weight"}),
])
def test_counting_a_shared_parameter_twice_is_named(grade, count, fails):
    source = """
from torch import nn

def tied_mlp(in_features, hidden, out_features):
    shared = nn.Linear(hidden, hidden)
    return nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                         nn.Linear(hidden, out_features))

def count_parameters(net):
    return """ + count + "\n"
    result = grade("chapter6/tied", source)
    assert failing(result) == fails
    for check_id in fails:
        assert check(result, check_id).diagnosis == "tied.count_twice"
    if "count_shared_weight" in fails:
        assert "returned 60, expected 35" in check(result, "count_shared_weight").message


# -- custom_init ------------------------------------------------------------------------------------------

def test_assigning_data_keeps_the_parameter_and_passes(grade):
    source = """
import torch
from torch import nn

def init_weights(m):
    if type(m) == nn.Linear:
        w = torch.empty(m.weight.shape).uniform_(-10, 10)
        m.weight.data = w * (w.abs() >= 5)
        if m.bias is not None:
            m.bias.data = torch.zeros_like(m.bias.data)
"""
    assert grade("chapter6/custom_init", source).verdict is Verdict.PASS


def test_python_random_is_not_repeatable_with_torch_seeds(grade):
    source = """
import random
import torch
from torch import nn

def init_weights(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            for row in m.weight:
                for j in range(len(row)):
                    v = random.uniform(-10, 10)
                    row[j] = v if abs(v) >= 5 else 0.0
            if m.bias is not None:
                m.bias.zero_()
"""
    result = grade("chapter6/custom_init", source)
    assert failing(result) == {"seeded"}
    assert "not from Python's random or numpy" in check(result, "seeded").message


def test_the_rule_on_every_modules_own_parameters_rewrites_the_layernorm(grade):
    source = """
import torch

def init_weights(m):
    with torch.no_grad():
        for name, p in m.named_parameters(recurse=False):
            w = torch.empty_like(p).uniform_(-10, 10)
            p.copy_(torch.where(w.abs() < 5, torch.zeros_like(w), w) if name == "weight" else torch.zeros_like(p))
"""
    result = grade("chapter6/custom_init", source)
    assert failing(result) == {"only_linear"}
    only = check(result, "only_linear")
    assert only.diagnosis == "custom_init.not_only_linear"
    assert "the LayerNorm's 1.weight and 1.bias changed" in only.message


# -- save_load -----------------------------------------------------------------------------------------

def test_reading_the_buffer_without_rewinding_says_so(grade):
    source = """
import io
import torch

def save_state(model):
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.read()

def load_state(model, data):
    model.load_state_dict(torch.load(io.BytesIO(data), weights_only=True))
    return model.eval()
"""
    result = grade("chapter6/save_load", source)
    assert result.verdict in (Verdict.FAIL, Verdict.ERROR)
    assert "save_state returned empty bytes" in check(result, "round_trip").message
    assert check(result, "foreign_bytes").verdict is Verdict.PASS


def test_plain_pickle_is_not_a_state_dict_torch_can_load_safely(grade):
    source = """
import pickle

def save_state(model):
    return pickle.dumps({k: v.clone() for k, v in model.state_dict().items()})

def load_state(model, data):
    model.load_state_dict(pickle.loads(data))
    model.eval()
    return model
"""
    result = grade("chapter6/save_load", source)
    fmt = check(result, "standard_format")
    assert fmt.verdict is Verdict.FAIL and fmt.diagnosis == "save_load.whole_model"
    assert "weights_only=True" in fmt.message and "fails" in fmt.message
    assert check(result, "round_trip").verdict is Verdict.PASS


def test_keeping_the_state_in_a_global_is_forbidden(grade):
    source = """
import copy

_STORE = []

def save_state(model):
    _STORE.append(copy.copy(model.state_dict()))
    return str(len(_STORE) - 1).encode()

def load_state(model, data):
    model.load_state_dict(_STORE[int(data)])
    return model.eval()
"""
    result = grade("chapter6/save_load", source)
    assert result.verdict is Verdict.FORBIDDEN
    assert "copy.copy" in check(result, "round_trip").message
