"""The account pages render in the site's layout."""

import pytest

LAYOUT = "Skip to main content"


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/sessions/",
        "/accounts/email/",
        "/accounts/reauthenticate/",
        "/accounts/2fa/",
        "/accounts/password/change/",
    ],
)
def test_a_signed_in_page_of_the_account_renders_in_the_layout(client, caseworker, url):
    client.force_login(caseworker)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert LAYOUT in response.content.decode()


def test_the_invitation_page_renders_for_an_administrator(client, administrator):
    client.force_login(administrator)
    response = client.get("/accounts/invitations/new/")
    assert response.status_code == 200 and LAYOUT in response.content.decode()


def test_the_roles_page_renders_for_an_administrator(client, administrator, caseworker):
    client.force_login(administrator)
    response = client.get(f"/accounts/users/{caseworker.pk}/roles/")
    assert response.status_code == 200 and "centre_caseworker" in response.content.decode()


def test_the_header_links_to_the_sessions_page(client, caseworker):
    client.force_login(caseworker)
    assert 'href="/accounts/sessions/"' in client.get("/").content.decode()
