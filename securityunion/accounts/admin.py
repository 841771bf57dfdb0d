from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiClient, Country, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Security Union"),
            {"fields": ("country", "organisation", "time_zone", "is_api_client")},
        ),
    )
    list_display = ("username", "first_name", "last_name", "organisation", "country", "is_active")
    list_filter = ("is_active", "is_staff", "groups", "country", "is_api_client")
    list_select_related = ("organisation", "country")
    readonly_fields = ("is_api_client", "last_login", "date_joined")
    show_full_result_count = False


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
