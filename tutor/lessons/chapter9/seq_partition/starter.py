"""Chapter 9 - partitioning a corpus into minibatches of subsequences.

Write partition_corpus: cut a long sequence of token ids into (inputs, targets) minibatches,
by random sampling or by sequential partitioning. `tutor hint chapter9/seq_partition` when stuck.
Grade it with: tutor check chapter9/seq_partition
"""

import torch


def partition_corpus(corpus: torch.Tensor, batch_size: int, num_steps: int, *, sequential: bool = False,
                     offset: int | None = None,
                     generator: torch.Generator | None = None) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """A list of (X, Y) minibatches, each X and Y of shape (batch_size, num_steps); Y is X shifted by one.

    corpus: 1-D int64 token ids. offset: how many tokens to skip at the start; None draws it first,
    as int(torch.randint(0, num_steps, (1,), generator=generator)).
    Random sampling (sequential=False): the m = (len(corpus) - offset - 1) // num_steps subsequences
    start at offset + k * num_steps; their order is torch.randperm(m, generator=generator), and
    batch i takes the subsequences order[i*batch_size:(i+1)*batch_size]; an incomplete last batch is dropped.
    Sequential partitioning (sequential=True): the (len(corpus) - offset - 1) // batch_size * batch_size
    tokens after the offset form batch_size rows; batch i takes columns i*num_steps:(i+1)*num_steps,
    so row r of batch i + 1 continues row r of batch i.
    """
    raise NotImplementedError("partition_corpus: write me")
