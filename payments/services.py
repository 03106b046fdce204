"""Payment use cases: start a VNPay payment, take its IPN, expire the unpaid, refund.

Every state change writes a ``PaymentEvent`` and moves the order through Oscar's ``set_status`` (which
records an ``OrderStatusChange``), so the money trail can be replayed. Money is integer đồng.
"""
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from oscar.core.loading import get_model

from marketplace import served
from marketplace.money import to_dong
from marketplace.order import statuses
from marketplace.order.emails import order_confirmation_send
from vendors.ledger import ledger_post_refund
from vendors.services import fulfilments_cancel_unpaid, fulfilments_release

from .gateway import vnpay_client
from .models import Payment, PaymentEvent, Refund
from .vnpay import APIConnectionError, APIError, SignatureVerificationError, VNPayError

logger = logging.getLogger(__name__)
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

#: VNPay's IPN answers (spec §4.3).
IPN_OK = ("00", "Confirm Success")
IPN_ALREADY = ("02", "Order already confirmed")
IPN_NOT_FOUND = ("01", "Order not found")
IPN_BAD_AMOUNT = ("04", "invalid amount")
IPN_BAD_SIGNATURE = ("97", "Invalid signature")
IPN_ERROR = ("99", "Unknown error")


def _event(payment, kind, *, from_status="", amount=0, data=None, actor=None):
    return PaymentEvent.objects.create(payment=payment, kind=kind, from_status=from_status,
                                       to_status=payment.status, amount=amount, data=data or {}, actor=actor)


def _source(payment):
    name = "VNPay" if payment.method == Payment.VNPAY else "Cash on delivery"
    source_type, _ = SourceType.objects.get_or_create(name=name)
    source, _ = Source.objects.get_or_create(order=payment.order, source_type=source_type,
                                             defaults={"currency": "VND", "reference": payment.txn_ref})
    return source


@transaction.atomic
def payment_create_for_order(*, order, method):
    """Record how a freshly placed order will be paid; cash on delivery releases it to the sellers now.

    The amount is the sum of the sellers' stored parts (goods after offers + shipping, whole đồng).
    """
    amount = sum(f.total for f in order.fulfilments.all()) or to_dong(order.total_incl_tax)
    if method == Payment.COD:
        payment = Payment.objects.create(order=order, method=method, status=Payment.COD_PENDING, amount=amount,
                                         txn_ref=str(order.number))
        fulfilments_release(order=order)
    else:
        expiry = datetime.timedelta(minutes=settings.VNPAY_PAYMENT_EXPIRY_MINUTES)
        payment = Payment.objects.create(order=order, method=method, status=Payment.PENDING, amount=amount,
                                         txn_ref=str(order.number), expires_at=timezone.now() + expiry)
    _event(payment, PaymentEvent.CREATED, amount=amount)
    return payment


def payment_start_vnpay(*, payment, ip_addr, return_url, locale="vn"):
    """The signed VNPay URL the shopper's browser is sent to."""
    intent = vnpay_client(browser_origin=served.origin(return_url)).payment_intents.create(
        amount=payment.amount, txn_ref=payment.txn_ref, order_info=f"Thanh toan don hang {payment.order.number}",
        return_url=return_url, ip_addr=ip_addr or "127.0.0.1", locale=locale, order_type="100000",
        created_at=timezone.now(), expires_at=payment.expires_at,
    )
    Payment.objects.filter(pk=payment.pk).update(gateway_create_date=intent.create_date)
    return intent.url


def _gateway_data(source):
    keys = ("response_code", "transaction_status", "transaction_no", "bank_code", "bank_tran_no", "card_type")
    data = {k: getattr(source, k, "") or "" for k in keys}
    pay_date = getattr(source, "pay_date", None)
    data["pay_date"] = pay_date.isoformat() if pay_date else ""
    return data


def _record_gateway_fields(payment, source):
    payment.transaction_no = source.transaction_no or ""
    payment.bank_code = source.bank_code or ""
    payment.bank_tran_no = getattr(source, "bank_tran_no", "") or ""
    payment.card_type = getattr(source, "card_type", "") or ""
    payment.response_code = getattr(source, "response_code", "") or ""
    payment.transaction_status = source.transaction_status or ""


