"""Driving Chromium through the pages (Playwright), and checking what a person would meet:
axe-core's serious and critical findings, sideways scrolling, where the focus goes, and moving
through a page with the keyboard."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from werkzeug.serving import make_server

from .world import PASSWORD

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
_axe = Axe()
DOCS = Path(__file__).resolve().parents[2] / "docs"


def keep_screenshot(page, name: str) -> None:
    """`make screenshots` (SCREENSHOTS=1) keeps what the page shows now as docs/screenshot-<name>.png,
    the pictures the README shows; an ordinary run takes none."""
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=DOCS / f"screenshot-{name}.png")


def assert_accessible(page):
    violations = _axe.run(page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{page.url}: " + "; ".join(serious)


def assert_no_sideways_scrolling(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def click_and_load(locator) -> None:
    """Click a link or button that opens a page, and wait until that page has loaded: a click
    returns as soon as the next page starts to arrive, before its content is there."""
    with locator.page.expect_navigation():
        locator.click()


def choose_language(page, language: str) -> None:
    """Choose a language with the header's button, as a person would (the one shown has none)."""
    button = page.locator(f"nav.languages button[lang={language}]")
    if button.count():
        click_and_load(button)


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


def focus_is_on(page, selector: str) -> bool:
    return page.evaluate("selector => document.activeElement.matches(selector)", selector)


def tab_to(page, selector: str) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user moves through a page."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if focus_is_on(page, selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def tab_next(page, selector: str) -> None:
    """One press of Tab moves the focus to `selector`: the order follows the form."""
    page.keyboard.press("Tab")
    assert focus_is_on(page, selector), page.evaluate("document.activeElement.outerHTML")


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{base}/login?lang=en")
    page.fill("#field-username", username)
    page.fill("#field-password", password)
    click_and_load(page.locator("main form button[type=submit]"))


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` on a free loopback port, as a browser reaches it; yields its base URL, which is also
    where the links it gives people point (invitations, codes). CSRF protection is on."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base
    finally:
        server.shutdown()
