from django import template

from marketplace.order import statuses
from vendors.models import Fulfilment

register = template.Library()

PROGRESS = [(Fulfilment.NEW, Fulfilment.NEW), (Fulfilment.CONFIRMED, Fulfilment.CONFIRMED),
            (Fulfilment.SHIPPED, Fulfilment.SHIPPED), (Fulfilment.DELIVERED, Fulfilment.DELIVERED)]


@register.simple_tag
def order_parts(order):
    """The shopper's view of an order: each seller's part with its progress, and the payment."""
    labels = dict(Fulfilment.STATUS_CHOICES)
    steps = [s for s, _ in PROGRESS]
    parts = list(order.fulfilments.select_related("vendor__partner").order_by("number"))
    lines = list(order.lines.all())
    for part in parts:
        part.line_list = [line for line in lines if line.partner_id == part.vendor.partner_id]
        part.progress = [(s, labels[s]) for s in steps] if part.status != Fulfilment.CANCELLED else [
            (Fulfilment.CANCELLED, labels[Fulfilment.CANCELLED])]
        reached = steps[: steps.index(part.status) + 1] if part.status in steps else [Fulfilment.CANCELLED]
        part.reached = reached
    from invoicing.selectors import invoices_for_order

    invoices = {}
    for invoice in invoices_for_order(order=order):
        invoices.setdefault(invoice.fulfilment_id, []).append(invoice)
    for part in parts:
        part.invoice_list = invoices.get(part.pk, [])
    from carriers.selectors import shipments_for_parts

    shipments = shipments_for_parts(parts)
    for part in parts:
        part.shipment_info = shipments.get(part.pk)
    payment = order.payments.order_by("-pk").first() if hasattr(order, "payments") else None
    return {"fulfilments": parts, "payment": payment, "hash": order.verification_hash(),
            "anonymous": order.user_id is None,
            "status_label": statuses.LABELS.get(order.status, order.status)}
