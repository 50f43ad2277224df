"""Browser fixtures: the portal served on loopback, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil

import pytest

from ..support.browser import DESKTOP, PHONE, log_in, serving
from ..support.databases import app_on
from ..support.world import USERNAMES

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def live_server(databases):
    """The portal on a free loopback port, on a copy of the standard cast's database (everyone
    can log in with PASSWORD); yields its base URL. CSRF protection is on, as in real use."""
    with databases.copy("cast") as url, app_on(url) as app, serving(app) as base:
        yield base


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


@pytest.fixture(scope="session")
def session_cookies(browser, live_server):
    """session_cookies(name) -> the cookies of a browser where that person of the cast logged in
    through the login form, once per run: for tests that need someone signed in, not signing in."""
    cookies = {}

    def of(name: str) -> list:
        if name not in cookies:
            context = browser.new_context()
            log_in(context.new_page(), live_server, USERNAMES[name])
            cookies[name] = context.cookies()
            context.close()
        return cookies[name]

    return of


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(request, browser):
    context = browser.new_context(viewport=request.param, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A page on a phone-sized screen, in a browser context of its own (its own cookies)."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    yield context.new_page()
    context.close()
