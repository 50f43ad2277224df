"""Sharing with relatives: the patient invites someone with a link, chooses what they see and can
stop it at any time; the relative sees only that; a coordinator can set it up for a patient who
has given consent. Tested as the patient, the relative and the coordinator would notice it."""
from __future__ import annotations

from itertools import product

import pytest
from sqlalchemy import select

from portal import database
from portal.models import Account, AuditEntry, Share
from portal.notifications.queueing import recipients

from .support.pages import find, plain, submit, text_of, texts, ticked
from .support.pdfs import pdf_text, read_pdf
from .support.people import accept, choose_scopes, english, invite, shared_path, shown_link, write_delay_note
from .support.stored import patient_id, share_named
from .support.world import (
    COORDINATOR,
    DPS_COORDINATOR,
    KARIS_APPOINTMENT,
    KARIS_GOAL,
    KARIS_RESULT,
    NURSE,
    PASSWORD,
)

APPOINTMENT, EXPECTED_RESULT = KARIS_APPOINTMENT, KARIS_RESULT
DELAY_NOTE = "We are waiting for a free MRI slot."


# --- inviting and accepting ------------------------------------------------------------------------

def test_the_patient_invites_a_relative_who_follows_the_timeline(app, sign_in):
    kari = sign_in("Kari Demo")
    assert "Nobody yet." in text_of(kari.get("/my/relatives?lang=en"))

    page = kari.post("/my/relatives?lang=en", data={
        "relative_name": "Nora Relative", "relation": "daughter", "see_appointments": "y"})
    expires = share_named(app, "Nora Relative").invite_expires_at.date()
    assert "Give this link to Nora Relative" in page.text
    assert f"until {expires.strftime('%A %-d %B %Y')}" in text_of(page)
    link = shown_link(page)
    assert "Has not opened the invitation yet" in text_of(kari.get("/my/relatives?lang=en"))

    relative = english(app)
    assert "Kari Demo wants to share their timeline with you" in text_of(relative.get(link))
    relative = accept(app, link)
    shared = text_of(relative.get("/shared", follow_redirects=True))
    assert "Timeline for Kari Demo" in shared
    assert "Kari Demo has chosen to share this with you" in shared
    for_relatives = app.extensions["library"].get("cancer-breast").texts["en"].sections["for_relatives"]
    assert for_relatives.heading in shared
    assert plain(for_relatives.html) in shared
    assert APPOINTMENT in shared and EXPECTED_RESULT in shared

    assert "Has accepted the invitation." in text_of(kari.get("/my/relatives?lang=en"))
    with app.app_context():
        account = database.session().scalar(select(Account).where(Account.username == "nora.relative"))
    assert account.role == "relative" and account.display_name == "Nora Relative"


def test_the_patients_own_page_has_no_section_for_relatives(sign_in):
    page = sign_in("Kari Demo").get("/my-timeline?lang=en").text
    assert 'id="relatives-title"' not in page
    assert "has chosen to share this with you" not in page


def test_an_invitation_needs_a_name_and_says_so(app, sign_in):
    kari = sign_in("Kari Demo")
    page = kari.post("/my/relatives?lang=en", data={"relative_name": "  ", "see_appointments": "y"})
    assert "Their name: Enter the name of the person you want to share with" in text_of(page)
    assert share_named(app, "") is None
    with app.app_context():
        assert database.session().scalars(select(Share)).all() == []


def test_a_used_invitation_does_not_work_again(app, sign_in):
    link = invite(sign_in("Kari Demo"), see_appointments=True)
    accept(app, link)
    again = english(app)
    refused = again.get(link)
    assert refused.status_code == 404
    assert "This invitation does not work" in refused.text
    posted = again.post(link, data={"username": "someone.else", "password": PASSWORD, "confirm": PASSWORD})
    assert posted.status_code == 404
    with app.app_context():
        assert database.session().scalar(select(Account).where(Account.username == "someone.else")) is None


def test_an_expired_invitation_does_not_work(app, sign_in, clock):
    link = invite(sign_in("Kari Demo"), see_appointments=True)
    clock(days=app.config["INVITATION_DAYS"], minutes=1)
    relative = english(app)
    refused = relative.get(link)
    assert refused.status_code == 404
    assert "It may have been used already, it has expired, or it was withdrawn" in text_of(refused)
    assert relative.post(link, data={"username": "late.relative", "password": PASSWORD,
                                     "confirm": PASSWORD}).status_code == 404
    assert share_named(app, "Nora Relative").accepted_at is None


