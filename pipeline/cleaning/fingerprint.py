"""Content fingerprints: an exact hash of the text, and a MinHash sketch for near-duplicates.

The sketch is the `SKETCH_SIZE` smallest 64-bit hashes of the word 4-grams of the text's first
`SKETCH_MAX_WORDS` words (bottom-k MinHash; copies share their beginning, and the cost stays
flat for very long texts). A shingle's hash is CRC-32 in the high half and Adler-32 in the low
half: both run in C, and the CRC alone orders the values. Two texts' resemblance (Jaccard of
their shingle sets) is estimated from the union of their sketches: of its k smallest values,
the share found in both. Syndicated wire copy with a different headline, lead or boilerplate
still shares most shingles.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import zlib

SKETCH_SIZE = 24
INDEX_KEYS = 4  # the sketch's smallest values index it: a close copy very likely shares one
SHINGLE_WORDS = 4
SKETCH_MAX_WORDS = 3000
MIN_SHINGLES = 30
_WORD = re.compile(r"\w+", re.UNICODE)


def text_hash(title: str | None, text: str) -> str:
    """Equal for texts that differ only in case, spacing and punctuation."""
    words = _WORD.findall(f"{title or ''} {text}".lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def sketch(text: str) -> list[int]:
    """Bottom-k MinHash of the text, sorted; empty when the text is too short to compare."""
    words = _WORD.findall(text.lower())[:SKETCH_MAX_WORDS]
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    if len(shingles) < MIN_SHINGLES:
        return []
    crc32, adler32 = zlib.crc32, zlib.adler32
    return sorted(heapq.nsmallest(SKETCH_SIZE, ((crc32(s) << 32) | adler32(s) for s in shingles)))


def resemblance(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the two texts behind the sketches."""
    if not a or not b:
        return 0.0
    union = heapq.nsmallest(SKETCH_SIZE, set(a) | set(b))
    both = set(a) & set(b)
    return sum(1 for h in union if h in both) / len(union)
