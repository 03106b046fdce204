"""Celery tasks (beat schedules send_pending every 5 minutes and check_deadlines hourly; eager without Redis)."""
from celery import shared_task


@shared_task(bind=True, name="invoicing.send_invoice", max_retries=6)
def send_invoice(self, invoice_id):
    """Send one issued invoice; retried with backoff on timeouts (eager runs leave it to send_pending)."""
    from .transmission import TransmissionPending, invoice_send_to_provider, retry_delay

    try:
        return invoice_send_to_provider(invoice_id=invoice_id).provider_status
    except TransmissionPending as exc:
        if self.request.is_eager or not exc.retry:
            return "pending"
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries + 1).total_seconds()) from None


@shared_task(name="invoicing.send_pending")
def send_pending():
    from .transmission import invoices_send_pending

    return invoices_send_pending()


@shared_task(name="invoicing.check_deadlines")
def check_deadlines():
    from .deadlines import invoices_check_deadlines

    return invoices_check_deadlines()
