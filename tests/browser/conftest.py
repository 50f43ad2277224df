"""Browser fixtures: the portal served on loopback, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import threading
from datetime import date

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from werkzeug.serving import make_server

from portal import create_app, database
from portal.demo import DEMO_STAFF, create_demo_patients

from ..conftest import PASSWORD, TEST_CONFIG, TODAY, activate, fresh_database

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
        usernames = {display_name: username for display_name, username, _, _ in DEMO_STAFF}
        for name, link in links.items():
            usernames.setdefault(name, name.split()[0].lower() + ".demo")  # staff keep the username they have
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


def click_and_load(locator) -> None:
    """Click a link or button that opens a page, and wait until that page has loaded: a click
    returns as soon as the next page starts to arrive, before its content is there."""
    with locator.page.expect_navigation():
        locator.click()


def press_and_load(page, key: str) -> None:
    """Press a key that opens another page, and wait until it has loaded."""
    with page.expect_navigation():
        page.keyboard.press(key)


def focus_arrives(page, selector: str) -> bool:
    """Whether the focus moves to `selector` within two seconds: the browser applies `autofocus`
    when it next renders, which can come just after the load event on a busy machine."""
    try:
        page.wait_for_function("selector => document.activeElement.matches(selector)", arg=selector, timeout=2000)
    except PlaywrightTimeout:
        return False
    return True


def log_in(page, base: str, usernames: dict[str, str], name: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{base}/login?lang=en")
    page.fill("#field-username", usernames[name])
    page.fill("#field-password", PASSWORD)
    click_and_load(page.locator("main form button[type=submit]"))
