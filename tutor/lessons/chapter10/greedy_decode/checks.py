"""Scenarios of chapter10/greedy_decode.

Every scenario hands the learner's greedy_decode a decoder written here (the step function and
the state an encoder would have produced) and records, on the decoder's side, how it is driven:
how many times it is called, whether each call gets the state the previous call returned, and
whether each unfinished row is fed the token the previous step chose. The judge compares the
decoded tokens, lengths and number of calls with the reference's; the detector reads the record
to name the mistake whatever the code looks like.

Two decoders: the lesson's toy translator, which recites three memorised translations as long as
it is driven correctly and goes astray otherwise, and a small GRU decoder with seeded weights
whose state may be a tensor, a tuple (h, context) or a dict.
"""

import math
import zlib

import torch

from tutor.grader import kit

PAD, BOS, EOS = 0, 1, 2
SPECIALS = ["<pad>", "<bos>", "<eos>"]
NEVER = -30.0  # the logit of pad and bos: a decoder never predicts them

# -- the decoders --------------------------------------------------------------------------------


def _ids(tokens, batch_size, vocab):
    """The fed tokens as a (B,) int64 tensor, or a clear error."""
    if not isinstance(tokens, torch.Tensor):
        raise TypeError(f"step_fn takes the previous tokens as a tensor of token ids, got {type(tokens).__name__}")
    if tokens.dtype.is_floating_point or tokens.dtype.is_complex or tokens.dtype == torch.bool:
        raise TypeError(f"step_fn takes token ids as an integer tensor (int64), got {tokens.dtype}")
    shape = tuple(tokens.shape)
    if shape not in ((batch_size,), (batch_size, 1)):
        hint = ""
        if shape == (vocab,) and vocab != batch_size:
            hint = (f"; {vocab} is the vocabulary size, so you took the argmax over the batch axis (dim 0) of the "
                    f"({batch_size}, {vocab}) logits instead of over the vocabulary axis")
        raise ValueError(f"step_fn takes one token per row of the batch, a tensor of shape ({batch_size},) or "
                         f"({batch_size}, 1); got shape {shape}{hint}")
    ids = tokens.reshape(batch_size).to(torch.int64)
    bad = (ids < 0) | (ids >= vocab)
    if bool(bad.any()):
        raise ValueError(f"step_fn got token id {int(ids[bad][0])}, outside the vocabulary 0..{vocab - 1}")
    return ids


class Translator:
    """The lesson's toy decoder: it has memorised one translation per source sentence (the state
    an encoder gives it says which), and recites it word by word as long as it is fed its own
    words in order with its state carried along. Anything else takes it off the script, and then
    its scores are arbitrary (but deterministic)."""

    names = SPECIALS + ["va", "!", "j'ai", "perdu", ".", "je", "suis", "chez", "moi"]
    scripts = [[3, 4, EOS], [8, 9, 10, 11, 7, EOS], [5, 6, 7, EOS]]  # va ! | je suis chez moi . | j'ai perdu .
    vocab = len(names)

    def __init__(self, rows=(0, 1, 2)):
        self.rows = list(rows)
        self.batch_size = len(self.rows)

    def initial_state(self):
        """(which sentence each row translates, the tokens each row was fed so far)."""
        return (torch.tensor(self.rows, dtype=torch.int64), torch.zeros(len(self.rows), 0, dtype=torch.int64))

    def __call__(self, tokens, state):
        try:
            sentence, history = state
            batch_size = sentence.shape[0]
            assert history.shape[0] == batch_size
        except Exception:
            raise TypeError("step_fn's state must be what the previous call returned (the first call: the state you "
                            f"were given), got {type(state).__name__}") from None
        ids = _ids(tokens, batch_size, self.vocab)
        history = torch.cat([history, ids[:, None]], dim=1)
        logits = torch.empty(batch_size, self.vocab)
        for b in range(batch_size):
            fed = history[b].tolist()
            s = int(sentence[b])
            script = self.scripts[s]
            g = torch.Generator().manual_seed(zlib.crc32(repr((s, fed)).encode()))
            row = torch.randn(self.vocab, generator=g)
            t = len(fed)
            if t <= len(script) and fed == [BOS] + script[:t - 1]:
                row[script[t - 1]] += 10.0
            row[PAD] = row[BOS] = NEVER
            logits[b] = row
        return logits, (sentence, history)


