"""The EU Agenda and Action Plan on Drugs as data: frameworks, headings, priorities, actors,
actions, and the progress updates reported on actions.

Actions and progress updates follow the shared ``Workflow`` (``drugs.workflow``) through the
shared ``case_transition`` without being cases: they have no reference sequence, country or
assignee, so they carry only what a workflow model needs (``status``, ``version``,
``workflow``), like the reports area's indicators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import ACTION_WORKFLOW, UPDATE_WORKFLOW, ActionStatus, UpdateStatus

ACTION_NUMBER_RE = r"^[0-9]{1,3}(\.[0-9]{1,3}){0,2}$"
PERIOD_RE = r"^20[0-9]{2}-(H[12]|Q[1-4])$"


class Framework(models.Model):
    """A policy framework whose actions are tracked (the Agenda 2021-2025; later its successor).

    Exactly one framework is current: the pages show its priorities and actions.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="drugs_one_current_fw"
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="drugs_fw_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Heading(models.Model):
    """A heading grouping priorities: security, prevention, addressing drug-related harm."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="headings")
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("heading")
        verbose_name_plural = _("headings")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="drugs_heading_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Priority(models.Model):
    """A strategic priority, its text verbatim from the framework's source document."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="priorities")
    heading = models.ForeignKey(Heading, on_delete=models.PROTECT, related_name="priorities")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("strategic priority")
        verbose_name_plural = _("strategic priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="drugs_priority_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return _("Priority %(n)s") % {"n": self.number}

    def get_absolute_url(self) -> str:
        return reverse("drugs:priority", kwargs={"number": self.number})


class Actor(models.Model):
    """Who leads or contributes to actions. A body with users here (an agency, a ministry) is
    linked to its ``Organisation``: that organisation's reporters report on its actions."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", _("Commission service")
        EU_AGENCY = "eu_agency", _("EU agency")
        COUNCIL_BODY = "council_body", _("Council body")
        MEMBER_STATE = "member_state", _("Member States")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        INTERNATIONAL = "international", _("International organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drugs_actor",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    """A numbered action of a framework's action plan."""

    workflow = ACTION_WORKFLOW
    Status = ActionStatus

    class Timetable(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        YEAR = "year", _("By a year")
        DATE = "date", _("By a date")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="actions")
    number = models.CharField(_("number"), max_length=12, help_text=_("For example 12 or 3.2."))
    text = models.TextField(_("action"))
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="actions")
    actors = models.ManyToManyField(Actor, through="ActionActor", related_name="actions")
    timetable = models.CharField(_("timetable"), max_length=8, choices=Timetable.choices)
    due_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    due_date = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["framework", "priority__number", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="drugs_action_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__regex=ACTION_NUMBER_RE), name="drugs_action_number_format"
            ),
            models.CheckConstraint(
                condition=Q(timetable="ongoing", due_year__isnull=True, due_date__isnull=True)
                | Q(timetable="year", due_year__isnull=False, due_date__isnull=True)
                | Q(timetable="date", due_year__isnull=True, due_date__isnull=False),
                name="drugs_action_timetable_consistent",
            ),
        ]
        indexes = [models.Index(fields=["status", "id"], name="drugs_action_status_idx")]

    def __str__(self) -> str:
        return _("Action %(n)s") % {"n": self.number}

    def get_absolute_url(self) -> str:
        return reverse("drugs:action_detail", kwargs={"number": self.number})

    @property
    def timetable_display(self) -> str:
        if self.timetable == self.Timetable.YEAR:
            return str(_("By %(year)s") % {"year": self.due_year})
        if self.timetable == self.Timetable.DATE:
            return str(_("By %(date)s") % {"date": self.due_date.isoformat()})
        return str(self.Timetable.ONGOING.label)


class ActionActor(models.Model):
    """An actor's part in an action: it leads it or contributes to it."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CONTRIBUTOR = "contributor", _("Contributor")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="parts")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="parts")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["role", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["action", "actor"], name="drugs_action_actor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


class ProgressUpdate(models.Model):
    """How an action went in a period, as one of its actors reports it; a coordinator accepts
    it or returns it with comments (``UPDATE_WORKFLOW``)."""

    workflow = UPDATE_WORKFLOW
    Status = UpdateStatus

    class Rag(models.TextChoices):
        RED = "red", _("Red: off track")
        AMBER = "amber", _("Amber: at risk")
        GREEN = "green", _("Green: on track")

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("reported for"),
        on_delete=models.PROTECT,
        related_name="updates",
    )
    period = models.CharField(
        _("period"), max_length=7, help_text=_("A half-year (2026-H2) or a quarter (2026-Q3).")
    )
    rag = models.CharField(_("rating"), max_length=5, choices=Rag.choices)
    narrative = models.TextField(_("narrative"))
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=UpdateStatus.choices, default=UpdateStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comments"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "actor", "period"], name="drugs_update_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_RE), name="drugs_update_period_format"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="drugs_update_returned_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.period} · {self.actor}"

    def get_absolute_url(self) -> str:
        return self.action.get_absolute_url() + f"#update-{self.pk}"
