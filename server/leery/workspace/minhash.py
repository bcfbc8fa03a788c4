"""MinHash signatures and LSH band keys over shingle sets.

Each of PERMUTATIONS "hash functions" is the shingle hash xor-ed with a fixed random mask; the
minimum per mask is one signature slot. Signatures are cut into BANDS bands of ROWS slots;
two sets that agree on a whole band land in the same bucket and become candidates. With
8 bands of 4 rows a pair at Jaccard 0.7 becomes a candidate with probability 0.87, at 0.8 with
0.98, at 0.4 with 0.19 (1 - (1 - s^4)^8); candidates are then verified exactly, so LSH only
decides what gets compared, never what is reported.
"""

from __future__ import annotations

import random
from array import array

PERMUTATIONS = 32
BANDS = 8
ROWS = PERMUTATIONS // BANDS
_MASK64 = (1 << 64) - 1
_MASKS = tuple(random.Random(0x1EE4).getrandbits(64) for _ in range(PERMUTATIONS))


def signature(shingles: array) -> tuple[int, ...]:
    if not shingles:
        return ()
    values = [h & _MASK64 for h in shingles]
    return tuple(min(map(mask.__xor__, values)) for mask in _MASKS)


def band_keys(shingles: array) -> tuple[int, ...]:
    """One bucket key per band (deterministic ints)."""
    sig = signature(shingles)
    if not sig:
        return ()
    return tuple(hash((band, *sig[band * ROWS : (band + 1) * ROWS])) for band in range(BANDS))
