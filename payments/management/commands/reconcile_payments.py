from django.core.management.base import BaseCommand

from payments.services import payments_reconcile


class Command(BaseCommand):
    help = ("Settle VNPay payments still pending after their deadline: ask VNPay (querydr), confirm the paid "
            "ones, cancel the others and release their stock. Run it from cron every few minutes.")

    def add_arguments(self, parser):
        parser.add_argument("--grace-minutes", type=int, default=None,
                            help="wait this long after the payment deadline before asking VNPay "
                                 "(default: VNPAY_RECONCILE_GRACE_MINUTES)")

    def handle(self, *args, **options):
        summary = payments_reconcile(grace_minutes=options["grace_minutes"])
        self.stdout.write(self.style.SUCCESS(
            f"Reconciled VNPay payments: {summary['paid']} confirmed paid, {summary['expired']} expired, "
            f"{summary['unreachable']} left pending (VNPay unreachable)."
        ))