def _settle(payment, source, *, kind, paid):
    """Apply a verified outcome to a locked, still pending payment and to its order."""
    previous = payment.status
    _record_gateway_fields(payment, source)
    order = payment.order
    if paid:
        payment.status = Payment.PAID
        payment.paid_at = getattr(source, "pay_date", None) or timezone.now()
        payment.save()
        _source(payment).debit(payment.amount, reference=payment.transaction_no, status="Success")
        order.set_status(statuses.PAID)
        fulfilments_release(order=order)
        transaction.on_commit(lambda: order_confirmation_send(order))
    else:
        payment.status = Payment.FAILED if kind == PaymentEvent.IPN else Payment.EXPIRED
        payment.save()
        fulfilments_cancel_unpaid(order=order, reason=f"payment {payment.get_status_display()}")
        order.set_status(statuses.CANCELLED)
    _event(payment, kind, from_status=previous, amount=payment.amount if paid else 0, data=_gateway_data(source))


def payment_handle_ipn(*, params):
    """Handle a VNPay IPN; returns ``(RspCode, Message)``. Idempotent: a repeat changes nothing (02)."""
    try:
        event = vnpay_client().webhooks.construct_event(params)
    except SignatureVerificationError as exc:
        logger.warning("VNPay IPN refused: %s", exc)  # nothing is recorded for an unsigned request
        return IPN_BAD_SIGNATURE
    except VNPayError as exc:
        logger.warning("VNPay IPN malformed: %s", exc)
        return IPN_ERROR
    try:
        with transaction.atomic():
            payment = (Payment.objects.select_for_update().select_related("order")
                       .filter(method=Payment.VNPAY, txn_ref=event.txn_ref).first())
            if payment is None:
                return IPN_NOT_FOUND
            if event.amount != payment.amount:
                logger.warning("VNPay IPN for %s: amount %s, expected %s", event.txn_ref, event.amount, payment.amount)
                return IPN_BAD_AMOUNT
            if payment.status != Payment.PENDING:
                return IPN_ALREADY
            _settle(payment, event, kind=PaymentEvent.IPN, paid=event.paid)
            return IPN_OK
    except Exception:
        logger.exception("VNPay IPN for %s failed", event.txn_ref)
        return IPN_ERROR


def payments_reconcile(*, now=None, grace_minutes=None):
    """Settle VNPay payments still pending after their deadline: ask querydr, then mark paid or expire.

    ``grace_minutes`` (settings.VNPAY_RECONCILE_GRACE_MINUTES) lets a payment VNPay was finishing at the
    deadline arrive first; run every minute, an expired order's stock goes back within a few minutes.

    A payment VNPay says is paid is confirmed (a lost IPN); anything else expires and its stock goes
    back. When VNPay cannot be reached the payment stays pending for the next run.
    """
    now = now or timezone.now()
    if grace_minutes is None:
        grace_minutes = settings.VNPAY_RECONCILE_GRACE_MINUTES
    deadline = now - datetime.timedelta(minutes=grace_minutes)
    summary = {"paid": 0, "expired": 0, "unreachable": 0}
    client = vnpay_client()
    due = Payment.objects.filter(method=Payment.VNPAY, status=Payment.PENDING, expires_at__lte=deadline)
    for payment_id in due.values_list("pk", flat=True):
        payment = Payment.objects.get(pk=payment_id)
        try:
            result = client.payment_intents.retrieve(txn_ref=payment.txn_ref,
                                                     transaction_date=payment.gateway_create_date or None)
            paid = result.transaction_status == "00" and result.amount == payment.amount
        except APIConnectionError:
            summary["unreachable"] += 1
            continue
        except APIError as exc:  # e.g. 91: VNPay never saw the transaction (shopper never paid)
            logger.info("querydr %s: %s", payment.txn_ref, exc)
            result, paid = None, False
        with transaction.atomic():
            payment = Payment.objects.select_for_update().select_related("order").get(pk=payment_id)
            if payment.status != Payment.PENDING:
                continue
            _settle(payment, result or _NoAnswer(), kind=PaymentEvent.QUERYDR if paid else PaymentEvent.EXPIRED,
                    paid=paid)
        summary["paid" if paid else "expired"] += 1
    return summary


