"""A pathway's texts in one language: Markdown split into sections, and short labels."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PATHWAY_SECTIONS = ("summary", "what_it_means", "if_no_news", "contact", "after", "for_relatives")
PHASE_SECTIONS = ("what_happens", "when_to_hear", "taking_part", "choices", "for_relatives", "questions")

_HEADING = re.compile(r"^## +(?P<heading>.+?) *\{#(?P<id>[a-z_]+)\} *$", re.MULTILINE)
_markdown = MarkdownIt("commonmark", {"html": False})


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


def read_sections(path: Path, required: tuple[str, ...]) -> tuple[str | None, dict[str, Section]]:
    """The `# title` (if any) and the `## Heading {#id}` sections of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    parts = _HEADING.split(text)
    preamble = parts[0].strip()
    title = None
    if preamble.startswith("# "):
        title = preamble[2:].strip()
    elif preamble:
        raise TextError("(before the first section)", "text before the first '## Heading {#id}' line")
    sections = {}
    for heading, section_id, body in zip(parts[1::3], parts[2::3], parts[3::3]):
        if section_id in sections:
            raise TextError(section_id, "appears twice")
        if section_id not in required:
            raise TextError(section_id, f"unknown section; expected one of {', '.join(required)}")
        if not body.strip():
            raise TextError(section_id, "is empty")
        sections[section_id] = Section(section_id, heading, Markup(_markdown.render(body.strip())))
    missing = [s for s in required if s not in sections]
    if missing:
        raise TextError(missing[0], f"missing section(s): {', '.join(missing)}")
    return title, sections


def read_labels(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TextError("(file)", "must be a mapping")
    return data


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
