"""Scenarios of chapter10/beam_search.

Every scenario hands the learner's beam_search language models written here (step_fn); the
grader compares the learner's candidates with the reference's. (That the reference equals greedy
search at beam 1 and brute force with a beam wide enough for every sequence is a test of the
reference, in tests/lessons/test_chapter10.py.)
"""

import zlib

import torch

from tutor.grader import kit

# -- language models -------------------------------------------------------------------------


class TableLM:
    """The book's toy model: tokens A, B, C, <eos> (0..3), bos = 4; unlisted prefixes use `default`."""

    names = ["A", "B", "C", "<eos>"]
    bos, eos = 4, 3
    table = {
        (): [0.5, 0.15, 0.25, 0.1],
        (0,): [0.1, 0.4, 0.3, 0.2],
        (0, 1): [0.2, 0.2, 0.4, 0.2],
        (0, 1, 2): [0.2, 0.1, 0.1, 0.6],
        (0, 2): [0.1, 0.6, 0.2, 0.1],
        (0, 2, 1): [0.2, 0.1, 0.1, 0.6],
    }
    default = [0.25, 0.2, 0.15, 0.4]

    def __call__(self, prefix):
        key = _key(prefix, self.bos)
        return torch.tensor(self.table.get(key, self.default), dtype=torch.float64).log()


class RandomLM:
    """Log-probabilities drawn afresh (but deterministically) for every prefix: no ties."""

    def __init__(self, vocab, seed, eos_bias=0.0, scale=1.5):
        self.vocab, self.seed, self.eos_bias, self.scale = vocab, seed, eos_bias, scale
        self.eos, self.bos = vocab - 1, vocab
        self.names = [str(t) for t in range(vocab - 1)] + ["<eos>"]

    def __call__(self, prefix):
        key = _key(prefix, self.bos)
        g = torch.Generator().manual_seed(zlib.crc32(repr((self.seed, key)).encode()))
        logits = torch.randn(self.vocab, generator=g, dtype=torch.float64) * self.scale
        logits[self.eos] += self.eos_bias
        shifted = logits - logits.max()
        return shifted - shifted.exp().sum().log()


def _key(prefix, bos):
    try:
        tokens = [int(t) for t in prefix]
    except (TypeError, ValueError):
        raise TypeError(f"step_fn takes a list of token ids (starting with bos), got {prefix!r}") from None
    if not tokens or tokens[0] != bos:
        raise ValueError(f"step_fn's prefix must start with bos={bos}, got {tokens}")
    return tuple(tokens[1:])


def normalise(out):
    """The learner's answer as [[tokens], score] pairs, or a clear error."""
    if not isinstance(out, (list, tuple)):
        raise TypeError(f"beam_search should return a list of (tokens, score) pairs, got {type(out).__name__}")
    rows = []
    for i, item in enumerate(out):
        try:
            tokens, score = item
            rows.append([[int(t) for t in tokens], float(score)])
        except (TypeError, ValueError):
            raise TypeError(f"beam_search should return a list of (tokens, score) pairs; item {i} is {item!r}") from None
    return rows


# -- scenarios -------------------------------------------------------------------------------


def case(label, lm, beam_size, max_len, alpha=None):
    """One call of beam_search on a language model."""
    return dict(label=label, lm=lm, beam_size=beam_size, max_len=max_len, alpha=alpha)


def run_cases(module, cases):
    search = kit.function(module, "beam_search")
    results = []
    for c in cases:
        lm, a = c["lm"], c["alpha"]
        extra = {} if a is None else {"alpha": a}
        out = normalise(search(lm, lm.bos, lm.eos, c["beam_size"], c["max_len"], **extra))
        results.append({"label": c["label"], "eos": lm.eos, "names": lm.names, "beam": out})
    return {"cases": results}


