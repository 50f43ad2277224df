"""Browser fixtures: the portal served on loopback, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import threading
from datetime import date

import pytest
from werkzeug.serving import make_server

from portal import create_app, database
from portal.demo import create_demo_patients

from ..conftest import DEMO_STAFF_USERNAMES, PASSWORD, TEST_CONFIG, TODAY, activate, fresh_database

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The portal on a free loopback port, with the demo data, every demo person activated with
    PASSWORD; yields (base url, usernames by name). CSRF protection is on, as in real use."""
    with fresh_database(tmp_path_factory.mktemp("browser")) as database_url:
        app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "DATABASE_URL": database_url})
        database.migrate(app)
        with app.app_context():
            links = {name: link for name, _, _, link in create_demo_patients(date.fromisoformat(TODAY))}
        app.config["WTF_CSRF_ENABLED"] = False  # only while the test client activates the accounts
        usernames = {}
        for name, link in links.items():
            usernames[name] = DEMO_STAFF_USERNAMES.get(name) or name.split()[0].lower() + ".demo"
            activate(app.test_client(), link, usernames[name])
        app.config["WTF_CSRF_ENABLED"] = True
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}", usernames
        server.shutdown()
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs it with apt-get")
        pytest.skip("Chromium is not installed; run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(request, browser):
    context = browser.new_context(viewport=request.param, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, base: str, usernames: dict[str, str], name: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{base}/login?lang=en")
    page.fill("#field-username", usernames[name])
    page.fill("#field-password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
