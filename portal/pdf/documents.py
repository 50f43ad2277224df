"""The printed documents: a patient's timeline (for the patient, or for a relative with only what
the patient shares) and the public explanation of a pathway. Each is made from the same context
and partials as its page, in the language asked for, whatever language the request is in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template, url_for
from flask_babel import force_locale

from .. import database
from ..content import LANGUAGES
from ..content.library import Pathway
from ..goals import PROMPTS, current_goals_of
from ..i18n import long_date
from ..models import Enrolment, Patient, Share
from ..presentation import explain_pathway
from ..record_page import record_context
from ..timeline.model import EXPECTED, LATE
from .render import html_to_pdf, qr_data_uri


@dataclass(frozen=True)
class PrintOptions:
    language: str
    large_print: bool
    goals: bool = True  # the patient's current goals on page 1, where the reader may see them

    @classmethod
    def for_patient(cls, patient: Patient) -> PrintOptions:
        """What the care team prints for a patient: their own language and print size."""
        language = patient.preferred_language if patient.preferred_language in LANGUAGES else LANGUAGES[0]
        return cls(language, bool(patient.large_print))

    def describe(self) -> str:
        """For the audit log."""
        return self.language + (", large print" if self.large_print else "") + ("" if self.goals else ", no goals")


def timeline_pdf(enrolment: Enrolment, options: PrintOptions, day: date, share: Share | None = None) -> bytes:
    """The patient's timeline; with `share` (one that shares the timeline), the relative's version,
    holding only what is shared."""
    with force_locale(options.language):
        may_see_goals = options.goals and (share is None or share.see_goals)
        goals = current_goals_of(database.session(), enrolment.patient_id) if may_see_goals else None
        if share is None:
            context = record_context(enrolment, options.language, day, audience="patient", goals=goals)
            portal_path = url_for("patient.my_timeline")
        else:
            context = record_context(enrolment, options.language, day, audience="relative",
                                     see_notes=share.see_notes, goals=goals)
            portal_path = url_for("relative.view", share_id=share.id)
        html = render_template("pdf/timeline.html", large_print=options.large_print, printed_on=long_date(day),
                               later_phases=_later_phases(context), **_portal_link(portal_path), **context)
    return html_to_pdf(html, _base_url())


def pathway_pdf(pathway: Pathway, options: PrintOptions, day: date) -> bytes:
    """The public explanation of a pathway, as its public page gives it, to hand out."""
    with force_locale(options.language):
        html = render_template(
            "pdf/pathway.html", large_print=options.large_print, printed_on=long_date(day), pathway=pathway,
            texts=pathway.texts[options.language], explained=explain_pathway(pathway, options.language, day),
            **_portal_link(url_for("public.pathway", pathway_id=pathway.id)))
    return html_to_pdf(html, _base_url())


def before_we_meet_pdf(options: PrintOptions, day: date) -> bytes:
    """The questions to think about before the conversation on what matters, with room to write
    the answers by hand. Nobody's data is on it, so anyone may print it."""
    with force_locale(options.language):
        html = render_template("pdf/before_we_meet.html", large_print=options.large_print,
                               printed_on=long_date(day), prompts=PROMPTS)
    return html_to_pdf(html, _base_url())


def _later_phases(context: dict) -> list[tuple[str, dict]]:
    """The phases still to come after the current one, with their texts, in pathway order."""
    coming = {step.phase for step in context["timeline"].steps if step.status in (EXPECTED, LATE)}
    current = context["view"].phase_id
    texts = context["texts"]
    return [(texts.labels["phases"][phase.id]["name"], texts.phases[phase.id])
            for phase in context["pathway"].definition.phases if phase.id in coming and phase.id != current]


def _base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/"


def _portal_link(path: str) -> dict:
    """The page this printout comes from, written out and as a QR code, to find it again."""
    url = _base_url() + path.lstrip("/")
    return {"portal_url": url, "portal_qr": qr_data_uri(url)}
