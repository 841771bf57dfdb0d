from celery import shared_task

from .services import audit_seal


@shared_task(name="securityunion.audit.tasks.seal_audit_log")
def seal_audit_log() -> int | None:
    seal = audit_seal()
    return seal.pk if seal else None
