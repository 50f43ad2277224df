"""Pathway codes as CSV through the API of a unit's systems: the same file as the command line's
import, answered with what it did or with every wrong line named (and nothing written), and the
unit's coded events back out."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import database
from portal.models import AuditEntry

from .support.systems import ELSEWHERE, MISTYPED, OTHER_UNIT, PERSON, STRANGER, UNIT, build_hospital

HEADER = "person_id,code,date,unit"
PROSTATE = [f"{PERSON},A16A,2026-02-02,{UNIT}", f"{PERSON},A16S,2026-02-09,{UNIT}",
            f"{PERSON},A16CK,2026-02-20,{UNIT}", f"{PERSON},A16FK,2026-03-02,{UNIT}"]


@pytest.fixture
def hospital(make_app):
    return build_hospital(make_app(cast=False))


def send(hospital, lines: list[str], token: str | None = None, header: str = HEADER):
    text = "\n".join([header, *lines]) + "\n"
    return hospital.call("POST", "/integration/v1/codes", token=token, data=text.encode(), content_type="text/csv",
                         headers={"Accept-Language": "en"})


def test_codes_sent_are_applied_and_come_back_out_and_sending_them_again_changes_nothing(hospital):
    response = send(hospital, PROSTATE)
    assert response.status_code == 200, response.text
    assert response.get_json() == {"added": 4, "corrected": 0, "unchanged": 0, "held": 0}

    exported = hospital.call("GET", "/integration/v1/codes.csv")
    assert exported.mimetype == "text/csv"
    assert exported.text.splitlines() == [HEADER, *PROSTATE]
    again = send(hospital, exported.text.splitlines()[1:])
    assert again.get_json() == {"added": 0, "corrected": 0, "unchanged": 4, "held": 0}


def test_an_empty_unit_column_means_the_systems_own_unit_and_strangers_are_held(hospital):
    response = send(hospital, [f"{PERSON},A16A,2026-02-02,", f"{STRANGER},A16A,2026-03-01,"])
    assert response.get_json() == {"added": 1, "corrected": 0, "unchanged": 0, "held": 1}
    assert hospital.call("GET", "/integration/v1/codes.csv").text.splitlines()[1:] == [PROSTATE[0]]


@pytest.mark.parametrize(("line", "element", "says"), [
    (f"{PERSON},A16Z,2026-02-09,{UNIT}", "line 3.code", "not a pathway code we know"),
    (f"{MISTYPED},A16S,2026-02-09,{UNIT}", "line 3.person_id", "check digits do not match"),
    (f"{PERSON},A16S,2027-01-01,{UNIT}", "line 3.date", "in the future"),
    (f"{PERSON},A16S,2026-02-09,{OTHER_UNIT}", "line 3.unit", f"not “{OTHER_UNIT}”"),
    (f"{ELSEWHERE},A16A,2026-02-09,", "line 3.person_id", "patient of another unit"),
])
def test_one_wrong_line_refuses_the_whole_file_naming_line_and_column(hospital, line, element, says):
    before = hospital.written()
    response = send(hospital, [PROSTATE[0], line])
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [(e["element"], says in e["message"]) for e in errors] == [(element, True)], errors
    assert hospital.written() == before


@pytest.mark.parametrize(("sent", "status", "element", "code"), [
    ({"data": b"Per;A16A"}, 400, "line 1", "csv_columns"),
    ({"data": f"{HEADER}\n{PERSON},A16A,2026-02-02,Urologisk poliklinikk G\xf8vik\n".encode("latin-1")}, 400, "body",
     "not_utf8"),
    ({"data": (HEADER + "\n").encode() + b" " * (10 * 1024 * 1024)}, 413, "body", "too_long"),
    # Once a 500: a field longer than Python's csv module reads.
    ({"data": f"{HEADER}\n{PERSON},{'A' * 200_000},2026-02-02,\n".encode()}, 400, "line 2", "too_long"),
])
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(hospital, sent, status, element, code):
    before = hospital.written()
    response = hospital.call("POST", "/integration/v1/codes", content_type="text/csv", **sent)
    assert response.status_code == status
    assert [(e["element"], e["code"]) for e in response.get_json()["errors"]] == [(element, code)]
    assert hospital.written() == before


def test_the_export_is_the_systems_own_unit_only_and_is_audited(hospital):
    assert send(hospital, PROSTATE[:1]).status_code == 200
    other = hospital.call("GET", "/integration/v1/codes.csv", token=hospital.other_token)
    assert other.text.splitlines() == [HEADER]
    with hospital.app.app_context():
        rows = database.session().scalars(select(AuditEntry).where(AuditEntry.action == "codes-exported")).all()
        assert [(r.actor, r.actor_unit) for r in rows] == [("DIPS Annensted", OTHER_UNIT)]


def test_without_a_token_the_answer_is_401_as_json(hospital):
    for token in ("", "forlop_guess"):
        response = send(hospital, PROSTATE, token=token)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.get_json()["errors"][0]["code"] == "unauthorized"
    assert hospital.call("GET", "/integration/v1/codes.csv", token="").status_code == 401
