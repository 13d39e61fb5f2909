"""Chapter 5: messages and diagnoses on hand-written answers in other styles than the mutants
(test_catalog_validates.py checks that every solution passes and every mutant is caught)."""

from __future__ import annotations

import pytest

from tutor.engine import bans
from tutor.grader.results import Verdict

EXERCISES = ["chapter5/activations", "chapter5/xavier", "chapter5/early_stopping", "chapter5/dropout"]


def failing(result):
    """The ids of the checks that do not pass."""
    return {c.id for c in result.checks if c.verdict is not Verdict.PASS}


def check(result, check_id):
    return next(c for c in result.checks if c.id == check_id)


def test_chapter_reads_in_book_order(catalog):
    chapter = catalog.chapter("chapter5")
    assert chapter.title == "Multilayer Perceptrons" and chapter.summary
    assert [ex.id for ex in chapter.exercises] == EXERCISES


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_exercise_is_complete(catalog, exercise_id):
    ex = catalog.exercise(exercise_id)
    assert len(ex.hints) >= 3 and len(ex.spec.checks) >= 4 and len(ex.solutions) >= 2
    assert {m.diagnosis for m in ex.mutants if m.diagnosis and not m.diagnosis.startswith("generic.")} == set(ex.diagnoses)
    assert any(m.verdict == "forbidden" for m in ex.mutants)
    for name in ex.functions:
        assert name in ex.lesson


def test_ban_groups_cover_every_spelling():
    names = {b.name for b in bans.expand(["activations", "dropout", "init"])}
    for name in ("torch.tanh", "torch.Tensor.sigmoid", "torch.special.expit", "torch.nn.functional.relu",
                 "numpy.tanh", "aten:tanh", "aten:sigmoid_backward", "torch.nn.functional.dropout",
                 "torch.nn.Dropout", "torch.native_dropout", "aten:native_dropout", "torch.nn.init.*"):
        assert name in names
    assert not bans.check_all(bans.expand(["activations", "dropout", "init", "linear_layers", "module_copy"]))


# -- activations --------------------------------------------------------------------------------------

STABLE = """
import torch

def relu(x):
    return torch.where(x > 0, x, torch.zeros_like(x))

def relu_grad(x):
    return (x > 0).to(x.dtype)

def sigmoid(x):
    z = torch.exp(-x.abs())
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))

def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)
"""


def test_tanh_through_exp_2x_overflows_and_is_named(grade):
    source = STABLE + """
def tanh(x):
    e = torch.exp(2 * x)
    return (e - 1) / (e + 1)

def tanh_grad(x):
    return 1 - tanh(x) ** 2
"""
    result = grade("chapter5/activations", source)
    bad = failing(result)
    assert bad == {"tanh_huge", "tanh_grad_huge"}
    huge = check(result, "tanh_huge")
    assert huge.diagnosis == "activations.tanh_overflow"
    assert "tanh(tensor([-1000., -20., 0., 20., 1000.]))" in huge.message
    assert "NaN or infinite" in huge.message
    assert check(result, "tanh_grad_huge").diagnosis == "activations.tanh_overflow"


def test_relu_grad_through_heaviside_at_zero_is_named(grade):
    source = STABLE.replace("return (x > 0).to(x.dtype)", "return torch.heaviside(x, torch.ones_like(x))") + """
def tanh(x):
    return 2 * sigmoid(2 * x) - 1

def tanh_grad(x):
    return 1 - tanh(x) ** 2
"""
    result = grade("chapter5/activations", source)
    assert failing(result) == {"relu_grad_example"}
    first = check(result, "relu_grad_example")
    assert first.diagnosis == "activations.relu_grad_at_zero"
    assert "relu_grad(tensor([-2. , -0.5, 0. , 0.5, 2. ]))" in first.message


def test_symmetric_sigmoid_derivative_overflows_at_plus_1000(grade):
    source = STABLE.replace("    s = sigmoid(x)\n    return s * (1 - s)",
                            "    e = torch.exp(x)\n    return e / (1 + e) ** 2") + """
def tanh(x):
    return 2 * sigmoid(2 * x) - 1

def tanh_grad(x):
    return 1 - tanh(x) ** 2
"""
    result = grade("chapter5/activations", source)
    assert failing(result) == {"sigmoid_grad_huge"}
    assert check(result, "sigmoid_grad_huge").diagnosis == "activations.sigmoid_grad_overflow"


