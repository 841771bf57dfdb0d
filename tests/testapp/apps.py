from django.apps import AppConfig


class TestappConfig(AppConfig):
    """A concrete case type used only by the shared layer's tests."""

    name = "tests.testapp"
    label = "testapp"

    def ready(self) -> None:
        from securityunion.access.policy import CountryScope, register_scope
        from securityunion.casework.registry import register_case_model

        from .models import SampleCase

        register_scope(
            SampleCase,
            CountryScope(
                field="country",
                see_all=("firearms_view_all_countries",),
                see_own=("firearms_view_own_country",),
            ),
        )
        register_case_model(SampleCase)

        # --- notice types: the test app registers a kind of notice of its own ---------------
        from django.utils.translation import gettext_lazy as _

        from securityunion.casework.registry import NoticeType, register_notice_type

        from .notices import SAMPLE_REMOVAL, sample_removal_confirmed

        register_notice_type(
            NoticeType(
                code=SAMPLE_REMOVAL,
                label=_("Sample removal notice"),
                subject_type="sample_case",
                confirmable=True,
                confirm_handler=sample_removal_confirmed,
            )
        )
        # --- end of notice types ------------------------------------------------------------

        from . import pdf  # noqa: F401 - registers the sample case file

        # --- extension points: job, benchmark part, retention (capability: permissions.py) ---
        self._register_extensions()
        # --- end of extension points ---

    def _register_extensions(self) -> None:
        """A periodic job, a benchmark part and a retention rule, named in no shared file."""
        from datetime import timedelta

        from securityunion.casework.jobs import register_job
        from securityunion.casework.registry import register_benchmark_part
        from securityunion.casework.retention import register_retention

        from . import extensions
        from .conf import app_settings
        from .models import SampleCase

        register_job(
            "testapp-tick",
            extensions.tick,
            every=timedelta(minutes=app_settings.TESTAPP_JOB_MINUTES),
        )
        register_benchmark_part(
            "testapp", extensions.benchmark, add_arguments=extensions.benchmark_arguments
        )
        register_retention(
            SampleCase,
            name="testapp.closed_samples",
            days=lambda: app_settings.TESTAPP_CLOSED_RETENTION_DAYS,
            action="anonymise",
            date_field="updated_at",
            scope=extensions.closed_samples,
            held=extensions.on_hold,
            anonymise=extensions.anonymise_samples,
            anonymised=extensions.anonymised,
        )
