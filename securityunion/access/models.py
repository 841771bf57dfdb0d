from django.db import models

from .roles import CAPABILITIES


class Capability(models.Model):
    """Carrier of the capability permissions; it has no table and no rows."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = CAPABILITIES

    def __str__(self) -> str:
        return "capability"
