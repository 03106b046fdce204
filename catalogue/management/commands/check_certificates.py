from django.core.management.base import BaseCommand

from catalogue.certificates import EXPIRY_WARNING_DAYS, certificates_daily


class Command(BaseCommand):
    help = (f"Daily (cron or Celery beat): mark expired OCOP certificates (their badge is hidden) and e-mail "
            f"sellers whose certificate expires within {EXPIRY_WARNING_DAYS} days.")

    def handle(self, *args, **options):
        result = certificates_daily()
        self.stdout.write(self.style.SUCCESS(
            f"Certificates: {result['expired']} marked expired, {result['warned']} sellers warned."))
