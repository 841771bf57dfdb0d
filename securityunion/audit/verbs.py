"""The audit log's verbs. A case's own action (which transition, which export) goes in ``data``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    TRANSITION = "transition", _("changed status")
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("signed in")
    LOGOUT = "logout", _("signed out")
    LOGIN_FAILED = "login_failed", _("failed to sign in")
    PERMISSION_DENIED = "permission_denied", _("was refused access")
    PURGE = "purge", _("purged (retention)")


CREATE = Verb.CREATE
UPDATE = Verb.UPDATE
TRANSITION = Verb.TRANSITION
VIEW = Verb.VIEW
EXPORT = Verb.EXPORT
LOGIN = Verb.LOGIN
LOGOUT = Verb.LOGOUT
LOGIN_FAILED = Verb.LOGIN_FAILED
PERMISSION_DENIED = Verb.PERMISSION_DENIED
PURGE = Verb.PURGE
