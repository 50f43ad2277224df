"""Whatever a request carries, no route answers 500. Every route of `app.url_map`, with each of its
methods, is sent junk and tricky values by every kind of person who uses the portal (no one signed
in, a patient, a relative, a nurse, a coordinator, an admin) and by a unit's system with its
token: in the path's segments, the query string, the headers and the form fields.

Tricky means what once gave the error page: digits other than 0-9 ("²" passes str.isdigit() and
fails int(), "٣" passes int()), numbers no database column holds, a line break or another control
character in a `next` address, a parameter named like one of url_for's own. The query's names are
read from the portal's code, so a new parameter is tried as soon as it is read; the form's from
its forms. Hypothesis makes the values from a seed per role, so every run (and CI) sends the
same requests.

Each role's test prints how many requests it sent (`pytest -s`), adds a line to
fuzzed-requests.txt in the run's temporary folder, and fails below a floor: it cannot quietly
send nothing."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

import portal
from portal import database
from portal.clock import now
from portal.forms import Form
from portal.models import Appointment, Contact, Enrolment, ExpectedResult, Goal, HeldEvent, Notification, Patient
from portal.pdf import documents
from portal.pdf.render import html_to_pdf

from .support import factories
from .support.databases import new_app
from .support.people import login
from .support.world import ADMINISTRATOR, COORDINATOR, NURSE, PASSWORD, USERNAMES

PATIENT = "Kari Demo"
RELATIVE = "relative.fuzz"
ROLES = {"anonymous": None, "patient": USERNAMES[PATIENT], "relative": RELATIVE, "nurse": USERNAMES[NURSE],
         "coordinator": USERNAMES[COORDINATOR], "admin": USERNAMES[ADMINISTRATOR], "system": None}
# Per role; each example sends one request to every route and method (about 125), so a role
# sends EXAMPLES times that many.
EXAMPLES = 10

# The routes, read from an app that is never served.
ROUTES_APP = new_app("sqlite://")
ROUTES = [(rule, method) for rule in sorted(ROUTES_APP.url_map.iter_rules(), key=lambda rule: rule.rule)
          for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def _query_names() -> list[str]:
    """Every query parameter the portal's code and templates read, and some of the public date
    form's (named after a pathway's steps and choices)."""
    read = re.compile(r"""(?:args\.get(?:list)?|numbers_asked)\(\s*["'](\w+)["']""")
    files = [*Path(portal.__file__).parent.rglob("*.py"), *Path(ROUTES_APP.template_folder).rglob("*.html")]
    names = {name for path in files for name in read.findall(path.read_text())}
    assert {"next", "patient", "page", "lang"} <= names, names
    return sorted(names | {"referral_received", "first_attendance", "outcome", "treatment", "endpoint", "_anchor"})


def _form_names() -> list[str]:
    """Every field of every form of the portal (the app above has imported them all)."""
    forms, found = [Form], set()
    while forms:
        form = forms.pop()
        forms += form.__subclasses__()
        found |= {name for name in dir(form) if isinstance(getattr(form, name), UnboundField)}
    assert {"version", "username", "password", "date"} <= found, found
    return sorted(found)


QUERY_NAMES = _query_names()
FORM_NAMES = _form_names()
TRICKY = [
    ["/\r\nX-Injected: 1", "/my-timeline\nX-Injected: 1", "/\rX-Injected: 1"],  # a line break, for a header
    ["/\t/evil.example", "/\x00", "/\x7f", "\x85"],  # other control characters
    ["//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)"],  # other sites
    ["²", "①", "٣", "１"],  # digits other than 0-9: str.isdigit() takes the first two, int() the others
    ["0", "-1", "2147483648", "9" * 25, "9" * 5000, "1_0", " 1"],  # not an id, or one no column holds
    ["1", "nn", "/my-timeline", "2026-03-10", "2026-02-30", "Patient/²", ""],  # near what a page expects
]
# Each kind of tricky value as often as any text at all.
values = st.one_of(*(st.sampled_from(kind) for kind in TRICKY), st.text(max_size=30))
# What an HTTP server passes on in a header: any byte but a line break, read as latin-1.
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40)
HEADERS = ["Accept-Language", "Accept", "Authorization", "Referer", "Origin", "X-Forwarded-For",
           "X-Forwarded-Proto", "X-Forwarded-Host", "If-None-Match", "If-Modified-Since", "Range", "User-Agent"]
HEADER_VALUES = ["nb;q=²", "nn;q=0.5, en;q=1e400", "*;q=-1", "Bearer ²", "Bearer " + "x" * 500, "Basic Og==",
                 "text/html;q=²", "bytes=²-", "bytes=0-99999999999999999999", "1.2.3.4, ²", "https", "evil.example",
                 "Thu, 01 Jan 1970 00:00:00 GMT", "W/\"²\"", "\xff"]
headers = st.dictionaries(st.sampled_from(HEADERS), st.sampled_from(HEADER_VALUES) | header_text, max_size=4)
CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
                 "application/json", "application/fhir+json", "application/fhir+xml", "text/csv",
                 "text/csv; charset=²", "application/x-www-form-urlencoded; charset=utf-²"]


