"""python manage.py export_einvoices --seller NB-0001 --from 01/11/2026 --to 30/11/2026 [--output f.zip] [--with-pdf]"""
import datetime

from django.core.management.base import BaseCommand, CommandError

from invoicing.exports import export_filename, invoices_export_zip
from vendors.models import Vendor


def _date(value):
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(f"{value!r}: dates are dd/mm/yyyy") from exc


class Command(BaseCommand):
    help = "Export a seller's e-invoices of a period as a ZIP: one XML per invoice, CSV/XLSX summary, manifest."

    def add_arguments(self, parser):
        parser.add_argument("--seller", required=True, help="seller code, e.g. NB-0001")
        parser.add_argument("--from", dest="date_from", required=True, help="first invoice date, dd/mm/yyyy")
        parser.add_argument("--to", dest="date_to", required=True, help="last invoice date, dd/mm/yyyy")
        parser.add_argument("--output", help="ZIP path (default hoadon_{MST}_{from}_{to}.zip)")
        parser.add_argument("--with-pdf", action="store_true", help="also render pdf/{file}.pdf (slower)")

    def handle(self, *args, seller, date_from, date_to, output=None, with_pdf=False, **options):
        vendor = Vendor.objects.filter(code=seller).first()
        if vendor is None:
            raise CommandError(f"No seller with code {seller}")
        start, end = _date(date_from), _date(date_to)
        if start > end:
            raise CommandError("--from is after --to")
        output = output or export_filename(vendor=vendor, date_from=start, date_to=end)
        with open(output, "wb") as fileobj:
            manifest = invoices_export_zip(vendor=vendor, date_from=start, date_to=end, fileobj=fileobj,
                                           with_pdf=with_pdf)
        self.stdout.write(f"{manifest['counts']['invoices']} invoices → {output}")
