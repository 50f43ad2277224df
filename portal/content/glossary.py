"""The glossary (`content/_glossary/<lang>.yaml`): the words a patient meets, explained, and the
links from a page's texts to them where each word first appears."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from .texts import load_yaml

GLOSSARY_DIR = "_glossary"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Tags whose text is never linked: links themselves, headings, and the folded sections' titles.
_NO_LINKS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "summary"}
_TAG = re.compile(r"(<[^>]+>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")


# Norwegian alphabetical order: æ, ø, å come after z.
_NORWEGIAN_ORDER = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})


def alphabetical(term: str) -> str:
    return term.casefold().translate(_NORWEGIAN_ORDER)


@dataclass(frozen=True)
class Entry:
    id: str
    term: str
    forms: tuple[str, ...]
    text: str


def load_glossary(root: Path, languages: tuple[str, ...], problems: list[str]) -> dict[str, list[Entry]]:
    """Each language's entries, sorted by term. Every language must explain the same words."""
    glossary = {}
    for language in languages:
        path = root / GLOSSARY_DIR / f"{language}.yaml"
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(f"{path}: file missing")
            continue
        except yaml.YAMLError as error:
            problems.append(f"{path}: not valid YAML: {error}")
            continue
        if not isinstance(raw, list) or not raw:
            problems.append(f"{path}: (file): must be a list of entries")
            continue
        entries = [e for n, item in enumerate(raw) if (e := _entry(path, n, item, problems))]
        glossary[language] = sorted(entries, key=lambda e: alphabetical(e.term))
    ids = {language: {e.id for e in entries} for language, entries in glossary.items()}
    for language, have in ids.items():
        for other, theirs in ids.items():
            for missing in sorted(theirs - have):
                path = root / GLOSSARY_DIR / f"{language}.yaml"
                problems.append(f"{path}: {missing}: explained in {other} but not here")
    return glossary


def _entry(path: Path, n: int, item, problems: list[str]) -> Entry | None:
    where = f"{path}: [{n}]"
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a mapping with id, term, forms and text")
        return None
    fields = {key: item.get(key) for key in ("id", "term", "text")}
    for key, value in fields.items():
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}.{key}: missing or empty")
    forms = item.get("forms")
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
        problems.append(f"{where}.forms: a list of the word's forms is needed")
        forms = None
    if isinstance(fields["id"], str) and not _ID.match(fields["id"]):
        problems.append(f"{where}.id: use lower-case letters, digits and dashes")
    if any(v is None or not str(v).strip() for v in fields.values()) or forms is None:
        return None
    return Entry(fields["id"], fields["term"].strip(), tuple(f.strip().lower() for f in forms), fields["text"].strip())


class GlossaryLinker:
    """Links each glossary word the first time it appears in the texts of one page.

    Call it on each text in the order the page shows them; later appearances stay plain text.
    """

    def __init__(self, entries: list[Entry], url: str):
        self._url = url
        self._entry_of = {form: entry for entry in entries for form in entry.forms}
        forms = sorted(self._entry_of, key=len, reverse=True)
        self._pattern = re.compile(r"\b(" + "|".join(map(re.escape, forms)) + r")\b", re.IGNORECASE) if forms else None
        self._linked: set[str] = set()

    def __call__(self, html: Markup) -> Markup:
        if self._pattern is None:
            return html
        parts, skipping = [], 0
        for part in _TAG.split(str(html)):
            if part.startswith("<"):
                name = _TAG_NAME.match(part)
                if name and name.group(1).lower() in _NO_LINKS:
                    skipping += -1 if part.startswith("</") else 1
                parts.append(part)
            elif skipping or not part.strip():
                parts.append(part)
            else:
                parts.append(self._pattern.sub(self._link, part))
        return Markup("".join(parts))

    def _link(self, match: re.Match) -> str:
        entry = self._entry_of[match.group(1).lower()]
        if entry.id in self._linked:
            return match.group(0)
        self._linked.add(entry.id)
        return f'<a class="term" href="{escape(self._url)}#term-{entry.id}">{match.group(0)}</a>'
