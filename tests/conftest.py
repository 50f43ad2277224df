"""Shared fixtures: an app on a fresh migrated database with the demo patients, and a client."""
from __future__ import annotations

from datetime import date

import pytest

from portal import create_app, database
from portal.demo import create_demo_patients

TODAY = "2026-03-10"


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite'}", "TODAY": TODAY})
    database.migrate(app)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def demo_links(app) -> dict[str, str]:
    """Demo patient name -> personal link path."""
    with app.app_context():
        return {name: link for name, _, _, link in create_demo_patients(date.fromisoformat(TODAY))}


@pytest.fixture
def client(app):
    return app.test_client()