class GRUDecoder:
    """A small GRU decoder with seeded weights, as in a seq2seq model: the embedding of the fed
    token and a context vector from the encoder go into a GRU cell, a linear layer scores the
    vocabulary. Like a trained decoder it has a sense of length: the last column of h is a
    clock that starts at minus the row's intended length and counts the steps, and the eos
    score grows with it, so rows finish at different steps. `state` says how the state is
    packed: "tensor" (h alone, no context), "tuple" (h, context) or "dict" {"h": ..., "context":
    ...}. eos_bias shifts the eos score (+60: eos at once; -60: never)."""

    def __init__(self, vocab, batch_size, seed, max_len, eos_bias=0.0, state="tuple", hidden=8, embed=5):
        self.vocab, self.batch_size, self.kind = vocab, batch_size, state
        self.names = SPECIALS + [str(i) for i in range(3, vocab)]
        g = torch.Generator().manual_seed(seed)
        H, E = hidden, embed
        d = E + (0 if state == "tensor" else H)
        f64 = torch.float64
        self.emb = torch.randn(vocab, E, generator=g, dtype=f64)
        self.w_ih = 3.0 * torch.randn(3 * H, d, generator=g, dtype=f64) / math.sqrt(d)
        self.w_hh = torch.randn(3 * H, H, generator=g, dtype=f64) / math.sqrt(H)
        self.b_ih = 0.1 * torch.randn(3 * H, generator=g, dtype=f64)
        self.b_hh = 0.1 * torch.randn(3 * H, generator=g, dtype=f64)
        self.w_out = 2.0 * torch.randn(vocab, H, generator=g, dtype=f64)
        self.b_out = 0.5 * torch.randn(vocab, generator=g, dtype=f64)
        self.b_out[EOS] += eos_bias
        self.b_out[PAD] = self.b_out[BOS] = NEVER
        h = torch.tanh(torch.randn(batch_size, H, generator=g, dtype=f64))
        intended = torch.randint(1, max_len + 3, (batch_size,), generator=g).to(f64)
        self.h0 = torch.cat([h, -intended[:, None]], dim=1)
        self.context = torch.tanh(torch.randn(batch_size, H, generator=g, dtype=f64))

    def initial_state(self):
        if self.kind == "tensor":
            return self.h0.clone()
        if self.kind == "dict":
            return {"h": self.h0.clone(), "context": self.context.clone()}
        return (self.h0.clone(), self.context.clone())

    def _unpack(self, state):
        try:
            if self.kind == "tensor":
                h, c = state, None
            elif self.kind == "dict":
                h, c = state["h"], state["context"]
            else:
                h, c = state
            ok = isinstance(h, torch.Tensor) and tuple(h.shape) == tuple(self.h0.shape)
            ok = ok and (c is None or isinstance(c, torch.Tensor) and tuple(c.shape) == tuple(self.context.shape))
        except Exception:
            ok = False
        if not ok:
            raise TypeError("step_fn's state must be what the previous call returned (the first call: the state you "
                            f"were given), got {type(state).__name__}")
        return h, c

    def __call__(self, tokens, state):
        h_all, c = self._unpack(state)
        ids = _ids(tokens, self.batch_size, self.vocab)
        h, clock = h_all[:, :-1], h_all[:, -1:] + 1
        x = self.emb[ids] if c is None else torch.cat([self.emb[ids], c], dim=1)
        gi = x @ self.w_ih.T + self.b_ih
        gh = h @ self.w_hh.T + self.b_hh
        H = h.shape[1]
        r = torch.sigmoid(gi[:, :H] + gh[:, :H])
        z = torch.sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = torch.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        h = (1 - z) * n + z * h
        logits = h @ self.w_out.T + self.b_out
        logits[:, EOS] += 3.0 * clock[:, 0]
        h_all = torch.cat([h, clock], dim=1)
        if self.kind == "tensor":
            return logits, h_all
        if self.kind == "dict":
            return logits, {"h": h_all, "context": c}
        return logits, (h_all, c)


