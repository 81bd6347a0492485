"""Pair definitions (and their fields) across two revisions.

A definition may be re-captioned ("ACK Frame Format" -> "ACK Frame"), renamed or redrawn in
another notation, so pairs are chosen on a score that blends name similarity (rapidfuzz, on
names with generic words such as "format" dropped) with the similarity of the field-name sets,
and the pairing maximises the total score (a small Hungarian assignment, no scipy needed).
Fields are paired by exact name, then (TLS enum members) by code point and a related name, then
by fuzzy name, then by position between already paired neighbours ("renamed in place"). Position alone is no evidence of a rename: a field paired in
place must also keep its size (or value), or keep a name close enough (:func:`rename_evidence`);
otherwise it is reported as removed and the other as added.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from draftscope.analyses.definitions.model import Definition, Field

NAME_WEIGHT = 0.55
MIN_SCORE = 0.55            # below this two definitions are not the same one
MIN_PART = 0.5              # ... and one of name or fields must be at least this similar
FIELD_NAME_CUTOFF = 80      # rapidfuzz ratio for two field names to count as the same
RELATED_FIELD_NAME = 60     # ... or at least this similar when the size singles them out
RENAMED_FIELD_NAME = 50     # ... or this similar for a field renamed in place (same neighbours)
_GENERIC = {"format", "formats", "layout", "structure", "definition", "of", "the", "encoding",
            "sequence", "contents", "a", "an"}


SAME_NAME_BONUS = 0.15
PLURAL_MATCH = 0.95         # name similarity of "ACK Ranges" and "ACK Range"


@lru_cache(maxsize=4096)
def base_name(name: str) -> str:
    """``"Preferred Address format"``/``"PreferredAddress"`` -> ``"preferred address"``."""
    s = re.sub(r"\s*\(\d+\)$", "", name)                 # our " (2)" duplicate suffix
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", s)         # camelCase
    words = re.findall(r"[a-z0-9_]+", s.lower())
    return " ".join([w for w in words if w not in _GENERIC] or words)


@lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    """:func:`base_name` with plurals made singular: ``"ECN Counts"`` -> ``"ecn count"``."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in base_name(name).split())


def name_similarity(a: str, b: str) -> float:
    """0..1: mean of token-set and token-sort ratios of the base names; plurals nearly equal."""
    ba, bb = base_name(a), base_name(b)
    if ba == bb:
        return 1.0
    fuzzy = (fuzz.token_set_ratio(ba, bb) + fuzz.token_sort_ratio(ba, bb)) / 200.0
    if normalise_name(a) == normalise_name(b):
        return max(PLURAL_MATCH, min(fuzzy, PLURAL_MATCH))
    return fuzzy


