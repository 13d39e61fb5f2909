"""Chapter 2: messages and diagnoses on hand-written answers written in other styles than the
mutants (test_catalog_validates.py checks that every solution passes and every mutant is caught)."""

from tutor.grader.results import Verdict

PAIRWISE = ("def pairwise_distances(X, Y):\n"
            "    return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1).sqrt()\n")
BROADCAST = ("def broadcast_shape(a, b):\n"
             "    n = max(len(a), len(b))\n"
             "    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)\n"
             "    if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):\n"
             "        raise ValueError('no')\n"
             "    return tuple(y if x == 1 else x for x, y in zip(a, b))\n")


def check(result, check_id):
    return next(c for c in result.checks if c.id == check_id)


def test_left_aligned_zip_longest_is_named_and_shows_the_shapes(grade):
    source = ("from itertools import zip_longest\n"
              "def broadcast_shape(a, b):\n"
              "    out = []\n"
              "    for x, y in zip_longest(a, b, fillvalue=1):\n"
              "        if x != y and 1 not in (x, y):\n"
              "            raise ValueError('no')\n"
              "        out.append(y if x == 1 else x)\n"
              "    return tuple(out)\n" + PAIRWISE)
    result = grade("chapter2/broadcasting", source)
    more_axes = check(result, "more_axes")
    assert more_axes.verdict is Verdict.FAIL and more_axes.diagnosis == "broadcasting.left_aligned"
    assert "broadcast_shape([2, 1, 3], [2, 1])" in more_axes.message and "pad the shorter shape" in more_axes.message
    assert check(result, "lesson_distances").verdict is Verdict.PASS


def test_squared_distances_by_einsum_are_named_on_the_lesson_example(grade):
    source = ("import torch\n" + BROADCAST +
              "def pairwise_distances(X, Y):\n"
              "    D = X[:, None, :] - Y[None, :, :]\n"
              "    return torch.einsum('nmd,nmd->nm', D, D)\n")
    result = grade("chapter2/broadcasting", source)
    lesson = check(result, "lesson_distances")
    assert lesson.diagnosis == "broadcasting.squared"
    assert "expected 5, got 25" in lesson.message
    assert check(result, "shape_table").verdict is Verdict.PASS


def test_torch_size_is_not_a_plain_tuple_of_ints(grade):
    source = ("import torch\n"
              "def broadcast_shape(a, b):\n"
              "    n = max(len(a), len(b))\n"
              "    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)\n"
              "    if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):\n"
              "        raise ValueError('no')\n"
              "    return torch.Size(y if x == 1 else x for x, y in zip(a, b))\n" + PAIRWISE)
    result = grade("chapter2/broadcasting", source)
    assert check(result, "python_ints").verdict is Verdict.FAIL
    assert "tuple of 3 Python ints" in check(result, "python_ints").message


def test_set_swaps_the_memory_and_is_named(grade):
    source = ("import torch\n"
              "def sgd_update_(params, grads, lr):\n"
              "    with torch.no_grad():\n"
              "        for p, g in zip(params, grads):\n"
              "            p.set_(p - lr * g)\n")
    result = grade("chapter2/in_place_update", source)
    first = check(result, "lesson_example")
    assert first.verdict is Verdict.FAIL and first.diagnosis == "inplace.new_memory"
    assert "data_ptr changed" in first.message


def test_slice_assigning_the_list_replaces_its_entries(grade):
    source = ("import torch\n"
              "def sgd_update_(params, grads, lr):\n"
              "    with torch.no_grad():\n"
              "        params[:] = [p - lr * g for p, g in zip(params, grads)]\n")
    result = grade("chapter2/in_place_update", source)
    assert {c.diagnosis for c in result.checks if c.verdict is Verdict.FAIL} == {"inplace.replaced_in_list"}


