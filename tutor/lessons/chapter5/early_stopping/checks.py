"""Checks of chapter5/early_stopping: validation losses fed to the learner's EarlyStopping.

Each scenario feeds a sequence of validation losses, one `step` per epoch, until `step`
returns True (or the sequence ends), and records after every step what it returned and the
stopper's best_loss, best_epoch and bad_epochs. The training scenario fits a small MLP to 20
noisy points until the learner's stopper ends it, then restores the best epoch's weights.
"""

from __future__ import annotations

import math

import torch

from tutor.grader import kit

SEQUENCES = {
    # id: (patience, min_delta, validation losses)
    "lesson": (2, 0.0, [1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.76, 0.77]),
    "improving": (1, 0.0, [2.0 - 0.1 * i for i in range(12)]),
    "patience_one": (1, 0.0, [3.0, 2.0, 2.5, 1.0]),
    "reset": (3, 0.0, [5.0, 4.9, 5.0, 5.1, 4.8, 4.95, 4.9, 4.7, 4.75, 4.8, 4.85, 4.9]),
    "best_not_previous": (4, 0.0, [1.0, 0.5, 0.9, 0.8, 0.7, 0.6, 0.55, 0.52]),
    "tie": (2, 0.0, [2.0, 1.5, 1.5, 1.5, 1.4]),
    "min_delta": (2, 0.1, [1.0, 0.95, 0.85, 0.8, 0.78, 0.82, 0.84, 0.5]),
}


