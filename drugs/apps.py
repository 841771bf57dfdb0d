from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrugsConfig(AppConfig):
    name = "drugs"
    verbose_name = _("Drugs")
