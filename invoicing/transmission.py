"""Sending issued invoices to the e-invoice provider / tax authority and recording the answer (spec §0.4).

Why it looks like this:

* Sending happens **after** the issuing transaction commits (a rolled-back invoice must never reach the tax
  authority), through the Celery task ``invoicing.send_invoice``; ``invoicing.send_pending`` (every 5 minutes)
  picks up whatever is still pending, e.g. after the provider was down.
* No transaction is held while waiting for the provider: the answer is recorded in a short transaction
  that locks the invoice row.
* One invoice, one idempotency key (``Invoice.provider_key``): resending after a timeout replays the
  provider's first answer, so no second code can be issued; an answer that arrives twice (synchronous
  reply and callback, or a duplicated callback) is recorded once — the first final answer wins, later ones
  leave no event.
* The provider's signed XML is stored byte for byte after checking it is our invoice, signed and coded.
"""
import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from marketplace import served
from marketplace.requestid import TracedSession

from .models import Invoice, InvoiceEvent
from .provider import APIConnectionError, APIError, EInvoiceProvider, ProviderError

logger = logging.getLogger("invoicing.transmission")
SENDABLE = (Invoice.ISSUED, Invoice.REPLACED)


class TransmissionPending(Exception):
    """No final answer yet; ``retry`` is False when a person must act first (bad key, conflicting key)."""

    def __init__(self, message, *, retry=True):
        super().__init__(message)
        self.retry = retry


def provider_client():
    return EInvoiceProvider(api_url=served.einvoice_provider_url(), api_key=settings.EINVOICE_PROVIDER_KEY,
                            timeout=settings.EINVOICE_PROVIDER_TIMEOUT,
                            max_retries=getattr(settings, "EINVOICE_PROVIDER_MAX_RETRIES", 1),
                            session=TracedSession())  # carries the request id (X-Correlation-ID)


def callback_url():
    """Where the provider posts its answers again (optional; the synchronous answer is enough)."""
    return getattr(settings, "EINVOICE_CALLBACK_URL", "") or None


def retry_delay(attempts):
    """Backoff between sends of one invoice: 1, 2, 4 … minutes (EINVOICE_RETRY_BASE_SECONDS), at most an hour."""
    base = getattr(settings, "EINVOICE_RETRY_BASE_SECONDS", 60)
    return datetime.timedelta(seconds=min(3600, base * 2 ** max(0, attempts - 1)))


def send_after_commit(invoice):
    """Queue the send once the issuing transaction commits (eager without Redis: right then, in-process).

    ``EINVOICE_SEND_ON_ISSUE = False`` leaves every send to the ``send_pending`` beat task instead (batch
    sending; no request ever waits for the provider).
    """
    if not getattr(settings, "EINVOICE_SEND_ON_ISSUE", True):
        return
    invoice_id = invoice.pk

    def enqueue():
        from .tasks import send_invoice

        try:
            send_invoice.delay(invoice_id)
        except Exception:  # noqa: BLE001 — a broker outage must not break a delivery; send_pending catches up
            logger.exception("Could not queue e-invoice %s for sending; send_pending will retry", invoice_id)

    transaction.on_commit(enqueue)


def _note_failure(invoice, message):
    attempts = invoice.provider_attempts + 1
    Invoice.objects.filter(pk=invoice.pk, provider_status=Invoice.PROVIDER_PENDING).update(
        provider_attempts=F("provider_attempts") + 1, provider_reason=message[:255],
        provider_next_attempt_at=timezone.now() + retry_delay(attempts))


def invoice_send_to_provider(*, invoice_id, client=None):
    """Send one pending invoice and record the answer; raises ``TransmissionPending`` when none came."""
    invoice = Invoice.objects.get(pk=invoice_id)
    if invoice.provider_status != Invoice.PROVIDER_PENDING or invoice.status not in SENDABLE:
        return invoice  # already answered (or not ours to send): sending twice changes nothing
    client = client or provider_client()
    try:
        submission = client.invoices.submit(
            xml=bytes(invoice.xml), seller_tax_code=invoice.seller_tax_code, template=invoice.template_number,
            symbol=invoice.symbol, number=invoice.number, idempotency_key=invoice.provider_key,
            data_id=invoice.data_id, callback_url=callback_url())
    except (APIConnectionError, APIError) as exc:
        _note_failure(invoice, str(exc))
        logger.warning("E-invoice %s not sent yet: %s", invoice.provider_key, exc)
        raise TransmissionPending(str(exc)) from exc
    except ProviderError as exc:
        _note_failure(invoice, str(exc))
        logger.error("E-invoice %s refused by the provider's API (%s): %s", invoice.provider_key,
                     type(exc).__name__, exc)
        raise TransmissionPending(str(exc), retry=False) from exc
    return invoice_record_provider_answer(invoice_id=invoice.pk, submission=submission)


