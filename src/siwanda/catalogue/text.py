"""Words of Indonesian text for search: split, lower-cased, and stemmed with Sastrawi (a
dictionary-based stemmer: "pengelolaan", "dikelola" and "kelola" all become "kelola")."""

import functools
import re

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORD = 40


@functools.cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The word's root; words with digits are kept as they are ("covid19", "2024")."""
    if any(ch.isdigit() for ch in word):
        return word
    return _stemmer().stem(word) or word


def words(text: str) -> list[str]:
    """Lower-case words of `text`, at most MAX_WORD letters each (longer ones are not words)."""
    return [w for w in WORD.findall(text.casefold()) if len(w) <= MAX_WORD]


def stems_of(found: list[str]) -> str:
    """The stems of `found` (words) that differ from the word itself, space-separated."""
    return " ".join(dict.fromkeys(s for w in found if (s := stem(w)) != w))


def stems(text: str) -> str:
    return stems_of(words(text))
