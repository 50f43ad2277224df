"""Loads every pathway folder under `content/` into engine definitions and per-language texts.

Every problem found is reported with the file and field, all at once, so a writer can fix a
whole folder in one go (`flask --app portal content check`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from portal.timeline.model import (
    TRANSFER,
    Interval,
    Milestone,
    NormVersion,
    Outcome,
    PathwayDefinition,
    Phase,
)

from .codes import CodeBook, load_codes
from .glossary import Entry, load_glossary
from .schema import PathwaySpec, cross_check
from .texts import (
    PATHWAY_SECTIONS,
    PHASE_SECTIONS,
    Section,
    TextError,
    figures_in_labels,
    load_yaml,
    merge_labels,
    missing_labels,
    read_labels,
    read_sections,
    require_sections,
)

LANGUAGES = ("nb", "nn", "en")
DEFINITION_FILE = "pathway.yaml"
# Folders whose names start with "_" are not pathways: `_shared/<family>` holds the texts a family of
# pathways has in common (a pathway names it in `texts_from`), `_glossary` the word list.
SHARED_DIR = "_shared"
# Where a pathway's labels name the values of each kind of branch.
BRANCH_LABEL_GROUPS = {"treatment": "treatments", "setting": "settings", "severity": "severities"}


class ContentError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in content:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Texts:
    title: str
    sections: dict[str, Section]
    phases: dict[str, dict[str, Section]]
    labels: dict

    def branch_label(self, kind: str, value: str) -> str:
        return self.labels.get(BRANCH_LABEL_GROUPS[kind], {}).get(value, value)


@dataclass(frozen=True)
class Pathway:
    definition: PathwayDefinition
    spec: PathwaySpec
    texts: dict[str, Texts]

    @property
    def id(self) -> str:
        return self.definition.id

    def definition_json(self) -> dict:
        """The definition file as JSON. A start day nobody knows is null, here and in the norm
        version that begins on it: the date in the file only stands in for it."""
        data = self.spec.model_dump(mode="json", by_alias=True, exclude_none=True)
        if not self.spec.start_date_known:
            stand_in = data["effective_from"]
            data["effective_from"] = None
            for norm in data["norms"]:
                if norm["effective_from"] == stand_in:
                    norm["effective_from"] = None
        return data


class Library:
    def __init__(self, pathways: dict[str, Pathway], glossary: dict[str, list[Entry]], codes: CodeBook):
        self.pathways = pathways
        self.glossary = glossary
        self.codes = codes

    def get(self, pathway_id: str) -> Pathway | None:
        return self.pathways.get(pathway_id)

    def all(self) -> list[Pathway]:
        return list(self.pathways.values())

    def listed(self) -> list[Pathway]:
        return [p for p in self.pathways.values() if p.definition.listed]


def load_library(root: Path) -> Library:
    """Every pathway and the glossary under `root`, validated. Loaded once per process for as long
    as no file under `root` changes (each app, and each test's app, would otherwise parse it all)."""
    return _load_library(root.resolve(), _fingerprint(root))


def _fingerprint(root: Path) -> tuple:
    if not root.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*") if p.is_file()))


@functools.lru_cache(maxsize=4)
def _load_library(root: Path, fingerprint: tuple) -> Library:
    problems: list[str] = []
    pathways = {}
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")) if root.is_dir() else []
    if not folders:
        raise ContentError([f"{root}: no pathway folders found"])
    for folder in folders:
        pathway = _load_pathway(folder, problems)
        if pathway is not None:
            pathways[pathway.id] = pathway
    glossary = load_glossary(root, LANGUAGES, problems)
    codes = load_codes(root, {p.id: p.definition for p in pathways.values()}, problems)
    if problems:
        raise ContentError(problems)
    return Library(pathways, glossary, codes)


def _load_pathway(folder: Path, problems: list[str]) -> Pathway | None:
    path = folder / DEFINITION_FILE
    if not path.is_file():
        problems.append(f"{path}: file missing")
        return None
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        spec = PathwaySpec.model_validate(raw)
    except yaml.YAMLError as error:
        problems.append(f"{path}: not valid YAML: {error}")
        return None
    except ValidationError as error:
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"]) or "(file)"
            problems.append(f"{path}: {field}: {item['msg']}")
        return None
    cross = cross_check(spec, folder.name)
    problems += [f"{path}: {field}: {message}" for field, message in cross]
    if cross:
        return None
    shared = folder.parent / SHARED_DIR / spec.texts_from if spec.texts_from else None
    if shared is not None and not shared.is_dir():
        problems.append(f"{path}: texts_from: {shared} does not exist")
        return None
    texts = {}
    for language in LANGUAGES:
        loaded = _load_texts(folder / language, shared / language if shared else None, spec, problems)
        if loaded:
            texts[language] = loaded
    return Pathway(_definition(spec), spec, texts)


def _load_texts(folder: Path, shared: Path | None, spec: PathwaySpec, problems: list[str]) -> Texts | None:
    """One language's texts: the pathway's own files on top of its family's shared ones, if any."""
    before = len(problems)
    title, sections, phases, labels = None, {}, {}, {}
    path = folder / "pathway.md"
    try:
        title, own = read_sections(path, PATHWAY_SECTIONS)
        if not title:
            problems.append(f"{path}: title: the first line must be '# Title'")
        sections = require_sections(_shared_sections(shared, "pathway.md", PATHWAY_SECTIONS) | own, PATHWAY_SECTIONS)
    except (OSError, TextError) as error:
        problems.append(_describe(path, error))
    for phase in spec.phases:
        path = folder / "phases" / f"{phase.id}.md"
        try:
            merged = _shared_sections(shared, f"phases/{phase.id}.md", PHASE_SECTIONS)
            if path.is_file() or not merged:
                merged |= read_sections(path, PHASE_SECTIONS)[1]
            phases[phase.id] = require_sections(merged, PHASE_SECTIONS)
        except (OSError, TextError) as error:
            problems.append(_describe(path, error))
    labels_path = folder / "labels.yaml"
    try:
        labels = read_labels(labels_path)
        if shared is not None and (shared / "labels.yaml").is_file():
            labels = merge_labels(read_labels(shared / "labels.yaml"), labels)
        problems += [f"{labels_path}: {key}: missing or empty"
                     for key in missing_labels(labels, _expected_labels(spec))]
        problems += [f"{labels_path}: {key}: the time {figure!r} belongs in pathway.yaml with its source"
                     for key, figure in figures_in_labels(labels)]
        if spec.listed and not _is_word_list(labels.get("keywords")):
            problems.append(f"{labels_path}: keywords: a list of everyday words people search with is needed")
    except (OSError, yaml.YAMLError, TextError) as error:
        problems.append(_describe(labels_path, error))
    if len(problems) > before:
        return None
    return Texts(title, sections, phases, labels)


def _shared_sections(shared: Path | None, name: str, allowed: tuple[str, ...]) -> dict[str, Section]:
    if shared is None or not (shared / name).is_file():
        return {}
    try:
        return read_sections(shared / name, allowed)[1]
    except TextError as error:
        raise TextError(error.field, f"in {shared / name}: {error}") from error


def _is_word_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip() for v in value)


