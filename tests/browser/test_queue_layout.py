"""The report queue in a real browser: short rows on a laptop, cards and no sideways scrolling on
a phone, filters folded there, and sorting by a header."""

import pytest

from tests.browser.test_smoke import PASSWORD, _serious, browser_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The most lines any cell of the queue may take at 1366 px.
MOST_LINES = """() => Math.max(...Array.from(
  document.querySelectorAll('table.data tbody td')).map(td => {
    const style = getComputedStyle(td);
    const inner = td.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return Math.round(inner / parseFloat(style.lineHeight));
}))"""
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _sign_in(page, base, username):  # noqa: ANN001, ANN202
    page.goto(base + "/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def test_the_queue_keeps_rows_short_on_a_laptop_and_sorts_by_a_header(browser_page):  # noqa: F811
    page, base = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in(page, base, "supervisor")
    page.goto(base + "/reports/")
    assert page.locator("table.data tbody tr").count() > 0
    assert page.evaluate(MOST_LINES) <= 2
    assert page.evaluate(SIDEWAYS) == 0
    assert page.locator("details.filters-fold").get_attribute("open") is not None
    page.click("th a.sort-link >> text=Time to target")
    page.wait_for_url("**sort=target**")
    assert page.locator("th[aria-sort='ascending']").inner_text().startswith("Time to target")
    assert _serious(page) == []


def test_the_queue_is_usable_on_a_phone(browser_page):  # noqa: F811
    page, base = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, base, "caseworker")
    page.goto(base + "/reports/")
    assert page.evaluate(SIDEWAYS) == 0
    assert page.locator("details.filters-fold").get_attribute("open") is None
    assert page.locator("table.data tbody tr").first.is_visible()
    page.click("details.filters-fold > summary")
    assert page.locator("#id_country").is_visible()
    assert page.evaluate(SIDEWAYS) == 0
    assert _serious(page) == []
