"""Which words of a post look misspelt, and how they are likely spelt, from how often words occur in eight
languages (wordfreq's lists: web, subtitles, news, Wikipedia, social media, so band names and surnames are
there too). A search engine that wants every word finds nothing for "Elvis Pressley Jailhouse Rock": the
resolver asks here which side of the post more likely holds the typo, and searches the other side first.

The table (~395k words, ~48 MB, 1.4 s) is built once per process on first use: only posts whose first
search came back empty ever need it.
"""

from __future__ import annotations

import os
from functools import lru_cache

from rapidfuzz.distance import OSA

from nowplaying.text import fold

# Languages whose posts we see most, with the Zipf frequency (log10 per billion words) below which a word
# is left out of the table: rarer words are not worth suggesting, and the table stays small.
LISTS = (("en", 2.4), ("es", 2.4), ("pt", 2.4), ("fr", 2.4), ("de", 2.4), ("it", 2.4), ("nl", 2.4), ("sv", 2.4))
MIN_LENGTH = 5  # shorter words have too many neighbours one letter away to tell a typo from a name
LETTERS = "abcdefghijklmnopqrstuvwxyz"

# A suggestion replaces a word that is rare (below RARE) by one at least LIFT more frequent and at least
# COMMON itself: "pressley" (2.2) -> "presley" (3.3). Only an order of searches rests on it: rewriting the
# words of a search from it breaks names ("darude" -> "darute", "fujii" -> "fuji"), so it is not done.
RARE = 2.5
COMMON = 2.4
LIFT = 1.0


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    """Folded word -> highest Zipf frequency over the languages."""
    import wordfreq

    data = os.path.join(os.path.dirname(wordfreq.__file__), "data")
    table: dict[str, float] = {}
    for lang, cutoff in LISTS:
        # Bin i of a cBpack list holds the words of frequency 10^(-i/100), i.e. Zipf 9 - i/100.
        for i, words in enumerate(wordfreq.read_cBpack(os.path.join(data, f"large_{lang}.msgpack.gz"))):
            zipf = 9 - i / 100
            if zipf < cutoff:
                break
            for word in words:
                key = word if word.isascii() else fold(word)  # the lists are lower case already
                if table.get(key, 0.0) < zipf:
                    table[key] = zipf
    return table


def zipf(word: str) -> float:
    """Zipf frequency of a (folded) word; 0 when it is not in the table."""
    return _table().get(fold(word), 0.0)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class TypoIndex:
    """Words indexed by their one-letter deletions: two words one typo apart (OSA distance 1) share one of
    them (or the word itself), so a word's near neighbours are found without scanning every word."""

    def __init__(self) -> None:
        self._by_deletion: dict[str, set[str]] = {}

    def add(self, word: str) -> None:
        for key in _deletions(word) | {word}:
            self._by_deletion.setdefault(key, set()).add(word)

    def near(self, word: str) -> set[str]:
        """The indexed words at most one typo from `word` (itself too, when indexed)."""
        found = {w for key in _deletions(word) | {word} for w in self._by_deletion.get(key, ())}
        return {w for w in found if OSA.distance(w, word) <= 1}


def _one_edit(word: str) -> set[str]:
    """Every string one letter dropped, added, changed or two neighbours swapped away (OSA distance 1)."""
    alphabet = set(LETTERS) | set(word)
    out = {word[:i] + word[i + 1:] for i in range(len(word))}
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    for i in range(len(word) + 1):
        for c in alphabet:
            out.add(word[:i] + c + word[i:])
            if i < len(word):
                out.add(word[:i] + c + word[i + 1:])
    out.discard(word)
    return out


@lru_cache(maxsize=4096)
def suggestion(word: str) -> str | None:
    """The far more common word one edit away from a rare `word` (folded, Latin letters, MIN_LENGTH or
    more), else None."""
    word = fold(word)
    if len(word) < MIN_LENGTH or not word.isalpha() or not word.isascii():
        return None
    own = zipf(word)
    if own >= RARE:
        return None
    table = _table()
    best = max(((table[w], w) for w in _one_edit(word) if w in table), default=None)
    if best is None or best[0] < COMMON or best[0] < own + LIFT:
        return None
    return best[1]


def looks_misspelt(word: str) -> bool:
    """A rare word with a far more common neighbour: likely the typo of an empty search."""
    return suggestion(word) is not None
