"""What matters to the patient ("Hva er viktig for deg?"): the patient writes and shares goals, the
care team records them, says how it can help, adds actions and reviews, and relatives see them
only when the patient allows it. A shared goal is never deleted (the patient may mark it reached or
let it go), and every change is in the history; a draft nobody else saw may be deleted."""
from __future__ import annotations

from sqlalchemy import func, select

from portal import database
from portal.goals import link_of
from portal.models import Account, Change, Goal, GoalAction, Patient

from .support import factories
from .support.pages import field_value, find, links, send, text_of
from .support.stored import patient_id
from .support.world import COORDINATOR, HOME_COORDINATOR, KARIS_DRAFT, KARIS_GOAL, NURSE, PASSWORD

KARI, OLA = "Kari Demo", "Ola Demo"


# --- helpers -----------------------------------------------------------------------------------

def goal_id(app, text: str) -> int:
    with app.app_context():
        return database.session().scalar(select(Goal.id).where(Goal.text == text))


def stored(app, goal: int) -> dict:
    """The goal as stored, with its actions and reviews, as plain values."""
    with app.app_context():
        found = database.session().get(Goal, goal)
        return {"state": found.state, "aim": found.aim, "text": found.text, "version": found.version,
                "review_by": found.review_by, "help": found.help, "phase": found.phase,
                "actions": [(a.what, a.done_on, a.withdrawn_at is not None) for a in found.actions],
                "reviews": [(r.reviewed_on.isoformat(), r.outcome, r.obstacles) for r in found.reviews]}


def follow(client, response, language="en"):
    """Open where a form sent us, in English."""
    assert response.status_code == 302, text_of(response)
    location = response.headers["Location"].split("#")[0]
    return client.get(location + ("&" if "?" in location else "?") + f"lang={language}")


def write_goal(client, text: str, draft: bool = False, **fields):
    return client.post("/my/goals/new", data={"version": 0, "text": text, "draft" if draft else "share": "y",
                                              **fields})


def record_goal(staff, patient: int, **fields):
    data = {"version": 0, "text": "Gå på fisketur med barnebarnet", "said_by": "patient",
            "said_on": "2026-03-09", "aim": "improve", "link": "", **fields}
    return staff.post(f"/staff/patients/{patient}/goals/new?lang=en", data=data)


def edit_data(app, goal: int, **changes) -> dict:
    """What the edit form holds for the goal now, with `changes`."""
    with app.app_context():
        found = database.session().get(Goal, goal)
        data = {"version": found.version, "text": found.text, "care_wishes": found.care_wishes or "",
                "said_by": found.said_by, "said_on": found.said_on.isoformat(), "aim": found.aim,
                "link": link_of(found), "review_by": found.review_by.isoformat() if found.review_by else "",
                "state": found.state}
    return {**data, **changes}


def page(client, path: str) -> str:
    response = client.get(path + ("&" if "?" in path else "?") + "lang=en")
    assert response.status_code == 200, (path, response.status_code)
    return text_of(response)


# --- the patient's own goals -------------------------------------------------------------------

def test_a_draft_is_seen_by_the_patient_alone(app, sign_in):
    kari, nurse = sign_in(KARI), sign_in(NURSE)
    mine = text_of(follow(kari, write_goal(kari, "Plukke multer på fjellet i august", draft=True)))
    assert "Saved as a draft. Only you can see it." in mine
    assert "Drafts: only you can see these" in mine and "Plukke multer på fjellet i august" in mine

    draft = goal_id(app, "Plukke multer på fjellet i august")
    kari_id = patient_id(app, KARI)
    assert "Plukke multer" not in page(kari, "/my-timeline")
    assert "Plukke multer" not in page(nurse, f"/staff/patients/{kari_id}")
    assert "Plukke multer" not in page(nurse, f"/staff/patients/{kari_id}/history")
    assert "Plukke multer" not in page(nurse, "/staff/goals")
    assert KARIS_DRAFT not in page(nurse, f"/staff/patients/{kari_id}")
    assert nurse.get(f"/staff/goals/{draft}").status_code == 404
    assert nurse.post(f"/staff/goals/{draft}/actions/new", data={"version": 1, "what": "x", "who": "y",
                                                                 "by_when": "2026-03-20"}).status_code == 404


