"""Printable PDFs, read back as a person (or a screen reader) would: whose they are, the dates, the
language, the one-page summary, large print, what a relative may see, and the clinic-day batch."""
from __future__ import annotations

import shutil
import subprocess
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from portal import database
from portal.enrolment_timeline import latest_enrolment
from portal.models import AuditEntry, Patient, Share, Unit
from portal.pdf.documents import PrintOptions, timeline_pdf

from .support import factories
from .support.content import LISTED
from .support.pages import find, links, text_of
from .support.pdfs import body_font_size, pages_of, pdf_text, read_pdf
from .support.people import login
from .support.stored import patient_id, update_patient
from .support.world import (
    BREAST_UNIT,
    COORDINATOR,
    DPS_COORDINATOR,
    DPS_UNIT,
    KARIS_APPOINTMENT,
    PASSWORD,
    TODAY,
)

NORWEGIAN_AND_SAMI = "æ ø å Æ Ø Å á č đ ŋ š ŧ ž Á Č Đ Ŋ Š Ŧ Ž"


def prints_in_audit_log(app) -> list[tuple[int, str]]:
    with app.app_context():
        return [(e.patient_id, e.detail) for e in database.session().scalars(
            select(AuditEntry).where(AuditEntry.action == "print").order_by(AuditEntry.id))]


def relative_of(app, patient_name: str, **scopes) -> tuple:
    """A relative who has accepted a share from the patient: (signed-in client, share id)."""
    with app.app_context():
        db = database.session()
        patient = db.scalar(select(Patient).where(Patient.display_name == patient_name))
        username = f"relative{db.scalar(select(func.count()).select_from(Share)) + 1}"
        relative = factories.account(db, "relative", "Nora Pårørende", username, PASSWORD)
        share, _ = factories.share(db, patient, "Nora Pårørende", "datter", relative, **scopes)
        db.commit()
        share_id = share.id
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client, share_id


# The patient's own timeline

def test_my_timeline_pdf_is_the_patients_own_with_dates_appointments_and_contacts(app, sign_in):
    reader = read_pdf(sign_in("Kari Demo").get("/my-timeline.pdf?lang=en"))
    first = pages_of(reader)[0]
    assert "Your timeline" in first and "For Kari Demo" in first
    assert "Friday 20 March 2026" in first  # the next step's normal date
    assert "Thursday 12 March 2026 at 09:30" in first and "MR av brystene" in first
    assert "Svar på vevsprøven" in first
    assert "Thursday 2 April 2026" in first  # a later step
    assert "Sunday 8 March 2026" in first  # what has happened
    assert "+47 00 00 00 01" in first  # the contact card, on page 1
    assert "http://127.0.0.1:5000/my-timeline" in first  # the way back, under the QR code
    assert reader.metadata.title == "Timeline for Kari Demo"


SHARED_GOAL, DRAFT_GOAL = "Holde tale i bryllupet til sønnen min i juni.", "Begynne å svømme igjen"


def test_the_patients_goals_are_on_page_one_after_who_to_call_and_drafts_stay_out(sign_in):
    client = sign_in("Kari Demo")
    first = pages_of(read_pdf(client.get("/my-timeline.pdf?lang=en")))[0]
    assert "What matters to you" in first and SHARED_GOAL in first and DRAFT_GOAL not in first
    assert first.index("Next step") < first.index("Who to contact") < first.index(SHARED_GOAL)
    assert SHARED_GOAL not in pdf_text(read_pdf(client.get("/my-timeline.pdf?lang=en&goals=0")))


@pytest.mark.parametrize("see_goals", [True, False])
def test_a_relative_pdf_holds_goals_only_if_the_patient_shares_them(app, see_goals):
    client, share_id = relative_of(app, "Kari Demo", see_appointments=True, see_goals=see_goals)
    text = pdf_text(read_pdf(client.get(f"/shared/{share_id}.pdf?lang=en")))
    assert (SHARED_GOAL in text) is see_goals
    assert DRAFT_GOAL not in text


def test_the_summary_fits_on_page_one_and_the_texts_follow(read_only_app):
    """Every patient of the cast, whatever their pathway and state: page 1 ends with the way back
    to the portal, and the explanation of the phase starts on page 2."""
    with read_only_app.test_request_context():
        db = database.session()
        for patient in db.scalars(select(Patient).order_by(Patient.id)):
            pdf = timeline_pdf(latest_enrolment(db, patient.id), PrintOptions("en", False), TODAY)
            first, second = pages_of(PdfReader(BytesIO(pdf)))[:2]
            assert "Who to contact" in first and "/my-timeline" in first, patient.display_name
            assert "About this phase" not in first and "About this phase" in second, patient.display_name


