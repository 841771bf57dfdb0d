from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from reports.models import Indicator
from reports.services import indicators_import
from securityunion.casework.actors import SystemActor


class Command(BaseCommand):
    help = (
        "Import an indicator list from CSV (columns algorithm,value,category,source), all rows "
        "or none. Lists whose owner verified them come in active; --status proposed imports a "
        "list for the centre's own review first. Acts as --user (who needs the right to "
        "verify indicators) or, without it, as the system actor import_indicators; the audit "
        "log names either."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("file", help="CSV file (UTF-8).")
        parser.add_argument(
            "--source",
            required=True,
            help="The list's name, used for rows whose source column is empty.",
        )
        parser.add_argument(
            "--status",
            default=Indicator.Status.ACTIVE,
            choices=[Indicator.Status.ACTIVE, Indicator.Status.PROPOSED],
        )
        parser.add_argument(
            "--user",
            help="Import as this user (a supervisor); default: the system actor.",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError("The file is not UTF-8 text.") from None
        actor = self._actor(options.get("user"))
        try:
            result = indicators_import(
                text=text, source=options["source"], status=options["status"], actor=actor
            )
        except PermissionDenied as refused:
            raise CommandError(f"{actor} may not import indicators: {refused}") from None
        if not result.ok:
            for line, message in result.errors:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(f"Nothing imported: {len(result.errors)} error(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} indicators added, {result.unchanged} already on the list "
                f"(source {options['source']}, status {options['status']})."
            )
        )

    def _actor(self, username: str | None):  # noqa: ANN202
        """A named user, or the system actor that may import and nothing else."""
        if not username:
            return SystemActor.with_capabilities("import_indicators", "indicators_verify")
        from securityunion.accounts.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        return user
