"""Turns engine output and a pathway's texts into what a page (or a printout) shows.

Templates only lay this out; every wording decision about steps, dates and norms is made here,
in the reader's language.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import unquote

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .badges import Badge, step_badge
from .content.glossary import GlossaryLinker
from .content.library import Pathway, Texts
from .content.texts import Section
from .i18n import day_of_record, long_date
from .timeline import milestone_phases
from .timeline.model import (
    ACTIVE,
    DONE,
    EXPECTED,
    LATE,
    Interval,
    Step,
    Timeline,
    same_for_every_branch,
)


def duration(interval: Interval) -> str:
    amount, low = interval.amount, interval.amount_min
    if low is not None:
        text = {
            "calendar_days": ngettext("%(low)d to %(num)d day", "%(low)d to %(num)d days", amount, low=low),
            "working_days": ngettext("%(low)d to %(num)d working day", "%(low)d to %(num)d working days", amount,
                                     low=low),
            "weeks": ngettext("%(low)d to %(num)d week", "%(low)d to %(num)d weeks", amount, low=low),
            "months": ngettext("%(low)d to %(num)d month", "%(low)d to %(num)d months", amount, low=low),
        }[interval.unit]
    else:
        text = amount_text(amount, interval.unit)
    return _("about %(duration)s", duration=text) if interval.approximate else text


def amount_text(amount: int, unit: str) -> str:
    """"5 days", "10 working days", "2 weeks", "1 month"."""
    return {
        "calendar_days": ngettext("%(num)d day", "%(num)d days", amount),
        "working_days": ngettext("%(num)d working day", "%(num)d working days", amount),
        "weeks": ngettext("%(num)d week", "%(num)d weeks", amount),
        "months": ngettext("%(num)d month", "%(num)d months", amount),
    }[unit]


def milestone_name(texts: Texts, milestone: str) -> str:
    return texts.labels["milestones"][milestone]["name"]


def norm_sentence(texts: Texts, interval: Interval) -> str:
    if interval.amount == 0:
        return _("Normally the same day as “%(step)s”.", step=milestone_name(texts, interval.from_milestone))
    return _("Normally within %(duration)s after “%(step)s”.",
             duration=duration(interval), step=milestone_name(texts, interval.from_milestone))


@dataclass
class StepView:
    milestone: str
    name: str
    description: str
    status: str
    badge: Badge
    phase_name: str
    occurrence: int
    date: str = ""
    expected_by: str = ""
    no_date: str = ""
    norm: str = ""
    branches: list[tuple[str, str]] = field(default_factory=list)
    branches_depend_on: str = ""  # what the dates in `branches` depend on, as a lead-in sentence
    optional: bool = False
    postponed: bool = False
    moved: bool = False  # counted from today because an earlier step is later than normal
    outcome: str = ""
    treatment: str = ""
    usual: str = ""  # what usually happened at this unit (portal.figures), if enough cases show it


@dataclass
class TimelineView:
    title: str
    state: str
    phase_id: str
    phase_name: str
    phase_summary: str
    next_step: StepView | None
    done: list[StepView]
    later: list[StepView]
    ending: dict | None
    postponed_text: str
    is_late: bool
    moved_text: str = ""  # why the later steps' dates are counted from today, if they are


def _step_view(step: Step, texts: Texts, usual: dict) -> StepView:
    labels = texts.labels
    milestone = labels["milestones"][step.milestone]
    view = StepView(
        milestone=step.milestone,
        name=milestone["name"],
        description=milestone["description"],
        status=step.status,
        badge=step_badge(step.status),
        phase_name=labels["phases"][step.phase]["name"],
        occurrence=step.occurrence,
        optional=step.optional,
        postponed=step.postponed_days > 0,
        moved=step.moved_by_late is not None,
    )
    if step.status == DONE:
        view.date = long_date(step.date)
        if step.outcome:
            view.outcome = labels["outcomes"][step.milestone][step.outcome]
        if step.treatment:
            view.treatment = texts.branch_label("treatment", step.treatment)
        return view
    if step.expected_by:
        view.expected_by = long_date(step.expected_by)
    else:
        view.no_date = (milestone.get("no_date")
                        or _("You will be told the date. There is no set normal time for this step."))
    if step.norm and step.norm.amount is not None and not step.branches:
        view.norm = norm_sentence(texts, step.norm)
        view.usual = usual.get((step.milestone, step.norm.when), "")
    view.branches = [(texts.branch_label(b.kind, b.value), long_date(b.expected_by)) for b in step.branches]
    if step.branches:
        view.branches_depend_on = (_("It depends on how serious the illness is:") if step.branches[0].kind == "severity"
                                   else _("It depends on the treatment or setting that is chosen:"))
    return view


def build_timeline_view(timeline: Timeline, pathway: Pathway, language: str, usual: dict | None = None) -> TimelineView:
    """`usual`: sentences on what usually happened at the unit, by (step, branch of its norm)."""
    texts = pathway.texts[language]
    steps = [_step_view(s, texts, usual or {}) for s in timeline.steps]
    done = [v for v in steps if v.status == DONE]
    pairs = list(zip(steps, timeline.steps, strict=True))
    later = [v for v, s in pairs if s.status in (EXPECTED, LATE) and s is not timeline.next_step]
    next_view = next((v for v, s in pairs if s is timeline.next_step), None)
    ending = None
    if timeline.state != ACTIVE:
        ending = texts.labels["endings"][timeline.end_reason or "completed"]
        ending = {**ending, "date": long_date(timeline.ended_on)}
    phase = texts.labels["phases"][timeline.current_phase]
    return TimelineView(
        title=texts.title,
        state=timeline.state,
        phase_id=timeline.current_phase,
        phase_name=phase["name"],
        phase_summary=phase["summary"],
        next_step=next_view,
        done=done,
        later=later,
        ending=ending,
        postponed_text=texts.labels["postponed"] if timeline.postponements else "",
        is_late=bool(timeline.next_step and timeline.next_step.status == LATE),
        moved_text=moved_text(timeline, texts),
    )


def moved_text(timeline: Timeline, texts: Texts) -> str:
    """Why later dates are counted from today: a step before them is later than normal."""
    late = next((s.moved_by_late for s in timeline.steps if s.moved_by_late), None)
    if late is None:
        return ""
    return _("The dates below are counted from today, because “%(step)s” is later than normal. "
             "They will be counted again when it has happened.", step=milestone_name(texts, late))


@dataclass
class NormSource:
    """Where a normal time comes from, as the reader sees it under the steps."""
    number: int
    source: str  # a URL, or a document and its place
    quality: str
    effective_from: str  # empty when the day the times took effect is not known
    page_date: str

    @property
    def label(self) -> str:
        """The source as the reader sees it: an address with any %-escapes written out."""
        return unquote(self.source)


@dataclass
class PublicNorm:
    text: str
    source: int  # the NormSource number


@dataclass
class PublicStep:
    name: str
    description: str
    norms: list[PublicNorm]
    no_date: str
    optional: bool
    repeats: bool
    usual: list[str] = field(default_factory=list)  # what usually happened at a chosen unit (portal.figures)


@dataclass
class PublicPathway:
    phases: list[dict]
    sources: list[NormSource]
    norm_gap: bool  # some or all official times are not in the portal


def quality_label(quality: str) -> str:
    return {
        "official": _("official"),
        "official_mirror": _("official text, republished"),
        "official_2019_restated": _("the official 2019 table, as given in an evaluation report"),
        "secondary": _("restated by a hospital, a patient organisation or an article"),
        "secondary_derived": _("worked out from times restated by a hospital, a patient organisation or an article"),
        "practice_model": _("the model's own rhythm, not national times"),
    }.get(quality, quality)


def explain_pathway(pathway: Pathway, language: str, today: date, usual: dict | None = None) -> PublicPathway:
    """Each phase with its steps and their normal times, and where each time comes from, for the
    public explanation of a pathway. The times are those in force today. `usual`: sentences on what
    usually happened at a unit, by (step, branch of its norm)."""
    usual = usual or {}
    texts = pathway.texts[language]
    definition = pathway.definition
    norm = definition.norm_in_force(today) or (definition.norms[-1] if definition.norms else None)
    phase_of = milestone_phases(definition)
    sources: dict[tuple[str, str], NormSource] = {}

    def source_number(interval: Interval) -> int:
        key = (interval.source or norm.source, interval.quality or norm.quality)
        if key not in sources:
            page_date = norm.page_date if key[0] == norm.source else None
            sources[key] = NormSource(len(sources) + 1, key[0], quality_label(key[1]),
                                      day_of_record(norm.effective_from) if norm.start_known else "",
                                      day_of_record(page_date) if page_date else "")
        return sources[key].number

    phases = []
    for phase in definition.phases:
        steps = []
        for milestone in definition.milestones:
            if phase_of[milestone.id] != phase.id:
                continue
            intervals = [i for i in (norm.intervals_to(milestone.id) if norm else []) if i.amount is not None]
            shared = same_for_every_branch(intervals)  # one figure for every setting: shown once
            norms = []
            for interval in [shared] if shared else intervals:
                sentence = norm_sentence(texts, interval)
                if interval.when:
                    sentence = f"{texts.branch_label(*interval.when)}: {sentence}"
                norms.append(PublicNorm(sentence, source_number(interval)))
            label = texts.labels["milestones"][milestone.id]
            seen = [(i.when, usual[(milestone.id, i.when)]) for i in intervals if (milestone.id, i.when) in usual]
            steps.append(PublicStep(label["name"], label["description"], norms,
                                    "" if norms else label.get("no_date", ""), milestone.optional, milestone.repeats,
                                    [f"{texts.branch_label(*when)}: {text}" if when else text for when, text in seen]))
        phases.append({
            "id": phase.id,
            "name": texts.labels["phases"][phase.id]["name"],
            "summary": texts.labels["phases"][phase.id]["summary"],
            "steps": steps,
            "sections": texts.phases[phase.id],
        })
    return PublicPathway(phases, list(sources.values()), bool(pathway.spec.norm_gap))


def glossary_linker(language: str) -> GlossaryLinker:
    """For one page: links the glossary's words where they first appear in its texts."""
    return GlossaryLinker(current_app.extensions["library"].glossary[language], url_for("public.glossary"))


def linked_phase_texts(pathway: Pathway, language: str, phase_id: str) -> dict[str, Section]:
    """A phase's texts with glossary words linked, as a timeline shows them: the same for every
    reader in that phase, so linked once per process (linking on each view was the biggest part of
    laying out a timeline)."""
    linked = current_app.extensions.setdefault("linked_phase_texts", {})
    key = (pathway.id, language, phase_id)
    if key not in linked:
        link = glossary_linker(language)
        linked[key] = {section_id: replace(section, html=link(section.html))
                       for section_id, section in pathway.texts[language].phases[phase_id].items()}
    return linked[key]
