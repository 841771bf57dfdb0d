import pytest
from django.core.cache import cache

PASSWORD = "test-password-123"


@pytest.fixture(autouse=True)
def _empty_cache():  # noqa: ANN202
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def administrator(make_user):  # noqa: ANN001, ANN201
    return make_user("administrator", "BE", username="admin1", is_staff=True)


@pytest.fixture
def other_admin(make_user):  # noqa: ANN001, ANN201
    return make_user("administrator", "BE", username="admin2", is_staff=True)


@pytest.fixture
def caseworker(make_user):  # noqa: ANN001, ANN201
    return make_user("centre_caseworker", "BE", username="cw1", email="cw1@example.eu")


def sign_in(client, user, password: str = PASSWORD, **extra):  # noqa: ANN001, ANN003, ANN201
    """A real sign-in through the page (records the authentication, unlike force_login)."""
    return client.post("/accounts/login/", {"login": user.username, "password": password}, **extra)
