"""System checks: a seal key that cannot be read fails ``manage.py check`` (and the deploy)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from . import signing


@register("security", deploy=False)
def audit_keys_readable(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    try:
        signing.signing_key()
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="audit.E001"))
    if settings.AUDIT_VERIFY_KEY:
        try:
            signing.configured_verify_keys()
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id="audit.E002"))
    return errors
