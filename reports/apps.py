from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from securityunion.access.policy import CapabilityScope, RuleScope, register_scope
        from securityunion.casework.models import Notice
        from securityunion.casework.registry import (
            benchmark_parts,
            notice_response_handlers,
            register_case_model,
            register_demo,
            register_workflow_model,
        )
        from securityunion.casework.visibility import register_case_view

        from . import demo, panels  # noqa: F401
        from .effects import information_answered
        from .models import Indicator, ProviderReport
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
        benchmark_parts["reports"] = _benchmark
        notice_response_handlers[Notice.Type.INFORMATION_REQUEST] = information_answered


def _benchmark(options, log):  # noqa: ANN001, ANN202
    from .benchmark import run

    return run(options, log)
