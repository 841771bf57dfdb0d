"""The error pages (403, 404, 500, refused form) in the site's layout, each with a way back,
as production shows them (``DEBUG`` off)."""

import pytest
from django.test import Client

from securityunion.views import server_error

LAYOUT = 'class="site-header"'


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_a_missing_page_is_shown_in_the_layout_with_a_way_back(client, focal_point_fr):
    client.force_login(focal_point_fr)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in body and "<h1>Page not found</h1>" in body
    assert "<title>Page not found · Security Union back office</title>" in body
    assert 'href="/"' in body and "Go to My work" in body


def test_a_missing_page_offers_sign_in_to_an_anonymous_visitor(client, db):
    body = client.get("/no-such-page/").content.decode()
    assert LAYOUT in body and "/accounts/login/" in body and "Go to My work" not in body


def test_a_refused_page_is_shown_in_the_layout_with_a_way_back(client, focal_point_fr):
    client.force_login(focal_point_fr)
    response = client.get("/audit/")
    body = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in body and "<h1>Access refused</h1>" in body and "Go to My work" in body


@pytest.mark.urls("securityunion.tests.urls_failing")
def test_a_server_error_is_shown_in_the_layout_with_a_way_back(client, db):
    client.raise_request_exception = False
    response = client.get("/failing/")
    body = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in body and "<h1>Something went wrong</h1>" in body
    assert "<title>Something went wrong · Security Union back office</title>" in body
    assert 'href="/"' in body


def test_the_server_error_page_needs_neither_a_request_context_nor_the_database(rf):
    # No ``db`` fixture: any query would fail the test.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


def test_a_refused_form_says_what_to_do_in_the_layout(focal_point_fr):
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_point_fr)
    response = client.post("/accounts/logout/")
    body = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in body and "<h1>The form has expired</h1>" in body
    assert "CSRF" not in body and "Go to My work" in body