# -- recording how the decoder is driven ---------------------------------------------------------


def same_state(a, b) -> bool:
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.shape == b.shape
                and bool(torch.equal(a.detach(), b.detach())))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(same_state(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_state(a[k], b[k]) for k in a)
    return a is b or a == b


class Recorder:
    """Wraps a decoder: the step function the learner calls. Rows count as finished once the
    greedy choice of the logits handed out was eos; what a finished row is fed is not looked at."""

    def __init__(self, model, state, batch_size, max_len):
        self.model, self.last_state, self.batch_size, self.max_len = model, state, batch_size, max_len
        self.calls = 0
        self.finished = torch.zeros(batch_size, dtype=torch.bool)
        self.choice = self.choice_axis0 = None
        self.state_carried = self.fed_back = True
        self.fed_bos_first = True
        self.fed_axis0 = False
        self.first_eos_step = None
        self.misfed = None  # the first wrong feed: {"step", "row", "fed", "chose"} (chose None: bos was due)
        self.state_dropped_at = None  # the first step whose state is not the one the previous call returned

    def __call__(self, tokens, state):
        self.calls += 1
        if self.calls > 2 * self.max_len + 5:
            raise RuntimeError(f"step_fn was called {self.calls} times with max_len={self.max_len}: "
                               "decoding never stops")
        ids = _ids(tokens, self.batch_size, self.model.vocab)
        alive = ~self.finished
        if not same_state(state, self.last_state):
            self.state_carried = False
            if self.state_dropped_at is None:
                self.state_dropped_at = self.calls
        due = torch.full_like(ids, BOS) if self.choice is None else self.choice
        wrong = alive & (ids != due)
        if bool(wrong.any()):
            if self.choice is None:
                self.fed_bos_first = False
            else:
                self.fed_back = False
                if self.choice_axis0 is not None and bool((ids[alive] == self.choice_axis0[alive]).all()):
                    self.fed_axis0 = True
            if self.misfed is None:
                row = int(wrong.nonzero()[0, 0])
                self.misfed = {"step": self.calls, "row": row, "fed": int(ids[row]),
                               "chose": None if self.choice is None else int(due[row])}
        logits, new_state = self.model(tokens, state)
        self.choice = logits.argmax(dim=1)
        self.choice_axis0 = logits.argmax(dim=0) if logits.shape[0] == logits.shape[1] else None
        if self.first_eos_step is None and bool((self.choice[alive] == EOS).any()):
            self.first_eos_step = self.calls
        self.finished = self.finished | (self.choice == EOS)
        self.last_state = new_state
        return logits, new_state


# -- scenarios -----------------------------------------------------------------------------------


def case(label, model, max_len):
    return dict(label=label, model=model, max_len=max_len)


def _translator(max_len, rows=(0, 1, 2)):
    return case(f"greedy_decode(toy translator, state, batch_size={len(rows)}, bos=1, eos=2, pad=0, "
                f"max_len={max_len})", Translator(rows), max_len)


def _gru(vocab, batch_size, seed, max_len, eos_bias=0.0, state="tuple", note=""):
    label = (f"greedy_decode(GRU decoder{note}, state, batch_size={batch_size}, bos=1, eos=2, pad=0, "
             f"max_len={max_len}) with a vocabulary of {vocab}")
    return case(label, GRUDecoder(vocab, batch_size, seed, max_len, eos_bias, state), max_len)


# Seeds chosen so that rows finish at different steps (some never, in the first decoder) and the
# best token of every step beats the second by a clear margin (tests/lessons/test_chapter10.py).
CASES = {
    "lesson_example": lambda: [_translator(10)],
    "lesson_max_len": lambda: [_translator(4)],
    "random_decoders": lambda: [_gru(9, 5, 100, 8), _gru(11, 4, 302, 12), _gru(8, 7, 370, 10)],
    "decoder_states": lambda: [_gru(9, 4, 416, 10, state="tensor", note=" whose state is one tensor"),
                               _gru(9, 4, 563, 10, state="tuple", note=" whose state is (h, context)"),
                               _gru(9, 4, 625, 10, state="dict", note=" whose state is {'h': ..., 'context': ...}")],
    "square_batch": lambda: [_gru(6, 6, 859, 8)],
    "edge_cases": lambda: [
        _gru(9, 1, 802, 9, note=" on a single row"),
        _gru(9, 4, 402, 1),
        _gru(9, 4, 403, 6, eos_bias=60.0, note=" that says eos at once in every row"),
        _gru(9, 3, 404, 5, eos_bias=-60.0, note=" that never says eos"),
        _translator(10, rows=(2, 0, 0, 2, 1)),
    ],
}


def unpack(out, batch_size):
    """The learner's (tokens, lengths) as plain data, or a clear error."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(f"greedy_decode should return a pair (tokens, lengths), got {kit.describe_type(out)}")
    tokens, lengths = out
    for name, t, dims in (("tokens", tokens, 2), ("lengths", lengths, 1)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"greedy_decode should return (tokens, lengths) as two tensors; {name} is "
                            f"{kit.describe_type(t)}")
        if t.dim() != dims or t.shape[0] != batch_size:
            want = f"({batch_size}, L)" if dims == 2 else f"({batch_size},)"
            raise ValueError(f"{name} should have shape {want}, one row per sequence of the batch; got "
                             f"{tuple(t.shape)}")
    def ints(t):
        return t.detach().to(torch.float64).round().to(torch.int64).tolist()

    return {"tokens": ints(tokens), "tokens_dtype": str(tokens.dtype),
            "lengths": ints(lengths), "lengths_dtype": str(lengths.dtype)}


def run_cases(module, cases):
    decode = kit.function(module, "greedy_decode")
    results = []
    for c in cases:
        model, max_len = c["model"], c["max_len"]
        state = model.initial_state()
        batch_size = model.batch_size
        step_fn = Recorder(model, state, batch_size, max_len)
        out = decode(step_fn, state, batch_size, BOS, EOS, PAD, max_len)
        result = unpack(out, batch_size)
        result.update(label=c["label"], names=model.names, max_len=max_len, calls=step_fn.calls,
                      state_carried=step_fn.state_carried, fed_back=step_fn.fed_back,
                      fed_bos_first=step_fn.fed_bos_first, fed_axis0=step_fn.fed_axis0,
                      first_eos_step=step_fn.first_eos_step, misfed=step_fn.misfed,
                      state_dropped_at=step_fn.state_dropped_at)
        results.append(result)
    return {"cases": results}


def decode(module, ctx, cases):
    return run_cases(module, CASES[cases]())


# -- the judge -----------------------------------------------------------------------------------


def show(tokens, names):
    return "[" + " ".join(names[t] if 0 <= t < len(names) else str(t) for t in tokens) + "]"


def first_difference(g, e):
    names = e["names"]
    for name in ("tokens", "lengths"):
        if g[f"{name}_dtype"] != "torch.int64":
            return (f"{name} should be an int64 tensor (torch.long), got {g[f'{name}_dtype']}"
                    + (" (torch.zeros and torch.empty make floats unless you pass dtype=torch.long)"
                       if "float" in g[f"{name}_dtype"] else ""))
    want_rows, rows = e["tokens"], g["tokens"]
    steps = len(want_rows[0])
    shape = (len(rows), len(rows[0]) if rows else 0)
    problem = None
    if shape[1] != steps:
        problem = (f"tokens should have shape ({len(want_rows)}, {steps}): one column per step taken, and decoding "
                   f"takes {steps} step{'s' * (steps != 1)} here; got shape {shape}")
    for b, (row, want) in enumerate(zip(rows, want_rows)):
        if row != want:
            detail = f"row {b} should be {show(want, names)}, got {show(row, names)}"
            return f"{problem}; {detail}" if problem else detail
    if problem:
        return problem
    if g["lengths"] != e["lengths"]:
        return f"lengths should be {e['lengths']} (eos counted, pad not), got {g['lengths']}"
    if g["calls"] != e["calls"]:
        why = ("every row had said eos by then" if e["calls"] < e["max_len"] else "that is max_len")
        return (f"step_fn should be called {e['calls']} time{'s' * (e['calls'] != 1)} ({why}), "
                f"got {g['calls']} calls")
    return None


def judge(got, expected, jc):
    cases = got["cases"]
    if len(cases) != len(expected["cases"]):
        return kit.Mismatch("the scenario did not return one result per case")
    for g, e in zip(cases, expected["cases"]):
        problem = first_difference(g, e)
        if problem:
            return kit.Mismatch(f"{e['label']}: {problem}{evidence(g, e['names'])}")
    return None


def evidence(g, names):
    """What the decoder saw that shows the mistake: the first wrong feed, the first dropped state."""
    said = []
    m = g.get("misfed")
    if m:
        fed = names[m["fed"]] if 0 <= m["fed"] < len(names) else str(m["fed"])
        if m["chose"] is None:
            said.append(f"at step 1, row {m['row']} was fed {fed} instead of <bos>")
        else:
            said.append(f"at step {m['step']}, row {m['row']} was fed {fed}, but its choice at step {m['step'] - 1} "
                        f"was {names[m['chose']]}")
    if g.get("state_dropped_at"):
        t = g["state_dropped_at"]
        said.append(f"the state passed at step {t} is not the one step {t - 1} returned" if t > 1
                    else "the state passed at step 1 is not the one you were given")
    return f" (the decoder saw: {'; '.join(said)})" if said else ""


# -- the detector: names a misconception from what the decoder saw and what came back ------------


def _continues_after_eos(g):
    for row in g["tokens"]:
        if EOS in row and any(t != PAD for t in row[row.index(EOS) + 1:]):
            return True
    return False


def _length_without_eos(g, e):
    if g["tokens"] != e["tokens"]:
        return False
    want = [n - 1 if EOS in row else n for row, n in zip(e["tokens"], e["lengths"])]
    return want != e["lengths"] and g["lengths"] == want


def detect(got, expected):
    pairs = list(zip(got["cases"], expected["cases"]))
    checks = [
        ("greedy.float_tokens", lambda g, e: "float" in g["tokens_dtype"]),
        ("greedy.bos_in_output", lambda g, e: bool(g["tokens"]) and all(r[:1] == [BOS] for r in g["tokens"])),
        ("greedy.argmax_axis", lambda g, e: g["fed_axis0"]),
        ("greedy.not_fed_back", lambda g, e: not (g["fed_back"] and g["fed_bos_first"])),
        ("greedy.state_not_carried", lambda g, e: not g["state_carried"]),
        ("greedy.continues_after_eos", lambda g, e: _continues_after_eos(g)),
        ("greedy.stops_at_first_eos", lambda g, e: g["calls"] < e["calls"] and g["calls"] == e["first_eos_step"]),
        ("greedy.no_early_stop", lambda g, e: g["calls"] > e["calls"]),
        ("greedy.length_without_eos", _length_without_eos),
    ]
    for diagnosis, test in checks:
        if any(test(g, e) for g, e in pairs):
            return diagnosis
    return None
