"""Chapter 4: messages and diagnoses on hand-written answers (test_catalog_validates.py checks
that every solution passes and every mutant is caught)."""


def test_wrong_axis_message_shows_the_input_and_the_difference(grade):
    result = grade("chapter4/softmax",
                    "import torch\ndef softmax(X):\n    E = torch.exp(X - X.max())\n    return E / E.sum(0)\n")
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "softmax.wrong_axis"
    assert "softmax(tensor([[0., 1., 2.], [1., 1., 1.]]))" in first.message
    assert "largest absolute difference" in first.message


def test_banned_call_through_getattr_is_forbidden(grade):
    result = grade("chapter4/softmax",
                    "import torch\ndef softmax(X):\n    return getattr(X, 'soft' + 'max')(-1)\n")
    assert result.verdict == "forbidden"
    assert "torch.Tensor.softmax" in result.checks[0].message


def test_catching_the_ban_does_not_help(grade):
    source = ("import torch\ndef softmax(X):\n    try:\n        return torch.softmax(X, -1)\n"
              "    except Exception:\n        e = torch.exp(X - X.max(-1, keepdim=True).values)\n"
              "        return e / e.sum(-1, keepdim=True)\n")
    assert grade("chapter4/softmax", source).verdict == "forbidden"


def test_returning_a_list_fails_with_a_clear_message(grade):
    result = grade("chapter4/softmax",
                    "import torch\ndef softmax(X):\n    e = torch.exp(X - X.max(-1, keepdim=True).values)\n"
                    "    return (e / e.sum(-1, keepdim=True)).tolist()\n")
    assert result.verdict == "fail"
    assert "expected a tensor of shape (2, 3), got a list" in result.checks[0].message


def test_partial_work_scores_partially(grade):
    result = grade("chapter4/cross_entropy",
                    "import torch\ndef cross_entropy(logits, labels):\n"
                    "    lse = torch.log(torch.exp(logits).sum(1))\n"
                    "    return (lse - logits[torch.arange(len(labels)), labels]).mean()\n")
    assert result.verdict == "fail"
    assert 0.5 < result.score < 1.0
    assert {c.diagnosis for c in result.checks if c.diagnosis} == {"cross_entropy.no_max_shift"}


# -- accuracy, covariate shift, label shift -----------------------------------------------------------

def test_chapter4_reads_in_book_order(catalog):
    assert [ex.id for ex in catalog.chapter("chapter4").exercises] == [
        "chapter4/softmax", "chapter4/cross_entropy", "chapter4/accuracy", "chapter4/covariate_shift",
        "chapter4/label_shift"]


def _check(result, check_id):
    return next(c for c in result.checks if c.id == check_id)


def test_accuracy_names_a_sigmoid_applied_to_probabilities(grade):
    source = ("import torch\n"
              "def accuracy(scores, labels, from_logits=True):\n"
              "    if scores.shape[:labels.dim()] == labels.shape and scores.dim() > labels.dim() and scores.shape[-1] > 1:\n"
              "        hits = scores.max(dim=-1).indices == labels\n"
              "    else:\n"
              "        hits = (torch.sigmoid(scores.reshape(labels.shape)) > 0.5).long() == labels\n"
              "    return hits.sum().item() / labels.numel()\n")
    result = grade("chapter4/accuracy", source)
    assert _check(result, "lesson_binary_logits").verdict == "pass"
    probabilities = _check(result, "lesson_binary_probabilities")
    assert probabilities.verdict == "fail" and probabilities.diagnosis == "accuracy.threshold_confusion"
    assert "from_logits=False" in probabilities.message and "0.5" in probabilities.message
    assert _check(result, "ties").verdict == "pass"


def test_accuracy_counting_every_tied_class_is_named_on_the_ties_check(grade):
    source = ("import torch\n"
              "def accuracy(scores, labels, from_logits=True):\n"
              "    if scores.shape == labels.shape or scores.shape[-1] == 1:\n"
              "        s = scores.reshape(labels.shape)\n"
              "        return ((s > (0 if from_logits else 0.5)).long() == labels).double().mean().item()\n"
              "    best = scores == scores.max(dim=-1, keepdim=True).values\n"
              "    return best.gather(-1, labels.unsqueeze(-1)).double().mean().item()\n")
    result = grade("chapter4/accuracy", source)
    ties = _check(result, "ties")
    assert ties.verdict == "fail" and ties.diagnosis == "accuracy.ties"
    assert "first" in ties.message and "[3., 3., 3.]" in ties.message  # the rule, and the input that shows it
    assert _check(result, "random_batch").verdict == "pass"


