"""kit.closure_steps and kit.closure_judge: an optimizer's step(closure), recorded and judged."""

import numpy as np
import torch

from tutor.grader import kit
from tutor.grader.context import JudgeContext

DIAGNOSES = {"opt.closure_ignored": "never calls the closure", "opt.closure_no_grad": "grad off"}


class Plain(torch.optim.Optimizer):
    """Gradient descent; `mode` selects a correct step or one of the classic closure mistakes."""

    def __init__(self, params, lr=0.1, mode="right"):
        super().__init__(params, {"lr": lr})
        self.mode = mode

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None and self.mode in ("right", "returns_none"):
            with torch.enable_grad():
                loss = closure()
        elif closure is not None and self.mode == "no_grad":
            loss = closure()
        elif closure is not None and self.mode == "twice":
            with torch.enable_grad():
                closure()
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p -= group["lr"] * p.grad
        return None if self.mode == "returns_none" else loss


def run(mode):
    p = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    return kit.closure_steps(Plain([p], mode=mode), [p], lambda t: ((p - t) ** 2).sum(), steps=6, every=2)


def plain(result):
    from tutor.engine.codec import to_plain

    return to_plain(result)


def judge(mode):
    jc = JudgeContext(DIAGNOSES)
    return kit.closure_judge("opt.closure_ignored", "opt.closure_no_grad")(plain(run(mode)), plain(run("right")), jc)


def test_closure_steps_records_calls_grad_mode_and_the_path():
    got = run("right")
    assert got["steps"] == [0, 2, 4, 6]
    assert got["calls_per_step"] == [1] * 6 and got["grad_enabled"] is True
    assert got["returned"] == got["computed"] and len(got["computed"]) == 6
    # the loss at step t is computed with that step's target t: p moves towards 1, 2, ..., 6
    p, rows = np.array([1.0, -2.0]), [np.array([1.0, -2.0])]
    for t in range(1, 7):
        p = p - 0.1 * 2 * (p - t)
        if t % 2 == 0:
            rows.append(p.copy())
    assert np.allclose(got["trajectory"].numpy(), np.stack(rows))


def test_closure_judge_passes_a_right_step_and_names_each_mistake():
    assert judge("right") is None
    ignored = judge("ignored")
    assert ignored.diagnosis == "opt.closure_ignored" and "did not call the closure at step 1" in ignored.message
    no_grad = judge("no_grad")
    assert no_grad.diagnosis == "opt.closure_no_grad" and "switched off" in no_grad.message
    assert "exactly once per step" in judge("twice")
    assert "must return the loss" in judge("returns_none")


def test_a_parameter_without_a_gradient_until_step_61_is_left_alone_until_then():
    from tutor.grader.context import Context

    made = []

    def make(a, late):
        made.append((a.detach().clone(), late.detach().clone()))
        return Plain([a, late], lr=0.01)

    out = kit.late_parameter_steps(Context(seed=3), make, steps=80, every=5)
    a0, late0 = made[0]
    traj = torch.as_tensor(np.asarray(out["trajectory"]))
    steps = out["steps"]
    late_cols = slice(a0.numel(), None)
    before = [row for s, row in zip(steps, traj) if s <= 60]
    after = [row for s, row in zip(steps, traj) if s > 65]
    assert all(torch.equal(row[late_cols], late0) for row in before)  # no gradient: skipped
    assert not torch.equal(after[-1][late_cols], late0)  # moves once its gradient exists
    again = kit.late_parameter_steps(Context(seed=3), lambda a, late: Plain([a, late], lr=0.01), steps=80, every=5)
    assert np.array_equal(np.asarray(again["trajectory"]), np.asarray(out["trajectory"]))  # seeded


def test_the_small_mlp_streams_every_loss_and_trains():
    from tutor.grader.context import Context

    points = []
    ctx = Context(seed=7, emit_point=lambda series, step, value: points.append((series, step, value)))
    out = kit.train_small_mlp(ctx, lambda net: torch.optim.SGD(net.parameters(), lr=0.5), steps=60)
    assert [p[1] for p in points] == list(range(1, 61)) and {p[0] for p in points} == {"loss"}
    assert out["losses"] == [p[2] for p in points] and out["final_loss"] == out["losses"][-1]
    assert out["final_loss"] < 0.8 * out["losses"][0]


def test_param_groups_steps_hands_over_three_parameters_and_records_all_of_them():
    from tutor.grader.context import Context

    shapes = []

    def make(W, b, s):
        shapes.append((tuple(W.shape), tuple(b.shape), tuple(s.shape)))
        return Plain([{"params": [W], "lr": 0.0}, {"params": [b, s], "lr": 0.05}])

    out = kit.param_groups_steps(Context(seed=5), make, steps=30, every=10)
    assert shapes == [((4, 3), (3,), (5,))] and out["steps"] == [0, 10, 20, 30]
    traj = np.asarray(out["trajectory"])
    assert traj.shape == (4, 12 + 3 + 5)
    assert np.array_equal(traj[0, :12], traj[-1, :12])  # the group with lr 0 stays put
    assert not np.array_equal(traj[0, 12:], traj[-1, 12:])