def _describe(path: Path, error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return f"{path}: file missing"
    field = getattr(error, "field", None)
    return f"{path}: {field + ': ' if field else ''}{error}"


def _expected_labels(spec: PathwaySpec) -> list[str]:
    keys = [f"phases.{p.id}.{part}" for p in spec.phases for part in ("name", "summary")]
    keys += [f"milestones.{m.id}.{part}" for m in spec.milestones for part in ("name", "description")]
    keys += [f"outcomes.{m.id}.{o}" for m in spec.milestones for o in m.outcomes]
    keys += [f"{BRANCH_LABEL_GROUPS[kind]}.{value}" for kind, values in spec.branches.items() for value in values]
    endings = [o for m in spec.milestones for o, outcome in m.outcomes.items() if outcome.ends]
    endings += list(spec.end_reasons) + [TRANSFER, "completed"]
    keys += [f"endings.{reason}.{part}" for reason in dict.fromkeys(endings) for part in ("title", "text")]
    keys.append("postponed")
    return keys


def _definition(spec: PathwaySpec) -> PathwayDefinition:
    return PathwayDefinition(
        id=spec.id,
        shape=spec.shape,
        category=spec.category,
        version=spec.version,
        effective_from=spec.effective_from,
        source=spec.source,
        clock_start=spec.clock_start,
        listed=spec.listed,
        initial_phase=spec.initial_phase,
        phases=tuple(
            Phase(p.id, tuple((t.partition(":")[0], t.partition(":")[2] or None) for t in p.starts_with))
            for p in spec.phases
        ),
        milestones=tuple(
            Milestone(
                m.id,
                {o: Outcome(o, s.ends, s.adds) for o, s in m.outcomes.items()},
                m.optional, m.repeats, m.completes, m.unplanned, m.phase,
            )
            for m in spec.milestones
        ),
        branches={kind: tuple(values) for kind, values in spec.branches.items()},
        end_reasons={reason: r.completes for reason, r in spec.end_reasons.items()},
        norms=tuple(
            NormVersion(
                n.effective_from, n.effective_until, n.source, n.quality,
                tuple(
                    Interval(i.from_, i.to, i.amount, i.unit,
                             next(iter(i.when.items())) if i.when else None,
                             i.approximate, i.source or n.source, i.quality or n.quality, i.amount_min)
                    for i in n.intervals
                ),
                n.note, n.page_date, n.clock_start,
                # A version that begins on the pathway's unknown start day begins on an unknown day too.
                spec.start_date_known or n.effective_from != spec.effective_from,
            )
            for n in spec.norms
        ),
    )
