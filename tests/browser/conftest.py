"""Shared fixtures for browser tests: Debian's Chromium driven by Playwright's sync API.

Notes that apply to every browser test:

- ``live_server`` makes the database transactional, and each transactional test ends with a
  flush; ``django_db_serialized_rollback`` restores what migrations created (root page, default
  site, locales, groups) before each test so fixtures such as ``help_centre`` can build on it.
- Playwright's sync API keeps an asyncio loop running in this thread, and while it runs Django
  hands out different connection objects (asgiref keys them by async context). Setting up the
  database first keeps serialized rollback working; the test's own ORM calls then need
  ``DJANGO_ALLOW_ASYNC_UNSAFE``, and their connections are closed before the loop stops. That is
  why Chromium starts per test (after the data exists) rather than once per session.
- Nothing may load from the internet: pages fail any request that leaves localhost.
- A failing test leaves a full-page screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])https?://")


@pytest.fixture
def site(live_server, django_db_serialized_rollback, help_centre):
    """The shared help centre (tests/conftest.py), committed so the live server can read it."""
    return help_centre


@pytest.fixture
def browser(site, monkeypatch) -> Iterator[Browser]:
    """Chromium, started only once the test data exists (see the module notes)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            connections.close_all()
            browser.close()


def open_page(request, browser: Browser, *, javascript: bool = True, **context_options):
    """A fresh browser context and page that refuses external requests and screenshots on
    failure. A generator: use with ``yield from`` inside a fixture."""
    context = browser.new_context(
        java_script_enabled=javascript,
        locale=context_options.pop("locale", "en-GB"),
        **context_options,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    external: list[str] = []

    def guard(route) -> None:
        external.append(route.request.url)
        route.abort()

    page.route(LOCAL, guard)
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not external, f"requests outside the site: {external}"


@pytest.fixture
def page(request, browser) -> Iterator[Page]:
    yield from open_page(request, browser, javascript=True)


@pytest.fixture
def page_without_js(request, browser) -> Iterator[Page]:
    yield from open_page(request, browser, javascript=False)
