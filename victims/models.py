"""Victim cases: a person (or their representative) asking the centre for help to have their
images removed, known everywhere by a pseudonymous reference.

Everything that names or reaches the person is encrypted at rest (``EncryptedTextField``): it
cannot be searched, and it never goes into URLs, logs or the audit log (edits record field names
only). Later slices hang removal requests, hashes and notices off ``VictimCase`` by foreign key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securityunion.casework.fields import EncryptedTextField
from securityunion.casework.models import CaseBase

from .workflow import WORKFLOW, Status


class ConsentScope(models.TextChoices):
    INFORMATION = "information", _("Information and support only")
    REMOVAL = "removal", _("Help with removal of known material")
    REMOVAL_AND_SEARCH = "removal_and_search", _("Removal and proactive search")


class VictimCase(CaseBase):
    """One person's case. ``country`` (from ``CaseBase``) is their country of residence."""

    REFERENCE_PREFIX = "VIC"
    Status = Status
    workflow = WORKFLOW

    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.OPENED, db_index=True
    )
    # The person's data: encrypted, shown only to those who work the case.
    person_name = EncryptedTextField(_("name"), blank=True, default="")
    person_contact = EncryptedTextField(
        _("contact"), blank=True, default="", help_text=_("E-mail, telephone or postal address.")
    )
    date_of_birth = EncryptedTextField(
        _("date of birth"), blank=True, default="", help_text=_("YYYY-MM-DD")
    )
    representative_name = EncryptedTextField(_("representative's name"), blank=True, default="")
    representative_role = EncryptedTextField(
        _("representative's role"),
        blank=True,
        default="",
        help_text=_("Parent, guardian, lawyer, support organisation…"),
    )
    representative_contact = EncryptedTextField(
        _("representative's contact"), blank=True, default=""
    )
    # Consent: what the person agreed the centre may do, and when.
    consent_scope = models.CharField(
        _("consent given for"), max_length=32, choices=ConsentScope.choices
    )
    consent_given_on = models.DateField(_("consent given on"))
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)

    class Meta(CaseBase.Meta):
        verbose_name = _("victim case")
        verbose_name_plural = _("victim cases")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.WITHDRAWN) | Q(consent_withdrawn_at__isnull=False),
                name="victimcase_withdrawn_has_time",
            ),
        ]
        indexes = [models.Index(fields=["assignee", "status"], name="victimcase_assignee_idx")]

    def get_absolute_url(self) -> str:
        return reverse("victims:detail", kwargs={"reference": self.reference})


class AssistanceRecord(models.Model):
    """Help given on a case: a referral, information given, a contact with the person."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        INFORMATION = "information", _("Information given")
        CONTACT = "contact", _("Contact")

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="assistance")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    counterpart = models.CharField(
        _("organisation or channel"),
        max_length=200,
        blank=True,
        help_text=_("Where the person was referred, or how they were reached. No names."),
    )
    # May name the person or what happened to them: encrypted, and erased on withdrawal.
    note = EncryptedTextField(_("note"), blank=True, default="")
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("assistance record")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"