def hungarian(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment for a rectangular matrix: list of (row, column) pairs.

    The classic O(n^2 m) potentials algorithm; pairs every row when rows <= columns (the
    matrix is transposed otherwise).
    """
    n = len(cost)
    if n == 0:
        return []
    m = len(cost[0])
    if m == 0:
        return []
    if n > m:
        t = [[cost[i][j] for i in range(n)] for j in range(m)]
        return [(i, j) for j, i in hungarian(t)]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return sorted((p[j] - 1, j - 1) for j in range(1, m + 1) if p[j])


@lru_cache(maxsize=65536)
def field_key(name: str) -> str:
    """A field name for pairing: :func:`normalise_name` without dropping the words that are
    generic in a *definition's* name (``"Sequence"`` -> ``"sequence"``, not ``"number"``'s
    rival ``""``): in a field name such a word is the name (``Sequence`` -> ``Sequence Number``)."""
    s = re.sub(r"\s*\(\d+\)$", "", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", s)
    words = re.findall(r"[a-z0-9_]+", s.lower())
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words)


def _field_key(f: Field) -> str:
    return field_key(f.name)


def _shared_fields(same, oa, ob):
    """For every old x new definition pair, min(old fields matching any of the new one's fields,
    new fields matching any of the old one's): ``same`` is the field x field match matrix, ``oa``
    and ``ob`` the offsets of each definition's fields in it. All pairs at once (a loop over the
    pairs' blocks cost ~0.3 s of a 36-revision history)."""
    import numpy as np

    n_old, n_new = len(oa) - 1, len(ob) - 1
    out = np.zeros((n_old, n_new), dtype=np.int64)
    if not same.size:
        return out
    has_a, has_b = np.diff(oa) > 0, np.diff(ob) > 0
    starts_a, starts_b = oa[:-1][has_a], ob[:-1][has_b]
    # old field x new definition (with fields): the field matches one of the definition's fields
    any_b = np.logical_or.reduceat(same, starts_b, axis=1).astype(np.int64)
    # old definition (with fields) x new field: likewise
    any_a = np.logical_or.reduceat(same, starts_a, axis=0).astype(np.int64)
    rows = np.add.reduceat(any_b, starts_a, axis=0)      # old defs x new defs, counts of old fields
    cols = np.add.reduceat(any_a, starts_b, axis=1)      # old defs x new defs, counts of new fields
    out[np.ix_(has_a, has_b)] = np.minimum(rows, cols)
    return out


FIELD_MATRIX_LIMIT = 4_000_000   # field x field fuzzy matrix; beyond it, equal names only


def _shared_exact(old: list[Definition], new: list[Definition]):
    """:func:`_shared_fields` with fields matching on equal keys only, through an index of the
    new definitions by key: memory linear in the fields (a 20k x 10k fuzzy matrix was 2e8 cells)."""
    import numpy as np
    from collections import Counter

    out = np.zeros((len(old), len(new)), dtype=np.int64)
    keys_a = [Counter(_field_key(f) for f in d.fields) for d in old]
    keys_b = [Counter(_field_key(f) for f in d.fields) for d in new]
    where: dict[str, list[int]] = {}
    for j, keys in enumerate(keys_b):
        for k in keys:
            where.setdefault(k, []).append(j)
    for i, keys in enumerate(keys_a):
        rows: Counter = Counter()
        cols: Counter = Counter()
        for k, count in keys.items():
            for j in where.get(k, ()):
                rows[j] += count                # old fields of i matching some field of j
                cols[j] += keys_b[j][k]         # new fields of j matching some field of i
        for j in rows:
            out[i, j] = min(rows[j], cols[j])
    return out


def score_matrix(old: list[Definition], new: list[Definition]) -> list[list[tuple[float, float, float]]]:
    """(score, name similarity, field similarity) for every old x new pair."""
    import numpy as np

    if not old or not new:
        return [[(0.0, 0.0, 0.0)] * len(new) for _ in old]
    old_names = [base_name(d.name) for d in old]
    new_names = [base_name(d.name) for d in new]
    names = process.cdist(old_names, new_names, scorer=fuzz.token_set_ratio, workers=1)
    names2 = process.cdist(old_names, new_names, scorer=fuzz.token_sort_ratio, workers=1)
    name_sim = (np.asarray(names, dtype=float) + np.asarray(names2, dtype=float)) / 200.0
    fa = [_field_key(f) for d in old for f in d.fields]
    fb = [_field_key(f) for d in new for f in d.fields]
    shapes_a = [[f.size or "?" for f in d.fields] for d in old]
    shapes_b = [[f.size or "?" for f in d.fields] for d in new]
    oa = np.cumsum([0] + [len(d.fields) for d in old])
    ob = np.cumsum([0] + [len(d.fields) for d in new])
    # one-to-one at best: a field cannot stand for several fields of the other side, so a pair
    # shares min(a's fields matching some field of b, b's fields matching some field of a)
    if len(fa) * len(fb) <= FIELD_MATRIX_LIMIT:
        same = (np.asarray(process.cdist(fa, fb, scorer=fuzz.ratio, workers=1)) >= FIELD_NAME_CUTOFF
                if fa and fb else np.zeros((len(fa), len(fb)), dtype=bool))
        shared = _shared_fields(same, oa, ob)
    else:
        shared = _shared_exact(old, new)
    out: list[list[tuple[float, float, float]]] = []
    for i, a in enumerate(old):
        row = []
        for j, b in enumerate(new):
            total = len(a.fields) + len(b.fields)
            if total:
                both = int(shared[i, j])
                # half names, half the sequence of sizes: "Offset (i)" renamed "Data Limit (i)"
                # in a frame renamed BLOCKED -> DATA_BLOCKED still looks like the same layout
                fsim = 0.5 * (2 * both / total) + 0.5 * Indel.normalized_similarity(shapes_a[i], shapes_b[j])
            else:
                fsim = 0.0
            if old_names[i] == new_names[j]:
                nsim = 1.0
            elif normalise_name(a.name) == normalise_name(b.name):
                nsim = PLURAL_MATCH
            else:
                nsim = float(name_sim[i, j])
            if (a.notation == "tls-enum") != (b.notation == "tls-enum"):
                row.append((0.0, 0.0, 0.0))   # a value registry is never a wire format
                continue
            score = NAME_WEIGHT * nsim + (1 - NAME_WEIGHT) * float(fsim)
            if old_names[i] == new_names[j]:
                score = min(1.0, score + SAME_NAME_BONUS)   # the same name is strong evidence
            row.append((score, nsim, float(fsim)))
        out.append(row)
    return out


def match_definitions(old: list[Definition], new: list[Definition]) -> list[tuple[int, int, float]]:
    """Pairs (old index, new index, score) of the same definition in two revisions."""
    scores = score_matrix(old, new)

    def acceptable(s: tuple[float, float, float]) -> bool:
        return s[0] >= MIN_SCORE and max(s[1], s[2]) >= MIN_PART

    cost = [[(1.0 - s[0]) if acceptable(s) else 10.0 for s in row] for row in scores]
    pairs = hungarian(cost)
    return sorted((i, j, scores[i][j][0]) for i, j in pairs if acceptable(scores[i][j]))


def _lis_keep(seq: list[int]) -> set[int]:
    """Positions (in ``seq``) of a longest increasing subsequence: the fields that did not move."""
    from draftscope.analyses.sequence import longest_increasing

    return longest_increasing(seq)


PAIR_LIMIT = 40_000          # field pairs compared all-with-all; beyond, a band around the
BAND = 8                     # position each field would have (issue 20: a 20k- against a
IN_PLACE_BAND = 4            # 10k-row box took 120 s and 3.9 GB)


def _candidates(left_old: list[int], left_new: list[int], origin: tuple[int, int],
                scale: float, band: int):
    """(i, j) pairs worth comparing: all of them while few, else for each ``i`` the
    ``band`` unpaired new fields on each side of where ``i`` would sit (``origin`` the
    indices the two lists start after, ``scale`` new fields per old one); a field both renamed
    and moved far in a definition of thousands of fields is then not found."""
    import bisect

    if len(left_old) * len(left_new) <= PAIR_LIMIT:
        for i in left_old:
            for j in left_new:
                yield i, j
        return
    for i in left_old:
        k = bisect.bisect_left(left_new, origin[1] + int((i - origin[0]) * scale))
        for j in left_new[max(0, k - band): k + band]:
            yield i, j


def _pair_similar_names(old, new, pairs: dict[int, int], used: set[int]) -> None:
    """2. a similar name (:data:`FIELD_NAME_CUTOFF`), the most similar pairs first. Past
    :data:`PAIR_LIMIT` pairs, blocks of old fields against the window of new fields around
    them, scored in rapidfuzz's ``cdist`` (linear, no Python loop over pairs)."""
    import bisect

    left_old = [i for i in range(len(old)) if i not in pairs]
    left_new = [j for j in range(len(new)) if j not in used]
    if not (left_old and left_new):
        return
    keys_new = [_field_key(new[j]) for j in left_new]
    cand = []
    if len(left_old) * len(left_new) <= PAIR_LIMIT:
        blocks = [(left_old, 0, len(left_new))]
    else:
        scale = len(new) / len(old)
        blocks = []
        for b in range(0, len(left_old), 256):
            block = left_old[b: b + 256]
            lo = bisect.bisect_left(left_new, int(block[0] * scale)) - BAND
            hi = bisect.bisect_left(left_new, int(block[-1] * scale)) + BAND
            blocks.append((block, max(0, lo), hi))
    for block, lo, hi in blocks:
        scores = process.cdist([_field_key(old[i]) for i in block], keys_new[lo:hi],
                               scorer=fuzz.ratio, score_cutoff=FIELD_NAME_CUTOFF, workers=1)
        for r, c in zip(*scores.nonzero()):
            cand.append((float(scores[r, c]), block[r], left_new[lo + c]))
    for score, i, j in sorted(cand, reverse=True):
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)