def test_an_invitation_still_works_on_its_last_day(app, sign_in, clock):
    link = invite(sign_in("Kari Demo"), see_appointments=True)
    clock(days=app.config["INVITATION_DAYS"], minutes=-1)
    accept(app, link)
    assert share_named(app, "Nora Relative").accepted_at is not None


def test_a_made_up_invitation_link_does_not_work(client):
    assert client.get("/invitation/not-a-real-token").status_code == 404
    assert client.get("/invitation/" + "x" * 500).status_code == 404


def test_the_invitation_is_a_whole_link_to_copy_or_share(app, sign_in):
    """The link stands in a read-only field, whole, so it can be selected and copied without any
    script; the copy and share buttons wait for the script (hidden until it finds it can)."""
    page = sign_in("Kari Demo").post("/my/relatives?lang=en", data={"relative_name": "Nora Relative"})
    (field,) = find(page, "input#link-to-pass-on")
    assert field.get("readonly") is not None
    assert field.get("value").startswith(app.config["PUBLIC_BASE_URL"] + "/invitation/")
    assert texts(page, "label[for=link-to-pass-on]") == ["The link for Nora Relative"]
    (copy,) = find(page, "button[data-copy]")
    (share,) = find(page, "button[data-share]")
    assert copy.text_content() == "Copy the link" and share.text_content() == "Share the link"
    assert copy.get("hidden") is not None and share.get("hidden") is not None
    (status,) = find(page, "[data-status]")
    assert status.get("aria-live") == "polite"
    assert find(page, "[data-link-share]")[0].get("data-copied") == "Copied"
    assert find(page, "script[src='/static/link-share.js']")


def test_the_patient_who_opens_her_own_invitation_is_told_to_pass_it_on(app, sign_in):
    kari = sign_in("Kari Demo")
    link = invite(kari, see_appointments=True)
    kari.post("/language/en")
    page = kari.get(link)
    assert page.status_code == 200
    words = text_of(page)
    assert "This is your invitation for Nora Relative" in words
    assert "Give it to Nora Relative" in words
    assert find(page, "input#link-to-pass-on")[0].get("value").endswith(link)
    assert not find(page, "main input[name=username], main input[name=password]")
    sent = kari.post(link, data={})
    assert sent.status_code == 200 and "There is a problem" not in text_of(sent)
    assert share_named(app, "Nora Relative").accepted_at is None
    accept(app, link)  # the relative, in her own browser, still can


@pytest.mark.parametrize("someone", ["Ola Demo", NURSE, COORDINATOR])
def test_anyone_else_signed_in_is_told_what_the_link_is_and_whom_it_is_for(app, sign_in, someone):
    """Another patient or the care team: what the link is, and to sign out if they are the relative;
    not whose invitation it is, nor a form to fill in."""
    link = invite(sign_in("Kari Demo"), see_appointments=True)
    other = sign_in(someone)
    other.post("/language/en")
    page = other.get(link)
    assert page.status_code == 200
    words = text_of(page)
    assert "This link is an invitation for a relative" in words
    assert "Sign out, then open the link again." in words
    assert "Kari Demo" not in words and "Nora Relative" not in words
    assert not find(page, "main input[name=username]")
    sent = other.post(link, data={"username": "taken.over", "password": PASSWORD, "confirm": PASSWORD})
    assert sent.status_code == 200 and "There is a problem" not in text_of(sent)
    assert share_named(app, "Nora Relative").accepted_at is None


# --- what the relative sees --------------------------------------------------------------------------

SCOPES = ("see_appointments", "see_goals", "see_notes", "tell_news")
# What the timeline box shares, as the relative would see it on Kari's page: where she is, her
# pathway, her appointment and awaited result, and who to call.
KARIS_TIMELINE = ("Where Kari Demo is now", "Breast cancer pathway", APPOINTMENT, EXPECTED_RESULT,
                  "Kontaktsykepleier (demo)", "+47 00 00 00 02", "Who to contact")