def test_flatten_then_write_misses_only_the_non_contiguous_parameters(grade):
    source = ("import torch\n"
              "def sgd_update_(params, grads, lr):\n"
              "    with torch.no_grad():\n"
              "        for p, g in zip(params, grads):\n"
              "            p.flatten().sub_(lr * g.flatten())\n")
    result = grade("chapter2/in_place_update", source)
    failed = [c for c in result.checks if c.verdict is not Verdict.PASS]
    assert [c.id for c in failed] == ["non_contiguous"]
    assert failed[0].diagnosis == "inplace.wrote_into_copy" and "not contiguous" in failed[0].message


def test_two_a_x_is_named_as_assuming_symmetry(grade):
    source = ("import torch\n"
              "def grad_Ax(A, x):\n    return A.mT.clone()\n"
              "def grad_quadratic(A, x):\n    return 2 * torch.mv(A, x)\n"
              "def grad_least_squares(X, w, y):\n    return 2 * X.T @ (X @ w - y)\n")
    result = grade("chapter2/matrix_calculus", source)
    lesson = check(result, "lesson_quadratic")
    assert lesson.diagnosis == "matrix_calculus.assumes_symmetric"
    assert "expected 0, got -2" in lesson.message
    assert check(result, "quadratic_float64").verdict is Verdict.PASS  # 1×1: symmetric, so 2Ax is right there


def test_chain_rule_explains_the_jacobian_layout(grade):
    source = ("def grad_Ax(A, x):\n    return A * 1\n"
              "def grad_quadratic(A, x):\n    return (A + A.T) @ x\n"
              "def grad_least_squares(X, w, y):\n    return 2 * X.T @ (X @ w - y)\n")
    chain = check(grade("chapter2/matrix_calculus", source), "chain_rule")
    assert chain.diagnosis == "matrix_calculus.jacobian_layout"
    assert "returned shape (3, 5)" in chain.message


def test_fresh_forward_passes_without_zeroing_accumulate(grade):
    source = ("import torch\n"
              "def jacobian(f, x):\n"
              "    x = x.detach().requires_grad_(True)\n"
              "    m = f(x).numel()\n"
              "    J = torch.zeros(m, x.numel(), dtype=x.dtype)\n"
              "    for i in range(m):\n"
              "        f(x)[i].backward()\n"
              "        J[i] = x.grad\n"
              "    return J\n")
    result = grade("chapter2/jacobian", source)
    lesson = check(result, "lesson_example")
    assert lesson.diagnosis == "jacobian.accumulates"
    assert "expected 2, got 4" in lesson.message


def test_a_renamed_autograd_grad_is_forbidden(grade):
    source = ("import torch\n"
              "from torch.autograd import grad as derivative\n"
              "def jacobian(f, x):\n"
              "    x = x.detach().requires_grad_(True)\n"
              "    y = f(x)\n"
              "    return torch.stack([derivative(y[i], x, retain_graph=True)[0] for i in range(len(y))])\n")
    result = grade("chapter2/jacobian", source)
    assert result.verdict is Verdict.FORBIDDEN
    assert "torch.autograd.grad" in result.checks[0].message


def test_backpropagating_into_the_callers_parameter_is_named(grade):
    source = ("import torch\n"
              "def jacobian(f, x):\n"
              "    if x.requires_grad:\n"
              "        x.retain_grad()\n"
              "    else:\n"
              "        x = x.detach().requires_grad_(True)\n"
              "    rows = []\n"
              "    for i in range(f(x).numel()):\n"
              "        x.grad = None\n"
              "        f(x)[i].backward()\n"
              "        rows.append(x.grad.clone())\n"
              "    return torch.stack(rows)\n")
    result = grade("chapter2/jacobian", source)
    caller = check(result, "caller_untouched")
    assert caller.diagnosis == "jacobian.no_detach"
    assert "x = 2·w" in caller.message and "w.grad is no longer None" in caller.message
    assert check(result, "lesson_example").verdict is Verdict.PASS
