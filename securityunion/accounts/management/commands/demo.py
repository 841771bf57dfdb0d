import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from securityunion.accounts.demo import DEFAULT_PASSWORD, USERS
from securityunion.accounts.services import demo_load


class Command(BaseCommand):
    help = "Load demo organisations, one user per role and a little data per app (idempotent)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--password", help="Password of every demo user.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production system).",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to load demo data with DEBUG off; pass --force to insist.")
        password = options["password"] or os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        summary = demo_load(password=password)
        self.stdout.write(summary)
        self.stdout.write("")
        self.stdout.write("Demo logins (user name / role):")
        for user in USERS:
            self.stdout.write(f"  {user.username:<24} {user.role}")
        if not options["password"] and not os.environ.get("DEMO_PASSWORD"):
            self.stdout.write(f"Password for every demo user: {password}")
        else:
            self.stdout.write("Password: the one you gave.")
