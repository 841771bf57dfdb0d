"""A real browser signs in as a demo user, sees the dashboard, and checks accessibility.

Runs Debian's Chromium through Playwright against a live server (`make smoke`); Playwright never
downloads a browser. axe-core finds no serious or critical violation on the sign-in page and the
dashboard.
"""

import os
import shutil

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "smoke-test-Password-1"


@pytest.fixture
def browser_page(live_server, settings):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs a loop
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo", "--password", PASSWORD)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page, live_server.url
        browser.close()


def _serious(page) -> list[str]:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_a_demo_user_signs_in_and_sees_the_dashboard(browser_page):
    page, base = browser_page
    page.goto(base + "/")
    assert "/accounts/login/" in page.url
    assert _serious(page) == []
    page.fill("#id_login", "auditor")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    assert page.locator("h1").inner_text() == "My work"
    assert page.get_by_role("link", name="Audit log").first.is_visible()
    assert _serious(page) == []
    if os.environ.get("SMOKE_SCREENSHOT"):
        page.screenshot(path=os.environ["SMOKE_SCREENSHOT"])


def test_a_wrong_password_shows_an_error_and_stays_on_sign_in(browser_page):
    page, base = browser_page
    page.goto(base + "/accounts/login/")
    page.fill("#id_login", "auditor")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    assert "/accounts/login/" in page.url
    assert page.locator(".error-summary").is_visible()
    assert _serious(page) == []
