"""Fixtures for every test: the roles exist, and persona users per role and country."""

import pytest
from django.db import connection

from securityunion.tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: ANN001
    """The roles, once per session, on the test database just created (or kept)."""
    from securityunion.access.services import roles_sync

    with django_db_blocker.unblock():
        roles_sync()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction", False):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _roles_after_flush(request: pytest.FixtureRequest) -> None:
    """A transactional test may find the database as an earlier one's flush left it: sync again.

    Other tests share the session's roles (each runs in a transaction rolled back after it), and
    tests without a database take none.
    """
    if _is_transactional(request):
        from securityunion.access.services import roles_sync

        request.getfixturevalue("transactional_db")
        roles_sync()


@pytest.fixture(autouse=True)
def _fresh_cache():  # noqa: ANN202
    """Throttle counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):  # noqa: ANN001
    def make(role=None, country="FR", **kwargs):  # noqa: ANN001, ANN003
        from securityunion.accounts.models import Country

        country_obj = Country.objects.get(pk=country) if country else None
        return UserFactory(role=role, country=country_obj, **kwargs)

    return make


@pytest.fixture
def focal_point_fr(make_user):  # noqa: ANN001
    return make_user("focal_point", "FR", username="fp_fr")


@pytest.fixture
def focal_point_de(make_user):  # noqa: ANN001
    return make_user("focal_point", "DE", username="fp_de")


@pytest.fixture
def approver_fr(make_user):  # noqa: ANN001
    return make_user("national_approver", "FR", username="approver_fr")


@pytest.fixture
def auditor(make_user):  # noqa: ANN001
    return make_user("auditor", "BE", username="auditor1")


@pytest.fixture
def no_role_user(make_user):  # noqa: ANN001
    return make_user(None, "FR", username="nobody")


def pytest_collection_modifyitems(config, items):  # noqa: ANN001
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL"))
