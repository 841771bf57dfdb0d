from django.core.management.base import BaseCommand

from securityunion.casework.retention import retention_apply, retention_preview, retention_rules


class Command(BaseCommand):
    help = (
        "Apply the registered retention rules now (delete or anonymise records past their "
        "period; never under a legal hold; every batch audited). --dry-run only counts."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show, per record type, how many records would go and the oldest date.",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        if options["dry_run"]:
            for result in retention_preview():
                rule = retention_rules[result.name]
                oldest = result.oldest.isoformat() if result.oldest else "-"
                self.stdout.write(
                    f"{result.name}\t{result.model}\t{result.action}\t"
                    f"{rule.period().days} days\t{result.count} due\toldest {oldest}"
                )
            self.stdout.write("Dry run: nothing was changed.")
            return
        for result in retention_apply():
            self.stdout.write(f"{result.name}\t{result.model}\t{result.action}\t{result.count}")
