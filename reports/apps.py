from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from django.core import checks

        from securityunion.access.policy import CapabilityScope, RuleScope, register_scope
        from securityunion.casework.jobs import register_job
        from securityunion.casework.models import Notice
        from securityunion.casework.registry import (
            notice_response_handlers,
            register_benchmark_part,
            register_case_model,
            register_demo,
            register_navigation,
            register_workflow_model,
        )
        from securityunion.casework.retention import register_retention
        from securityunion.casework.visibility import register_case_view

        from . import demo, panels  # noqa: F401
        from .effects import information_answered
        from .models import Indicator, ProviderReport
        from .pdf import register_pdf_builders
        from .retention import unfounded_report_retention
        from .selectors import (
            _forwarded_to_my_organisation,
            _my_companys_reports,
            report_case_view,
        )

        register_scope(
            ProviderReport,
            RuleScope(
                see_all=("reports_view_all",),
                rules=(
                    ("reports_view_forwarded", _forwarded_to_my_organisation),
                    ("reports_submit", _my_companys_reports),
                ),
            ),
        )
        register_scope(Indicator, CapabilityScope(see_all=("indicators_view",)))
        register_case_model(ProviderReport)
        register_workflow_model(Indicator)
        register_case_view(ProviderReport, report_case_view)
        register_demo(demo.load)
        register_pdf_builders()
        register_navigation(
            _("Reports"), "reports:index", ("reports_view_all", "reports_view_forwarded"), order=10
        )
        register_benchmark_part("reports", _benchmark, add_arguments=_benchmark_arguments)
        notice_response_handlers[Notice.Type.INFORMATION_REQUEST] = information_answered
        register_job(
            "reports-legal-hold-reminders",
            "reports.tasks.legal_hold_reminders",
            every=timedelta(hours=1),
            description="Remind authorities of legal holds that lapse soon.",
        )
        register_retention(ProviderReport, **unfounded_report_retention())
        checks.register(_check_upload_limit, checks.Tags.compatibility)


def _benchmark(options, log):  # noqa: ANN001, ANN202
    from .benchmark import run

    return run(options, log)


def _benchmark_arguments(parser):  # noqa: ANN001, ANN202
    from .benchmark import add_arguments

    add_arguments(parser)


def _check_upload_limit(app_configs=None, **kwargs):  # noqa: ANN001, ANN003, ANN202
    """Django must accept a request body as large as the biggest report batch we take."""
    from django.conf import settings
    from django.core import checks

    from .conf import app_settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and limit < app_settings.REPORT_BATCH_MAX_BYTES:
        return [
            checks.Error(
                "DATA_UPLOAD_MAX_MEMORY_SIZE is smaller than REPORT_BATCH_MAX_BYTES: the "
                "company API would refuse batches it promises to accept.",
                hint="Raise DATA_UPLOAD_MAX_MEMORY_SIZE (or lower REPORT_BATCH_MAX_BYTES).",
                id="reports.E001",
            )
        ]
    return []
