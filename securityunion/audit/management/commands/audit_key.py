from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from securityunion.audit import signing


class Command(BaseCommand):
    help = (
        "Print the id and the public half of the audit signing key (the AUDIT_VERIFY_KEY to "
        "give verifiers); never the private key."
    )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            key = signing.signing_key()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"key id: {key.key_id}")
        self.stdout.write(f"AUDIT_VERIFY_KEY={signing.public_key_text(key.public)}")
