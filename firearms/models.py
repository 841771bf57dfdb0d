"""Firearms seizures: the case a national focal point enters, its seized items, and the EU
categories of Directive (EU) 2021/555 as editable reference data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securityunion.casework.models import CaseBase

from .workflow import SEIZURE_WORKFLOW, SeizureStatus

# A year of manufacture before this is not plausible for a seized item (antiques are pre-1900).
EARLIEST_MANUFACTURE_YEAR = 1800
LATEST_MANUFACTURE_YEAR = 2100


class EuCategory(models.Model):
    """A category of Annex I of Directive (EU) 2021/555 (A1-A9, B1-B9, C1-C7) or an extra value.

    Loaded by a data migration and editable in the administration: the wording of the 2017
    additions is not verified (``verified`` is false for those rows until someone checks it).
    """

    class Group(models.TextChoices):
        A = "A", _("A: prohibited")
        B = "B", _("B: subject to authorisation")
        C = "C", _("C: subject to declaration")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=16, unique=True)
    group = models.CharField(_("group"), max_length=8, choices=Group.choices)
    description = models.CharField(_("description"), max_length=300)
    verified = models.BooleanField(
        _("wording verified"),
        default=False,
        help_text=_("Checked against the text of the Directive."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("EU firearm category")
        verbose_name_plural = _("EU firearm categories")

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"


class SeizureContext(models.TextChoices):
    SEIZED = "seized", _("Seized")
    FOUND = "found", _("Found")
    SURRENDERED = "surrendered", _("Surrendered")
    LEGALISED = "legalised", _("Legalised")
    CONFISCATED = "confiscated", _("Confiscated")


class SmugglingMode(models.TextChoices):
    POSTAL = "postal_parcel", _("Postal or fast parcel")
    EXPRESS_COURIER = "express_courier", _("Express courier")
    CAR_COACH = "car_coach", _("Car or coach (“ant trade”)")
    TRUCK = "truck", _("Truck")
    CONTAINER = "container", _("Container")
    AIR_PASSENGER = "air_passenger", _("Air passenger")
    RAIL = "rail", _("Rail")
    GREEN_BORDER = "green_border", _("Green border")
    ONLINE_SURFACE = "online_surface", _("Online (surface web)")
    DARKNET = "darknet", _("Darknet")
    UNKNOWN = "unknown", _("Unknown")


class ProceedingStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    NONE = "none", _("None")
    ONGOING = "ongoing", _("Ongoing")
    CONCLUDED = "concluded", _("Concluded")


class ConvictionStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    NONE = "none", _("No conviction yet")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class SeizureCase(CaseBase):
    """One seizure (or find, surrender...) reported by the focal point of its country.

    ``country`` is always the entering focal point's own (set by ``seizure_create``, never
    from a form).
    """

    REFERENCE_PREFIX = "FAS"
    Status = SeizureStatus
    workflow = SEIZURE_WORKFLOW

    status = models.CharField(
        _("status"),
        max_length=32,
        choices=SeizureStatus.choices,
        default=SeizureStatus.DRAFT,
        db_index=True,
    )
    seized_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    context = models.CharField(_("context"), max_length=16, choices=SeizureContext.choices)
    smuggling_mode = models.CharField(
        _("smuggling mode"),
        max_length=24,
        choices=SmugglingMode.choices,
        default=SmugglingMode.UNKNOWN,
    )
    origin_country = models.ForeignKey(
        "accounts.Country",
        verbose_name=_("country of origin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    transit_countries = models.ManyToManyField(
        "accounts.Country", verbose_name=_("transit countries"), blank=True, related_name="+"
    )
    destination_country = models.ForeignKey(
        "accounts.Country",
        verbose_name=_("country of destination"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_drugs = models.BooleanField(_("linked to drug trafficking"), default=False)
    linked_ocg = models.BooleanField(_("linked to an organised-crime group"), default=False)
    linked_terrorism = models.BooleanField(_("linked to terrorism"), default=False)
    europol_reference = models.CharField(_("Europol reference"), max_length=64, blank=True)
    jit_reference = models.CharField(
        _("joint investigation team reference"), max_length=64, blank=True
    )
    investigation_status = models.CharField(
        _("investigation"),
        max_length=16,
        choices=ProceedingStatus.choices,
        default=ProceedingStatus.UNKNOWN,
    )
    prosecution_status = models.CharField(
        _("prosecution"),
        max_length=16,
        choices=ProceedingStatus.choices,
        default=ProceedingStatus.UNKNOWN,
    )
    conviction_status = models.CharField(
        _("conviction"),
        max_length=16,
        choices=ConvictionStatus.choices,
        default=ConvictionStatus.UNKNOWN,
    )
    review_comments = models.TextField(
        _("reviewer's comments"),
        blank=True,
        help_text=_("Why the reviewer returned the case; kept until it is validated."),
    )

    class Meta(CaseBase.Meta):
        verbose_name = _("seizure case")
        verbose_name_plural = _("seizure cases")
        indexes = [models.Index(fields=["country", "status"], name="firearms_case_country_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SeizureStatus.values), name="firearms_case_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SeizureStatus.RETURNED) | ~Q(review_comments=""),
                name="firearms_case_returned_has_comments",
            ),
        ]

    @property
    def is_editable(self) -> bool:
        return self.status in (SeizureStatus.DRAFT, SeizureStatus.RETURNED)

    def get_absolute_url(self) -> str:
        return reverse("firearms:seizure_detail", kwargs={"reference": self.reference})


class ItemKind(models.TextChoices):
    FIREARM = "firearm", _("Firearm")
    ESSENTIAL_COMPONENT = "essential_component", _("Essential component")
    SEMI_FINISHED_PART = "semi_finished_part", _("Semi-finished part")
    AMMUNITION = "ammunition", _("Ammunition")
    SILENCER = "silencer", _("Silencer")
    ALARM_SIGNAL = "alarm_signal", _("Alarm or signal weapon")
    DEACTIVATED = "deactivated", _("Deactivated weapon")
    FLOBERT = "flobert", _("Flobert weapon")


class WeaponType(models.TextChoices):
    PISTOL = "pistol", _("Pistol")
    REVOLVER = "revolver", _("Revolver")
    RIFLE = "rifle", _("Rifle")
    SHOTGUN = "shotgun", _("Shotgun")
    SUBMACHINE_GUN = "smg", _("Submachine gun")
    MACHINE_GUN = "machine_gun", _("Machine gun")
    ASSAULT_RIFLE = "assault_rifle", _("Assault rifle")
    LIGHT_WEAPON = "light_weapon", _("Light weapon")
    OTHER = "other", _("Other")


class SerialState(models.TextChoices):
    INTACT = "intact", _("Intact")
    PARTIAL = "partial", _("Partly legible")
    OBLITERATED = "obliterated", _("Obliterated")
    ABSENT = "absent", _("Absent")


# A serial number is recorded unless it cannot be read at all.
SERIAL_NOT_READABLE = (SerialState.OBLITERATED, SerialState.ABSENT)


class LegalStatus(models.TextChoices):
    LOST = "lost", _("Lost")
    STOLEN = "stolen", _("Stolen")
    TRAFFICKED = "trafficked", _("Trafficked")
    SMUGGLED = "smuggled", _("Smuggled")
    ILLICIT_MANUFACTURE = "illicit_manufacture", _("Illicitly manufactured")
    LICIT_MISUSED = "licit_misused", _("Licit but misused")
    UNKNOWN = "unknown", _("Unknown")


class Modification(models.TextChoices):
    NONE = "none", _("None")
    CONVERTED_ALARM = "converted_alarm", _("Converted alarm weapon")
    REACTIVATED = "reactivated", _("Reactivated")
    CONVERTED_FLOBERT = "converted_flobert", _("Converted Flobert")
    PRINTED_3D = "printed_3d", _("3D-printed")
    FROM_PARTS = "from_parts", _("Assembled from parts")
    AUTO_TO_SEMI = "auto_to_semi", _("Automatic converted to semi-automatic")


class Disposition(models.TextChoices):
    EVIDENCE = "evidence", _("Held as evidence")
    DESTROYED = "destroyed", _("Destroyed")
    DEACTIVATED = "deactivated", _("Deactivated")
    RETURNED = "returned", _("Returned")


class SeizedItem(models.Model):
    """One line of a seizure: a weapon, part or ammunition, with how many of them."""

    case = models.ForeignKey(
        SeizureCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="items"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    kind = models.CharField(_("kind"), max_length=24, choices=ItemKind.choices)
    weapon_type = models.CharField(
        _("weapon type"), max_length=16, choices=WeaponType.choices, blank=True
    )
    eu_category = models.ForeignKey(
        EuCategory,
        verbose_name=_("EU category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"active": True},
    )
    make = models.CharField(_("make"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    calibre = models.CharField(_("calibre"), max_length=32, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=64, blank=True)
    serial_state = models.CharField(
        _("state of the serial number"),
        max_length=16,
        choices=SerialState.choices,
        default=SerialState.INTACT,
    )
    manufacture_country = models.ForeignKey(
        "accounts.Country",
        verbose_name=_("country of manufacture"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    manufacture_year = models.PositiveSmallIntegerField(
        _("year of manufacture"), null=True, blank=True
    )
    import_marking = models.CharField(_("import marking"), max_length=100, blank=True)
    legal_status = models.CharField(
        _("legal status"), max_length=24, choices=LegalStatus.choices, default=LegalStatus.UNKNOWN
    )
    modification = models.CharField(
        _("modification"), max_length=24, choices=Modification.choices, default=Modification.NONE
    )
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, default=Disposition.EVIDENCE
    )
    certificate_number = models.CharField(
        _("deactivation certificate number"), max_length=64, blank=True
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("seized item")
        verbose_name_plural = _("seized items")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="firearms_item_quantity"),
            models.CheckConstraint(
                condition=Q(manufacture_year__isnull=True)
                | Q(
                    manufacture_year__gte=EARLIEST_MANUFACTURE_YEAR,
                    manufacture_year__lte=LATEST_MANUFACTURE_YEAR,
                ),
                name="firearms_item_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(serial_state__in=SERIAL_NOT_READABLE) | ~Q(serial_number=""),
                name="firearms_item_serial_when_readable",
            ),
            models.CheckConstraint(
                condition=~Q(serial_state=SerialState.ABSENT) | Q(serial_number=""),
                name="firearms_item_no_serial_when_absent",
            ),
            models.CheckConstraint(
                condition=~Q(disposition=Disposition.DEACTIVATED) | ~Q(certificate_number=""),
                name="firearms_item_deactivation_certificate",
            ),
        ]

    def __str__(self) -> str:
        label = " ".join(p for p in (self.make, self.model) if p) or self.get_kind_display()
        return f"{self.quantity} × {label}"

    def clean(self) -> None:
        """The rules the database constraints back, with messages beside the field."""
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        if self.quantity is not None and self.quantity < 1:
            errors["quantity"] = _("The quantity must be at least 1.")
        year = self.manufacture_year
        if year is not None and not (EARLIEST_MANUFACTURE_YEAR <= year <= timezone.now().year):
            errors["manufacture_year"] = _("Give a year between %(earliest)d and this year.") % {
                "earliest": EARLIEST_MANUFACTURE_YEAR
            }
        serial = (self.serial_number or "").strip()
        self.serial_number = serial
        if self.serial_state not in SERIAL_NOT_READABLE and not serial:
            errors["serial_number"] = _(
                "Enter the serial number (as far as it can be read), or say that it is "
                "obliterated or absent."
            )
        if self.serial_state == SerialState.ABSENT and serial:
            errors["serial_state"] = _("A serial number was entered: its state cannot be “absent”.")
        if self.disposition == Disposition.DEACTIVATED and not self.certificate_number.strip():
            errors["certificate_number"] = _(
                "A deactivated item needs the number of its deactivation certificate."
            )
        if self.eu_category_id and not self.eu_category.active:
            errors["eu_category"] = _("This category is no longer in use.")
        if errors:
            raise ValidationError(errors)
