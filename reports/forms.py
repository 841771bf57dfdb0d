from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securityunion.accounts.models import Organisation
from securityunion.casework.forms import CaseActionForm

from .models import Indicator, ProviderReport

# Every form of the report page has ids of its own (``id_prefix``): the page holds several.


class ForwardForm(CaseActionForm):
    id_prefix = "forward"

    recipients = forms.ModelMultipleChoiceField(
        label=_("Recipients"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Europol and the authorities of the candidate countries."),
    )
    reason = forms.CharField(
        label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, candidates=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = Organisation.objects.filter(
            pk__in=[c.pk for c in candidates]
        )


class UnfoundedForm(CaseActionForm):
    """No reason is preselected: the caseworker chooses one (the company is told it)."""

    id_prefix = "unfounded"
    service_fields = {"reason": "text"}

    reason_code = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason…")), *ProviderReport.UnfoundedReason.choices],
    )
    text = forms.CharField(
        label=_("Statement of reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company receives this text."),
    )


class DuplicateForm(CaseActionForm):
    id_prefix = "duplicate"

    duplicate_of = forms.CharField(label=_("Duplicate of (reference)"), max_length=32)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(CaseActionForm):
    id_prefix = "feedback"

    feedback = forms.CharField(
        label=_("Feedback to the centre"), widget=forms.Textarea(attrs={"rows": 3})
    )


class LegalHoldForm(CaseActionForm):
    id_prefix = "hold"

    expires_at = forms.DateField(
        label=_("Hold until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most 18 months from today."),
    )
    reason = forms.CharField(label=_("Legal ground"), widget=forms.Textarea(attrs={"rows": 2}))

    def expires_datetime(self):  # noqa: ANN201
        date = self.cleaned_data["expires_at"]
        return timezone.make_aware(timezone.datetime(date.year, date.month, date.day, 23, 59, 59))


class IndicatorStatusForm(CaseActionForm):
    """An indicator's next status, chosen explicitly (none preselected), and why."""

    id_prefix = "indicator_status"

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the indicator's history."),
    )

    def __init__(self, *args, statuses=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Choose a status…")), *statuses]


class IndicatorUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns algorithm,value,category,source; hashes and URLs only, never media."),
    )
    source = forms.CharField(
        label=_("Source list"),
        max_length=100,
        help_text=_("Used for rows whose source column is empty."),
    )
    status = forms.ChoiceField(
        label=_("Import as"),
        choices=[
            (Indicator.Status.ACTIVE, _("Active (the list's owner verified it)")),
            (Indicator.Status.PROPOSED, _("Proposed (for our own review first)")),
        ],
    )

    def clean_file(self):  # noqa: ANN201
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 50 MB; use the command."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv file."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


class ReassignForm(forms.Form):
    """A supervisor's reassignment: to a caseworker or to nobody, with an optional note."""

    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=_("nobody (unassigned)"),
    )
    note = forms.CharField(
        label=_("Note for the assignee"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        help_text=_("Shown with their notification in the back office, never e-mailed."),
    )

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        from securityunion.access.policy import users_with_capability

        kwargs.setdefault("auto_id", "reassign_%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users_with_capability("reports_assess").order_by(
            "username"
        )
