from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from .models import ApiClient, Country, Invitation, Organisation, User
from .services import role_change_refused

# Fields that grant privileges: never edited in the admin. Roles change through the audited
# roles page (``user_roles_set``); superusers are made with ``manage.py createsuperuser``.
PRIVILEGED_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts, without any way to grant privileges.

    Roles, staff status, superuser status and direct permissions are read-only here; a POST
    that tries to set them anyway is refused and audited. New accounts are invited (no
    password is ever set by someone else), and a superuser is not editable by anyone else.
    """

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Roles and status"),
            {"fields": ("is_active", "roles", "is_staff", "is_superuser")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (
            _("Security Union"),
            {"fields": ("country", "organisation", "time_zone", "is_api_client")},
        ),
    )
    list_display = ("username", "first_name", "last_name", "organisation", "country", "is_active")
    list_filter = ("is_active", "is_staff", "groups", "country", "is_api_client")
    list_select_related = ("organisation", "country")
    readonly_fields = (
        "is_api_client",
        "last_login",
        "date_joined",
        "email",
        "roles",
        "is_staff",
        "is_superuser",
    )
    show_full_result_count = False

    @admin.display(description=_("Roles"))
    def roles(self, obj: User) -> str:
        names = ", ".join(obj.groups.order_by("name").values_list("name", flat=True)) or "-"
        if obj.pk is None or obj.is_api_client:
            return names
        return format_html(
            '{} · <a href="{}">{}</a>',
            names,
            reverse("accounts:user_roles", kwargs={"pk": obj.pk}),
            _("change roles"),
        )

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def add_view(self, request, form_url="", extra_context=None):  # noqa: ANN001
        return HttpResponseRedirect(reverse("accounts:invitation_create"))

    def user_change_password(self, request, id, form_url=""):  # noqa: ANN001, A002
        """Nobody sets another person's password: they reset it by e-mail or are re-invited."""
        if not request.user.is_superuser:
            audit_record(
                actor=request.user,
                verb=verbs.PERMISSION_DENIED,
                data={"path": request.path[:200], "requires": "superuser"},
            )
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            audit_record(
                actor=request.user,
                verb=verbs.UPDATE,
                target=obj,
                data={"fields": sorted(form.changed_data), "via": "admin"},
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):  # noqa: ANN001
        if request.method == "POST":
            attempted = sorted(f for f in PRIVILEGED_FIELDS if f in request.POST)
            if attempted:
                subject = self.get_object(request, object_id) if object_id else None
                role_change_refused(
                    user=subject,
                    actor=request.user,
                    why="privileged fields posted to the admin",
                    attempted={"fields": attempted, "own account": subject == request.user},
                )
                raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "type", "country")
    list_filter = ("type",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("country",)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "eu_member", "western_balkans")
    list_filter = ("eu_member", "western_balkans")
    search_fields = ("code", "name")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("organisation", "application", "created_at", "revoked_at")
    list_select_related = ("organisation", "application")
    readonly_fields = ("application", "organisation", "created_at", "revoked_at")

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False  # created with `manage.py api_client create`, which shows the secret once


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "invited_by", "created_at", "expires_at", "accepted_at")
    list_select_related = ("user", "invited_by")
    readonly_fields = ("user", "role", "invited_by", "created_at", "expires_at", "accepted_at")
    exclude = ("token_hash",)

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False  # invitations are sent from the invitation page, which e-mails the link