@pytest.mark.parametrize("language, words, absent", [
    ("nb", ["Tidslinjen din", "Der du er nå", "Hvem du kan kontakte", "fredag 20. mars 2026"], "Where you are now"),
    ("nn", ["Tidslinja di", "Der du er no", "Kven du kan kontakte", "fredag 20. mars 2026"], "Der du er nå"),
    ("en", ["Your timeline", "Where you are now", "Who to contact", "Friday 20 March 2026"], "Der du er"),
])
def test_the_pdf_is_in_the_language_asked_for(sign_in, language, words, absent):
    reader = read_pdf(sign_in("Kari Demo").get(f"/my-timeline.pdf?lang={language}"))
    text = pdf_text(reader)
    for word in words:
        assert word in text, word
    assert absent not in text
    assert reader.trailer["/Root"]["/Lang"] == language


def test_large_print_has_body_text_of_at_least_16_pt(sign_in):
    client = sign_in("Kari Demo")
    normal = read_pdf(client.get("/my-timeline.pdf?lang=en"))
    large = read_pdf(client.get("/my-timeline.pdf?lang=en&large_print=1"))
    assert body_font_size(normal) < 12
    assert body_font_size(large) >= 16
    assert len(large.pages) > len(normal.pages)


def test_who_to_call_is_on_page_one_of_large_print_even_with_long_goals(app, sign_in):
    with app.app_context():
        db = database.session()
        patient = db.scalar(select(Patient).where(Patient.display_name == "Kari Demo"))
        for n in range(5):
            factories.goal(db, patient, f"Mål {n}: " + "Jeg vil klare meg selv hjemme og gå tur med hunden. " * 19,
                           TODAY)
        db.commit()
    first = pages_of(read_pdf(sign_in("Kari Demo").get("/my-timeline.pdf?lang=en&large_print=1")))[0]
    assert "Next step" in first and "Who to contact" in first and "+47 00 00 00 01" in first
    assert first.index("Next step") < first.index("+47 00 00 00 01")


def test_the_printout_says_why_later_dates_are_counted_from_today(sign_in):
    first = pages_of(read_pdf(sign_in("Liv Demo").get("/my-timeline.pdf?lang=en")))[0]
    assert "The dates below are counted from today, because" in first
    assert "Monday 23 March 2026" in first  # treatment after a late decision: today + 13 days


def test_a_patients_large_print_choice_is_the_default(app, sign_in):
    update_patient(app, "Kari Demo", large_print=True)
    client = sign_in("Kari Demo")
    assert body_font_size(read_pdf(client.get("/my-timeline.pdf"))) >= 16
    assert body_font_size(read_pdf(client.get("/my-timeline.pdf?large_print=0"))) < 12


def test_printing_is_in_the_audit_log_and_the_patients_access_log(app, sign_in):
    client = sign_in("Kari Demo")
    read_pdf(client.get("/my-timeline.pdf?lang=nn&large_print=1"))
    assert prints_in_audit_log(app) == [(patient_id(app, "Kari Demo"), "timeline PDF (nn, large print)")]
    assert "printed it" in client.get("/my/access-log?lang=en").get_data(as_text=True)


def test_a_patient_only_ever_gets_their_own_pdf(app, sign_in):
    ola = sign_in("Ola Demo")
    text = pdf_text(read_pdf(ola.get("/my-timeline.pdf?lang=en")))
    assert "Ola Demo" in text and "Kari Demo" not in text
    kari_id = patient_id(app, "Kari Demo")
    assert ola.get(f"/staff/patients/{kari_id}/timeline.pdf").status_code == 403
    assert ola.get(f"/staff/print.pdf?patient={kari_id}").status_code == 403
    _, share_id = relative_of(app, "Kari Demo", see_appointments=True)
    assert ola.get(f"/shared/{share_id}.pdf").status_code == 403


def test_the_timeline_page_links_to_its_pdf(sign_in):
    pdfs = links(sign_in("Kari Demo").get("/my-timeline?lang=en"), "a[href^='/my-timeline.pdf']")
    assert {"/my-timeline.pdf?lang=en", "/my-timeline.pdf?lang=en&large_print=1"} <= set(pdfs)


# Relatives

