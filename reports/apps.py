from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from securityunion.access.policy import CapabilityScope, RuleScope, register_scope
        from securityunion.casework.jobs import register_job
        from securityunion.casework.registry import (
            NoticeType,
            register_api_scope,
            register_api_urls,
            register_benchmark_part,
            register_case_model,
            register_demo,
            register_navigation,
            register_notice_type,
            register_workflow_model,
        )
        from securityunion.casework.retention import register_retention
        from securityunion.casework.visibility import register_case_view

        from . import complaint_panels, demo, notifications, panels  # noqa: F401
        from .complaints import Complaint
        from .effects import NOTICE_INFORMATION_REQUEST, NOTICE_OUTCOME, information_answered
        from .event_labels import register_event_labels
        from .models import Indicator, IndicatorImport, ProviderReport, StatisticsPeriod
        from .pdf import register_pdf_builders
        from .retention import (
            complaint_personal_data_retention,
            indicator_import_retention,
            unfounded_report_retention,
        )
        from .selectors import (
            SEE_COMPLAINTS,
            _forwarded_to_my_organisation,
            _my_companys_reports,
            complaint_case_view,
            report_case_view,
        )
        from .services.complaints import (
            NOTICE_CORRECTION,
            NOTICE_REINSTATEMENT,
            reinstatement_confirmed,
        )
        from .statistics import register_statistics_sections

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
        register_scope(Complaint, CapabilityScope(see_all=SEE_COMPLAINTS))
        register_scope(StatisticsPeriod, CapabilityScope(see_all=("reports_statistics",)))
        register_case_model(ProviderReport)
        register_case_model(Complaint)
        register_case_view(Complaint, complaint_case_view)
        register_api_urls("reports.api_urls")
        register_workflow_model(Indicator)
        register_case_view(ProviderReport, report_case_view)
        register_demo(demo.load)
        register_pdf_builders()
        register_event_labels()
        register_navigation(_("Reports"), "reports:index", ("reports_view_all",), order=10)
        register_statistics_sections()
        register_navigation(
            _("Forwarded to us"), "reports:forwarded", ("reports_view_forwarded",), order=10
        )
        register_navigation(
            _("Corrections"), "reports:correction_list", ("reports_view_forwarded",), order=12
        )
        register_navigation(
            _("Statistics"), "reports:statistics", ("reports_statistics",), order=15
        )
        register_benchmark_part("reports", _benchmark, add_arguments=_benchmark_arguments)
        register_api_scope("reports:submit", _("Submit reports (single and batch)"))
        register_api_scope("reports:read", _("Read the company's own reports"))
        register_notice_type(
            NoticeType(
                code=NOTICE_INFORMATION_REQUEST,
                label=_("Information request"),
                subject_type="report",
                response_handler=information_answered,
            )
        )
        register_notice_type(
            NoticeType(code=NOTICE_OUTCOME, label=_("Outcome"), subject_type="report")
        )
        register_notice_type(
            NoticeType(
                code=NOTICE_REINSTATEMENT,
                label=_("Reinstatement"),
                subject_type="complaint",
                confirmable=True,
                confirm_handler=reinstatement_confirmed,
            )
        )
        register_notice_type(
            NoticeType(code=NOTICE_CORRECTION, label=_("Correction"), subject_type="report")
        )
        register_job(
            "reports-reinstatement-reminders",
            "reports.tasks.reinstatement_reminders",
            every=timedelta(hours=6),
            description="Mark reinstatement notices the company has not confirmed in time.",
        )
        notifications.register()
        register_job(
            "reports-legal-hold-reminders",
            "reports.tasks.legal_hold_reminders",
            every=timedelta(hours=1),
            description="Remind authorities of legal holds that lapse soon.",
        )
        register_job(
            "reports-indicator-imports-time-out",
            "reports.tasks.indicator_imports_time_out",
            every=timedelta(hours=1),
            description="Fail indicator imports queued or running for over an hour.",
        )
        register_retention(ProviderReport, **unfounded_report_retention())
        register_retention(IndicatorImport, **indicator_import_retention())
        register_retention(Complaint, **complaint_personal_data_retention())


def _benchmark(options, log):  # noqa: ANN001, ANN202
    from .benchmark import run

    return run(options, log)


def _benchmark_arguments(parser):  # noqa: ANN001, ANN202
    from .benchmark import add_arguments

    add_arguments(parser)