def test_a_shared_goal_reaches_the_care_team_and_stands_first_on_the_timeline(app, sign_in):
    kari, nurse = sign_in(KARI), sign_in(NURSE)
    write_goal(kari, "Plukke multer på fjellet", draft=True)
    draft = goal_id(app, "Plukke multer på fjellet")
    assert "Plukke multer" not in page(kari, "/my-timeline")  # the page is now cached

    shared = kari.post(f"/my/goals/{draft}", data={"version": stored(app, draft)["version"],
                                                   "text": "Plukke multer på fjellet i august", "share": "y"})
    assert "Saved. The care team can see it." in text_of(follow(kari, shared))
    assert stored(app, draft)["state"] == "current"

    timeline = page(kari, "/my-timeline")
    assert "Plukke multer på fjellet i august" in timeline and KARIS_DRAFT not in timeline
    # Right after the next step and who to call: goals can be long.
    assert timeline.index("Next step") < timeline.index("Who to contact") < timeline.index("What matters to you") \
        < timeline.index(KARIS_GOAL)
    assert "/my/goals" in links(kari.get("/my-timeline"), "main a")

    kari_id = patient_id(app, KARI)
    assert "Plukke multer på fjellet i august" in page(nurse, f"/staff/patients/{kari_id}")
    history = page(nurse, f"/staff/patients/{kari_id}/history")
    assert "What matters to the patient: shared with the care team" in history
    # The wording she shared is there; her draft's wording (without "i august") stays hers.
    assert history.count("Plukke multer på fjellet") == history.count("Plukke multer på fjellet i august") == 1


def test_a_goal_changed_by_staff_shows_on_the_patients_next_view(app, sign_in):
    kari, nurse = sign_in(KARI), sign_in(NURSE)
    assert KARIS_GOAL in page(kari, "/my-timeline")
    goal = goal_id(app, KARIS_GOAL)
    saved = nurse.post(f"/staff/goals/{goal}/edit", data=edit_data(app, goal, text="Holde tale i bryllupet"))
    assert saved.status_code == 302
    timeline = page(kari, "/my-timeline")
    assert "Holde tale i bryllupet" in timeline and KARIS_GOAL not in timeline


def test_the_patient_marks_a_goal_reached_and_it_is_kept_among_earlier_goals(app, sign_in):
    kari, nurse = sign_in(KARI), sign_in(NURSE)
    goal = goal_id(app, KARIS_GOAL)
    assert f"/my/goals/{goal}/finish" in links(kari.get("/my/goals?lang=en"), "main a")
    assert KARIS_GOAL in page(kari, "/my-timeline")
    done = kari.post(f"/my/goals/{goal}/finish", data={"version": stored(app, goal)["version"], "how": "achieved"})
    mine = text_of(follow(kari, done))
    assert "The goal is now under earlier goals" in mine
    earlier = mine[mine.index("Earlier goals"):]
    assert KARIS_GOAL in earlier and "Reached" in earlier
    assert stored(app, goal)["state"] == "achieved"
    assert KARIS_GOAL not in page(kari, "/my-timeline")  # no longer a current goal
    history = page(nurse, f"/staff/patients/{patient_id(app, KARI)}/history")
    assert "Where the goal stands: Current → Reached" in history
    assert kari.get(f"/my/goals/{goal}/finish").status_code == 404  # done with: nothing more to choose