BOOK = TableLM()
CASES = {
    "lesson_example": lambda: [case("beam_search(book model, beam_size=2, max_len=4)", BOOK, 2, 4)],
    "lesson_greedy": lambda: [case("beam_search(book model, beam_size=1, max_len=4)", BOOK, 1, 4)],
    "random_models": lambda: [case(f"random model #{i} (vocabulary 6), beam_size=3, max_len=5", RandomLM(6, s), 3, 5)
                              for i, s in enumerate((11, 12, 13), start=1)],
    "beam_one_is_greedy": lambda: [case(f"random model #{i} (vocabulary 5), beam_size=1, max_len=6",
                                        RandomLM(5, s, eos_bias=0.5), 1, 6)
                                   for i, s in enumerate((21, 22), start=1)],
    "wide_beam_is_brute_force": lambda: [
        case("random model (vocabulary 4), beam_size=64, max_len=3", RandomLM(4, 31), 64, 3),
        case("random model (vocabulary 3), beam_size=100, max_len=4, alpha=1.0", RandomLM(3, 32), 100, 4, alpha=1.0)],
    "finished_sequences": lambda: [
        case("eos-heavy model (vocabulary 5), beam_size=3, max_len=6", RandomLM(5, 41, eos_bias=2.0), 3, 6),
        case("eos-heavy model (vocabulary 5), beam_size=2, max_len=8", RandomLM(5, 42, eos_bias=2.5), 2, 8)],
    "edge_cases": lambda: [case("random model (vocabulary 6), beam_size=3, max_len=1", RandomLM(6, 51), 3, 1),
                           case("random model (vocabulary 3), beam_size=5, max_len=2", RandomLM(3, 52), 5, 2)],
    "length_normalisation": lambda: [case(f"random model (vocabulary 5), beam_size=3, max_len=5, alpha={a}",
                                          RandomLM(5, 61, eos_bias=1.0), 3, 5, alpha=a) for a in (0.0, 0.75, 1.5)],
}


def search(module, ctx, cases):
    return run_cases(module, CASES[cases]())


def show(tokens, names):
    return " ".join(names[t] if names and 0 <= t < len(names) else str(t) for t in tokens) or "(empty)"


def first_difference(got, want, names):
    if not isinstance(got, list):
        return "no list of candidates came back"
    for i, (g, w) in enumerate(zip(got, want)):
        if g[0] != w[0]:
            return (f"candidate #{i + 1} (best first) should be [{show(w[0], names)}] with score {w[1]:.6f}, "
                    f"got [{show(g[0], names)}] with score {g[1]:.6f}")
        if not abs(g[1] - w[1]) <= 1e-9 + 1e-6 * abs(w[1]):
            return f"candidate [{show(w[0], names)}] should score {w[1]:.6f}, got {g[1]:.6f}"
    if len(got) != len(want):
        missing = [show(w[0], names) for w in want[len(got):]][:3]
        extra = [show(g[0], names) for g in got[len(want):]][:3]
        return (f"expected {len(want)} candidate{'s' * (len(want) != 1)}, got {len(got)}"
                + (f"; missing [{'], ['.join(missing)}]" if missing else "")
                + (f"; unexpected [{'], ['.join(extra)}]" if extra else ""))
    return None


def judge(got, expected, jc):
    cases = got["cases"]
    if len(cases) != len(expected["cases"]):
        return kit.Mismatch("the scenario did not return one result per case")
    for g, e in zip(cases, expected["cases"]):
        problem = first_difference(g.get("beam"), e["beam"], e["names"])
        if problem:
            return kit.Mismatch(f"{e['label']}: {problem}")
    return None


# -- detectors: recognise a misconception whatever the code looks like ----------------------


def _pairs(got, expected):
    return list(zip(got["cases"], expected["cases"]))


def extends_finished(got, expected):
    for g, e in _pairs(got, expected):
        if any(e["eos"] in tokens[:-1] for tokens, _ in g.get("beam") or []):
            return "beam_search.extends_finished"
    return None
