"""The benchmark seeds rows by COPY, column by column: a new model field must not break it."""

import pytest

from reports.benchmark import _seed_indicators, _seed_reports
from reports.models import Indicator, Provider, ProviderReport, ReportedItem
from securityunion.accounts.models import Organisation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_seeding_writes_every_column_of_indicators():
    _seed_indicators(0, 8)
    assert Indicator.objects.count() == 8
    assert set(Indicator.objects.values_list("version", flat=True)) == {1}


def test_the_seeding_writes_every_column_of_reports_and_their_items():
    organisation = Organisation.objects.create(
        name="Bench company", slug="bench-company", type=Organisation.Type.COMPANY
    )
    provider = Provider.objects.create(organisation=organisation)
    _seed_reports(provider.pk, 0, 5, "seedtest")
    assert ProviderReport.objects.filter(provider=provider).count() == 5
    assert ReportedItem.objects.filter(report__provider=provider).count() == 5
