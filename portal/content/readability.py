"""How easy the texts in content/ are to read: LIX for bokmål and nynorsk, Flesch reading ease for English.

Each Markdown file and each labels.yaml is one text, scored in the words a reader sees (headings left
out: they are short on purpose). `flask --app portal content readability` prints the worst texts, and
the test suite fails any text past the limits.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import textstat
from markdown_it import MarkdownIt

from .glossary import GLOSSARY_DIR
from .texts import label_strings, load_yaml

LIX_MAX = 40  # bokmål and nynorsk: 40 is the usual upper bound for easy everyday prose
FLESCH_MIN = 60  # English: 60 and up is plain English

_markdown = MarkdownIt("commonmark")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")
# The label values that are running prose; names of steps and phases are not.
_PROSE_KEYS = {"summary", "description", "no_date", "text", "postponed"}


@dataclass(frozen=True)
class Score:
    path: Path
    language: str
    value: float
    words: int

    @property
    def measure(self) -> str:
        return "Flesch" if self.language == "en" else "LIX"

    @property
    def passes(self) -> bool:
        return self.value >= FLESCH_MIN if self.language == "en" else self.value <= LIX_MAX


def lix(text: str) -> float:
    """Words per sentence plus the percentage of words longer than six letters."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentences + 100 * long_words / len(words)


def flesch(text: str) -> float:
    textstat.set_lang("en")
    return textstat.flesch_reading_ease(text)


def markdown_prose(text: str) -> str:
    """The paragraphs and list items of a Markdown text, each ending as a sentence."""
    blocks, in_heading = [], False
    for token in _markdown.parse(text):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading:
            blocks.append(_sentence(" ".join(
                child.content for child in token.children or [] if child.type in ("text", "code_inline")
            )))
    return " ".join(b for b in blocks if b)


def labels_prose(data: dict | list) -> str:
    """The running prose of a labels file or the glossary, each value ending as a sentence."""
    return " ".join(_sentence(text) for key, text in label_strings(data) if key.rpartition(".")[2] in _PROSE_KEYS)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?:" else text + "."


def score_text(path: Path, language: str) -> Score | None:
    raw = path.read_text(encoding="utf-8")
    prose = labels_prose(load_yaml(raw) or {}) if path.suffix == ".yaml" else markdown_prose(raw)
    words = len(_WORD.findall(prose))
    if not words:
        return None
    value = flesch(prose) if language == "en" else lix(prose)
    return Score(path, language, round(value, 1), words)


def score_content(root: Path, languages: tuple[str, ...]) -> list[Score]:
    """Every text under `root` (pathways, shared family texts, the glossary) in the given languages."""
    scores = []
    for language in languages:
        paths = sorted(root.glob(f"**/{language}/**/*")) + [root / GLOSSARY_DIR / f"{language}.yaml"]
        for path in paths:
            if path.suffix in (".md", ".yaml") and path.is_file():
                score = score_text(path, language)
                if score is not None:
                    scores.append(score)
    return scores


def worst(scores: list[Score], count: int = 10) -> list[Score]:
    """The hardest texts first: highest LIX or lowest Flesch, measured by how far past the limit."""
    def distance(score: Score) -> float:
        return FLESCH_MIN - score.value if score.language == "en" else score.value - LIX_MAX
    return sorted(scores, key=distance, reverse=True)[:count]


def distribution(scores: list[Score]) -> dict[str, tuple[int, float, float]]:
    """Per language: (number of texts, median, worst)."""
    result = {}
    for language in dict.fromkeys(s.language for s in scores):
        values = [s.value for s in scores if s.language == language]
        hardest = min(values) if language == "en" else max(values)
        result[language] = (len(values), round(statistics.median(values), 1), hardest)
    return result
