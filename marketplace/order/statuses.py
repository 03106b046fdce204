"""Order statuses of the marketplace (Oscar's pipeline, see settings.OSCAR_ORDER_STATUS_PIPELINE).

The order is the shopper's view of one checkout; each seller's progress lives on its fulfilment.
"""
from django.utils.translation import gettext_lazy as _

AWAITING_PAYMENT = "Awaiting payment"  # VNPay order placed, stock reserved, waiting for the IPN
PAID = "Paid"  # VNPay confirmed the payment (IPN); sellers process their parts
CASH_ON_DELIVERY = "Cash on delivery"  # COD order placed; sellers process, cash collected on delivery
COMPLETED = "Completed"  # every part delivered or cancelled, at least one delivered
CANCELLED = "Cancelled"  # payment failed or expired, or every part cancelled; stock released

PIPELINE = {
    AWAITING_PAYMENT: (PAID, CANCELLED),
    PAID: (COMPLETED, CANCELLED),
    CASH_ON_DELIVERY: (COMPLETED, CANCELLED),
    COMPLETED: (),
    CANCELLED: (),
}
#: Orders whose parts sellers may confirm and ship.
ACTIONABLE = (PAID, CASH_ON_DELIVERY)

LABELS = {
    AWAITING_PAYMENT: _("Awaiting payment"),
    PAID: _("Paid"),
    CASH_ON_DELIVERY: _("Cash on delivery"),
    COMPLETED: _("Completed"),
    CANCELLED: _("Cancelled"),
}
