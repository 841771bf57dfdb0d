from django.core.management.base import BaseCommand

from securityunion.audit.services import audit_seal


class Command(BaseCommand):
    help = "Seal the audit events written since the last seal (the scheduled job runs each minute)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--wait",
            type=float,
            default=5.0,
            help="Seconds to wait for transactions open at the checkpoint.",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        seal = audit_seal(wait_seconds=options["wait"])
        if seal is None:
            self.stdout.write("Nothing to seal.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sealed {seal.event_count} events up to #{seal.watermark} as seal #{seal.pk}."
                )
            )