@pytest.fixture
def kari_and_nora(app, sign_in):
    """Kari, who has shared with Nora (nothing ticked yet), and Nora's browser, with an e-mail for
    news; and the care team's note on Kari's timeline."""
    write_delay_note(app, sign_in(COORDINATOR), "Kari Demo", DELAY_NOTE)
    kari = sign_in("Kari Demo")
    nora = accept(app, invite(kari))
    assert submit(nora, "/shared/notifications?lang=en", channel="email", email="nora@example.no").status_code == 302
    return kari, nora


@pytest.mark.parametrize("ticked", list(product((False, True), repeat=len(SCOPES))),
                         ids=lambda ticked: "+".join(s for s, on in zip(SCOPES, ticked, strict=True) if on) or "none")
def test_each_box_the_patient_ticks_shares_exactly_what_it_says(app, kari_and_nora, ticked):
    """Every combination of the boxes on the patient's form: the relative's page, its printout and
    being told of news each hold what is ticked and nothing else."""
    kari, nora = kari_and_nora
    scopes = dict(zip(SCOPES, ticked, strict=True))
    share_id = share_named(app, "Nora Relative").id
    assert choose_scopes(kari, share_id, **scopes).status_code == 302
    timeline, goals, notes, news = ticked

    response = nora.get(f"/shared/{share_id}?lang=en")
    assert response.status_code == 200
    page = text_of(response)
    assert "Kari Demo" in page
    for shown in KARIS_TIMELINE:
        assert (shown in page) is timeline, shown
    assert ("has not shared the timeline with you" in page) is not timeline
    assert (KARIS_GOAL in page) is goals
    assert (DELAY_NOTE in page) is notes

    printout = nora.get(f"/shared/{share_id}.pdf?lang=en")
    assert printout.status_code == (200 if timeline else 404)
    if timeline:
        printed = pdf_text(read_pdf(printout))
        assert APPOINTMENT in printed and "+47 00 00 00 02" in printed
        assert (KARIS_GOAL in printed) is goals
        assert (DELAY_NOTE in printed) is notes

    # News is about the timeline: a relative who does not see it is not told of it.
    told = "You are told about: Kari Demo." in text_of(nora.get("/shared/notifications?lang=en"))
    assert told is (news and timeline)
    with app.app_context():
        recipients_now = recipients(database.session(), [patient_id(app, "Kari Demo")])
    assert any(choice.email == "nora@example.no" for _, choice in recipients_now) is (news and timeline)


def test_the_relative_reads_about_the_patient_not_to_them(app, sign_in):
    """The headings and sentences about where the patient is and what comes next name the patient;
    the pathway's texts written to the patient ("you") are not put to the relative there."""
    relative = accept(app, invite(sign_in("Kari Demo"), see_appointments=True))
    page = text_of(relative.get(shared_path(app) + "?lang=en"))
    assert "Where Kari Demo is now" in page
    assert "Kari Demo is in the phase “Tests”." in page
    assert "Next step for Kari Demo" in page
    assert "Results Kari Demo is waiting for" in page and "Appointments for Kari Demo" in page
    labels = app.extensions["library"].get("cancer-breast").texts["en"].labels
    for to_the_patient in ("Where you are now", "You are in:", "Results you are waiting for", "Your appointments",
                           "About your pathway", labels["phases"]["assessment"]["summary"]):
        assert to_the_patient not in page
    own = text_of(sign_in("Kari Demo").get("/my-timeline?lang=en"))
    assert "Where you are now" in own and labels["phases"]["assessment"]["summary"] in own
    assert "Kari Demo is in the phase" not in own

    bokmal = text_of(relative.get(shared_path(app) + "?lang=nb"))
    assert "Der Kari Demo er nå" in bokmal and "Neste steg for Kari Demo" in bokmal


