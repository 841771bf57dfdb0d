"""The account pages (password, two-factor) are drawn in the back office's layout."""

import re

import pytest


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/accounts/password/change/", "Change Password"),
        ("/accounts/2fa/", "Two-Factor Authentication"),
        ("/accounts/reauthenticate/", "Confirm Access"),
    ],
)
def test_the_account_page_uses_the_site_layout_with_a_title(client, caseworker, url, title):
    client.force_login(caseworker)
    body = re.sub(r"\s+", " ", client.get(url).content.decode())
    assert 'class="site-header"' in body and 'class="main-nav"' in body
    assert f"<title> {title} · " in body and f"<h1> {title} </h1>" in body


def test_the_password_form_uses_the_sites_fields_and_buttons(client, caseworker):
    client.force_login(caseworker)
    body = client.get("/accounts/password/change/").content.decode()
    assert 'class="field' in body and 'class="button primary"' in body
    assert "<p><label" not in body


def test_a_refused_password_change_shows_the_error_summary(client, caseworker):
    client.force_login(caseworker)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
