"""Shipping labels as a PDF (WeasyPrint, already used for invoices): A6 labels, or four to an A4 sheet.

The carriers print their own labels from their dashboards; the marketplace prints the same facts (carrier,
tracking number with a Code 128 barcode, sort code, sender, receiver, cash to collect, contents) so a household
seller prints a morning's batch at once.
"""
from django.template.loader import render_to_string

from invoicing.pdf import FONT_DIR

from .barcode import code128_svg


def labels_pdf(shipments, *, size="a6"):
    from weasyprint import HTML

    labels = []
    for shipment in shipments:
        fulfilment = shipment.fulfilment
        labels.append({"shipment": shipment, "fulfilment": fulfilment, "address": fulfilment.order.shipping_address,
                       "vendor": fulfilment.vendor, "barcode": code128_svg(shipment.tracking_code),
                       "lines": list(fulfilment.lines())})
    html = render_to_string("carriers/labels.html", {"labels": labels, "size": size, "font_dir": FONT_DIR})
    return HTML(string=html, base_url=FONT_DIR).write_pdf()
