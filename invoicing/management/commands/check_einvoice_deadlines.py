"""python manage.py check_einvoice_deadlines — the R9 alert (also the hourly Celery task invoicing.check_deadlines)."""
from django.core.management.base import BaseCommand, CommandError

from invoicing.deadlines import invoices_check_deadlines


class Command(BaseCommand):
    help = ("Alert sellers and the department about delivered order parts without an issued (and, for C symbols, "
            "coded) e-invoice by the end of the next working day. Each part is alerted once.")

    def handle(self, *args, **options):
        try:
            counts = invoices_check_deadlines()
        except Exception as exc:  # noqa: BLE001 — the summary line, then a non-zero exit
            raise CommandError(f"Deadline check failed: {exc}") from exc
        self.stdout.write(f"{counts['alerted']} alerts sent ({counts['checked']} overdue candidates checked)")
