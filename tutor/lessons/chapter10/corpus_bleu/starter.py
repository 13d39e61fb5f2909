"""Chapter 10 - corpus-level BLEU, the number papers report.

Write corpus_bleu(hypotheses, references): pool clipped n-gram counts (n = 1..4) and lengths
over the whole corpus, then brevity penalty × geometric mean of the four precisions, × 100.
Read the lesson with `tutor start`; `tutor hint chapter10/corpus_bleu` when stuck.
Grade it with: tutor check chapter10/corpus_bleu
"""


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    """Corpus BLEU on a 0-100 scale: whitespace tokens, one reference per hypothesis, no smoothing."""
    raise NotImplementedError("corpus_bleu: write me")
