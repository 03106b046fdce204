"""The order confirmation e-mail, sent when an order can be processed (COD placed, or VNPay paid)."""
import logging

from django.urls import reverse
from oscar.core.loading import get_class

from marketplace.public_url import sync_site

OrderDispatcher = get_class("order.utils", "OrderDispatcher")
logger = logging.getLogger(__name__)


def order_confirmation_context(order, user=None):
    if order.user_id:
        path = reverse("customer:order", kwargs={"order_number": order.number})
    else:
        path = reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})
    return {"user": user or order.user, "order": order, "lines": order.lines.all(), "status_path": path}


def order_confirmation_send(order):
    if not order.email:  # a guest may leave the e-mail out: the phone number is what the order needs
        logger.info("Order %s: no e-mail address, no confirmation e-mail", order.number)
        return
    sync_site()  # often sent outside the shopper's request (VNPay's IPN, a task): links on the public address
    OrderDispatcher(logger=logger).send_order_placed_email_for_user(order, order_confirmation_context(order))
