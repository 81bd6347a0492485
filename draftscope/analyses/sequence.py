"""Small sequence helpers shared by the analyses that match things across revisions."""

from __future__ import annotations

import bisect


def longest_increasing(seq: list[int]) -> set[int]:
    """Positions (in ``seq``) of a longest increasing subsequence: the items that kept their
    order (fields of a definition, sections of a draft) when the others moved."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for k, x in enumerate(seq):
        pos = bisect.bisect_left(tails, x)
        if pos == len(tails):
            tails.append(x)
            tails_idx.append(k)
        else:
            tails[pos] = x
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else -1
    keep: set[int] = set()
    k = tails_idx[-1] if tails_idx else -1
    while k != -1:
        keep.add(k)
        k = prev[k]
    return keep