def test_a_relative_who_does_not_see_the_timeline_gets_no_printout_of_it(app):
    client, share_id = relative_of(app, "Kari Demo", see_goals=True, see_notes=True)
    assert client.get(f"/shared/{share_id}.pdf?lang=en").status_code == 404
    page = client.get(f"/shared/{share_id}?lang=en")
    assert page.status_code == 200
    assert not links(page, f"a[href^='/shared/{share_id}.pdf']")


def test_a_relative_pdf_holds_what_is_shared(app):
    client, share_id = relative_of(app, "Kari Demo", see_appointments=True)
    text = pdf_text(read_pdf(client.get(f"/shared/{share_id}.pdf?lang=en")))
    assert "Timeline for Kari Demo" in text
    assert "Kari Demo has chosen to share this with you" in text
    assert "Friday 20 March 2026" in text  # the pathway's steps
    assert "MR av brystene" in text and "Svar på vevsprøven" in text
    for_relatives = app.extensions["library"].get("cancer-breast").texts["en"].sections["for_relatives"].heading
    assert for_relatives in text
    assert f"/shared/{share_id}.pdf?lang=en" in links(client.get(f"/shared/{share_id}?lang=en"))


def test_the_care_teams_note_reaches_a_relative_only_if_shared(app):
    note = "Vi venter på ledig time til MR."
    hidden, hidden_id = relative_of(app, "Liv Demo", see_appointments=True, see_notes=False)
    shown, shown_id = relative_of(app, "Liv Demo", see_appointments=True, see_notes=True)
    assert note not in pdf_text(read_pdf(hidden.get(f"/shared/{hidden_id}.pdf")))
    assert note in pdf_text(read_pdf(shown.get(f"/shared/{shown_id}.pdf")))


def test_a_relative_cannot_print_someone_elses_share(app):
    _, kari_share = relative_of(app, "Kari Demo", see_appointments=True)
    ola_relative, _ = relative_of(app, "Ola Demo", see_appointments=True)
    assert ola_relative.get(f"/shared/{kari_share}.pdf").status_code == 404


# The care team

def test_staff_print_in_the_patients_language_and_print_size(app, sign_in):
    update_patient(app, "Liv Demo", large_print=True)  # Liv prefers nynorsk
    client = sign_in(COORDINATOR)
    reader = read_pdf(client.get(f"/staff/patients/{patient_id(app, 'Liv Demo')}/timeline.pdf"))
    assert "Tidslinja di" in pdf_text(reader) and "Liv Demo" in pdf_text(reader)
    assert reader.trailer["/Root"]["/Lang"] == "nn"
    assert body_font_size(reader) >= 16
    english = read_pdf(client.get(f"/staff/patients/{patient_id(app, 'Liv Demo')}/timeline.pdf?lang=en"))
    assert "Your timeline" in pdf_text(english)


def test_staff_of_another_unit_get_404(app, sign_in):
    client = sign_in(DPS_COORDINATOR)
    kari_id = patient_id(app, "Kari Demo")
    assert client.get(f"/staff/patients/{kari_id}/timeline.pdf").status_code == 404
    assert client.get(f"/staff/print.pdf?patient={kari_id}").status_code == 404
    assert prints_in_audit_log(app) == []


def test_the_staff_page_links_to_the_pdf(app, sign_in):
    kari_id = patient_id(app, "Kari Demo")
    assert f"/staff/patients/{kari_id}/timeline.pdf" in links(sign_in(COORDINATOR).get(f"/staff/patients/{kari_id}"))


def test_the_clinic_day_page_lists_the_days_appointments(app, sign_in):
    response = sign_in(COORDINATOR).get("/staff/clinic-day?day=2026-03-12&lang=en")
    page = response.get_data(as_text=True)
    assert "Kari Demo" in page and f"09:30 {KARIS_APPOINTMENT}" in page
    chosen = {box.get("value"): box.checked for box in find(response, "input[name=patient]")}
    assert chosen == {str(patient_id(app, "Kari Demo")): True}
    assert "Ola Demo" not in page
    empty = sign_in(COORDINATOR).get("/staff/clinic-day?day=2026-03-13&lang=en").get_data(as_text=True)
    assert "No appointments in your unit on this day." in empty


def test_chosen_patients_come_in_one_pdf_each_in_their_own_language(app, sign_in):
    kari, liv = patient_id(app, "Kari Demo"), patient_id(app, "Liv Demo")
    reader = read_pdf(sign_in(COORDINATOR).get(f"/staff/print.pdf?patient={kari}&patient={liv}"))
    starts = {item.title: reader.get_destination_page_number(item) for item in reader.outline
              if not isinstance(item, list)}
    assert list(starts) == ["Kari Demo", "Liv Demo"]
    assert starts["Kari Demo"] == 0 and starts["Liv Demo"] % 2 == 0  # a new sheet, printed on both sides
    pages = pages_of(reader)
    assert "Tidslinjen din" in pages[0] and "For Kari Demo" in pages[0]
    assert "Tidslinja di" in pages[starts["Liv Demo"]] and "For Liv Demo" in pages[starts["Liv Demo"]]
    assert [patient for patient, _ in prints_in_audit_log(app)] == [kari, liv]


