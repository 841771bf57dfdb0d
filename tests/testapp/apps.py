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

        from . import pdf  # noqa: F401 - registers the sample case file
