import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from vendors.ledger import payout_record
from vendors.models import Vendor


class Command(BaseCommand):
    help = "Record a payout the department transferred to a seller (it reduces what the marketplace owes)."

    def add_arguments(self, parser):
        parser.add_argument("seller", help="seller code, e.g. NB-0001")
        parser.add_argument("amount", type=int, help="amount in đồng")
        parser.add_argument("--reference", required=True, help="bank transfer reference")
        parser.add_argument("--date", help="dd/mm/yyyy (default: today)")

    def handle(self, *args, **options):
        vendor = Vendor.objects.filter(code=options["seller"]).first()
        if vendor is None:
            raise CommandError(f"No seller {options['seller']}")
        try:
            paid_on = (datetime.datetime.strptime(options["date"], "%d/%m/%Y").date() if options["date"]
                       else timezone.localdate())
        except ValueError:
            raise CommandError("--date must be dd/mm/yyyy")
        try:
            payout = payout_record(vendor=vendor, amount=options["amount"], reference=options["reference"],
                                   paid_on=paid_on)
        except ValueError as exc:
            with translation.override("en"):  # commands speak English; the department's page speaks Vietnamese
                raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(f"Recorded payout of {payout.amount} đồng to {vendor.code}."))