def test_choosing_nobody_asks_again(sign_in):
    response = sign_in(COORDINATOR).get("/staff/print.pdf")
    assert response.status_code == 302 and response.location.startswith("/staff/clinic-day")
    assert sign_in(COORDINATOR).get("/staff/print.pdf?patient=x").status_code == 400


# ² passes str.isdigit() and fails int(); ٣ and １ pass int() as 3 and 1; the rest no column holds.
@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "%EF%BC%91", "1_0", "%201", "-1", "0", "2147483648", "9" * 5000])
def test_a_patient_number_that_is_not_one_is_refused_by_name_in_the_readers_language(app, sign_in, value):
    coordinator = sign_in(COORDINATOR)
    kari = patient_id(app, "Kari Demo")
    response = coordinator.get(f"/staff/print.pdf?patient={kari}&patient={value}")
    assert response.status_code == 400
    assert "Verdien av «patient» i adressen er ikke et tall vi kan bruke." in text_of(response)
    english = coordinator.get(f"/staff/print.pdf?patient={value}&lang=en")
    assert "The value of “patient” in the address is not a number we can use." in text_of(english)


def test_the_worklist_has_checkboxes_to_print(app, sign_in):
    worklist = sign_in(COORDINATOR).get("/staff/")
    boxes = find(worklist, "input[type=checkbox][name=patient][form=print-chosen]")
    assert str(patient_id(app, "Kari Demo")) in [box.get("value") for box in boxes]
    (form,) = find(worklist, "form#print-chosen")
    assert form.get("action") == "/staff/print.pdf"


# Before we meet: questions to think about, with room to write

@pytest.mark.no_database
@pytest.mark.parametrize("language, question", [
    ("nb", "Hva gjør en dag god for deg?"), ("nn", None), ("en", "What makes a good day for you?")])
def test_the_before_we_meet_sheet_has_every_question_with_room_to_write(read_only_client, language, question):
    reader = read_pdf(read_only_client.get(f"/before-we-meet.pdf?lang={language}"))
    text = pdf_text(reader)
    assert reader.metadata.title == {"nb": "Før vi møtes", "nn": "Før vi møtest", "en": "Before we meet"}[language]
    if question:
        assert question in text
    assert text.count("?") >= 6  # five questions and "something else?"
    large = read_pdf(read_only_client.get(f"/before-we-meet.pdf?lang={language}&large_print=1"))
    assert len(large.pages) > len(reader.pages) and body_font_size(large) >= 16


def test_patients_and_the_team_find_the_sheet(sign_in):
    assert "/before-we-meet.pdf?lang=nb" in links(sign_in("Kari Demo").get("/my/goals/before-we-meet"))
    assert "/before-we-meet.pdf?lang=nb" in links(sign_in(COORDINATOR).get("/staff/goals"))


# The public explanation

@pytest.mark.no_database
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_a_pathway_pdf_explains_every_phase(read_only_client, read_only_app, language):
    reader = read_pdf(read_only_client.get(f"/pathways/hph.pdf?lang={language}"))
    texts = read_only_app.extensions["library"].get("hph").texts[language]
    text = pdf_text(reader)
    assert reader.metadata.title == texts.title
    for phase in texts.labels["phases"].values():
        assert phase["name"] in text
    assert texts.sections["for_relatives"].heading in text
    assert "http://127.0.0.1:5000/pathways/hph" in text


@pytest.mark.no_database
@pytest.mark.parametrize("pathway_id", LISTED)
def test_every_pathway_prints_with_its_phases_and_sources(read_only_client, read_only_app, pathway_id):
    pathway = read_only_app.extensions["library"].get(pathway_id)
    text = pdf_text(read_pdf(read_only_client.get(f"/pathways/{pathway_id}.pdf?lang=nb")))
    for phase in pathway.definition.phases:
        assert pathway.texts["nb"].labels["phases"][phase.id]["name"] in text
    assert "Hvor tidene kommer fra" in text
    if pathway.definition.norms and pathway.spec.start_date_known:
        assert "Gjelder fra" in text
    elif pathway.definition.norms:
        assert "Startdatoen er ikke kjent." in text and "1. januar 2015" not in text


