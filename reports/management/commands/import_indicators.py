from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.models import Indicator
from reports.services import indicators_import


class Command(BaseCommand):
    help = (
        "Import an indicator list from CSV (columns algorithm,value,category,source), all rows "
        "or none. Lists whose owner verified them come in active; --status proposed imports a "
        "list for the centre's own review first."
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

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError("The file is not UTF-8 text.") from None
        result = indicators_import(
            text=text, source=options["source"], status=options["status"], actor=None
        )
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