def test_the_patient_sees_what_they_chose_and_the_choice_is_kept(app, sign_in):
    kari = sign_in("Kari Demo")
    invite(kari, see_appointments=True)
    share_id = share_named(app, "Nora Relative").id
    changed = choose_scopes(kari, share_id, see_goals=True, see_notes=True)
    assert changed.status_code == 302
    page = kari.get(changed.headers["Location"].replace("?", "?lang=en&"))
    assert "Saved. They now see what you chose." in page.text
    share = share_named(app, "Nora Relative")
    assert (share.see_appointments, share.see_goals, share.see_notes) == (False, True, True)
    boxes = ticked(page, f"#share-{share_id} input[type=checkbox]")
    assert boxes == {f"s{share_id}-see_appointments": False, f"s{share_id}-see_goals": True,
                     f"s{share_id}-see_notes": True, f"s{share_id}-tell_news": False}
    with app.app_context():
        details = database.session().scalars(select(AuditEntry.detail).where(AuditEntry.action == "share-change")).all()
    assert details == [f"share {share_id}: see_appointments=False, see_goals=True, see_notes=True, tell_news=False"]


def test_a_relative_with_two_shares_chooses_whose_timeline(app, sign_in):
    relative = accept(app, invite(sign_in("Kari Demo"), see_appointments=True))
    second = invite(sign_in("Ola Demo"), relative_name="Nora Relative (Ola)", see_appointments=True)
    page = relative.get(second)
    assert "Ola Demo wants to share their timeline with you" in text_of(page)
    assert relative.post(second).status_code == 302  # signed in as a relative: one click to accept

    index = text_of(relative.get("/shared"))
    assert "Timeline for Kari Demo" in index and "Timeline for Ola Demo" in index
    ola = text_of(relative.get(shared_path(app, "Nora Relative (Ola)")))
    assert "Timeline for Ola Demo" in ola and "Kari Demo" not in ola and APPOINTMENT not in ola


# --- stopping, and keeping patients apart ----------------------------------------------------------------

def test_after_withdrawal_the_relative_sees_nothing(app, sign_in):
    kari = sign_in("Kari Demo")
    relative = accept(app, invite(kari, see_appointments=True))
    path = shared_path(app)
    assert relative.get(path).status_code == 200

    stopped = kari.post(f"/my/relatives/{share_named(app, 'Nora Relative').id}/withdraw")
    assert stopped.status_code == 302
    assert "Done. They can no longer see your timeline." in kari.get(
        stopped.headers["Location"].replace("?", "?lang=en&")).text
    assert "Nobody yet." in text_of(kari.get("/my/relatives?lang=en"))

    refused = relative.get(path)
    assert refused.status_code == 404 and "Kari Demo" not in refused.text
    assert "Nobody shares a timeline with you at the moment." in text_of(relative.get("/shared"))


def test_a_withdrawn_invitation_cannot_be_accepted(app, sign_in):
    kari = sign_in("Kari Demo")
    link = invite(kari)
    kari.post(f"/my/relatives/{share_named(app, 'Nora Relative').id}/withdraw")
    assert app.test_client().get(link).status_code == 404


def test_a_relative_of_one_patient_cannot_open_anothers_share(app, sign_in):
    kari_relative = accept(app, invite(sign_in("Kari Demo"), see_appointments=True))
    accept(app, invite(sign_in("Ola Demo"), relative_name="Per Relative"), username="per.relative")
    olas_share = shared_path(app, "Per Relative")
    refused = kari_relative.get(olas_share)
    assert refused.status_code == 404 and "Ola Demo" not in refused.text
    for path in ("/shared/0", "/shared/99999", "/shared/" + "9" * 30):
        assert kari_relative.get(path).status_code == 404


def test_a_patient_cannot_change_or_stop_another_patients_share(app, sign_in):
    accept(app, invite(sign_in("Ola Demo"), relative_name="Per Relative", see_appointments=True),
           username="per.relative")
    olas_share = share_named(app, "Per Relative")
    kari = sign_in("Kari Demo")
    assert choose_scopes(kari, olas_share.id, see_notes=True, see_goals=True).status_code == 404
    assert kari.post(f"/my/relatives/{olas_share.id}/withdraw").status_code == 404
    after = share_named(app, "Per Relative")
    assert (after.see_appointments, after.see_goals, after.see_notes, after.withdrawn_at) == (True, False, False, None)
    assert "Per Relative" not in kari.get("/my/relatives?lang=en").text


