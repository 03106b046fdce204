from celery import shared_task

from .services import payments_reconcile


@shared_task(name="payments.reconcile")
def reconcile_payments():
    """Celery beat runs this every few minutes (see CELERY_BEAT_SCHEDULE); cron can call the command."""
    return payments_reconcile()
