"""Scenarios of chapter10/beam_search.

Every scenario hands the learner's beam_search a language model written here (step_fn) and
also computes, as trusted harness code, what greedy search and brute-force enumeration give on
the same model; the grader compares the learner's candidates with the reference's and, where a
case says so, with greedy or brute force.
"""

import itertools
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


# -- trusted searches --------------------------------------------------------------------------


def _ranked(found, alpha):
    scored = [[list(t), lp / len(t) ** alpha] for t, lp in found]
    return sorted(scored, key=lambda c: -c[1])


def greedy(lm, max_len, alpha):
    found, tokens, logp = [], [], 0.0
    for _ in range(max_len):
        lp = lm([lm.bos, *tokens])
        best = int(lp.argmax())
        tokens, logp = tokens + [best], logp + float(lp[best])
        found.append((tokens, logp))
        if best == lm.eos:
            break
    return _ranked(found, alpha)


def brute_force(lm, max_len, alpha):
    """Every sequence of 1..max_len tokens whose only eos, if any, is the last token."""
    found = []
    for n in range(1, max_len + 1):
        for seq in itertools.product(range(lm.vocab), repeat=n):
            if lm.eos in seq[:-1]:
                continue
            logp = sum(float(lm([lm.bos, *seq[:i]])[seq[i]]) for i in range(n))
            found.append((list(seq), logp))
    return _ranked(found, alpha)


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


def case(label, lm, beam_size, max_len, alpha=None, truth="beam"):
    """One call of beam_search; `truth` is what the learner's answer must equal: the reference's
    ("beam"), greedy search's ("greedy") or brute force's ("brute")."""
    return dict(label=label, lm=lm, beam_size=beam_size, max_len=max_len, alpha=alpha, truth=truth)


def run_cases(module, cases):
    search = kit.function(module, "beam_search")
    results = []
    for c in cases:
        lm, a = c["lm"], c["alpha"]
        extra = {} if a is None else {"alpha": a}
        out = normalise(search(lm, lm.bos, lm.eos, c["beam_size"], c["max_len"], **extra))
        alpha = 0.75 if a is None else a
        results.append({
            "label": c["label"], "beam_size": c["beam_size"], "alpha": alpha, "eos": lm.eos,
            "names": lm.names, "truth": c["truth"], "beam": out,
            "greedy": greedy(lm, c["max_len"], alpha),
            "brute": brute_force(lm, c["max_len"], alpha) if c["truth"] == "brute" else None,
        })
    return {"cases": results}


BOOK = TableLM()


def lesson_example(module, ctx):
    return run_cases(module, [case("beam_search(book model, beam_size=2, max_len=4)", BOOK, 2, 4)])


def lesson_greedy(module, ctx):
    return run_cases(module, [case("beam_search(book model, beam_size=1, max_len=4)", BOOK, 1, 4, truth="greedy")])


def random_models(module, ctx):
    return run_cases(module, [case(f"random model #{i} (vocabulary 6), beam_size=3, max_len=5", RandomLM(6, seed), 3, 5)
                              for i, seed in enumerate((11, 12, 13), start=1)])


def beam_one_is_greedy(module, ctx):
    return run_cases(module, [case(f"random model #{i} (vocabulary 5), beam_size=1, max_len=6",
                                   RandomLM(5, seed, eos_bias=0.5), 1, 6, truth="greedy")
                              for i, seed in enumerate((21, 22), start=1)])


def wide_beam_is_brute_force(module, ctx):
    return run_cases(module, [
        case("random model (vocabulary 4), beam_size=64, max_len=3", RandomLM(4, 31), 64, 3, truth="brute"),
        case("random model (vocabulary 3), beam_size=100, max_len=4, alpha=1.0", RandomLM(3, 32), 100, 4, alpha=1.0,
             truth="brute")])


def finished_sequences(module, ctx):
    return run_cases(module, [
        case("eos-heavy model (vocabulary 5), beam_size=3, max_len=6", RandomLM(5, 41, eos_bias=2.0), 3, 6),
        case("eos-heavy model (vocabulary 5), beam_size=2, max_len=8", RandomLM(5, 42, eos_bias=2.5), 2, 8)])


def edge_cases(module, ctx):
    return run_cases(module, [
        case("random model (vocabulary 6), beam_size=3, max_len=1", RandomLM(6, 51), 3, 1),
        case("random model (vocabulary 3), beam_size=5, max_len=2", RandomLM(3, 52), 5, 2)])


def length_normalisation(module, ctx):
    return run_cases(module, [case(f"random model (vocabulary 5), beam_size=3, max_len=5, alpha={a}",
                                   RandomLM(5, 61, eos_bias=1.0), 3, 5, alpha=a) for a in (0.0, 0.75, 1.5)])


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
        want = e[e["truth"]] if e["truth"] != "beam" else e["beam"]
        problem = first_difference(g.get("beam"), want, e["names"])
        if problem is None and e["truth"] != "beam":
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


def is_greedy(got, expected):
    telling = [(g, e) for g, e in _pairs(got, expected)
               if e["beam_size"] > 1 and not kit.same_result(e["beam"], e["greedy"])]
    if telling and all(kit.same_result(g.get("beam"), e["greedy"]) for g, e in telling):
        return "beam_search.greedy"
    return None


def no_length_norm(got, expected):
    telling = 0
    for g, e in _pairs(got, expected):
        want = {tuple(t): s * len(t) ** e["alpha"] for t, s in e["beam"]}  # log P of every candidate
        beam = g.get("beam") or []
        if {tuple(t) for t, _ in beam} != set(want):
            return None
        if not all(abs(s - want[tuple(t)]) <= 1e-6 * (1 + abs(s)) for t, s in beam):
            return None
        telling += any(len(t) > 1 for t, _ in beam) and e["alpha"] != 0
    return "beam_search.no_length_norm" if telling else None
