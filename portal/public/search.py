"""Finding a pathway by the everyday words people type ("bryst", "rus", "eldre hjemme").

Each listed pathway is found by its titles and keywords in every language, so a word in bokmål,
nynorsk or English finds it whatever language the page is in. Every word typed must match one of
the pathway's words: the start of it ("lunge" finds "lungekreft"), from four letters any part of it
("kreft" finds "brystkreft"), or the word may start with it ("brystet" finds "bryst": an inflected
form). Letters are compared without case or accents (æ/ø/å as ae/o/a).
"""
from __future__ import annotations

import re
import unicodedata

from ..content import LANGUAGES
from ..content.library import Library, Pathway

_WORD = re.compile(r"\w+")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def fold(text: str) -> list[str]:
    """Lower-case words with accents removed: 'Spiseforstyrrelser hos BARN' -> ['spiseforstyrrelser', 'hos', 'barn']."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _WORD.findall(text)


def _searchable_words(pathway: Pathway) -> set[str]:
    words = set()
    for language in LANGUAGES:
        texts = pathway.texts[language]
        words.update(fold(texts.title))
        for keyword in texts.labels.get("keywords", []):
            words.update(fold(keyword))
    return words


def _matches(query_word: str, words: set[str]) -> bool:
    return any(
        word.startswith(query_word)
        or (len(query_word) >= 4 and query_word in word)
        or (len(word) >= 4 and query_word.startswith(word))
        for word in words
    )


def search(library: Library, query: str) -> list[Pathway]:
    """The listed pathways every word of `query` matches, in library order. Words of one or two
    letters ('i', 'og', 'of') are left out."""
    query_words = [w for w in fold(query) if len(w) > 2]
    if not query_words:
        return []
    found = []
    for pathway in library.listed():
        words = _searchable_words(pathway)
        if all(_matches(word, words) for word in query_words):
            found.append(pathway)
    return found
