"""Chapter 3: messages and diagnoses on hand-written answers written in other styles than the
mutants, and the streamed training curves (test_catalog_validates.py checks that every solution
passes and every mutant is caught)."""

import pytest

from tutor.grader.results import Verdict


def check(result, check_id):
    return next(c for c in result.checks if c.id == check_id)


def test_multinomial_with_replacement_is_named_with_the_repeats(grade):
    source = ("import torch\n"
              "def data_iter(X, y, batch_size, generator):\n"
              "    n = len(X)\n"
              "    idx = torch.multinomial(torch.ones(n), n, replacement=True, generator=generator)\n"
              "    for k in range(0, n, batch_size):\n"
              "        yield X[idx[k:k + batch_size]], y[idx[k:k + batch_size]]\n")
    lesson = check(grade("chapter3/minibatches", source), "lesson_example")
    assert lesson.verdict is Verdict.FAIL and lesson.diagnosis == "minibatch.with_replacement"
    assert "more than once" in lesson.message and "for n = 10 examples" in lesson.message


def test_numpy_permutation_ignores_the_generator(grade):
    source = ("import numpy as np\nimport torch\n"
              "def data_iter(X, y, batch_size, generator):\n"
              "    order = torch.from_numpy(np.random.permutation(len(X)))\n"
              "    for k in range(0, len(X), batch_size):\n"
              "        yield X[order[k:k + batch_size]], y[order[k:k + batch_size]]\n")
    result = grade("chapter3/minibatches", source)
    failed = [c for c in result.checks if c.verdict is not Verdict.PASS]
    assert [c.id for c in failed] == ["seeded"] and failed[0].diagnosis == "minibatch.ignores_generator"


def test_chunk_gives_the_wrong_sizes_and_says_which(grade):
    source = ("import torch\n"
              "def data_iter(X, y, batch_size, generator):\n"
              "    perm = torch.randperm(len(X), generator=generator)\n"
              "    for idx in torch.chunk(perm, max(1, len(X) // batch_size)):\n"
              "        yield X[idx], y[idx]\n")
    lesson = check(grade("chapter3/minibatches", source), "lesson_example")
    assert lesson.verdict is Verdict.FAIL
    assert "batch sizes [5, 5], expected [4, 4, 2]" in lesson.message


def test_hand_written_summed_gradient_is_named_sum_not_mean(grade):
    source = ("import torch\n"
              "def train_linear_regression(X, y, lr, batch_size, epochs, generator, on_loss=None):\n"
              "    w, b = torch.zeros(X.shape[1], dtype=X.dtype), torch.zeros((), dtype=X.dtype)\n"
              "    for _ in range(epochs):\n"
              "        for idx in torch.randperm(len(X), generator=generator).split(batch_size):\n"
              "            r = X[idx] @ w + b - y[idx]\n"
              "            if on_loss:\n"
              "                on_loss(float((0.5 * r * r).mean()))\n"
              "            w, b = w - lr * X[idx].T @ r, b - lr * r.sum()\n"
              "    return w, b\n")
    lesson = check(grade("chapter3/linear_regression", source), "lesson_example")
    assert lesson.verdict is Verdict.FAIL and lesson.diagnosis == "linreg.sum_not_mean"
    assert lesson.message.startswith("Your steps are |B| times too long")


def test_training_streams_the_loss_and_lands_on_the_closed_form(grade, catalog):
    ex = catalog.exercise("chapter3/linear_regression")
    result = grade("chapter3/linear_regression", ex.reference_path.read_text())
    training = check(result, "closed_form")
    assert training.verdict is Verdict.PASS and training.kind == "training"
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert [step for step, _ in learner] == list(range(1, 301)) and len(reference) == 300
    assert learner[-1][1] < 0.01 * learner[0][1]  # it really trains
    optimum = reference[0][1]  # the oracle reports the least-squares optimum's loss at every step
    assert all(value == optimum for _, value in reference)
    assert learner[-1][1] < 10 * optimum  # one batch of 10: noisy, but near the optimum


def test_penalising_the_bias_through_autograd_is_named(grade):
    source = ("import torch\n"
              "def penalized_step(w, b, X, y, lr, lam, penalty):\n"
              "    if penalty not in ('none', 'l2', 'l1'):\n"
              "        raise ValueError(penalty)\n"
              "    w, b = w.detach().clone().requires_grad_(), b.detach().clone().requires_grad_()\n"
              "    J = 0.5 * ((X @ w + b - y) ** 2).mean()\n"
              "    if penalty == 'l2':\n"
              "        J = J + lam / 2 * (w * w).sum() + lam / 2 * b * b\n"
              "    J.backward()\n"
              "    with torch.no_grad():\n"
              "        z = w - lr * w.grad\n"
              "        if penalty == 'l1':\n"
              "            z = z.sign() * (z.abs() - lr * lam).clamp(min=0)\n"
              "        return z, b - lr * b.grad\n")
    result = grade("chapter3/ridge_lasso", source)
    bias = check(result, "bias_not_penalised")
    assert bias.verdict is Verdict.FAIL and bias.diagnosis == "penalty.bias_penalized"
    assert "output[1]" in bias.message  # the bias is the part that differs
    assert check(result, "lesson_l1").verdict is Verdict.PASS


def test_softshrink_under_another_name_is_forbidden(grade):
    source = ("from torch.nn.functional import softshrink as shrink\n"
              "def penalized_step(w, b, X, y, lr, lam, penalty):\n"
              "    r = X @ w + b - y\n"
              "    z = w - lr * (X.T @ r / len(y) + (lam * w if penalty == 'l2' else 0))\n"
              "    return (shrink(z, lr * lam) if penalty == 'l1' else z), b - lr * r.mean()\n")
    assert grade("chapter3/ridge_lasso", source).verdict is Verdict.FORBIDDEN


def test_effect_check_streams_three_objectives_and_shows_sparsity(grade, catalog):
    ex = catalog.exercise("chapter3/ridge_lasso")
    effect = check(grade("chapter3/ridge_lasso", ex.reference_path.read_text()), "effect")
    assert effect.verdict is Verdict.PASS
    series = effect.series["learner"]
    assert sorted(series) == ["objective, L1, λ = 0.2", "objective, L2, λ = 0.5", "objective, no penalty"]
    assert all(len(points) == 200 for points in series.values())
    assert "5 of 8 weights exactly 0" in effect.message and "closed-form ridge solution" in effect.message