def test_every_spelling_of_the_builtins_is_forbidden(grade):
    for body in ("return torch.special.expit(x)", "import numpy\n    return torch.from_numpy(numpy.tanh(x.numpy()))",
                 "return x.sigmoid_() if False else torch.nn.Sigmoid()(x)"):
        source = STABLE.replace("    z = torch.exp(-x.abs())\n    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))",
                                "    " + body) + "\ndef tanh(x):\n    return 2 * sigmoid(2 * x) - 1\n" \
                                                  "\ndef tanh_grad(x):\n    return 1 - tanh(x) ** 2\n"
        assert grade("chapter5/activations", source).verdict is Verdict.FORBIDDEN, body


# -- xavier --------------------------------------------------------------------------------------------

XAVIER = """
import math
import torch

def xavier_std(n_in, n_out):
    return math.sqrt(2 / (n_in + n_out))

def xavier_bound(n_in, n_out):
    return math.sqrt(6 / (n_in + n_out))
"""


def test_misprinted_std_in_the_sampler_alone_is_named_by_the_statistics(grade):
    source = XAVIER + """
def xavier_normal(n_in, n_out, generator):
    return torch.normal(0.0, 2 / (n_in + n_out), (n_out, n_in), generator=generator)

def xavier_uniform(n_in, n_out, generator):
    a = xavier_bound(n_in, n_out)
    return torch.empty(n_out, n_in).uniform_(-a, a, generator=generator)
"""
    result = grade("chapter5/xavier", source)
    assert failing(result) == {"normal_statistics"}
    stats = check(result, "normal_statistics")
    assert stats.diagnosis == "xavier.variance_as_std"
    assert "standard deviation is 0.0039" in stats.message and "√(2/500) = 0.063246" in stats.message


def test_normal_samples_in_the_uniform_sampler_go_beyond_the_bound(grade):
    source = XAVIER + """
def xavier_normal(n_in, n_out, generator):
    return torch.randn(n_out, n_in, generator=generator) * xavier_std(n_in, n_out)

def xavier_uniform(n_in, n_out, generator):
    return xavier_normal(n_in, n_out, generator)
"""
    result = grade("chapter5/xavier", source)
    uniform = check(result, "uniform_statistics")
    assert uniform.verdict is Verdict.FAIL and uniform.diagnosis is None
    assert "reach up to a and never beyond" in uniform.message and "normal distribution" in uniform.message


def test_uniform_entries_in_the_normal_sampler_have_no_tails(grade):
    source = XAVIER + """
def xavier_normal(n_in, n_out, generator):
    return xavier_uniform(n_in, n_out, generator)

def xavier_uniform(n_in, n_out, generator):
    a = xavier_bound(n_in, n_out)
    return (torch.rand(n_out, n_in, generator=generator) * 2 - 1) * a
"""
    result = grade("chapter5/xavier", source)
    normal = check(result, "normal_statistics")
    assert normal.verdict is Verdict.FAIL
    assert "0.00% of the entries lie beyond ±2σ" in normal.message and "4.55%" in normal.message


def test_std_as_a_tensor_says_a_number_is_due(grade):
    source = XAVIER.replace("return math.sqrt(2 / (n_in + n_out))", "return torch.tensor(2 / (n_in + n_out)).sqrt()") + """
def xavier_normal(n_in, n_out, generator):
    return torch.randn(n_out, n_in, generator=generator) * float(xavier_std(n_in, n_out))

def xavier_uniform(n_in, n_out, generator):
    a = xavier_bound(n_in, n_out)
    return (torch.rand(n_out, n_in, generator=generator) * 2 - 1) * a
"""
    result = grade("chapter5/xavier", source)
    first = check(result, "std_example")
    assert first.verdict is Verdict.FAIL and "expected a number" in first.message


# -- early stopping --------------------------------------------------------------------------------------

