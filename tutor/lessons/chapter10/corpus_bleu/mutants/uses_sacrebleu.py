# diagnosis: any
# verdict: forbidden
# Hands the work to sacrebleu: the grader must say forbidden.
from sacrebleu.metrics import BLEU


def corpus_bleu(hypotheses, references):
    return BLEU(tokenize="none", smooth_method="none", force=True).corpus_score(hypotheses, [references]).score
