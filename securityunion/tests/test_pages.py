import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from securityunion.audit.models import AuditEvent
from securityunion.audit.services import audit_record
from securityunion.casework.services import case_transition
from securityunion.tests.factories import sample_case


def test_an_anonymous_page_request_redirects_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_sign_in_page_is_public(client, db):
    assert client.get("/accounts/login/").status_code == 200


def test_the_admin_login_goes_through_the_same_sign_in(client, settings, db):
    response = client.get("/" + settings.ADMIN_URL + "login/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_shows_my_assigned_cases(client, focal_point_fr):
    case = sample_case(assignee=focal_point_fr)
    client.force_login(focal_point_fr)
    response = client.get("/")
    assert response.status_code == 200
    assert case.reference in response.content.decode()


def test_the_dashboard_hides_cases_assigned_in_another_country(client, focal_point_fr):
    case = sample_case(country="DE", assignee=focal_point_fr)
    client.force_login(focal_point_fr)
    assert case.reference not in client.get("/").content.decode()


def test_the_dashboard_lists_proposals_awaiting_my_approval(client, focal_point_fr, approver_fr):
    case = sample_case(status="submitted")
    case_transition(case=case, transition="validate", actor=focal_point_fr, reason="ok")
    client.force_login(approver_fr)
    body = client.get("/").content.decode()
    assert "Awaiting my approval" in body and case.reference in body


def test_the_proposer_does_not_see_their_own_proposal_to_approve(client, focal_point_fr):
    case = sample_case(status="submitted")
    case_transition(case=case, transition="validate", actor=focal_point_fr, reason="ok")
    client.force_login(focal_point_fr)
    assert "Awaiting my approval" not in client.get("/").content.decode()


def test_navigation_shows_only_the_areas_the_user_may_use(client, auditor, focal_point_fr):
    client.force_login(focal_point_fr)
    assert "Audit log" not in client.get("/").content.decode()
    client.force_login(auditor)
    assert "Audit log" in client.get("/").content.decode()


def test_every_page_carries_the_sensitivity_marking_and_no_store(client, focal_point_fr, settings):
    client.force_login(focal_point_fr)
    response = client.get("/")
    assert settings.SENSITIVITY_MARKING in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_audit_log_is_refused_to_a_user_without_the_capability(client, focal_point_fr):
    client.force_login(focal_point_fr)
    assert client.get("/audit/").status_code == 403
    assert AuditEvent.objects.filter(verb="permission_denied", actor=focal_point_fr).exists()


def test_the_auditor_filters_the_audit_log_by_actor(client, auditor, focal_point_fr):
    audit_record(actor=focal_point_fr, verb="update", data={"x": 1})
    audit_record(actor=auditor, verb="update", data={"x": 2})
    client.force_login(auditor)
    response = client.get("/audit/", {"actor": "fp_fr"})
    rows = [r["object"] for r in response.context["rows"]]
    assert rows and all(e.actor_label == "fp_fr" for e in rows)


def test_a_reversed_period_is_a_clear_error(client, auditor):
    client.force_login(auditor)
    response = client.get("/audit/", {"created_from": "2026-02-01", "created_to": "2026-01-01"})
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()


def test_the_audit_log_exports_csv_and_records_the_export(client, auditor):
    audit_record(actor=auditor, verb="update")
    client.force_login(auditor)
    response = client.get("/audit/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("#,When,Who,What")
    assert AuditEvent.objects.filter(verb="export", actor=auditor).exists()


def test_a_csv_export_asks_for_a_recent_password_first(client, auditor, settings):
    settings.SENSITIVE_ACTIONS_NEED_REAUTHENTICATION = True
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 600
    client.force_login(auditor)  # no password entered in this session
    response = client.get("/audit/", {"export": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not AuditEvent.objects.filter(verb="export", actor=auditor).exists()


def test_a_list_page_costs_the_same_queries_for_1_and_20_rows(
    client, auditor, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(auditor)
    audit_record(actor=auditor, verb="update")
    client.get("/audit/")  # warm caches (session, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get("/audit/")
    for _ in range(20):
        audit_record(actor=auditor, verb="update")
    with CaptureQueriesContext(connection) as many:
        client.get("/audit/")
    assert len(one) == len(many)


def test_the_list_never_counts_the_table(client, auditor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(auditor)
    with CaptureQueriesContext(connection) as queries:
        client.get("/audit/")
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.urls("tests.testapp.urls")
class TestGenericCaseViews:
    def test_the_detail_page_shows_the_case_and_audits_the_read(self, client, focal_point_fr):
        case = sample_case()
        client.force_login(focal_point_fr)
        response = client.get(f"/testapp/{case.reference}/")
        assert response.status_code == 200
        assert AuditEvent.objects.filter(verb="view", object_id=str(case.pk)).exists()

    def test_a_case_of_another_country_is_a_404(self, client, focal_point_de):
        case = sample_case(country="FR")
        client.force_login(focal_point_de)
        assert client.get(f"/testapp/{case.reference}/").status_code == 404

    def test_the_detail_page_offers_exactly_the_users_transitions(
        self, client, focal_point_fr, auditor
    ):
        case = sample_case()
        client.force_login(focal_point_fr)
        names = [t.name for t in client.get(f"/testapp/{case.reference}/").context["transitions"]]
        assert names == ["submit"]
        client.force_login(auditor)
        assert client.get(f"/testapp/{case.reference}/").context["transitions"] == []

    def test_posting_a_transition_changes_the_status(self, client, focal_point_fr):
        case = sample_case()
        client.force_login(focal_point_fr)
        response = client.post(
            f"/testapp/{case.reference}/transition/", {"transition": "submit", "version": "1"}
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == "submitted"

    def test_a_stale_form_is_refused_with_a_message(self, client, focal_point_fr):
        case = sample_case()
        client.force_login(focal_point_fr)
        response = client.post(
            f"/testapp/{case.reference}/transition/",
            {"transition": "submit", "version": "7"},
            follow=True,
        )
        assert "changed by someone else" in response.content.decode()
        case.refresh_from_db()
        assert case.status == "draft"

    def test_the_approver_decides_from_the_page(self, client, focal_point_fr, approver_fr):
        case = sample_case(status="submitted")
        approval = case_transition(
            case=case, transition="validate", actor=focal_point_fr, reason="ok"
        )
        client.force_login(approver_fr)
        client.post(f"/casework/approvals/{approval.pk}/decide/", {"decision": "approve"})
        case.refresh_from_db()
        assert case.status == "validated"

    def test_the_pdf_case_file_is_exported_and_audited(self, client, make_user):
        reviewer = make_user("firearms_reviewer", "BE")
        case = sample_case()
        client.force_login(reviewer)
        response = client.get(f"/testapp/{case.reference}/pdf/")
        assert response["Content-Type"] == "application/pdf"
        event = AuditEvent.objects.get(verb="export", object_id=str(case.pk))
        assert event.data["sha256"] == response["X-Document-SHA256"]

    def test_the_pdf_needs_the_export_capability(self, client, approver_fr):
        # A national approver sees the country's cases but exports no case file.
        case = sample_case()
        client.force_login(approver_fr)
        assert client.get(f"/testapp/{case.reference}/pdf/").status_code == 403


# Routes that are not ours to decorate, and why they are safe. Everything else must declare
# ``required_capability`` (our views) or ``permission_classes``/AllowAny (API views).
THIRD_PARTY_PREFIXES = {
    "accounts/": "sign-in, sign-out, password and two-factor pages of the account module",
    "o/": "OAuth token endpoints: authenticate the client themselves",
}


def _walk(patterns, prefix=""):  # noqa: ANN001, ANN202
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _declares_permission(route: str, callback) -> bool:  # noqa: ANN001
    from django.conf import settings

    if route.startswith(settings.ADMIN_URL):
        return True  # the admin site checks is_staff and model permissions on every view
    if any(route.startswith(p) for p in THIRD_PARTY_PREFIXES):
        return True
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return False
    if getattr(view_class, "required_capability", None):
        return True
    if route.startswith("api/") and getattr(view_class, "permission_classes", None):
        from rest_framework.permissions import AllowAny

        classes = view_class.permission_classes
        return route.startswith(("api/schema/", "api/docs/")) and AllowAny in classes
    return False


def test_every_route_declares_a_permission(db):
    missing = [
        route
        for route, cb in _walk(get_resolver().url_patterns)
        if not _declares_permission(route, cb)
    ]
    assert missing == []


def test_the_route_walk_would_catch_an_undeclared_view():
    from django.views.generic import TemplateView

    undeclared = TemplateView.as_view(template_name="base.html")
    assert not _declares_permission("reports/leaky/", undeclared)


def test_the_user_time_zone_is_activated_for_the_request(rf, auditor):
    from django.utils import timezone

    from securityunion.access.middleware import UserTimeZoneMiddleware

    seen = {}

    def view(request):  # noqa: ANN001, ANN202
        seen["tz"] = str(timezone.get_current_timezone())
        from django.http import HttpResponse

        return HttpResponse()

    request = rf.get("/")
    auditor.time_zone = "Asia/Tokyo"
    request.user = auditor
    UserTimeZoneMiddleware(view)(request)
    assert seen["tz"] == "Asia/Tokyo"