def test_counting_past_patience_is_off_by_one(grade):
    source = """
class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.bad_epochs = float("inf"), -1, 0
        self.seen = 0

    def step(self, val_loss):
        if self.best_loss - val_loss > self.min_delta:
            self.best_loss, self.best_epoch, self.bad_epochs = val_loss, self.seen, 0
        else:
            self.bad_epochs += 1
        self.seen += 1
        return self.bad_epochs == self.patience + 1
"""
    result = grade("chapter5/early_stopping", source)
    lesson = check(result, "lesson_example")
    assert lesson.verdict is Verdict.FAIL and lesson.diagnosis == "early_stopping.off_by_one"
    assert "EarlyStopping(patience=2, min_delta=0) fed the validation losses [1, 0.8, 0.85, 0.9" in lesson.message
    assert "after step 3 (loss 0.9) step returned False, expected True" in lesson.message


def test_step_without_a_return_says_what_it_returned(grade):
    source = """
import math

class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.bad_epochs, self.n = math.inf, -1, 0, 0

    def step(self, val_loss):
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.bad_epochs = val_loss, self.n, 0
        else:
            self.bad_epochs += 1
        self.n += 1
        self.stop = self.bad_epochs >= self.patience
"""
    result = grade("chapter5/early_stopping", source)
    assert result.verdict is Verdict.FAIL
    assert "after step 0 (loss 1) step returned None, expected False" in check(result, "lesson_example").message


def test_training_check_streams_both_losses_until_the_stop(grade, catalog):
    solution = catalog.exercise("chapter5/early_stopping").folder / "solutions" / "dataclass_state.py"
    result = grade("chapter5/early_stopping", solution.read_text(encoding="utf-8"))
    training = check(result, "training")
    assert training.verdict is Verdict.PASS and training.kind == "training"
    assert "stopped after epoch" in training.message and "best epoch" in training.message
    learner = training.series["learner"]
    assert set(learner) == {"loss", "val_loss"}
    stopped = int(training.message.split("stopped after epoch ")[1].split(";")[0])
    assert [step for step, _ in learner["val_loss"]] == list(range(stopped + 1))
    best = min(v for _, v in learner["val_loss"])
    assert learner["val_loss"][-1][1] > best  # it stopped because the validation loss went back up


# -- dropout -------------------------------------------------------------------------------------------

DROPOUT_HEAD = """
import torch

def dropout(X, p, training=True, generator=None):
    if not 0 <= p <= 1:
        raise ValueError(p)
    if not training or p == 0:
        return X
    if p == 1:
        return torch.zeros_like(X)
"""


def test_bernoulli_with_p_as_keep_probability_is_named(grade):
    source = DROPOUT_HEAD + """
    mask = torch.bernoulli(torch.full(X.shape, float(p)), generator=generator)
    return X * mask / (1 - p)
"""
    result = grade("chapter5/dropout", source)
    rate = check(result, "drop_rate")
    assert rate.verdict is Verdict.FAIL and rate.diagnosis == "dropout.keep_drop_swapped"
    assert "p=0.2" in rate.message and "expected p = 20%" in rate.message
    assert check(result, "expectation").diagnosis == "dropout.keep_drop_swapped"


def test_where_without_rescaling_is_not_inverted(grade):
    source = DROPOUT_HEAD + """
    u = torch.rand(X.shape, generator=generator)
    return torch.where(u >= p, X, torch.zeros_like(X))
"""
    result = grade("chapter5/dropout", source)
    values = check(result, "values")
    assert values.diagnosis == "dropout.not_inverted"
    assert "your kept entries are x × 1 on average" in values.message
    assert check(result, "gradient").diagnosis == "dropout.not_inverted"


def test_a_fresh_generator_of_its_own_ignores_the_given_one(grade):
    source = DROPOUT_HEAD + """
    g = torch.Generator().manual_seed(0)
    return X * (torch.rand(X.shape, generator=g) > p) / (1 - p)
"""
    result = grade("chapter5/dropout", source)
    assert failing(result) == {"generator"}
    assert check(result, "generator").diagnosis == "dropout.ignores_generator"


def test_dropout_by_any_torch_name_is_forbidden(grade):
    for body in ("from torch.nn.functional import dropout as d\n    return d(X, p, True)",
                 "return torch.nn.Dropout(p)(X)", "return torch.dropout(X, p, True)"):
        assert grade("chapter5/dropout", DROPOUT_HEAD + "    " + body + "\n").verdict is Verdict.FORBIDDEN, body
