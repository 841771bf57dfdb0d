from django.core.management.base import BaseCommand, CommandError

from securityunion.audit.services import audit_verify


class Command(BaseCommand):
    help = "Recompute every audit seal; exit non-zero naming the first bad event or seal."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        result = audit_verify()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"audit log NOT intact: first problem: {result.problems[0]}")
        self.stdout.write(
            self.style.SUCCESS(
                f"audit log intact: {result.seals} seals, {result.events} sealed events."
            )
        )
