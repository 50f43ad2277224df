"""The worklist: the unit's patients by pathway and phase, with the next expected date, those past
it first. Reads the summary columns of the enrolment (portal.enrolment_timeline.refresh_summary), so no
timeline is computed for it: a page costs two queries, the count for the pager and the page's
rows (bench/worklist.py measures them with 10,000 patients in a unit), and a third small one: how
many events from the hospital's systems wait for a patient (portal.staff.held_events)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from flask import current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import database
from ..addresses import whole_number
from ..auth.access import allow
from ..badges import Badge, past_normal_date, result_overdue
from ..clock import today
from ..forms import DAY_FORMATS
from ..i18n import current_language, day_of_record
from ..imports import waiting_count
from ..models import Enrolment, ExpectedResult, Patient
from ..read_audit import shown
from . import bp

PAGE_SIZE = 50
MAX_PAGE = 9_999  # half a million patients: an address asking for more gets the first page
STATUSES = ("active", "late", "ended", "all")
SORTS = ("next", "name")


@dataclass
class Filters:
    pathway: str = ""
    phase: str = ""
    status: str = "active"
    q: str = ""
    sort: str = "next"
    page: int = 1

    @classmethod
    def from_args(cls, args, pathway_ids) -> Filters:
        """Unknown values fall back to the defaults: a bookmarked address never breaks the page."""
        pathway = args.get("pathway", "")
        status = args.get("status", "active")
        sort = args.get("sort", "next")
        return cls(
            pathway=pathway if pathway in pathway_ids else "",
            phase=args.get("phase", "")[:80],
            status=status if status in STATUSES else "active",
            q=args.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "next",
            page=whole_number(args.get("page"), largest=MAX_PAGE) or 1,
        )

    def address_of_page(self, page: int) -> str:
        """Another page of the same list: the filters chosen, and nothing else the address had
        (a parameter called `endpoint` would reach url_for itself)."""
        chosen = {name: value for name, value in asdict(self).items() if value != getattr(Filters, name)}
        return url_for("staff.worklist", **{**chosen, "page": page})


def matching(query, unit_id: int, filters: Filters, day: date):
    """`query` on Enrolment narrowed to the unit's enrolments that pass the filters (a search
    needs Patient in the query)."""
    query = query.where(Enrolment.unit_id == unit_id)
    if filters.pathway:
        query = query.where(Enrolment.pathway_id == filters.pathway)
    if filters.phase:
        query = query.where(Enrolment.phase == filters.phase)
    if filters.status == "active":
        query = query.where(Enrolment.state == "active")
    elif filters.status == "late":
        query = query.where(Enrolment.state == "active", Enrolment.next_expected_by < day)
    elif filters.status == "ended":
        query = query.where(Enrolment.state != "active")
    if filters.q:
        query = query.where(_search(filters.q))
    return query


def _search(typed: str):
    """What a search box finds: a patient by fødselsnummer or D-nummer (eleven digits, spaces
    allowed), by date of birth as Norwegians write it (23.04.1961) or as a date picker sends it,
    and otherwise by a part of the name."""
    digits = typed.replace(" ", "")
    if len(digits) == 11 and digits.isascii() and digits.isdigit():
        return Patient.national_id == digits
    for pattern in DAY_FORMATS:
        try:
            return Patient.date_of_birth == datetime.strptime(typed, pattern).date()
        except ValueError:
            continue
    return func.lower(Patient.display_name).contains(typed.lower(), autoescape=True)


def _earliest_overdue_result(day: date):
    """The earliest day a result of the row's enrolment was expected by, gone by with no result
    recorded (none: NULL)."""
    return (select(func.min(ExpectedResult.expected_by))
            .where(ExpectedResult.enrolment_id == Enrolment.id, ExpectedResult.received_on.is_(None),
                   ExpectedResult.withdrawn_at.is_(None), ExpectedResult.expected_by < day)
            .correlate(Enrolment).scalar_subquery().label("result_overdue_since"))


def worklist_query(unit_id: int, filters: Filters, day: date):
    query = matching(select(Enrolment.id, Enrolment.pathway_id, Enrolment.phase, Enrolment.state,
                            Enrolment.next_milestone, Enrolment.next_expected_by, Enrolment.delay_note,
                            Enrolment.no_news_since, _earliest_overdue_result(day),
                            Patient.id.label("patient_id"), Patient.display_name, Patient.date_of_birth)
                     .join(Patient, Enrolment.patient_id == Patient.id), unit_id, filters, day)
    if filters.sort == "name":
        return query.order_by(Patient.display_name, Enrolment.id)
    # First those the daily job found with no news since a normal date went by, then the earliest
    # expected date: dates that have passed come before those still to come.
    return query.order_by(Enrolment.no_news_since.is_(None), Enrolment.next_expected_by.is_(None),
                          Enrolment.next_expected_by, Enrolment.id)


def count_query(unit_id: int, filters: Filters, day: date):
    """How many match, for the pager. Every enrolment has its patient, so patients are read only
    for a search: joining them for every count made it the dearest part of the page."""
    query = select(func.count()).select_from(Enrolment)
    if filters.q:
        query = query.join(Patient, Enrolment.patient_id == Patient.id)
    return matching(query, unit_id, filters, day)


@dataclass
class Row:
    """A patient on the worklist, in words."""

    enrolment_id: int
    patient_id: int
    name: str
    date_of_birth: date | None
    pathway: str
    phase: str
    next_step: str
    normally_by: str
    badge: Badge | None
    result_badge: Badge | None
    delay_note: bool
    no_news_since: date | None


def _row(found, texts, day: date) -> Row:
    labels = texts.labels
    if found.state != "active":
        next_step, normally_by = _("Pathway ended"), ""
    else:
        next_step = labels["milestones"].get(found.next_milestone, {}).get("name", "") if found.next_milestone else ""
        normally_by = day_of_record(found.next_expected_by) if found.next_expected_by else _("No normal date")
    return Row(found.id, found.patient_id, found.display_name, found.date_of_birth, texts.title,
               labels["phases"][found.phase]["name"] if found.phase else "", next_step, normally_by,
               past_normal_date(found.state, found.next_expected_by, day),
               result_overdue(found.result_overdue_since if found.state == "active" else None), bool(found.delay_note),
               found.no_news_since if found.state == "active" else None)


@bp.get("/")
@allow("coordinator", "nurse")
def worklist():
    library = current_app.extensions["library"]
    language, day = current_language(), today()
    filters = Filters.from_args(request.args, [p.id for p in library.all()])
    db = database.session()
    total = db.scalar(count_query(g.account.unit_id, filters, day))
    query = worklist_query(g.account.unit_id, filters, day)
    found = db.execute(query.limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)).all()
    texts = {p.id: p.texts[language] for p in library.all()}
    rows = [_row(row, texts[row.pathway_id], day) for row in found]
    shown(db, [row.patient_id for row in rows], "worklist")
    db.commit()
    phases = list(texts[filters.pathway].labels["phases"].items()) if filters.pathway else []
    return render_template(
        "staff/worklist.html", rows=rows, total=total, filters=filters, unit_name=g.account.unit.name,
        pathways=[(pathway_id, text.title) for pathway_id, text in texts.items()],
        phases=[(phase_id, phase["name"]) for phase_id, phase in phases],
        statuses=[("active", _("In a pathway now")), ("late", _("Past the normal date")),
                  ("ended", _("Pathway ended")), ("all", _("All"))],
        pages=(total + PAGE_SIZE - 1) // PAGE_SIZE, waiting=waiting_count(db, g.account.unit_id))
