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
