from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "securityunion.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from securityunion.casework.jobs import register_job

        register_job(
            "purge-case-files",
            "securityunion.documents.tasks.purge_case_files",
            every=timedelta(hours=1),
            description=(
                "Fail case files pending past CASE_FILE_PENDING_MINUTES; delete every case "
                "file older than CASE_FILE_KEEP_HOURS."
            ),
        )
