from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from securityunion.access.policy import CapabilityScope, RuleScope, register_scope
        from securityunion.casework.models import Notice
        from securityunion.casework.registry import (
            benchmark_parts,
            notice_response_handlers,
            register_case_model,
            register_demo,
        )
        from securityunion.casework.visibility import register_case_view

        from . import demo, panels  # noqa: F401
        from .effects import information_answered
        from .models import Indicator, ProviderReport
        from .pdf import register_pdf_builders
        from .pdq_index import indicator_deleted, indicator_saved
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
        register_case_view(ProviderReport, report_case_view)
        register_demo(demo.load)
        register_pdf_builders()
        benchmark_parts["reports"] = _benchmark
        notice_response_handlers[Notice.Type.INFORMATION_REQUEST] = information_answered
        post_save.connect(indicator_saved, sender=Indicator, dispatch_uid="pdq_index_saved")
        post_delete.connect(indicator_deleted, sender=Indicator, dispatch_uid="pdq_index_deleted")


def _benchmark(options, log):  # noqa: ANN001, ANN202
    from .benchmark import run

    return run(options, log)