def _plain(value):
    """A recorded attribute as plain data: numbers and bools as they are, anything else by repr."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    return repr(value)


def feed(module, patience, min_delta, losses):
    stopper = kit.member(module, "EarlyStopping")(patience=patience, min_delta=min_delta)
    trace = []
    for loss in losses:
        decision = stopper.step(loss)
        trace.append({"returned": decision if isinstance(decision, bool) else repr(decision),
                      "best_loss": _plain(getattr(stopper, "best_loss", "<missing>")),
                      "best_epoch": _plain(getattr(stopper, "best_epoch", "<missing>")),
                      "bad_epochs": _plain(getattr(stopper, "bad_epochs", "<missing>"))})
        if decision is True:
            break
    return {"patience": patience, "min_delta": min_delta, "losses": losses, "trace": trace}


def _runner(name):
    def run(module, ctx):
        return feed(module, *SEQUENCES[name])

    run.__name__ = f"run_{name}"
    return run


# One scenario per sequence, named in exercise.toml as run_<id>.
for _name in SEQUENCES:
    globals()[f"run_{_name}"] = _runner(_name)
del _name


def _fmt(v):
    return f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def judge_trace(got, expected, jc):
    patience, min_delta, losses = expected["patience"], expected["min_delta"], expected["losses"]
    setup = (f"EarlyStopping(patience={patience}, min_delta={min_delta:g}) fed the validation losses "
             f"[{', '.join(_fmt(v) for v in losses)}]")
    mine, want = got["trace"], expected["trace"]
    for epoch, w in enumerate(want):
        if epoch >= len(mine):
            return kit.Mismatch(f"{setup}: your step returned True at epoch {len(mine) - 1}; the reference keeps going "
                                f"until epoch {len(want) - 1}" + _stop_note(want))
        m = mine[epoch]
        for key in ("returned", "best_epoch", "bad_epochs", "best_loss"):
            same = (math.isclose(m[key], w[key], rel_tol=1e-6, abs_tol=0.0)
                    if isinstance(w[key], float) and isinstance(m[key], (int, float)) and not isinstance(m[key], bool)
                    else m[key] == w[key])
            if not same:
                what = "step returned" if key == "returned" else f"{key} is"
                return kit.Mismatch(f"{setup}: after step {epoch} (loss {_fmt(losses[epoch])}) {what} {_fmt(m[key])}, "
                                    f"expected {_fmt(w[key])}" + _stop_note(want))
    if len(mine) > len(want):
        return kit.Mismatch(f"{setup}: the stopper kept going past epoch {len(want) - 1}" + _stop_note(want))
    return None


def _stop_note(want):
    last = want[-1]
    if last["returned"] is True:
        return (f" (the reference stops after epoch {len(want) - 1}, best epoch {last['best_epoch']}, "
                f"with {last['bad_epochs']} epochs without improvement)")
    return " (the reference never stops on this sequence)"


# -- a training run that early stopping ends ---------------------------------------------------

N_TRAIN, N_VAL, HIDDEN, MAX_EPOCHS, PATIENCE, LR = 20, 100, 64, 200, 15, 0.02


def _data(seed):
    g = torch.Generator().manual_seed(seed)

    def make(n):
        x = torch.rand(n, 1, generator=g) * 6 - 3
        return x, torch.sin(x) + 0.4 * torch.randn(n, 1, generator=g)

    return make(N_TRAIN), make(N_VAL)


def adam(params, lr, b1=0.9, b2=0.999, eps=1e-8):
    """A plain Adam step for the training scenario (torch.optim's first construction imports
    torch._dynamo: seconds of CPU the learner's check should not pay)."""
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    t = [0]

    @torch.no_grad()
    def step():
        t[0] += 1
        for p, mp, vp in zip(params, m, v):
            mp.mul_(b1).add_(p.grad, alpha=1 - b1)
            vp.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
            p.sub_(lr * (mp / (1 - b1 ** t[0])) / ((vp / (1 - b2 ** t[0])).sqrt() + eps))

    return step


def train_run(module, ctx):
    (x, y), (xv, yv) = _data(ctx.seed)
    with kit.seeded(ctx.seed):
        net = torch.nn.Sequential(torch.nn.Linear(1, HIDDEN), torch.nn.Tanh(), torch.nn.Linear(HIDDEN, HIDDEN),
                                  torch.nn.Tanh(), torch.nn.Linear(HIDDEN, 1))
    step = adam(list(net.parameters()), LR)
    stopper = kit.member(module, "EarlyStopping")(patience=PATIENCE)
    val_losses, best_state, stopped_at = [], None, None
    for epoch in range(MAX_EPOCHS):
        loss = ((net(x) - y) ** 2).mean()
        net.zero_grad()
        loss.backward()
        step()
        with torch.no_grad():
            val = float(((net(xv) - yv) ** 2).mean())
        val_losses.append(val)
        ctx.emit("loss", epoch, float(loss.detach()))
        ctx.emit("val_loss", epoch, val)
        decision = stopper.step(val)
        if getattr(stopper, "best_epoch", None) == epoch:
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        if decision is True:
            stopped_at = epoch
            break
    restored = None
    if best_state is not None:
        net.load_state_dict(best_state)
        with torch.no_grad():
            restored = float(((net(xv) - yv) ** 2).mean())
    return {"stopped_at": stopped_at, "best_epoch": _plain(getattr(stopper, "best_epoch", "<missing>")),
            "restored_val_loss": restored, "val_losses": val_losses}


def train_judge(got, expected, jc):
    want_stop, want_best = expected["stopped_at"], expected["best_epoch"]
    setup = (f"training a 1→{HIDDEN}→{HIDDEN}→1 MLP on {N_TRAIN} noisy points with EarlyStopping(patience={PATIENCE}) "
             f"(at most {MAX_EPOCHS} epochs)")
    if got["stopped_at"] != want_stop:
        stop = "never stopped" if got["stopped_at"] is None else f"stopped after epoch {got['stopped_at']}"
        return kit.Mismatch(f"{setup}: your stopper {stop}; the reference stops after epoch {want_stop}, "
                            f"{want_stop - want_best} epochs after the best validation loss "
                            f"{min(expected['val_losses']):.4g} at epoch {want_best}")
    if got["best_epoch"] != want_best:
        return kit.Mismatch(f"{setup}: best_epoch is {got['best_epoch']}, expected {want_best} (the epoch of the lowest "
                            f"validation loss, {min(expected['val_losses']):.4g})")
    m = kit.compare_plain(got["restored_val_loss"], expected["restored_val_loss"], what="restored validation loss",
                          rtol=1e-5, atol=1e-7)
    if m:
        return m
    return kit.Judgement("pass", f"stopped after epoch {want_stop}; best epoch {want_best}, validation loss "
                                 f"{expected['restored_val_loss']:.4g} once its weights are restored (the last epoch's: "
                                 f"{expected['val_losses'][-1]:.4g})")
