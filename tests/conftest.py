"""Shared fixtures: an app on a fresh migrated database with the demo data, a client, and ways to
sign in as a demo person."""
from __future__ import annotations

from datetime import date

import pytest

from portal import create_app, database
from portal.demo import create_demo_patients

TODAY = "2026-03-10"
PASSWORD = "en lang setning som passord"
# Forms carry CSRF tokens in real use (tests/test_security.py checks that); here they are off so
# tests can post forms directly. Argon2's cheapest profile keeps hundreds of sign-ins fast.
TEST_CONFIG = {"TESTING": True, "TODAY": TODAY, "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_CHEAP": True,
               "RATELIMIT_ENABLED": False}


@pytest.fixture
def app(tmp_path):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite'}"})
    database.migrate(app)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def demo_links(app) -> dict[str, str]:
    """Demo person's name -> activation link path (patients and staff)."""
    with app.app_context():
        return {name: link for name, _, _, link in create_demo_patients(date.fromisoformat(TODAY))}


@pytest.fixture
def client(app):
    return app.test_client()


def activate(client, link: str, username: str | None = None, password: str = PASSWORD):
    """Follow an activation link and choose a password (and a username, for a patient)."""
    assert client.get(link).status_code == 302
    data = {"password": password, "confirm": password}
    if username:
        data["username"] = username
    response = client.post("/activate/password", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def sign_in(app, demo_links):
    """sign_in(name) -> a client signed in as that demo person (activated on first use)."""
    usernames: dict[str, str] = {}

    def sign_in_as(name: str):
        client = app.test_client()
        if name not in usernames:
            usernames[name] = name.split()[0].lower().replace("ø", "o") + ".test"
            activate(client, demo_links[name], usernames[name])
            return client
        response = client.post("/login", data={"username": usernames[name], "password": PASSWORD})
        assert response.status_code == 302
        return client

    return sign_in_as
