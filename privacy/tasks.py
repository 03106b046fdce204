from celery import shared_task

from .services import retention_apply


@shared_task(name="privacy.apply_retention")
def apply_retention():
    return retention_apply()
