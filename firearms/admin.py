from django.contrib import admin

from .models import EuCategory


@admin.register(EuCategory)
class EuCategoryAdmin(admin.ModelAdmin):
    """The EU categories are reference data: their wording is corrected here, not in code."""

    list_display = ("code", "group", "description", "verified", "active", "position")
    list_filter = ("group", "verified", "active")
    list_editable = ("active", "position")
    search_fields = ("code", "description")