class _NoAnswer:
    """querydr found nothing: an expiry with no gateway data."""

    transaction_no = bank_code = transaction_status = response_code = ""
    pay_date = None


class RefundRefused(ValueError):
    """Why a refund cannot be made: English in ``str()`` for logs and commands, the page's language in
    ``translated()`` for the seller or the department who asked for it."""

    def __init__(self, text, *, money=(), **params):
        # Amounts named in ``money`` read "95.000 ₫" in every language, never a bare number.
        from marketplace.templatetags.ocop import format_vnd

        self.text = text
        self.params = {k: format_vnd(v) if k in money else v for k, v in params.items()}
        super().__init__(text % self.params)

    def translated(self):
        return gettext(self.text) % self.params


def refund_create(*, payment, amount, actor, reason, fulfilment=None, line=None):
    """Give back ``amount`` đồng of a paid order: through VNPay's refund API, or recorded for COD.

    No database transaction stays open during the call to VNPay: the amount is first reserved on the
    payment under a row lock (so two refunds can never exceed what was paid), then VNPay is called,
    then the outcome is recorded; a refused refund gives the reservation back.
    """
    if not isinstance(amount, int) or amount <= 0:
        raise RefundRefused(gettext_noop("A refund must be a positive whole number of đồng."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if amount > payment.refundable:
            raise RefundRefused(
                gettext_noop("At most %(most)s can still be refunded."), money=("most",), most=payment.refundable
            )
        full = payment.method == Payment.VNPAY and amount == payment.amount and payment.amount_refunded == 0
        payment.amount_refunded += amount
        payment.save(update_fields=["amount_refunded", "updated"])
        refund = Refund.objects.create(payment=payment, fulfilment=fulfilment, line=line, amount=amount,
                                       status=Refund.PENDING, reason=reason, actor=actor)
    if payment.method == Payment.VNPAY:
        try:
            result = vnpay_client().refunds.create(
                txn_ref=payment.txn_ref, amount=amount, transaction_date=payment.gateway_create_date,
                transaction_no=payment.transaction_no, full=full, created_by=_created_by(actor),
            )
        except VNPayError as exc:
            return _refund_failed(refund, exc, actor)
        refund.request_id, refund.transaction_no = result.request_id, result.transaction_no or ""
        refund.message = (result.message or "")[:255]
    with transaction.atomic():
        refund.status = Refund.SUCCEEDED
        refund.save()
        ledger_post_refund(refund=refund, cash_on_delivery=payment.method == Payment.COD)
        from invoicing.services import invoice_adjust_for_refund

        transaction.on_commit(lambda: invoice_adjust_for_refund(refund=refund, actor=actor))
        _source(payment).refund(amount, reference=refund.transaction_no or f"refund-{refund.pk}", status="Success")
        payment.refresh_from_db()
        _event(payment, PaymentEvent.REFUND, from_status=payment.status, amount=-amount, actor=actor,
               data={"refund": refund.pk, "reason": reason, "transaction_no": refund.transaction_no})
    return refund


def _refund_failed(refund, exc, actor):
    """VNPay refused or could not be reached: the reserved amount is available again."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
        payment.amount_refunded -= refund.amount
        payment.save(update_fields=["amount_refunded", "updated"])
        refund.status = Refund.FAILED
        refund.message = str(exc)[:255]
        refund.request_id = getattr(exc, "request_id", "") or ""
        refund.save()
        _event(payment, PaymentEvent.REFUND, from_status=payment.status, actor=actor,
               data={"refund": refund.pk, "error": refund.message, "code": getattr(exc, "code", "") or ""})
    logger.warning("Refund %s of payment %s failed: %s", refund.pk, payment.txn_ref, exc)
    return refund


def _created_by(actor):
    if actor is None:
        return "system"
    return (actor.get_username() or f"user{actor.pk}")[:64]


def payment_follow_fulfilment(*, fulfilment, actor=None, reason=""):
    """Money consequences of a seller's part changing status.

    Cash on delivery: a delivered parcel means its cash was collected; once every part is delivered or
    cancelled the payment is complete. VNPay: cancelling a part of a paid order refunds that part
    (its items and its shipping fee) through VNPay's refund API.
    """
    from vendors.models import Fulfilment

    payment = Payment.objects.filter(order_id=fulfilment.order_id).order_by("-pk").first()
    if payment is None:
        return None
    if payment.method == Payment.COD and fulfilment.status in (Fulfilment.DELIVERED, Fulfilment.CANCELLED):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            previous = payment.status
            collected = fulfilment.total if fulfilment.status == Fulfilment.DELIVERED else 0
            if collected:
                _source(payment).debit(collected, reference=fulfilment.number, status="Success")
            parts = list(fulfilment.order.fulfilments.values_list("status", flat=True))
            if all(s in (Fulfilment.DELIVERED, Fulfilment.CANCELLED) for s in parts):
                payment.status = (Payment.COD_COLLECTED if Fulfilment.DELIVERED in parts
                                  else Payment.COD_CANCELLED)
                payment.save(update_fields=["status", "updated"])
            if collected or payment.status != previous:
                _event(payment, PaymentEvent.COLLECTED, from_status=previous, amount=collected, actor=actor,
                       data={"fulfilment": fulfilment.number, "fulfilment_status": fulfilment.status})
        return payment
    if payment.method == Payment.VNPAY and fulfilment.status == Fulfilment.CANCELLED and payment.status == Payment.PAID:
        amount = min(fulfilment.total, payment.refundable)
        if amount > 0:
            # After the cancellation is committed: no lock is held while VNPay answers.
            transaction.on_commit(lambda: refund_create(
                payment=payment, amount=amount, actor=actor, fulfilment=fulfilment,
                reason=reason or f"fulfilment {fulfilment.number} cancelled"))
    return None


def refund_line(*, line, quantity, actor, reason):
    """Refund ``quantity`` items of an order line at the price paid for them (never more than was bought).

    The line's paid amount (whole đồng, after offers) is shared over its items on the running total:
    items 1..k are worth round_half_up(paid × k ÷ n), so refunding a line item by item gives back
    exactly what was paid for it.
    """
    from django.db.models import Sum

    from marketplace.money import share
    from vendors.amounts import fulfilment_lines

    if quantity < 1 or quantity > line.quantity:
        raise RefundRefused(gettext_noop("The quantity must be between 1 and %(most)s."), most=line.quantity)
    fulfilment = line.order.fulfilments.filter(vendor__partner_id=line.partner_id).first()
    paid = next((pl.paid for pl in fulfilment_lines(fulfilment) if pl.line.pk == line.pk), None) if fulfilment else None
    if paid is None:
        paid = to_dong(line.line_price_incl_tax)
    already = line.refunds.filter(status__in=[Refund.SUCCEEDED, Refund.PENDING]).aggregate(s=Sum("amount"))["s"] or 0
    done = max((k for k in range(line.quantity + 1) if share(paid, k, line.quantity) <= already), default=0)
    target = share(paid, min(line.quantity, done + quantity), line.quantity)
    amount = min(target, paid) - already
    if amount <= 0:
        raise RefundRefused(gettext_noop("This line has already been refunded."))
    payment = Payment.objects.filter(order_id=line.order_id).order_by("-pk").first()
    if payment is None or payment.status not in (Payment.PAID, Payment.COD_PENDING, Payment.COD_COLLECTED):
        raise RefundRefused(gettext_noop("Only a paid order can be refunded."))
    if payment.method == Payment.COD and (fulfilment is None or fulfilment.status != fulfilment.DELIVERED):
        # No cash was collected for a parcel not yet delivered: there is nothing to give back.
        raise RefundRefused(gettext_noop("This parcel is paid in cash on delivery and has not been delivered, so no "
                                         "money was collected: cancel the parcel instead of refunding it."))
    return refund_create(payment=payment, amount=amount, actor=actor, reason=reason, fulfilment=fulfilment, line=line)
