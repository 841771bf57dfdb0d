from django.core.management.base import BaseCommand

from securityunion.documents.services import case_files_purge


class Command(BaseCommand):
    help = (
        "Fail case files stuck pending past CASE_FILE_PENDING_MINUTES and delete every case file "
        "older than CASE_FILE_KEEP_HOURS (what the hourly scheduled job does, without a broker)."
    )

    def handle(self, *args, **options):  # noqa: ANN002, ANN003, ANN201
        result = case_files_purge()
        self.stdout.write(f"{result.timed_out} timed out, {result.deleted} deleted")