def test_the_patient_withdraws_a_goal_it_stays_in_the_history(app, sign_in):
    kari, nurse = sign_in(KARI), sign_in(NURSE)
    goal = goal_id(app, KARIS_GOAL)
    version = stored(app, goal)["version"]
    refused = kari.post(f"/my/goals/{goal}/finish?lang=en", data={"version": version})
    assert refused.status_code == 200
    assert "Choose whether you reached the goal or no longer want it" in text_of(refused)
    kari.post(f"/my/goals/{goal}/finish", data={"version": version, "how": "no_longer_wanted"})
    assert stored(app, goal)["state"] == "no_longer_wanted"
    assert KARIS_GOAL not in page(nurse, "/staff/goals")  # not current for the team meeting
    assert "Where the goal stands: Current → No longer wanted" in page(
        nurse, f"/staff/patients/{patient_id(app, KARI)}/history")
    assert nurse.get(f"/staff/goals/{goal}").status_code == 200  # kept


def test_the_patient_deletes_a_draft_nobody_else_saw(app, sign_in):
    kari = sign_in(KARI)
    draft = goal_id(app, KARIS_DRAFT)
    assert f"/my/goals/{draft}/delete" in links(kari.get("/my/goals?lang=en"), "main a")
    confirm = page(kari, f"/my/goals/{draft}/delete")
    assert KARIS_DRAFT in confirm and "gone for good" in confirm
    version = stored(app, draft)["version"]
    stale = kari.post(f"/my/goals/{draft}/delete?lang=en", data={"version": version - 1})
    assert "Nothing was deleted" in text_of(stale) and goal_id(app, KARIS_DRAFT) == draft
    gone = kari.post(f"/my/goals/{draft}/delete", data={"version": version})
    assert "The draft is deleted." in text_of(follow(kari, gone))
    assert goal_id(app, KARIS_DRAFT) is None
    with app.app_context():
        left = database.session().scalar(select(func.count()).select_from(Change).where(
            Change.subject == "goal", Change.subject_id == draft))
    assert left == 0  # its drafts in the history go with it
    assert "deleted a draft of a goal" in page(kari, "/my/access-log")
    # A shared goal cannot be deleted, by the patient or anyone.
    assert kari.get(f"/my/goals/{goal_id(app, KARIS_GOAL)}/delete").status_code == 404


def test_a_goal_over_the_limit_is_refused_by_name_and_kept(app, sign_in):
    kari = sign_in(KARI)
    form = kari.get("/my/goals/new?lang=en")
    assert "At most 1000 characters." in text_of(form)
    assert 'maxlength' not in form.get_data(as_text=True)  # a browser would cut a pasted text silently
    long_text = " ".join(["Gå tur med hunden hver dag."] * 40)  # 40 * 28 - 1 = 1,119 characters
    refused = kari.post("/my/goals/new?lang=en", data={"version": 0, "text": long_text, "share": "y"})
    assert refused.status_code == 200
    summary = text_of(refused)
    assert "What matters to you?: Use at most 1000 characters. You have written 1119." in summary
    assert field_value(refused, "#field-text") == long_text
    assert goal_id(app, long_text) is None


def test_before_we_meet_gives_time_to_think_with_questions_to_start_from(sign_in):
    kari = sign_in(KARI)
    prompts = page(kari, "/my/goals/before-we-meet")
    assert "What makes a good day for you?" in prompts and "Is there something you are worried about?" in prompts
    assert "Only you can see a draft." in prompts
    form = page(kari, "/my/goals/new?about=manage_again")
    assert "What would you like to manage again?" in form
    assert "Save as a draft: I want to think more" in form


# --- the care team -----------------------------------------------------------------------------

