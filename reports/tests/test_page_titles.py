"""Every page the demo roles reach has a title (``<title>`` and one ``<h1>``), and no two
fields on a page share an id.

The pages are those of the main navigation, a report, an indicator, an indicator import, a
case file export and the account pages, each for the roles that may open it.
"""

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Indicator, IndicatorImport
from reports.services import report_propose_forward
from securityunion.casework.services import approval_decide, case_transition
from securityunion.documents.models import DocumentExport

SITE = "Security Union back office"

# (role key, page key): the pages each demo role may open.
PAGES = [
    ("caseworker", "dashboard"),
    ("caseworker", "queue"),
    ("caseworker", "report"),
    ("caseworker", "indicators"),
    ("caseworker", "indicator"),
    ("caseworker", "sessions"),
    ("caseworker", "password"),
    ("caseworker", "mfa"),
    ("caseworker", "reauthenticate"),
    ("caseworker", "email"),
    ("caseworker", "sign_out"),
    ("caseworker", "api_docs"),
    ("supervisor", "dashboard"),
    ("supervisor", "queue"),
    ("supervisor", "report"),
    ("supervisor", "indicator_upload"),
    ("supervisor", "indicator_import"),
    ("supervisor", "export"),
    ("police_fr", "dashboard"),
    ("police_fr", "forwarded"),
    ("police_fr", "report"),
    ("europol", "report"),
    ("auditor", "dashboard"),
    ("auditor", "audit"),
    ("auditor", "report"),
    ("admin", "dashboard"),
    ("admin", "invitation"),
    ("admin", "user_roles"),
    ("admin", "api_clients"),
    ("admin", "api_client_new"),
    ("focal_point", "dashboard"),
    ("anonymous", "login"),
    ("anonymous", "password_reset"),
    ("anonymous", "invitation_invalid"),
]

# A link that is no (longer a) valid invitation answers 404, with its own page.
STATUS = {"invitation_invalid": 404}


@pytest.fixture
def site(people, make_user, submit, payload, organisations):
    report = submit(payload(provider_reference="titles", countries=["FR"]))
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    approval = report_propose_forward(
        report=report,
        recipient_ids=[organisations["police-fr"].pk, organisations["europol"].pk],
        actor=people["caseworker"],
        reason="Suspect in France",
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    indicator = Indicator.objects.create(
        algorithm=Indicator.Algorithm.SHA256,
        value="a" * 64,
        lookup="a" * 64,
        category="csam",
        source="test list",
    )
    upload = IndicatorImport.objects.create(
        requested_by=people["supervisor"],
        source="test list",
        import_as="active",
        status="done",
        finished_at=timezone.now(),
    )
    export = DocumentExport.objects.create(
        requested_by=people["supervisor"],
        content_type_id=_content_type(report),
        object_id=str(report.pk),
        builder="reports.case_file",
        title=report.reference,
    )
    users = {
        **people,
        "admin": make_user("administrator", "BE", username="adm"),
        "anonymous": None,
    }
    urls = {
        "dashboard": "/",
        "queue": reverse("reports:index"),
        "forwarded": reverse("reports:forwarded"),
        "api_clients": reverse("accounts:api_client_list"),
        "api_client_new": reverse("accounts:api_client_create"),
        "report": report.get_absolute_url(),
        "indicators": reverse("reports:indicator_list"),
        "indicator": indicator.get_absolute_url(),
        "indicator_upload": reverse("reports:indicator_import"),
        "indicator_import": reverse("reports:indicator_import_detail", args=[upload.pk]),
        "export": reverse("casework:export", args=[export.pk]),
        "audit": reverse("audit:event_list"),
        "sessions": reverse("accounts:session_list"),
        "password": reverse("account_change_password"),
        "mfa": reverse("mfa_index"),
        "invitation": reverse("accounts:invitation_create"),
        "user_roles": reverse("accounts:user_roles", args=[people["caseworker"].pk]),
        "login": reverse("account_login"),
        "reauthenticate": reverse("account_reauthenticate"),
        "email": reverse("account_email"),
        "sign_out": reverse("account_logout"),
        "api_docs": reverse("api_docs"),
        "password_reset": reverse("account_reset_password"),
        "invitation_invalid": reverse("accounts:invitation_accept", args=["no-such-token"]),
    }
    return users, urls


def _content_type(obj):  # noqa: ANN001, ANN202
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip() if found else ""


def _h1s(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", h).strip()
        for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    ]


@pytest.mark.parametrize(("role", "page"), PAGES)
def test_every_page_has_a_title_and_one_heading(client, site, role, page):
    users, urls = site
    if users[role] is not None:
        client.force_login(users[role])
    response = client.get(urls[page])
    assert response.status_code == STATUS.get(page, 200), response.get("Location")
    html = response.content.decode()
    title = _title(html)
    assert title.endswith(SITE) and title != SITE and not title.startswith("·"), title
    headings = _h1s(html)
    assert len(headings) == 1 and headings[0], headings


@pytest.mark.parametrize(("role", "page"), PAGES)
def test_no_two_elements_on_a_page_share_an_id(client, site, role, page):
    users, urls = site
    if users[role] is not None:
        client.force_login(users[role])
    html = client.get(urls[page]).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert not [i for i, n in ids.items() if n > 1]
