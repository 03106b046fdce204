from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from payments.models import Payment, Refund
from payments.services import refund_create, refund_line

Order = get_model("order", "Order")


class Command(BaseCommand):
    help = ("Refund part of a paid order (the department's tool): a whole seller's part (--fulfilment), some items "
            "of a line (--line, --quantity) or an amount in đồng (--amount). VNPay payments are refunded through "
            "VNPay's API; cash-on-delivery refunds are recorded.")

    def add_arguments(self, parser):
        parser.add_argument("order", help="order number")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--fulfilment", help="fulfilment number, e.g. 100123-2")
        parser.add_argument("--line", type=int, help="order line id")
        parser.add_argument("--quantity", type=int, default=1)
        parser.add_argument("--amount", type=int, help="amount in đồng")

    def handle(self, *args, **options):
        order = Order.objects.filter(number=options["order"]).first()
        if order is None:
            raise CommandError(f"No order {options['order']}")
        payment = order.payments.order_by("-pk").first()
        if payment is None:
            raise CommandError(f"Order {order.number} has no payment")
        try:
            if options["line"]:
                line = order.lines.filter(pk=options["line"]).first()
                if line is None:
                    raise CommandError(f"Order {order.number} has no line {options['line']}")
                refund = refund_line(line=line, quantity=options["quantity"], actor=None, reason=options["reason"])
            elif options["fulfilment"]:
                part = order.fulfilments.filter(number=options["fulfilment"]).first()
                if part is None:
                    raise CommandError(f"Order {order.number} has no part {options['fulfilment']}")
                amount = part.total if payment.method == Payment.COD else min(part.total, payment.refundable)
                refund = refund_create(payment=payment, amount=amount, actor=None, reason=options["reason"],
                                       fulfilment=part)
            elif options["amount"]:
                refund = refund_create(payment=payment, amount=options["amount"], actor=None, reason=options["reason"])
            else:
                raise CommandError("Give --fulfilment, --line or --amount")
        except ValueError as exc:
            raise CommandError(str(exc))
        if refund.status != Refund.SUCCEEDED:
            raise CommandError(f"Refund of {refund.amount} đồng failed: {refund.message}")
        self.stdout.write(self.style.SUCCESS(
            f"Refunded {refund.amount} đồng of order {order.number} ({payment.get_method_display()}); "
            f"{payment.__class__.objects.get(pk=payment.pk).refundable} đồng still refundable."))
