"""A pathway's texts in one language: Markdown split into sections, and short labels."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PATHWAY_SECTIONS = ("summary", "what_it_means", "if_no_news", "contact", "after", "for_relatives")
# In reading order: what happens and who you meet, when you hear, how you take part, how the phase ends.
PHASE_SECTIONS = ("what_happens", "who_you_meet", "when_to_hear", "taking_part", "choices", "questions",
                  "for_relatives", "how_it_ends")

_HEADING = re.compile(r"^## +(?P<heading>.+?) *\{#(?P<id>[a-z_]+)\} *$", re.MULTILINE)
_markdown = MarkdownIt("commonmark", {"html": False})
# libyaml's parser when it is there: the library holds a few hundred YAML files.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    return yaml.load(text, Loader=_YAML_LOADER)

# A normal time written into a text ("12 dager", "seks uker", "3 to 4 months"). Every figure lives in
# pathway.yaml, where it carries its source and date; texts point to the steps, which show it.
_NUMBER = (r"(?:\d+|en|ett|ei|eitt|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv"
           r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)")
_UNIT = (r"(?:kalenderdag\w*|virkedag\w*|arbeidsdag\w*|yrkedag\w*|dag|dager|dagar|døgn|uke|uker|veke|veker"
         r"|måned\w*|månad\w*|days?|weeks?|months?|(?:calendar|working) days?)")  # no years: "fylte 16 år" is an age
TIME_FIGURE = re.compile(rf"\b{_NUMBER}(?:\s*(?:[-–]|til|to|or|eller)\s*{_NUMBER})?\.?\s+{_UNIT}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    html: Markup


class TextError(ValueError):
    """A problem in one text file; `field` names the section or key."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def read_sections(path: Path, allowed: tuple[str, ...]) -> tuple[str | None, dict[str, Section]]:
    """The `# title` (if any) and the `## Heading {#id}` sections of a Markdown file.

    Sections may be missing here: a pathway can take some of them from its family's shared texts.
    `require_sections` checks the merged result.
    """
    text = path.read_text(encoding="utf-8")
    parts = _HEADING.split(text)
    preamble = parts[0].strip()
    title = None
    if preamble.startswith("# "):
        title = preamble[2:].strip()
    elif preamble:
        raise TextError("(before the first section)", "text before the first '## Heading {#id}' line")
    sections = {}
    for heading, section_id, body in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        if section_id in sections:
            raise TextError(section_id, "appears twice")
        if section_id not in allowed:
            raise TextError(section_id, f"unknown section; expected one of {', '.join(allowed)}")
        if not body.strip():
            raise TextError(section_id, "is empty")
        if figure := TIME_FIGURE.search(body):
            raise TextError(section_id, f"the time {figure.group(0)!r} belongs in pathway.yaml with its source; "
                                        "the steps on the page show it")
        sections[section_id] = Section(section_id, heading, Markup(_markdown.render(body.strip())))
    return title, sections


def require_sections(sections: dict[str, Section], required: tuple[str, ...]) -> dict[str, Section]:
    """The sections in `required` order; a TextError names the first one missing."""
    missing = [s for s in required if s not in sections]
    if missing:
        raise TextError(missing[0], f"missing section(s): {', '.join(missing)}")
    return {s: sections[s] for s in required}


def read_labels(path: Path) -> dict:
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TextError("(file)", "must be a mapping")
    return data


def merge_labels(shared: dict, own: dict) -> dict:
    """`own` on top of `shared`, key by key at every level."""
    merged = dict(shared)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_labels(merged[key], value)
        else:
            merged[key] = value
    return merged


def label_strings(value, key: str = "") -> list[tuple[str, str]]:
    """(dotted key, text) for every string in a labels file or the glossary; list items keep
    their list's key."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in label_strings(v, f"{key}.{k}" if key else str(k))]
    if isinstance(value, list):
        return [pair for item in value for pair in label_strings(item, key)]
    return [(key, value)] if isinstance(value, str) else []


def figures_in_labels(labels: dict) -> list[tuple[str, str]]:
    """(dotted key, figure) for every label that writes a time figure (see TIME_FIGURE)."""
    return [(key, figure.group(0)) for key, text in label_strings(labels) if (figure := TIME_FIGURE.search(text))]


def missing_labels(labels: dict, expected: list[str]) -> list[str]:
    """The dotted keys (e.g. 'milestones.first_attendance.name') that do not hold a non-empty string."""
    missing = []
    for key in expected:
        value = labels
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, str) or not value.strip():
            missing.append(key)
    return missing
