import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from guardian.shortcuts import assign_perm

from securityunion.access.policy import get_for_user_or_404, is_visible, visible
from securityunion.accounts.models import Country, Organisation
from securityunion.audit.models import AuditEvent
from securityunion.tests.factories import sample_case
from tests.testapp.models import SampleCase


def test_a_user_sees_an_object_of_their_own_country(focal_point_fr):
    case = sample_case(country="FR")
    found = get_for_user_or_404(SampleCase.objects.all(), focal_point_fr, pk=case.pk)
    assert found == case


def test_a_user_of_country_a_gets_404_on_an_object_of_country_b(focal_point_fr):
    case = sample_case(country="DE")
    with pytest.raises(Http404):
        get_for_user_or_404(SampleCase.objects.all(), focal_point_fr, pk=case.pk)


def test_the_out_of_scope_fetch_is_audited(focal_point_fr):
    case = sample_case(country="DE")
    with pytest.raises(Http404):
        get_for_user_or_404(SampleCase.objects.all(), focal_point_fr, pk=case.pk)
    event = AuditEvent.objects.get(verb="permission_denied")
    assert event.actor == focal_point_fr
    assert event.object_id == str(case.pk)


def test_a_missing_object_and_a_foreign_one_give_the_same_404(focal_point_fr):
    case = sample_case(country="DE")
    with pytest.raises(Http404) as foreign:
        get_for_user_or_404(SampleCase.objects.all(), focal_point_fr, pk=case.pk)
    with pytest.raises(Http404) as missing:
        get_for_user_or_404(SampleCase.objects.all(), focal_point_fr, pk=case.pk + 1000)
    assert str(foreign.value) == str(missing.value)


def test_the_list_holds_only_own_country_rows(focal_point_fr):
    sample_case(country="FR")
    sample_case(country="DE")
    countries = set(
        visible(SampleCase.objects.all(), focal_point_fr).values_list("country", flat=True)
    )
    assert countries == {"FR"}


def test_a_reviewer_with_all_countries_sees_every_country(make_user):
    reviewer = make_user("firearms_reviewer", "BE")
    sample_case(country="FR")
    sample_case(country="DE")
    assert visible(SampleCase.objects.all(), reviewer).count() == 2


def test_a_user_without_the_capability_sees_nothing(make_user):
    caseworker = make_user("centre_caseworker", "FR")
    sample_case(country="FR")
    assert not visible(SampleCase.objects.all(), caseworker).exists()


def test_an_inactive_user_sees_nothing(focal_point_fr):
    sample_case(country="FR")
    focal_point_fr.is_active = False
    focal_point_fr.save()
    assert not visible(SampleCase.objects.all(), focal_point_fr).exists()


def test_a_country_granted_to_the_users_group_becomes_visible(focal_point_fr):
    from django.contrib.auth.models import Group

    case = sample_case(country="BE")
    assert not is_visible(focal_point_fr, case)
    benelux = Group.objects.create(name="firearms_benelux")
    focal_point_fr.groups.add(benelux)
    assign_perm("accounts.work_on_country", benelux, Country.objects.get(pk="BE"))
    assert is_visible(focal_point_fr, case)


def test_a_country_granted_to_another_group_stays_hidden(focal_point_fr):
    from django.contrib.auth.models import Group

    case = sample_case(country="BE")
    other = Group.objects.create(name="firearms_benelux")
    assign_perm("accounts.work_on_country", other, Country.objects.get(pk="BE"))
    assert not is_visible(focal_point_fr, case)


def test_a_model_without_a_scope_is_refused(focal_point_fr):
    with pytest.raises(ImproperlyConfigured):
        visible(Organisation.objects.all(), focal_point_fr)


def test_scoping_costs_one_query_whatever_the_number_of_rows(
    focal_point_fr, django_assert_num_queries
):
    for _ in range(3):
        sample_case(country="FR")
    focal_point_fr = type(focal_point_fr).objects.get(pk=focal_point_fr.pk)
    focal_point_fr.has_perm("access.firearms_edit")  # warm the permission cache
    with django_assert_num_queries(1):
        list(visible(SampleCase.objects.all(), focal_point_fr))
    for _ in range(20):
        sample_case(country="FR")
    with django_assert_num_queries(1):
        list(visible(SampleCase.objects.all(), focal_point_fr))
