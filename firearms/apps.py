from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirearmsConfig(AppConfig):
    name = "firearms"
    verbose_name = _("Firearms")
