"""The audit browser names objects and verbs as people say them, and reads events as
sentences; the recorded data stays visible as evidence."""

import re

from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.audit_views import object_type_choices
from securityunion.tests.factories import sample_case


def _options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def test_the_object_filter_offers_names_not_model_labels(client, auditor):
    client.force_login(auditor)
    options = _options(client.get("/audit/").content.decode(), "object_type")
    assert options["reports.providerreport"] == "Provider report"
    assert options["reports.indicator"].startswith("Indicator")
    assert not any("." in label for label in options.values())


def test_the_object_filter_leaves_out_djangos_own_bookkeeping():
    labels = {value for value, _name in object_type_choices()}
    assert "reports.providerreport" in labels and "accounts.user" in labels
    assert "sessions.session" not in labels and "contenttypes.contenttype" not in labels


def test_the_verb_filter_shows_what_each_verb_means(client, auditor):
    client.force_login(auditor)
    options = _options(client.get("/audit/").content.decode(), "verb")
    assert options["transition"] == "Changed status" and options["create"] == "Created"


def test_the_object_filter_narrows_the_log_to_that_kind_of_object(client, auditor, focal_point_fr):
    case = sample_case()
    audit_record(actor=auditor, verb=verbs.UPDATE, target=case, data={"fields": ["place"]})
    audit_record(actor=auditor, verb=verbs.UPDATE, target=focal_point_fr, data={"marker": 1})
    client.force_login(auditor)
    body = client.get("/audit/", {"object_type": "accounts.user"}).content.decode()
    assert "marker=1" in body and case.reference not in body


def test_an_unknown_object_type_is_refused_not_an_error(client, auditor):
    client.force_login(auditor)
    response = client.get("/audit/", {"object_type": "reports.nosuchmodel"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_an_event_reads_as_a_sentence_beside_its_recorded_data(client, auditor, focal_point_fr):
    case = sample_case()
    audit_record(actor=focal_point_fr, verb=verbs.UPDATE, target=case, data={"assignee": "fp_fr"})
    client.force_login(auditor)
    body = client.get("/audit/", {"object_id": str(case.pk)}).content.decode()
    assert f"Assigned to {focal_point_fr.get_full_name()}" in body
    assert "assignee=fp_fr" in body