@st.composite
def requests(draw, rule, credentials: dict):
    """For one route: a value in every path segment (None: the real one), one value (at times two)
    in every query parameter the portal reads (and in a name it does not), headers, and a body: one value in
    every form field, at times with the right username and password (so that signing in goes
    through to its `next`), or any bytes as any content type."""
    segments = {name: draw(values) if draw(st.integers(0, 2)) == 0 else None for name in rule.arguments}
    value = draw(values)
    query = MultiDict([(name, value) for name in QUERY_NAMES] + [(draw(st.text(max_size=10)), value)])
    if draw(st.booleans()):  # each parameter twice: `patient` is read as a list
        value = draw(values)
        query.update([(name, value) for name in QUERY_NAMES])
    if draw(st.booleans()):
        value = draw(values)
        body = MultiDict([(name, value) for name in FORM_NAMES])
        if draw(st.booleans()):
            for name, right in credentials.items():
                body[name] = right
    else:
        body = (draw(st.binary(max_size=120)), draw(st.sampled_from(CONTENT_TYPES) | header_text))
    return segments, query, draw(headers), body


class Visitor:
    """A browser of one kind of person, or a unit's system sending its token. Whatever a route did
    to the sign-in (ended it, or signed a visitor in with the right password), the next request
    is sent as the same kind of person again."""

    def __init__(self, app, role: str, token: str):
        self.app, self.username, self.sent, self.checks = app, ROLES[role], 0, 0
        self.own_headers = {"Authorization": f"Bearer {token}"} if role == "system" else {}
        self.credentials = {"username": self.username or USERNAMES[PATIENT], "password": PASSWORD}
        self._new_browser()

    def _new_browser(self) -> None:
        self.client = self.app.test_client()
        if self.username:
            assert login(self.client, self.username, PASSWORD).status_code == 302, self.username
        self.home = self._home()

    def _cookie(self) -> str | None:
        cookie = self.client.get_cookie("session")
        return cookie.value if cookie else None

    def _home(self) -> str:
        """Where /account sends this browser (the sign-in page when no one is signed in)."""
        self.checks += 1
        home = self.client.get("/account").location
        self.cookie = self._cookie()
        return home

    def send(self, method: str, path: str, query: MultiDict, headers: dict, body):
        data, content_type = (body, None) if isinstance(body, MultiDict) else body
        response = self.client.open(
            path, method=method, query_string=query, headers={**headers, **self.own_headers},
            data=None if method == "GET" else data, content_type=None if method == "GET" else content_type)
        self.sent += 1
        if self._cookie() != self.cookie and self._home() != self.home:
            self._new_browser()
        return response