def test_staff_record_a_goal_a_relative_said_and_it_is_shown_as_theirs(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    ola_id = patient_id(app, OLA)
    saved = record_goal(coordinator, ola_id, said_by="relative", aim="keep")
    goal_page = text_of(follow(coordinator, saved))
    assert "Gå på fisketur med barnebarnet" in goal_page
    assert "Who said it A relative, 9 March 2026" in goal_page
    assert "Recorded by Kari Koordinator (demo)" in goal_page
    assert "A relative." in page(coordinator, f"/staff/patients/{ola_id}")
    assert "Said by a relative on Monday 9 March 2026." in page(sign_in(OLA), "/my/goals")


def test_a_goal_links_only_to_a_phase_of_the_patients_own_pathway(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    ola_id = patient_id(app, OLA)
    refused = record_goal(coordinator, ola_id, link="999:assessment")
    assert "Choose a pathway and phase from the list" in text_of(refused)
    with app.app_context():
        enrolment = database.session().get(Patient, ola_id).enrolments[0].id
    assert "Choose a pathway and phase" in text_of(record_goal(coordinator, ola_id, link=f"{enrolment}:no_such_phase"))
    goal_page = text_of(follow(coordinator, record_goal(coordinator, ola_id, link=f"{enrolment}:decision")))
    assert stored(app, goal_id(app, "Gå på fisketur med barnebarnet"))["phase"] == "decision"
    assert "Pathway and phase Breast cancer" in goal_page


def test_help_the_service_cannot_give_itself_must_say_who_can(app, sign_in):
    nurse = sign_in(NURSE)
    goal = goal_id(app, KARIS_GOAL)
    version = stored(app, goal)["version"]
    refused = nurse.post(f"/staff/goals/{goal}/help?lang=en", data={"version": version, "help": "others_can_help",
                                                                             "help_note": ""})
    assert "A short note (optional): Say who can help, or what the patient can do" in text_of(refused)
    assert [box.get("value") for box in find(refused, "input[name=help]") if box.checked] == ["others_can_help"]

    saved = nurse.post(f"/staff/goals/{goal}/help", data={"version": version, "help": "others_can_help",
                                                          "help_note": "Kreftforeningen har en likeperson"})
    assert "Others can help. Kreftforeningen har en likeperson" in text_of(follow(nurse, saved))
    assert "Others can help" in page(nurse, "/staff/goals")
    assert "The care team: Others can help. Kreftforeningen har en likeperson" in page(sign_in(KARI), "/my/goals")


def test_actions_are_done_or_withdrawn_and_never_deleted(app, sign_in):
    nurse = sign_in(NURSE)
    goal = goal_id(app, KARIS_GOAL)

    def post(path, **data):
        response = nurse.post(f"/staff/goals/{goal}{path}", data={"version": stored(app, goal)["version"], **data})
        assert response.status_code == 302, text_of(response)

    post("/actions/new", what="Finne en talepedagog", who="Kontaktsykepleier", by_when="2026-03-13")
    post("/actions/new", what="Feil oppføring", who="Ingen", by_when="2026-03-14")
    with app.app_context():
        ids = dict(database.session().execute(select(GoalAction.what, GoalAction.id)).all())
    post(f"/actions/{ids['Finne en talepedagog']}", done_on="2026-03-09")
    post(f"/actions/{ids['Feil oppføring']}/withdraw")

    goal_page = page(nurse, f"/staff/goals/{goal}")
    assert "Finne en talepedagog Kontaktsykepleier 13 March 2026 9 March 2026" in goal_page
    assert "Feil oppføring" not in goal_page
    assert ("Feil oppføring", None, True) in stored(app, goal)["actions"]  # withdrawn, still stored
    # The cast's action is the one still open: it is the next action in the team's list.
    next_action = "Snakke med legen om når behandlingen kan begynne (Kontaktsykepleier) 15 March 2026"
    assert next_action in page(nurse, "/staff/goals")
    history = page(nurse, f"/staff/patients/{patient_id(app, KARI)}/history")
    for title in ("Action towards a goal: added", "Action towards a goal: done", "Action towards a goal: withdrawn"):
        assert title in history
    assert "Finne en talepedagog (Kontaktsykepleier): done Monday 9 March 2026" in page(sign_in(KARI), "/my/goals")


def test_reviews_are_kept_and_set_when_to_talk_again(app, sign_in):
    nurse = sign_in(NURSE)
    goal = goal_id(app, KARIS_GOAL)

    def review(**data):
        return nurse.post(f"/staff/goals/{goal}/reviews/new?lang=en",
                          data={"version": stored(app, goal)["version"], **data})

    too_early = review(reviewed_on="2026-03-05", outcome="not_yet", next_review_by="2026-03-01")
    assert "Choose a date after the conversation" in text_of(too_early)
    first = review(reviewed_on="2026-03-05", outcome="not_yet", obstacles="Kvalme etter undersøkelsen")
    assert first.status_code == 302
    assert review(reviewed_on="2026-03-09", outcome="partly", next_review_by="2026-04-01").status_code == 302

    assert stored(app, goal)["reviews"] == [("2026-03-09", "partly", None),
                                            ("2026-03-05", "not_yet", "Kvalme etter undersøkelsen")]
    assert stored(app, goal)["review_by"].isoformat() == "2026-04-01"
    goal_page = page(nurse, f"/staff/goals/{goal}")
    assert goal_page.index("9 March 2026: Partly") < goal_page.index("5 March 2026: Not yet")
    assert "What stood in the way: Kvalme etter undersøkelsen" in goal_page
    history = page(nurse, f"/staff/patients/{patient_id(app, KARI)}/history")
    assert history.count("Review of a goal: added") == 2
    assert "Talk about it again by: 24 March 2026 → 1 April 2026" in history


def test_changing_the_aim_or_letting_a_goal_go_keeps_it_and_its_history(app, sign_in):
    nurse, kari = sign_in(NURSE), sign_in(KARI)
    goal = goal_id(app, KARIS_GOAL)
    assert nurse.post(f"/staff/goals/{goal}/edit", data=edit_data(app, goal, aim="keep")).status_code == 302
    assert "The aim Keep what one has" in page(nurse, f"/staff/goals/{goal}")
    assert nurse.post(f"/staff/goals/{goal}/edit",
                      data=edit_data(app, goal, state="no_longer_wanted")).status_code == 302

    history = page(nurse, f"/staff/patients/{patient_id(app, KARI)}/history")
    assert "The aim: Get better at it → Keep what one has" in history
    assert "Where the goal stands: Current → No longer wanted" in history
    assert "Earlier goals (1)" in page(nurse, f"/staff/patients/{patient_id(app, KARI)}")
    mine = page(kari, "/my/goals")
    assert mine.index("Earlier goals") < mine.index(KARIS_GOAL)
    assert KARIS_GOAL not in page(kari, "/my-timeline")  # only current goals stand on the timeline
    with app.app_context():
        assert database.session().scalar(select(func.count()).select_from(Goal)) == 4  # as in the demo data


def test_the_team_list_puts_overdue_reviews_first_and_keeps_to_the_unit(app, sign_in):
    home = page(sign_in(HOME_COORDINATOR), "/staff/goals")
    assert "2 goals" in home
    assert home.index("Komme meg ut i hagen") < home.index("Ete søndagsmiddag")  # Astrid's is overdue
    assert "5 March 2026 ! Overdue" in home
    assert KARIS_GOAL not in home

    coordinator = sign_in(COORDINATOR)
    breast = page(coordinator, "/staff/goals")
    assert KARIS_GOAL in breast and "Komme meg ut i hagen" not in breast and KARIS_DRAFT not in breast
    assert "0 goals" in page(coordinator, "/staff/goals?pathway=hph")
    assert KARIS_GOAL in page(coordinator, "/staff/goals?pathway=cancer-breast")

    elsewhere = sign_in(HOME_COORDINATOR)
    goal = goal_id(app, KARIS_GOAL)
    assert elsewhere.get(f"/staff/goals/{goal}").status_code == 404
    assert elsewhere.post(f"/staff/goals/{goal}/edit", data=edit_data(app, goal, aim="keep")).status_code == 404
    assert stored(app, goal)["aim"] == "improve"


# --- relatives ---------------------------------------------------------------------------------

def test_a_relative_sees_current_goals_only_when_the_patient_allows_it(app, sign_in):
    kari = sign_in(KARI)
    with app.app_context():
        db = database.session()
        kari_account = db.scalar(select(Account).where(Account.display_name == KARI, Account.role == "patient"))
        share, token = factories.share(db, kari_account.patient, "Eva", "datter", see_appointments=True)
        db.commit()
        share_id = share.id
    relative = app.test_client()
    relative.post(f"/invitation/{token}", data={"username": "eva.test", "password": PASSWORD, "confirm": PASSWORD})

    assert KARIS_GOAL not in page(relative, f"/shared/{share_id}")
    kari.post(f"/my/relatives/{share_id}/scopes", data={"see_appointments": "y", "see_goals": "y"})
    shared = page(relative, f"/shared/{share_id}")
    assert "What matters to Kari Demo" in shared and KARIS_GOAL in shared
    assert KARIS_DRAFT not in shared


# --- mistakes and conflicts --------------------------------------------------------------------

def test_bad_input_is_named_in_norwegian_and_the_text_is_kept(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    refused = coordinator.post(f"/staff/patients/{patient_id(app, KARI)}/goals/new", data={
        "version": 0, "text": "Gå tur med hunden hver dag", "said_on": "2026-04-01", "aim": "improve", "link": ""})
    shown = text_of(refused)
    assert "Hvem sa det: Velg hvem som sa det" in shown
    assert "Dato det ble sagt: Datoen kan ikke være fram i tid" in shown
    assert field_value(refused, "#field-text") == "Gå tur med hunden hver dag"

    kari = sign_in(KARI)
    empty = kari.post("/my/goals/new", data={"version": 0, "text": "  ", "care_wishes": "Etter klokka ti",
                                             "share": "y"})
    assert "Hva er viktig for deg?: Skriv hva som er viktig for deg" in text_of(empty)
    assert field_value(empty, "#field-care_wishes") == "Etter klokka ti"
    with app.app_context():
        assert database.session().scalar(select(func.count()).select_from(Goal)) == 4  # nothing saved


def test_two_staff_changing_the_same_goal_the_second_sees_the_first_and_keeps_their_entry(app, sign_in):
    nurse, coordinator = sign_in(NURSE), sign_in(COORDINATOR)
    goal = goal_id(app, KARIS_GOAL)
    both_opened = edit_data(app, goal)
    assert nurse.post(f"/staff/goals/{goal}/edit", data={**both_opened, "aim": "keep"}).status_code == 302

    late = coordinator.post(f"/staff/goals/{goal}/edit?lang=en", data={**both_opened, "text": "Holde en kort tale"})
    assert late.status_code == 200
    shown = text_of(late)
    assert "Someone else changed this while you were working" in shown
    assert "Sindre Sykepleier (demo)" in shown and "The aim: Get better at it → Keep what one has" in shown
    assert field_value(late, "#field-text") == "Holde en kort tale"
    assert stored(app, goal)["text"] == KARIS_GOAL  # nothing of the second entry saved yet

    again = send(coordinator, late, aim="keep")  # the entry kept, sent again from the page that showed it
    assert again.status_code == 302, text_of(again)
    assert stored(app, goal)["text"] == "Holde en kort tale"


def test_an_action_added_from_an_old_version_waits_for_a_second_look(app, sign_in):
    nurse, coordinator = sign_in(NURSE), sign_in(COORDINATOR)
    goal = goal_id(app, KARIS_GOAL)
    old = stored(app, goal)["version"]
    nurse.post(f"/staff/goals/{goal}/reviews/new", data={"version": old, "reviewed_on": "2026-03-09",
                                                         "outcome": "partly"})
    late = coordinator.post(f"/staff/goals/{goal}/actions/new?lang=en", data={
        "version": old, "what": "Øve på talen med logoped", "who": "Logoped", "by_when": "2026-03-30"})
    assert "Review of a goal: added" in text_of(late)
    assert field_value(late, "#field-what") == "Øve på talen med logoped"
    assert "Øve på talen med logoped" not in [what for what, _, _ in stored(app, goal)["actions"]]
