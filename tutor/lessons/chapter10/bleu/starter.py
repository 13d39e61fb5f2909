"""Chapter 10 - BLEU, the book's sentence-level version.

Write bleu(pred_seq, label_seq, k): brevity penalty times clipped n-gram precisions for
n = 1..k, each raised to the power 1/2**n.
Read the lesson with `tutor start`; `tutor hint chapter10/bleu` when stuck.
Grade it with: tutor check chapter10/bleu
"""


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    """BLEU of one predicted sentence against one label sentence (tokens separated by spaces)."""
    raise NotImplementedError("bleu: write me")