def invoice_from_provider_key(key):
    """The invoice of an idempotency key ``{MST}-{KHMSHDon}{KHHDon}-{SHDon}`` (MST may hold a dash)."""
    try:
        tax_code, symbol, number = key.rsplit("-", 2)
        return Invoice.objects.get(seller_tax_code=tax_code, template_number=symbol[:1], symbol=symbol[1:],
                                   number=int(number))
    except (ValueError, Invoice.DoesNotExist):
        return None


def invoice_record_provider_answer(*, invoice_id, submission, actor=None):
    """Record an accepted (code + signed XML) or rejected answer once; repeats leave no trace but a log line."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        if submission.idempotency_key and submission.idempotency_key != invoice.provider_key:
            raise ValidationError("The answer is about another invoice")
        if invoice.provider_status in (Invoice.PROVIDER_ACCEPTED, Invoice.PROVIDER_REJECTED):
            same = (invoice.provider_status == submission.status
                    and invoice.tax_authority_code == submission.tax_authority_code)
            log = logger.info if same else logger.warning
            log("E-invoice %s: %s answer ignored (already %s)", invoice.provider_key,
                "repeated" if same else "second, different", invoice.provider_status)
            return invoice
        if invoice.provider_status != Invoice.PROVIDER_PENDING:
            raise ValidationError("This invoice is not waiting for the provider")
        now = timezone.now()
        if submission.accepted:
            problem = _accepted_answer_problem(invoice, submission)
            if problem:
                invoice.provider_reason = problem[:255]
                invoice.save(update_fields=["provider_reason", "updated"])
                logger.error("E-invoice %s: the provider's answer fails verification: %s", invoice.provider_key,
                             problem)
                raise TransmissionPending(problem, retry=False)
            invoice.tax_authority_code = submission.tax_authority_code
            invoice.signed_xml = submission.signed_xml
            invoice.provider_status, invoice.provider_reason = Invoice.PROVIDER_ACCEPTED, ""
            reason = (f"tax authority code {submission.tax_authority_code}" if submission.tax_authority_code
                      else "signed by the provider")
        else:
            invoice.provider_status = Invoice.PROVIDER_REJECTED
            invoice.provider_reason = f"{submission.error_code}: {submission.error_message}"[:255]
            reason = invoice.provider_reason
        invoice.provider_reference, invoice.provider_answered_at = submission.id[:64], now
        invoice.provider_next_attempt_at = None
        invoice.save(update_fields=["tax_authority_code", "signed_xml", "provider_status", "provider_reason",
                                    "provider_reference", "provider_answered_at", "provider_next_attempt_at",
                                    "updated"])
        InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.TRANSMISSION,
                                    from_status=Invoice.PROVIDER_PENDING, to_status=invoice.provider_status,
                                    actor=actor, reason=reason[:255])
    logger.info("E-invoice %s %s", invoice.provider_key, invoice.provider_status)
    return invoice


def _accepted_answer_problem(invoice, submission):
    """Why an "accepted" answer cannot be stored: its file must be our invoice, signed, with its code."""
    from .signatures import SignedInvoiceError, verify_signed_invoice  # signxml + holidays: loaded when needed

    if not submission.signed_xml:
        return "the provider returned no signed XML"
    try:
        signed = verify_signed_invoice(submission.signed_xml, seller_ids={invoice.seller_tax_code}, invoice=invoice,
                                       check_signing_window=False)
    except SignedInvoiceError as exc:
        return f"signed XML rejected: {exc.message}"
    if signed.number != invoice.number:
        return "the signed XML carries another number"
    if signed.tax_authority_code != submission.tax_authority_code:
        return "the code in the answer differs from the code in the signed XML"
    return ""


def invoices_send_pending(*, limit=200, client=None):
    """What ``invoicing.send_pending`` does: send every pending invoice that is due; returns counts."""
    now = timezone.now()
    due = (Invoice.objects.filter(provider_status=Invoice.PROVIDER_PENDING, status__in=SENDABLE)
           .filter(Q(provider_next_attempt_at__isnull=True) | Q(provider_next_attempt_at__lte=now))
           .order_by("issued_at", "pk").values_list("pk", flat=True)[:limit])
    counts = {"accepted": 0, "rejected": 0, "pending": 0}
    client = client or provider_client()
    for pk in list(due):
        try:
            invoice = invoice_send_to_provider(invoice_id=pk, client=client)
        except TransmissionPending:
            counts["pending"] += 1
            continue
        counts[invoice.provider_status if invoice.provider_status in counts else "pending"] += 1
    return counts