def test_patients_and_relatives_stay_on_their_own_pages(app, sign_in):
    kari = sign_in("Kari Demo")
    relative = accept(app, invite(kari, see_appointments=True))
    assert kari.get(shared_path(app)).status_code == 403
    assert kari.get("/shared").status_code == 403
    for path in ("/my-timeline", "/my/relatives", "/my/access-log"):
        assert relative.get(path).status_code == 403
    assert relative.post(f"/my/relatives/{share_named(app, 'Nora Relative').id}/withdraw").status_code == 403
    assert share_named(app, "Nora Relative").withdrawn_at is None


def test_the_patients_access_log_shows_what_the_relative_looked_at(app, sign_in):
    kari = sign_in("Kari Demo")
    relative = accept(app, invite(kari, see_appointments=True))
    relative.get(shared_path(app))
    log = text_of(kari.get("/my/access-log?lang=en"))
    assert "Nora Relative (relative) looked at it" in log
    assert "Nora Relative (relative) accepted an invitation" in log
    assert "You invited a relative" in log


# --- a coordinator, with the patient's consent ----------------------------------------------------------

def test_a_coordinator_gives_a_relative_access_only_with_the_consent_noted(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    kari = patient_id(app, "Kari Demo")
    form = f"/staff/patients/{kari}/relatives/new?lang=en"
    assert "Give a relative access to Kari Demo" in text_of(coordinator.get(form))

    missing = coordinator.post(form, data={"relative_name": "Nora Relative", "see_appointments": "y",
                                           "consent_note": "  "})
    assert missing.status_code == 200
    assert "How the patient gave consent: Note how the patient gave consent" in text_of(missing)
    assert share_named(app, "Nora Relative") is None

    made = coordinator.post(form, data={"relative_name": "Nora Relative", "relation": "daughter",
                                        "see_appointments": "y", "consent_note": "Said yes on the phone 9 March"})
    assert "Give this link to Nora Relative" in made.text
    share = share_named(app, "Nora Relative")
    assert share.consent_note == "Said yes on the phone 9 March"
    assert share.created_by == "Kari Koordinator (demo)"
    record = text_of(coordinator.get(f"/staff/patients/{kari}?lang=en"))
    assert "Nora Relative (daughter): invited. Consent: Said yes on the phone 9 March" in record
    with app.app_context():
        logged = database.session().scalars(select(AuditEntry.detail).where(AuditEntry.action == "share-invite")).all()
    assert logged == [f"share {share.id} with Nora Relative; consent: Said yes on the phone 9 March"]

    relative = accept(app, shown_link(made))
    assert APPOINTMENT in text_of(relative.get(shared_path(app)))
    # The patient sees it among their own shares and can stop it.
    patient = sign_in("Kari Demo")
    assert "Nora Relative (daughter)" in text_of(patient.get("/my/relatives?lang=en"))
    patient.post(f"/my/relatives/{share.id}/withdraw")
    assert relative.get(shared_path(app)).status_code == 404


def test_only_coordinators_of_the_patients_unit_record_a_relatives_access(app, sign_in):
    form = f"/staff/patients/{patient_id(app, 'Kari Demo')}/relatives/new"
    data = {"relative_name": "Nora Relative", "see_appointments": "y", "consent_note": "Said yes"}
    assert sign_in(NURSE).post(form, data=data).status_code == 403  # a nurse
    assert sign_in(DPS_COORDINATOR).post(form, data=data).status_code == 404  # another unit
    assert sign_in("Kari Demo").post(form, data=data).status_code == 403
    assert share_named(app, "Nora Relative") is None


def test_a_coordinator_stops_a_relatives_access_when_the_patient_asks(app, sign_in):
    relative = accept(app, invite(sign_in("Kari Demo"), see_appointments=True))
    coordinator = sign_in(COORDINATOR)
    kari = patient_id(app, "Kari Demo")
    share = share_named(app, "Nora Relative")
    assert sign_in(DPS_COORDINATOR).post(
        f"/staff/patients/{kari}/relatives/{share.id}/withdraw").status_code == 404
    assert relative.get(shared_path(app)).status_code == 200
    assert coordinator.post(f"/staff/patients/{kari}/relatives/{share.id}/withdraw").status_code == 302
    assert "Nora Relative (daughter): stopped" in text_of(coordinator.get(f"/staff/patients/{kari}?lang=en"))
    assert relative.get(shared_path(app)).status_code == 404
