from securityunion.casework.views import (
    Column,
    PdfExportView,
    ScopedDetailView,
    ScopedListView,
    TransitionView,
)

from .models import SampleCase


class SampleListView(ScopedListView):
    model = SampleCase
    required_capability = ("firearms_view_own_country", "firearms_view_all_countries")
    columns = (Column("Reference", "reference"), Column("Status", "status"))


class SampleDetailView(ScopedDetailView):
    model = SampleCase
    required_capability = ("firearms_view_own_country", "firearms_view_all_countries")

    def get_context_data(self, **kwargs):  # noqa: ANN003, ANN201
        context = super().get_context_data(**kwargs)
        context["transition_url"] = f"/testapp/{self.object.reference}/transition/"
        return context


class SampleTransitionView(TransitionView):
    model = SampleCase
    required_capability = ("firearms_view_own_country", "firearms_view_all_countries")


class SamplePdfView(PdfExportView):
    model = SampleCase
    pdf_builder = "testapp.case_file"
