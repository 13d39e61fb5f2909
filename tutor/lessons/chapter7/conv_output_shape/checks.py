"""The table scenario of chapter7/conv_output_shape: 200 seeded cases, judged case by case."""

import random

from tutor.grader import kit


def table(module, ctx):
    """(arguments, result) for each seeded case that fits."""
    rng = random.Random(ctx.seed)
    shape = kit.function(module, "conv_output_shape")
    rows = []
    for _ in range(200):
        n = (rng.randint(1, 40), rng.randint(1, 40))
        k = (rng.randint(1, 7), rng.randint(1, 7))
        s = (rng.randint(1, 4), rng.randint(1, 4))
        p = (rng.randint(0, 3), rng.randint(0, 3))
        if k[0] > n[0] + 2 * p[0] or k[1] > n[1] + 2 * p[1]:
            continue
        out = shape(n, k, stride=s, padding=p)
        rows.append({"input_size": list(n), "kernel_size": list(k), "stride": list(s), "padding": list(p),
                     "out": list(out) if isinstance(out, (tuple, list)) else out})
    return rows


def judge_table(got, expected, jc):
    if len(got) != len(expected):
        return "expected one result per case"
    for g, e in zip(got, expected):
        out = g.get("out")
        if not (isinstance(out, list) and out == e["out"] and all(type(v) is int for v in out)):
            call = (f"conv_output_shape({tuple(e['input_size'])}, {tuple(e['kernel_size'])}, "
                    f"stride={tuple(e['stride'])}, padding={tuple(e['padding'])})")
            return f"{call}: expected {tuple(e['out'])}, got {out!r}"  # the check names the diagnosis
    return None
