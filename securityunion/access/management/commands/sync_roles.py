from django.core.management.base import BaseCommand

from securityunion.access.services import roles_sync


class Command(BaseCommand):
    help = "Create or update one group per role of the role matrix (idempotent)."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        changes = roles_sync()
        for name, (added, removed) in changes.items():
            self.stdout.write(f"{name}: +{added} -{removed}")
        self.stdout.write(self.style.SUCCESS(f"{len(changes)} roles in step."))
