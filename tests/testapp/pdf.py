from securityunion.casework.views import default_case_file_context
from securityunion.documents.registry import register_pdf_builder

from .models import SampleCase

register_pdf_builder(
    "testapp.case_file",
    model=SampleCase,
    template_name="pdf/casework/case_file.html",
    context=default_case_file_context,
)