def _pair_single_sizes(old, new, pairs: dict[int, int], used: set[int]) -> None:
    """2b. a fairly similar name and the only field of that exact size on both sides."""
    from collections import Counter

    left_old = [i for i in range(len(old)) if i not in pairs]
    left_new = [j for j in range(len(new)) if j not in used]
    old_shapes = Counter(old[i].shape for i in left_old)
    new_by_shape: dict[tuple, list[int]] = {}
    for j in left_new:
        new_by_shape.setdefault(new[j].shape, []).append(j)
    for i in left_old:
        same_new = new_by_shape.get(old[i].shape, [])
        if (old[i].size and old_shapes[old[i].shape] == 1 and len(same_new) == 1
                and same_new[0] not in used
                and fuzz.ratio(_field_key(old[i]), _field_key(new[same_new[0]])) >= RELATED_FIELD_NAME):
            pairs[i] = same_new[0]
            used.add(same_new[0])


def _pair_in_place(old, new, pairs: dict[int, int], used: set[int]) -> None:
    """3. renamed in place: between the same paired neighbours, with evidence (rename_evidence)."""
    anchors = sorted(pairs.items())
    monotonic = _lis_keep([j for _, j in anchors])
    bounds = [(-1, -1)] + [anchors[k] for k in sorted(monotonic)] + [(len(old), len(new))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        gap_old = [i for i in range(i0 + 1, i1) if i not in pairs]
        gap_new = [j for j in range(j0 + 1, j1) if j not in used]
        if not (gap_old and gap_new):
            continue
        counts = GapCounts([old[k] for k in gap_old], [new[k] for k in gap_new])
        candidates = []
        for i, j in _candidates(gap_old, gap_new, (i0, j0), (j1 - j0) / (i1 - i0), IN_PLACE_BAND):
            evidence = rename_evidence(old[i], new[j], counts=counts)
            if evidence is not None:
                candidates.append((-evidence, i, j))
        for _, i, j in sorted(candidates):       # strongest first, ties in document order
            if i not in pairs and j not in used:
                pairs[i] = j
                used.add(j)


def match_fields(old: tuple[Field, ...], new: tuple[Field, ...]) -> tuple[list[tuple[int, int]], set[int]]:
    """Pairs (old index, new index) of the same field, and the old indices that moved.

    Each stage is linear in the fields or bounded by :data:`PAIR_LIMIT` pairs (a band of
    :data:`BAND` around each field's position beyond it)."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    keys_new: dict[str, list[int]] = {}
    for j, f in enumerate(new):
        keys_new.setdefault(_field_key(f), []).append(j)
    for i, f in enumerate(old):                      # 1. same name
        for j in keys_new.get(_field_key(f), []):
            if j not in used:
                pairs[i] = j
                used.add(j)
                break
    enums_new: dict[str, list[int]] = {}             # 1b. an enum member keeps its code point
    for j in range(len(new)):
        if j not in used and new[j].type == "enum" and new[j].value:
            enums_new.setdefault(new[j].value, []).append(j)
    for i in range(len(old)):
        if i in pairs or old[i].type != "enum" or not old[i].value:
            continue
        same = [j for j in enums_new.get(old[i].value, []) if j not in used
                and field_name_similarity(old[i], new[j]) >= RENAMED_FIELD_NAME]
        if len(same) == 1:
            pairs[i] = same[0]
            used.add(same[0])
    _pair_similar_names(old, new, pairs, used)
    _pair_single_sizes(old, new, pairs, used)
    _pair_in_place(old, new, pairs, used)
    ordered = sorted(pairs.items())
    keep = _lis_keep([j for _, j in ordered])
    moved = {ordered[k][0] for k in range(len(ordered)) if k not in keep}
    return ordered, moved


@lru_cache(maxsize=65536)
def is_placeholder(name: str) -> bool:
    """Whether a field name is only drawn bit values (``"1"``, ``"T T"``, ``"X X X X"``,
    ``"00001"``): box art that labels bits rather than naming them says nothing about identity."""
    tokens = name.split()
    return bool(tokens) and all(len(t) == 1 or t.isdigit() for t in tokens)


@lru_cache(maxsize=65536)
def _letters(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def is_abbreviation(short: str, long: str) -> bool:
    """``"NumTS"`` of ``"Num Timestamps"``, ``"DCID Length"`` of ``"Destination Connection ID
    Length"``: same first letter, and the short name's letters appear in order in the long one."""
    a, b = _letters(short), _letters(long)
    if len(a) < 3 or len(a) >= len(b) or a[0] != b[0]:
        return False
    rest = iter(b)
    return all(ch in rest for ch in a)


def field_name_similarity(a: Field, b: Field) -> float:
    """0..100: rapidfuzz ratio of the normalised names; 100 for an abbreviation of the other."""
    la, lb = _letters(a.name), _letters(b.name)
    if la and lb and la[0] == lb[0] and (is_abbreviation(a.name, b.name) or is_abbreviation(b.name, a.name)):
        return 100.0
    return float(fuzz.ratio(field_key(a.name), field_key(b.name)))


SHARED_WORDS = 200.0      # rename evidence of a shared word: more than any equal size (100)


@lru_cache(maxsize=65536)
def _words(name: str) -> frozenset[str]:
    return frozenset(w for w in field_key(name).split() if len(w) > 1)


def shares_words(a: str, b: str) -> bool:
    """Whether every word of one field name is a word of the other (``Stream ID`` of ``Stream
    ID/Push ID``, ``Type`` of ``Long Packet Type``; plurals count as their singular, one-letter
    words not at all). Sharing one word of several (``Fourth Bit``, ``Spin Bit``) is not enough."""
    wa, wb = _words(a), _words(b)
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


class GapCounts:
    """How many unpaired fields of each shape lie between two paired neighbours, on each side,
    in all and without a fixed value: :func:`rename_evidence`'s uniqueness test in O(1)."""

    def __init__(self, gap_old: list[Field], gap_new: list[Field]) -> None:
        from collections import Counter

        self.old = Counter(f.shape for f in gap_old)
        self.old_plain = Counter(f.shape for f in gap_old if not f.value)
        self.new = Counter(f.shape for f in gap_new)
        self.new_plain = Counter(f.shape for f in gap_new if not f.value)

    def unique(self, a: Field, b: Field) -> bool:
        """``a``'s shape is the only one of its kind in the old gap and ``b``'s in the new, a
        field with a fixed value counting only against one with a value (or itself)."""
        in_old = self.old[a.shape] if b.value else self.old_plain[a.shape] + (1 if a.value else 0)
        in_new = self.new[b.shape] if a.value else self.new_plain[b.shape] + (1 if b.value else 0)
        return in_old == 1 and in_new == 1


def rename_evidence(a: Field, b: Field, *, gap_old: list[Field] | None = None,
                    gap_new: list[Field] | None = None, counts: GapCounts | None = None) -> float | None:
    """How strongly ``a`` -> ``b`` looks like one field renamed in place (higher is stronger),
    or None when nothing but their position relates them.

    ``gap_old``/``gap_new`` are the unpaired fields between the same neighbours (both included),
    or ``counts`` their :class:`GapCounts`. Evidence is a similar name
    (:data:`RENAMED_FIELD_NAME`, abbreviations count) or one holding every word of the other
    (:func:`shares_words`, which outweighs an equal size), or the same known size together with
    one of: a name that is only drawn bit values, the same fixed value (an enum's code point),
    or that size being the only one of its kind in the gap on both sides (so position and size
    agree on the pair; a fixed-value field does not compete with one without a value).
    """
    if counts is None:
        counts = GapCounts(gap_old if gap_old is not None else [a],
                           gap_new if gap_new is not None else [b])
    placeholder = is_placeholder(a.name) or is_placeholder(b.name)
    similarity = 0.0 if placeholder else field_name_similarity(a, b)
    same_size = a.shape == b.shape and bool(a.size)
    # a name holding the other's words outweighs an equal size (quic-http -27 -> -28: "Stream
    # ID" became "Stream ID/Push ID (..)", not the new "Length (i)", issue 21)
    shared = not placeholder and shares_words(a.name, b.name)
    if similarity >= RENAMED_FIELD_NAME or shared:
        return similarity + (SHARED_WORDS if shared else 0.0) + (100.0 if same_size else 0.0)
    if not same_size:
        return None
    if placeholder or counts.unique(a, b) or (a.value and a.value == b.value):
        return 100.0 + similarity
    return None
