import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from payments.sandbox import ipn
from payments.sandbox.models import SandboxIpnDelivery


class Command(BaseCommand):
    help = "Call the merchant's IPN URL again for every pending sandbox delivery that is due (for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--wait", action="store_true",
                            help="Keep going (sleeping between retries) until no delivery is pending.")

    def handle(self, *args, wait=False, **options):
        total = ipn.deliver_due()
        while wait:
            pending = SandboxIpnDelivery.objects.filter(status=SandboxIpnDelivery.PENDING).order_by("next_attempt_at")
            first = pending.first()
            if first is None:
                break
            time.sleep(max(0.0, (first.next_attempt_at - timezone.now()).total_seconds()))
            total += ipn.deliver_due()
        pending = SandboxIpnDelivery.objects.filter(status=SandboxIpnDelivery.PENDING).count()
        self.stdout.write(f"{total} IPN call(s) made, {pending} delivery(ies) still pending.")
