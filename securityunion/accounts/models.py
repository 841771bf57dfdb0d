from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class CountryQuerySet(models.QuerySet):
    def eu(self) -> "CountryQuerySet":
        return self.filter(eu_member=True)

    def firearms_scope(self) -> "CountryQuerySet":
        """Member States and Western Balkans partners: the firearms action plan's countries."""
        return self.filter(models.Q(eu_member=True) | models.Q(western_balkans=True))


class Country(models.Model):
    """A country by its ISO 3166-1 alpha-2 code; loaded by a data migration."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    eu_member = models.BooleanField(_("EU Member State"), default=False)
    western_balkans = models.BooleanField(_("Western Balkans partner"), default=False)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        permissions = [("work_on_country", _("Can work on the data of this country"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_alpha2"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Type(models.TextChoices):
        EU_INSTITUTION = "eu_institution", _("EU institution")
        EU_AGENCY = "eu_agency", _("EU agency")
        NATIONAL_AUTHORITY = "national_authority", _("National authority")
        LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
        COMPANY = "company", _("Company")
        NGO = "ngo", _("NGO")
        RESEARCH = "research", _("Research")
        INTERNATIONAL = "international_organisation", _("International organisation")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Seat or establishment country; empty for EU-wide or international bodies."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member, or the service account behind a company's API client."""

    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("IANA name, e.g. Europe/Paris; empty uses the system's default."),
    )
    is_api_client = models.BooleanField(
        _("API client"),
        default=False,
        help_text=_("Service account of a company's API client; cannot sign in to the pages."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiClient(models.Model):
    """Links an OAuth application (client credentials) to the company it acts for.

    ``scopes`` are the API scopes its tokens may carry, chosen from the registered ones; an
    empty list (clients created before scopes were chosen per client) allows every registered
    scope. ``last_used_at`` is recorded at most once a minute (token issue, API call).
    """

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="api_client",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_clients"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.application.client_id})"


class CountryUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK grant of a country to one user (for the rare exceptional grant)."""

    content_object = models.ForeignKey(Country, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class CountryGroupObjectPermission(GroupObjectPermissionBase):
    """Direct-FK grant of a country to a role group that covers several countries."""

    content_object = models.ForeignKey(Country, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class UserSession(models.Model):
    """A signed-in session of a user, recorded at sign-in so it can be listed and ended.

    The session itself lives in the session store; this row only knows its key. Ending a
    session deletes both.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_sessions"
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now_add=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A one-time, expiring link by which an invited person sets the password of their account.

    Only the SHA-256 of the token is stored; the token itself exists in the e-mail alone.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        null=True,
    )
    role = models.CharField(_("role"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
