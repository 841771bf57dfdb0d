from django.template import Context, Template

from securityunion.audit import verbs
from securityunion.audit.services import audit_record, object_timeline
from securityunion.casework.visibility import (
    APPROVALS,
    AUDIT_EXCERPT,
    HOLDS,
    SUMMARY,
    TIMELINE,
    Section,
    case_view,
    case_view_for,
)


def test_a_hidden_section_is_false_in_a_template_and_shows_no_field():
    view = case_view("case", "someone", [Section(SUMMARY, fields=frozenset({"reason"}))])
    html = Template(
        "{% if v.holds %}H{% endif %}{% if v.holds.shows.reason %}R{% endif %}"
        "{% if v.summary %}S{% endif %}{% if v.summary.shows.reason %}r{% endif %}"
        "{% if v.summary.shows.other %}o{% endif %}"
    ).render(Context({"v": view}))
    assert html == "Sr"
    assert view.rows(HOLDS) == [] and not view.shows(HOLDS, "reason")


def test_a_timeline_entry_carries_only_the_data_keys_its_section_lists(auditor):
    audit_record(actor=auditor, verb=verbs.UPDATE, target=auditor, data={"a": 1, "secret": 2})
    view = case_view(
        auditor,
        "someone",
        [Section(TIMELINE, rows=object_timeline(auditor), fields=frozenset({"a"}))],
    )
    [entry] = view.events(TIMELINE)
    assert dict(entry.data) == {"a": 1}
    assert entry.actor_label == auditor.username and entry.get_verb_display() == "updated"


def test_a_timeline_entry_is_named_after_the_row_it_is_about(auditor):
    audit_record(actor=auditor, verb=verbs.UPDATE, target=auditor, data={"forwarding": 7})
    view = case_view(
        auditor,
        "someone",
        [Section(TIMELINE, rows=object_timeline(auditor))],
        {"forwarding": {7: "Police"}},
    )
    assert view.events(TIMELINE)[0].subject == "Police"


def test_an_object_without_a_declared_view_shows_its_timeline_and_audit_excerpt(auditor):
    audit_record(actor=auditor, verb=verbs.VIEW, target=auditor)
    audit_record(actor=auditor, verb=verbs.UPDATE, target=auditor, data={"a": 1})
    view = case_view_for(auditor, auditor)
    assert [e.verb for e in view.events(TIMELINE)] == ["update"]
    assert [e.verb for e in view.events(AUDIT_EXCERPT)] == ["update", "view"]
    assert not view.shows(APPROVALS)  # not a workflow case