@pytest.mark.no_database
def test_a_start_date_nobody_knows_is_printed_as_not_known(read_only_client):
    text = pdf_text(read_pdf(read_only_client.get("/pathways/cancer-brain.pdf?lang=en")))
    assert "Start date not known." in text
    assert "In force from" not in text and "1 January 2015" not in text


@pytest.mark.no_database
def test_an_unknown_pathway_has_no_pdf(read_only_client):
    assert read_only_client.get("/pathways/nothing.pdf").status_code == 404


@pytest.mark.no_database
def test_the_pathway_page_links_to_its_pdf(read_only_client):
    assert "/pathways/cancer-breast.pdf?lang=nn" in links(read_only_client.get("/pathways/cancer-breast?lang=nn"))


# What every PDF is made of

@pytest.mark.no_database
def test_pdfs_are_tagged_titled_with_their_language_and_embedded_fonts(read_only_client):
    reader = read_pdf(read_only_client.get("/pathways/cancer-breast.pdf?lang=nn"))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "nn"
    assert reader.metadata.title == "Pakkeforløp for brystkreft"
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font["/BaseFont"]  # embedded TrueType
            assert "DejaVu" in font["/BaseFont"]


def test_every_norwegian_and_sami_letter_comes_back_out(app, sign_in):
    update_patient(app, "Kari Demo", display_name=f"Kari {NORWEGIAN_AND_SAMI}")
    reader = read_pdf(sign_in("Kari Demo").get("/my-timeline.pdf"))
    assert f"For Kari {NORWEGIAN_AND_SAMI}" in pages_of(reader)[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (Debian's poppler-utils)")
def test_page_one_renders_as_an_a4_page_with_print_on_it(sign_in, tmp_path):
    (tmp_path / "timeline.pdf").write_bytes(sign_in("Kari Demo").get("/my-timeline.pdf").data)
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-gray", "-png", "-singlefile",
                    str(tmp_path / "timeline.pdf"), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png").convert("L")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01
    dark = sum(count for value, count in enumerate(image.histogram()) if value < 128)
    assert 0.02 < dark / (width * height) < 0.4  # text on the page, not an empty or solid one
    top, bottom = image.crop((0, 0, width, height // 2)), image.crop((0, height // 2, width, height))
    assert top.getextrema()[0] < 128 and bottom.getextrema()[0] < 128  # print on both halves


# The command line

@pytest.mark.no_database
def test_cli_prints_a_pathway(read_only_app, tmp_path):
    out = tmp_path / "pathway.pdf"
    result = read_only_app.test_cli_runner().invoke(args=["pdf", "pathway", "phr-adults", "--lang", "en",
                                                          "--out", str(out)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert reader.metadata.title == read_only_app.extensions["library"].get("phr-adults").texts["en"].title


def test_cli_prints_a_patient_in_their_language_or_the_one_asked_for(app, tmp_path):
    out = tmp_path / "patient.pdf"
    liv = patient_id(app, "Liv Demo")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["pdf", "patient", str(liv), "--out", str(out)]).exit_code == 0
    assert "Tidslinja di" in pdf_text(PdfReader(out))
    assert runner.invoke(args=["pdf", "patient", str(liv), "--out", str(out), "--lang", "en",
                               "--large-print"]).exit_code == 0
    reader = PdfReader(out)
    assert "Your timeline" in pdf_text(reader) and body_font_size(reader) >= 16
    assert prints_in_audit_log(app)[-1] == (liv, "timeline PDF (en, large print)")


def test_cli_prints_a_clinic_day_by_unit_name_or_id(app, tmp_path):
    out = tmp_path / "day.pdf"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["pdf", "clinic-day", "--unit", BREAST_UNIT,
                                 "--date", "2026-03-12", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [item.title for item in PdfReader(out).outline if not isinstance(item, list)] == ["Kari Demo"]
    with app.app_context():
        unit_id = database.session().scalar(select(Unit.id).where(Unit.name == DPS_UNIT))
    result = runner.invoke(args=["pdf", "clinic-day", "--unit", str(unit_id), "--date", "2026-03-12",
                                 "--out", str(out)])
    assert result.exit_code == 1 and f"No appointments in {DPS_UNIT}" in result.output
    result = runner.invoke(args=["pdf", "clinic-day", "--unit", "Nowhere", "--date", "2026-03-12", "--out", str(out)])
    assert result.exit_code == 1 and "No unit 'Nowhere'" in result.output
