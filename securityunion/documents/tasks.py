from celery import shared_task

from .services import case_file_render, case_files_purge


@shared_task(name="securityunion.documents.tasks.render_case_file")
def render_case_file(export_id: str) -> str:
    return case_file_render(export_id=export_id)


@shared_task(name="securityunion.documents.tasks.purge_case_files")
def purge_case_files() -> dict[str, int]:
    result = case_files_purge()
    return {"timed_out": result.timed_out, "deleted": result.deleted}
