"""The append-only event log and the seals that make tampering evident.

Events are appended freely by any number of concurrent transactions: no event refers to the
previous one, so writers never wait on each other. A sealing job hashes the events up to a
*watermark* (below which no open transaction can still commit an event) into a seal that is
chained to the previous seal, as Certificate Transparency does with its tree heads. On
PostgreSQL triggers reject UPDATE and DELETE on both tables.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .verbs import Verb


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    verb = models.CharField(_("verb"), max_length=32, choices=Verb.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
            models.Index(fields=["actor", "id"], name="audit_actor_idx"),
            models.Index(fields=["verb", "id"], name="audit_verb_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.actor_label or '-'} {self.verb} {self.object_repr}".strip()


class AuditCheckpoint(models.Model):
    """A reading of the event id sequence, taken at a database time, by the sealing job.

    Once no transaction that was open at ``taken_at`` is still open, every event id up to
    ``sequence_value`` is final: the checkpoint's value becomes a safe watermark.
    """

    sequence_value = models.BigIntegerField()
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"checkpoint {self.sequence_value} at {self.taken_at}"


class AuditSeal(models.Model):
    """The hash of every event in ``(previous watermark, watermark]``, chained to the last seal,
    signed with a key the database does not hold."""

    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    after_event_id = models.BigIntegerField(help_text="Exclusive lower bound (last watermark).")
    watermark = models.BigIntegerField(help_text="Inclusive upper bound.")
    event_count = models.PositiveIntegerField()
    events_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    seal_hash = models.CharField(max_length=64, unique=True)
    manifest = models.JSONField(
        default=list, help_text="[event id, digest] per sealed event, to name the event that broke."
    )
    sealed_at = models.DateTimeField(default=timezone.now)
    # Ed25519 over the seal's head (see signing.signed_message); empty on seals made before
    # seals were signed, which the verifier reports as unsigned (legacy).
    signature = models.CharField(max_length=128, blank=True, default="")
    key_id = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["id"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["after_event_id"], name="audit_seal_one_per_watermark"),
            models.CheckConstraint(
                condition=models.Q(watermark__gt=models.F("after_event_id")),
                name="audit_seal_nonempty_range",
            ),
        ]

    def __str__(self) -> str:
        return f"seal #{self.pk} ({self.after_event_id}, {self.watermark}]"

    @property
    def last_event_id(self) -> int:
        """The newest event the seal covers (the watermark may sit above it, past a gap)."""
        return int(self.manifest[-1][0]) if self.manifest else self.after_event_id
