"""The role matrix (DESIGN.md section 4), declared once as data.

Capabilities are permissions of the ``access`` app (``access.<codename>``): one vocabulary for
every area, created from ``CAPABILITIES`` by the ``Capability`` model's Meta. Each role is a
Django group of exactly the role's name; ``manage.py sync_roles`` makes the groups match this
file, and nothing else grants capabilities to groups.

What a capability lets a user *see* inside an area is decided by the scoping rules in
``access.policy`` (country, organisation, assignment), not by extra grants per object.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CAPABILITIES: tuple[tuple[str, str], ...] = (
    # reports (provider reports, complaints, indicators)
    ("reports_view_all", _("See all provider reports, complaints and indicators")),
    ("reports_assess", _("Assess reports, propose forwarding or 'manifestly unfounded'")),
    ("reports_request_information", _("Request information from a company")),
    ("reports_approve", _("Approve forwarding and unfounded decisions of others")),
    ("reports_assign", _("Assign reports to caseworkers")),
    ("reports_view_forwarded", _("See reports forwarded to one's own organisation")),
    ("reports_acknowledge", _("Acknowledge forwarded reports and give feedback")),
    ("reports_place_legal_hold", _("Place legal holds on forwarded reports")),
    ("complaints_review", _("Review complaints about removed content")),
    ("complaints_decide", _("Decide complaints")),
    ("indicators_view", _("See indicator lists")),
    ("indicators_verify", _("Verify, import and retire indicators")),
    ("reports_submit", _("Submit reports through the API (companies)")),
    ("notices_receive", _("Receive and answer notices through the API (companies)")),
    # victims
    ("victims_view_assigned", _("See victim cases assigned to oneself")),
    ("victims_view_all", _("See all victim cases")),
    ("victims_casework", _("Work on victim cases: removal requests, notices, checks")),
    ("victims_assign", _("Assign officers to victim cases")),
    ("victims_escalate", _("Escalate notices to hosting companies")),
    # firearms
    ("firearms_view_own_country", _("See firearms data of one's own countries")),
    ("firearms_view_all_countries", _("See firearms data of all countries")),
    ("firearms_edit", _("Enter seizures, seized items and tracing requests")),
    ("firearms_prepare_return", _("Prepare periodic indicator returns")),
    ("firearms_submit_return", _("Submit indicator returns prepared by others")),
    ("firearms_validate_return", _("Validate indicator returns or return them with comments")),
    # drugs
    ("drugs_view_all", _("See the whole drugs action plan")),
    ("drugs_view_own", _("See actions of one's organisation and indicators of one's country")),
    ("drugs_manage", _("Manage priorities, actions and indicators")),
    ("drugs_review_updates", _("Review progress updates")),
    ("drugs_report_progress", _("Give progress updates and measurements")),
    # prevention
    ("prevention_view_all", _("See the whole prevention network")),
    ("prevention_view_published", _("See published network content and own submissions")),
    ("prevention_submit", _("Submit programmes, research and materials")),
    ("prevention_approve", _("Approve members and publications")),
    ("prevention_assess_evidence", _("Assess the evidence of programmes")),
    # cross-cutting
    ("audit_view_log", _("Browse the audit log")),
    ("export_pdf", _("Export PDF case files")),
    ("export_csv", _("Export lists as CSV")),
    ("manage_users", _("Manage user accounts and roles")),
    ("manage_api_clients", _("Manage company API clients")),
)


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    capabilities: tuple[str, ...]
    extra_permissions: tuple[str, ...] = ()


_READ_EVERYTHING = (
    "reports_view_all",
    "indicators_view",
    "victims_view_all",
    "firearms_view_all_countries",
    "drugs_view_all",
    "prevention_view_all",
)

ROLES: tuple[Role, ...] = (
    Role(
        "centre_caseworker",
        _("Centre caseworker"),
        (
            "reports_view_all",
            "indicators_view",
            "reports_assess",
            "reports_request_information",
            "complaints_review",
            "export_csv",
        ),
    ),
    Role(
        "centre_supervisor",
        _("Centre supervisor"),
        (
            "reports_view_all",
            "indicators_view",
            "reports_assess",
            "reports_request_information",
            "complaints_review",
            "reports_approve",
            "complaints_decide",
            "indicators_verify",
            "reports_assign",
            "export_csv",
            "export_pdf",
        ),
    ),
    Role(
        "law_enforcement",
        _("Law enforcement"),
        ("reports_view_forwarded", "reports_acknowledge", "reports_place_legal_hold", "export_pdf"),
    ),
    Role(
        "victim_support_officer",
        _("Victim-support officer"),
        ("victims_view_assigned", "victims_casework"),
    ),
    Role(
        "victim_support_lead",
        _("Victim-support lead"),
        (
            "victims_view_all",
            "victims_casework",
            "victims_assign",
            "victims_escalate",
            "export_csv",
        ),
    ),
    Role(
        "focal_point",
        _("National firearms focal point"),
        ("firearms_view_own_country", "firearms_edit", "firearms_prepare_return", "export_csv"),
    ),
    Role(
        "national_approver",
        _("National approver"),
        ("firearms_view_own_country", "firearms_submit_return", "export_csv"),
    ),
    Role(
        "firearms_reviewer",
        _("Firearms reviewer"),
        ("firearms_view_all_countries", "firearms_validate_return", "export_csv", "export_pdf"),
    ),
    Role(
        "drugs_coordinator",
        _("Drug-policy coordinator"),
        ("drugs_view_all", "drugs_manage", "drugs_review_updates", "export_csv", "export_pdf"),
    ),
    Role(
        "drugs_reporter",
        _("Drugs action reporter"),
        ("drugs_view_own", "drugs_report_progress"),
    ),
    Role(
        "prevention_coordinator",
        _("Prevention network coordinator"),
        (
            "prevention_view_all",
            "prevention_approve",
            "prevention_assess_evidence",
            "prevention_submit",
            "export_csv",
        ),
    ),
    Role(
        "network_member",
        _("Prevention network member"),
        ("prevention_view_published", "prevention_submit"),
    ),
    Role(
        "auditor",
        _("Auditor"),
        (*_READ_EVERYTHING, "audit_view_log", "export_pdf", "export_csv"),
    ),
    Role(
        "administrator",
        _("Administrator"),
        ("manage_users", "manage_api_clients"),
        extra_permissions=(
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "accounts.add_organisation",
            "accounts.change_organisation",
            "accounts.view_organisation",
            "accounts.view_country",
            "accounts.change_country",
            "accounts.view_apiclient",
            "auth.view_group",
        ),
    ),
    Role(
        "company",
        _("Company (API client)"),
        ("reports_submit", "notices_receive"),
    ),
)

ROLE_NAMES = tuple(role.name for role in ROLES)


def role(name: str) -> Role:
    for candidate in ROLES:
        if candidate.name == name:
            return candidate
    raise KeyError(name)
