"""The case file and the person's information document."""

import io

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from victims.pdf import victim_case_file_context

from .conftest import PERSON

pytestmark = pytest.mark.django_db


def _text(response):  # noqa: ANN001, ANN202
    assert response["Content-Type"] == "application/pdf"
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_the_auditors_case_file_has_the_reference_and_no_personal_data(client, people, case):
    client.force_login(people["auditor"])
    text = _text(client.get(f"/victims/{case.reference}/pdf/"))
    assert case.reference in text
    for value in PERSON.values():
        assert value not in text


def test_the_officers_case_file_has_the_persons_data(client, people, case):
    client.force_login(people["officer"])
    text = _text(client.get(f"/victims/{case.reference}/pdf/"))
    assert case.reference in text and PERSON["person_contact"] in text


def test_the_information_document_has_the_reference_and_nobodys_data(client, people, case):
    client.force_login(people["officer"])
    text = _text(client.get(f"/victims/{case.reference}/information/pdf/"))
    assert case.reference in text and "withdraw" in text
    for value in PERSON.values():
        assert value not in text
    assert people["officer"].username not in text and people["lead"].username not in text


def test_the_auditor_cannot_produce_the_information_document(client, people, case):
    client.force_login(people["auditor"])
    assert client.get(f"/victims/{case.reference}/information/pdf/").status_code == 403


@pytest.mark.parametrize("role", ["officer", "lead", "auditor"])
def test_the_page_and_the_case_file_show_the_same_sections_and_fields(client, people, case, role):
    import re

    user = people[role]
    client.force_login(user)
    page = client.get(case.get_absolute_url()).content.decode()
    pdf = render_to_string("pdf/victims/case_file.html", victim_case_file_context(case, user))

    def shown(html):  # noqa: ANN001, ANN202
        return (
            set(re.findall(r'data-section="([a-z_]+)"', html)),
            set(re.findall(r'data-field="([a-z_]+)"', html)),
        )

    assert shown(page) == shown(pdf)
