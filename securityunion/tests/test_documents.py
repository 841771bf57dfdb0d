import io

import pytest
from pypdf import PdfReader

from securityunion.audit.models import AuditEvent
from securityunion.documents.charts import bar_chart_svg
from securityunion.documents.csv import safe_cell
from securityunion.documents.pdf import BASE_URL, FetchRefused, StaticOnlyURLFetcher, render_pdf
from securityunion.documents.services import document_export


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_render_pdf_returns_a_pdf_containing_the_title(db):
    pdf = render_pdf("pdf/casework/case_file.html", {"object": "Case RPT-2026-000042"})
    assert pdf.startswith(b"%PDF")
    assert "RPT-2026-000042" in _text(pdf)


def test_the_pdf_carries_the_sensitivity_marking_and_page_numbers(db, settings):
    settings.SENSITIVITY_MARKING = "TEST MARKING"
    text = _text(render_pdf("pdf/casework/case_file.html", {"object": "X"}))
    assert "TEST MARKING" in text
    assert "Page 2 of 2" in text


def test_the_fetcher_refuses_an_external_url():
    with pytest.raises(FetchRefused):
        StaticOnlyURLFetcher().fetch("https://example.com/logo.png")


def test_the_fetcher_refuses_a_local_file_url():
    with pytest.raises((FetchRefused, ValueError)):
        StaticOnlyURLFetcher().fetch("file:///etc/passwd")


def test_the_fetcher_refuses_path_traversal():
    with pytest.raises(FetchRefused):
        StaticOnlyURLFetcher().fetch(BASE_URL + "static/../securityunion/settings.py")


def test_the_fetcher_serves_the_projects_static_files():
    response = StaticOnlyURLFetcher().fetch(BASE_URL + "static/css/pdf.css")
    assert b"@page" in response.read()


def test_an_export_is_audited_with_the_documents_sha256(focal_point_fr):
    import hashlib

    pdf, digest = document_export(
        actor=focal_point_fr,
        template_name="pdf/casework/case_file.html",
        context={"object": "Case"},
        target=focal_point_fr,
        document="test",
    )
    event = AuditEvent.objects.get(verb="export")
    assert digest == hashlib.sha256(pdf).hexdigest() == event.data["sha256"]


def test_the_chart_is_svg_without_script():
    svg = str(bar_chart_svg(title="Seizures", data={"FR": 3, "DE": 5}))
    assert svg.lstrip().startswith("<svg") and "<script" not in svg
    assert "Seizures" in svg


@pytest.mark.parametrize(
    "value",
    [
        "=cmd()",
        "+1",
        "-2",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
        'harmless;=HYPERLINK("http://x")',
        "harmless,=1+1",
        "a; b;=cmd|' /C calc'!A0",
    ],
)
def test_csv_cells_cannot_become_formulas(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Jane Doe", "RPT-2026-000001", "a = b", "1;2", "x,y", ""])
def test_csv_cells_without_a_formula_are_unchanged(value):
    assert safe_cell(value) == value


def test_a_csv_export_neutralises_formulas_in_every_column():
    from securityunion.documents.csv import csv_rows

    text = "".join(csv_rows(["=head"], [["ok;=cmd()", 3]]))
    assert text.splitlines() == ["'=head", "'ok;=cmd(),3"]