def _real_segments(app) -> tuple[dict[str, object], str]:
    """The values that make each route's path name something that exists (the patient's records,
    her relative's share, an account for the admin), and a token for a system of her unit."""
    with app.app_context():
        db = database.session()
        patient = db.scalar(select(Patient).where(Patient.display_name == PATIENT))
        enrolment = db.scalar(select(Enrolment).where(Enrolment.patient_id == patient.id))
        relative = factories.account(db, "relative", "Pårørende Fuzz", RELATIVE, PASSWORD)
        share, token = factories.share(db, patient, "Pårørende Fuzz", relative=relative, see_goals=True)
        spare = factories.account(db, "nurse", "Reserve", unit=patient.unit)
        goal = db.scalar(select(Goal).where(Goal.patient_id == patient.id, Goal.state == "current"))
        system, system_token = factories.api_client(db, "DIPS Fuzz", patient.unit)
        failed = Notification(account_id=relative.id, topic="step", channel="email", address="fuzz@example.no",
                              language="nb", created_at=now(), send_after=now(), status="failed", attempts=5)
        db.add(failed)
        db.flush()
        draft = db.scalar(select(Goal).where(Goal.patient_id == patient.id, Goal.state == "draft"))
        real = {"patient_id": patient.id, "enrolment_id": enrolment.id, "goal_id": goal.id, "draft_id": draft.id,
                "action_id": goal.open_actions[0].id, "event_id": enrolment.current_events[0].id,
                "share_id": share.id, "account_id": spare.id, "client_id": system.id,
                "code": factories.activation_code(db, spare), "token": token,
                "held_id": db.scalar(select(HeldEvent.id).where(HeldEvent.unit_id == patient.unit_id)),
                "item_id": {kind: db.scalar(select(model.id).where(model.enrolment_id == enrolment.id))
                            for kind, model in (("appointments", Appointment), ("contacts", Contact),
                                                ("results", ExpectedResult))},
                "pathway_id": enrolment.pathway_id, "filename": "style.css", "slug": "id-porten",
                "notification_id": failed.id}
        db.commit()
    return real, system_token


def _path(rule, real: dict, junk: dict) -> str:
    """The route's path with each segment the junk drawn for it, or the real value where None was."""
    path = rule.rule
    for name in rule.arguments:
        value = junk[name]
        if value is None:
            value = real[name]
            if name == "item_id":  # an appointment's, a contact's or an expected result's
                value = next(item for kind, item in value.items() if f"/{kind}/" in rule.rule)
            if rule.endpoint == "switch_language":
                value = "nn"
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", quote(str(value), safe="") or "x", path)
    return path


@pytest.fixture(scope="module")
def counts(tmp_path_factory):
    """Requests sent per role: printed at the end of the module and kept in the run's temporary folder."""
    sent: dict[str, int] = {}
    yield sent
    print(f"\nfuzzed {sum(sent.values())} requests in all ({len(ROUTES)} routes and methods, {len(ROLES)} roles)")


@pytest.fixture(scope="module")
def one_blank_page():
    """A PDF of one empty page, drawn once."""
    return html_to_pdf("<p></p>", "")


@pytest.mark.parametrize("role", list(ROLES))
def test_no_route_answers_500_whatever_a_request_carries(make_app, counts, tmp_path_factory, monkeypatch,
                                                         one_blank_page, role):
    # The PDFs' pages are made from the request (options, language, who asks), but WeasyPrint's
    # drawing of them, most of a second each, reads nothing from it: a blank page stands in.
    monkeypatch.setattr(documents, "html_to_pdf", lambda _html, _base_url: one_blank_page)
    app = make_app()
    real, token = _real_segments(app)
    visitor = Visitor(app, role, token)

    # The same requests in every run, but not the same for every role (derandomize would give
    # each role's test, the same function, the same values). No shrinking: an example is a
    # request to every route, and the failing one is named already.
    @seed(role)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              phases=[Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def every_route(data):
        for rule, method in ROUTES:
            segments, query, headers, body = data.draw(requests(rule, visitor.credentials))
            path = _path(rule, real, segments)
            response = visitor.send(method, path, query, headers, body)
            assert response.status_code < 500, (role, method, path, response.status_code)
            assert "X-Injected" not in response.headers, (role, method, path)

    every_route()
    counts[role] = visitor.sent
    line = f"fuzzed {visitor.sent} requests as {role} ({visitor.checks} more to see who is signed in)"
    print(f"\n{line}")
    with (tmp_path_factory.getbasetemp() / "fuzzed-requests.txt").open("a") as record:
        record.write(line + "\n")
    assert visitor.sent >= EXAMPLES * len(ROUTES), line
