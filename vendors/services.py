"""Writes for sellers' order parts (fulfilments). Views, commands and tasks all call these."""
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.money import to_dong
from marketplace.order import statuses
from marketplace.order.stock import stock_consume, stock_release, stock_restock

from .amounts import order_parts
from .ledger import ledger_post_delivery
from .models import Fulfilment, FulfilmentEvent, Vendor

logger = logging.getLogger(__name__)


@transaction.atomic
def fulfilments_create_for_order(*, order, fees=None):
    """Split a freshly placed order into one fulfilment per seller, its amounts stored once (whole đồng).

    The parts add up to what the order charges: Σ (goods after offers + shipping) == the order total.
    ``fees``: {vendor pk: fee} the checkout quoted for the delivery address (carriers/).
    """
    partners = set(order.lines.values_list("partner_id", flat=True))
    missing = partners - set(Vendor.objects.filter(partner_id__in=partners).values_list("partner_id", flat=True))
    if missing:
        raise ValidationError(f"Order {order.number}: partner {sorted(missing)[0]} has no seller profile")
    created = []
    for index, part in enumerate(order_parts(order, fees), start=1):
        fulfilment = Fulfilment.objects.create(
            order=order, vendor=part.vendor, number=f"{order.number}-{index}", items_total=part.items_total,
            discount_total=part.discount_total, shipping_fee=part.shipping_fee,
        )
        FulfilmentEvent.objects.create(fulfilment=fulfilment, to_status=Fulfilment.NEW, reason="order placed")
        created.append(fulfilment)
    charged = to_dong(order.total_incl_tax)
    if sum(f.total for f in created) != charged:  # e.g. an Oscar surcharge: the parts are what is paid
        logger.error("Order %s: parts add up to %s đồng, the order says %s", order.number,
                     sum(f.total for f in created), charged)
    return created


@transaction.atomic
def fulfilment_set_status(*, fulfilment, status, actor=None, reason="", tracking_code="", carrier="",
                          returned=False, cash_with_carrier=False):
    """Move a fulfilment along new → confirmed → shipped → delivered (or cancelled), with its side effects.

    Shipping consumes the reserved stock; cancelling releases it. A shipped part is cancelled only when its
    carrier brought it back (``returned``): its goods go back on the shelf. The order follows: when every part
    is delivered or cancelled, the order is completed (or cancelled if nothing was delivered).
    ``cash_with_carrier``: a delivered cash-on-delivery part whose cash the marketplace's carrier collected.
    """
    fulfilment = Fulfilment.objects.select_for_update().select_related("order").get(pk=fulfilment.pk)
    order = fulfilment.order
    if not fulfilment.is_released or (status != Fulfilment.CANCELLED and order.status not in statuses.ACTIONABLE):
        raise ValidationError(_("This order is not paid yet; it cannot be processed."))
    if not fulfilment.can_move_to(status):
        raise ValidationError(
            _("A fulfilment that is “%(current)s” cannot become “%(target)s”.")
            % {"current": fulfilment.get_status_display(), "target": dict(Fulfilment.STATUS_CHOICES)[status]}
        )
    if status == Fulfilment.SHIPPED and not tracking_code:
        raise ValidationError(_("A tracking code is required to mark a parcel as shipped."))
    previous = fulfilment.status
    if previous == Fulfilment.SHIPPED and status == Fulfilment.CANCELLED and not returned:
        raise ValidationError(_("A parcel already with the carrier can only be cancelled once it comes back."))
    for line in fulfilment.lines():
        if line.stockrecord_id is None:
            continue
        if status == Fulfilment.SHIPPED:
            stock_consume(stockrecord_id=line.stockrecord_id, quantity=line.quantity)
        elif status == Fulfilment.CANCELLED and previous == Fulfilment.SHIPPED:
            stock_restock(stockrecord_id=line.stockrecord_id, quantity=line.quantity)
        elif status == Fulfilment.CANCELLED:
            stock_release(stockrecord_id=line.stockrecord_id, quantity=line.quantity)
    fulfilment.status = status
    if tracking_code:
        fulfilment.tracking_code = tracking_code
    if carrier:
        fulfilment.carrier = carrier
    fulfilment.save()
    FulfilmentEvent.objects.create(fulfilment=fulfilment, from_status=previous, to_status=status, actor=actor,
                                   reason=reason)
    from payments.services import payment_follow_fulfilment  # payments builds on vendors, not the reverse

    payment_follow_fulfilment(fulfilment=fulfilment, actor=actor, reason=reason)
    from invoicing.services import invoice_follow_fulfilment

    # After commit: a seller whose invoicing is not set up can never block a delivery.
    transaction.on_commit(lambda: invoice_follow_fulfilment(fulfilment=fulfilment, actor=actor))
    if status == Fulfilment.DELIVERED:
        from payments.models import Payment

        cod = Payment.objects.filter(order_id=order.pk, method=Payment.COD).exists()
        ledger_post_delivery(fulfilment=fulfilment, cash_on_delivery=cod, cash_with_carrier=cash_with_carrier)
    _follow_order(order, actor=actor)
    return fulfilment


@transaction.atomic
def fulfilments_release(*, order):
    """The order can be processed (paid, or cash on delivery): sellers now see their parts."""
    return Fulfilment.objects.filter(order=order, is_released=False).update(is_released=True)


@transaction.atomic
def fulfilments_cancel_unpaid(*, order, reason):
    """Payment failed or expired: cancel every part and give the reserved stock back."""
    for fulfilment in Fulfilment.objects.select_for_update().filter(order=order).exclude(status=Fulfilment.CANCELLED):
        previous = fulfilment.status
        for line in fulfilment.lines():
            if line.stockrecord_id is not None:
                stock_release(stockrecord_id=line.stockrecord_id, quantity=line.quantity)
        fulfilment.status = Fulfilment.CANCELLED
        fulfilment.save(update_fields=["status", "updated"])
        FulfilmentEvent.objects.create(fulfilment=fulfilment, from_status=previous, to_status=Fulfilment.CANCELLED,
                                       reason=reason)


def _follow_order(order, *, actor=None):
    parts = list(order.fulfilments.values_list("status", flat=True))
    if not parts or any(s not in (Fulfilment.DELIVERED, Fulfilment.CANCELLED) for s in parts):
        return
    target = statuses.COMPLETED if Fulfilment.DELIVERED in parts else statuses.CANCELLED
    if order.status != target and target in order.available_statuses():
        order.set_status(target)