def test_accuracy_a_tensor_result_is_named_not_a_float(validation):
    result = validation.result("chapter4/accuracy", "mutants/returns_tensor.py")
    first = result.checks[0]
    assert first.diagnosis == "accuracy.not_a_float"
    assert "expected a number, got a tensor" in first.message and ".item()" in first.message


def test_label_shift_sklearn_layout_is_named_transposed(grade):
    source = ("import numpy as np\nimport torch\n"
              "def target_label_distribution(val_pred, val_true, target_pred, num_classes):\n"
              "    counts = np.zeros((num_classes, num_classes))\n"
              "    for t, p in zip(val_true.tolist(), val_pred.tolist()):\n"
              "        counts[t, p] += 1  # sklearn's layout: true labels on the rows\n"
              "    if (counts.sum(axis=1) == 0).any():\n"
              "        raise ValueError('a class has no validation example')\n"
              "    C = counts / counts.sum(axis=1, keepdims=True)\n"
              "    mu = np.bincount(target_pred.numpy(), minlength=num_classes) / len(target_pred)\n"
              "    p = np.clip(np.linalg.solve(C, mu), 0, None)\n"
              "    return torch.tensor(p / p.sum())\n")
    result = grade("chapter4/label_shift", source)
    three = _check(result, "three_classes")
    assert three.verdict == "fail" and three.diagnosis == "label_shift.transposed"
    assert "300 validation and 400 target examples" in three.message
    assert _check(result, "missing_class").verdict == "pass"


def test_label_shift_missing_class_must_raise(validation):
    result = validation.result("chapter4/label_shift", "mutants/no_missing_class_error.py")
    missing = _check(result, "missing_class")
    assert missing.diagnosis == "label_shift.missing_class" and "should raise ValueError" in missing.message
    assert all(c.verdict == "pass" for c in result.checks if c.id != "missing_class")


def test_covariate_shift_training_streams_and_lands_near_the_true_ratio(validation):
    result = validation.result("chapter4/covariate_shift", "reference.py")
    training = _check(result, "gaussian_shift")
    assert training.verdict == "pass" and training.kind == "training"
    learner, reference = training.series["learner"]["loss"], training.series["reference"]["loss"]
    assert [step for step, _ in learner] == list(range(1, 301)) and len(reference) == 300
    assert abs(learner[0][1] - 0.693147) < 1e-5 and learner[-1][1] < learner[0][1] - 0.1
    assert training.details["learner"] <= 0.15  # mean |log β − log β_true| against the known shift


def test_covariate_shift_inverse_ratio_written_by_hand_is_named_inverted(grade):
    """q/p computed as exp(−h) with the inverse size factor: no mutant gives these numbers, the detector does."""
    source = ("import torch\n"
              "def importance_weights(X_source, X_target, steps=300, lr=1.0, on_loss=None):\n"
              "    X = torch.cat([X_source, X_target]); n_s, n_t = len(X_source), len(X_target)\n"
              "    z = torch.cat([torch.zeros(n_s), torch.ones(n_t)]).to(X.dtype)\n"
              "    w, b = torch.zeros(X.shape[1], dtype=X.dtype), 0.0\n"
              "    for t in range(steps):\n"
              "        h = X @ w + b\n"
              "        if on_loss: on_loss(t + 1, float(torch.nn.functional.softplus(h).mean() - (z * h).mean()))\n"
              "        r = torch.sigmoid(h) - z\n"
              "        w, b = w - lr * X.T @ r / len(z), b - lr * float(r.mean())\n"
              "    return (n_t / n_s) * torch.exp(-(X_source @ w + b))\n"
              "def reweighted_loss(losses, beta):\n"
              "    return (losses * beta).sum() / beta.sum()\n")
    result = grade("chapter4/covariate_shift", source)
    lesson = _check(result, "lesson_weights")
    assert lesson.verdict == "fail" and lesson.diagnosis == "covariate_shift.inverted"
    assert "q(x)/p(x)" in lesson.message
    assert _check(result, "lesson_loss").verdict == "pass"
    assert _check(result, "gaussian_shift").diagnosis == "covariate_shift.inverted"
