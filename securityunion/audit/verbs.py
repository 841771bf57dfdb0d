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
    ROLES_CHANGED = "roles_changed", _("changed the roles")
    ROLE_CHANGE_REFUSED = "role_change_refused", _("was refused a role change")
    LOGIN_THROTTLED = "login_throttled", _("was throttled signing in")
    EMAIL_CHANGED = "email_changed", _("changed an e-mail address")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("requested a password reset")
    MFA_CHANGED = "mfa_changed", _("changed two-factor authentication")
    SESSION_ENDED = "session_ended", _("ended a session")
    INVITATION_SENT = "invitation_sent", _("invited")
    INVITATION_ACCEPTED = "invitation_accepted", _("accepted an invitation")
    PURGE = "purge", _("purged (retention)")
    NOTIFICATION_SENT = "notification_sent", _("was notified")
    NOTIFICATION_FAILED = "notification_failed", _("could not be notified")
    API_CLIENT_CREATED = "api_client_created", _("created an API client")
    API_CLIENT_REVOKED = "api_client_revoked", _("revoked an API client")


CREATE = Verb.CREATE
UPDATE = Verb.UPDATE
TRANSITION = Verb.TRANSITION
VIEW = Verb.VIEW
EXPORT = Verb.EXPORT
LOGIN = Verb.LOGIN
LOGOUT = Verb.LOGOUT
LOGIN_FAILED = Verb.LOGIN_FAILED
PERMISSION_DENIED = Verb.PERMISSION_DENIED
ROLES_CHANGED = Verb.ROLES_CHANGED
ROLE_CHANGE_REFUSED = Verb.ROLE_CHANGE_REFUSED
LOGIN_THROTTLED = Verb.LOGIN_THROTTLED
EMAIL_CHANGED = Verb.EMAIL_CHANGED
PASSWORD_RESET_REQUESTED = Verb.PASSWORD_RESET_REQUESTED
MFA_CHANGED = Verb.MFA_CHANGED
SESSION_ENDED = Verb.SESSION_ENDED
INVITATION_SENT = Verb.INVITATION_SENT
INVITATION_ACCEPTED = Verb.INVITATION_ACCEPTED
PURGE = Verb.PURGE
NOTIFICATION_SENT = Verb.NOTIFICATION_SENT
NOTIFICATION_FAILED = Verb.NOTIFICATION_FAILED
API_CLIENT_CREATED = Verb.API_CLIENT_CREATED
API_CLIENT_REVOKED = Verb.API_CLIENT_REVOKED
