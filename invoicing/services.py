"""Invoice use cases: issue for a delivered fulfilment, adjust for a refund, replace, discard, record a provider's answer.

Why the rules below (spec §0.4, §1.3 R8, §2.3, §4):

* An invoice is made when the seller's part is **delivered**, whatever the payment method; ``NLap`` is
  that date in Asia/Ho_Chi_Minh. A paid-but-undelivered part has no invoice; cancelling it discards
  nothing more than a draft, and a draft consumed no number.
* Under authorisation (ủy nhiệm) the marketplace allocates ``SHDon`` from the (MST, KHMSHDon, KHHDon)
  counter row, locked in the issuing transaction: gapless and unique. For a seller with its own
  provider the invoice stays a numberless draft until the provider's number, code and signed XML are
  recorded.
* An issued invoice is never edited: a refund makes an **adjustment** invoice carrying the negative
  difference; a wrong price/quantity/rate/buyer MST makes a **replacement** invoice.
"""
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.money import to_dong

from . import conf
from .calculations import DISCOUNT, GOODS, NOTE, Item, split_gross, unit_price_for
from .models import (
    TEMPLATE_VAT, BuyerInvoiceDetails, Invoice, InvoiceEvent, InvoiceLine, InvoiceSequence, ProductVatRate,
    SellerInvoicingProfile,
)
from .words import amount_in_words

CONSUMER = "Bán cho người tiêu dùng"
PAYMENT_TRANSFER, PAYMENT_CASH, PAYMENT_MIXED = "Chuyển khoản", "Tiền mặt", "Tiền mặt/Chuyển khoản"
MAX_NUMBER = 99_999_999


def _event(invoice, *, from_status, actor=None, reason="", kind=InvoiceEvent.STATUS, to_status=None):
    InvoiceEvent.objects.create(invoice=invoice, kind=kind, from_status=from_status,
                                to_status=to_status if to_status is not None else invoice.status, actor=actor,
                                reason=reason[:255])


def profile_for(vendor):
    """The seller's invoicing profile, or None when the marketplace does not invoice for it."""
    profile = SellerInvoicingProfile.objects.filter(vendor=vendor).first()
    if profile is None or profile.mode == SellerInvoicingProfile.MODE_NONE:
        return None
    return profile


# --- snapshots -------------------------------------------------------------------------------------

def _seller_snapshot(vendor, profile):
    if not vendor.tax_code:
        raise ValidationError(f"Seller {vendor.code} has no tax code; it cannot issue invoices")
    address = ", ".join(p for p in (vendor.street_address, vendor.commune.name, conf.seller_province()) if p)
    snapshot = {
        "seller_name": vendor.legal_name or vendor.name, "seller_tax_code": vendor.tax_code,
        "seller_address": address, "seller_phone": "".join(ch for ch in vendor.phone if ch.isdigit())[:20],
        "seller_email": (vendor.email or "")[:50], "seller_bank_account": profile.bank_account,
        "seller_bank_name": profile.bank_name,
        "provider_tax_code": profile.provider_tax_code or conf.default_provider_tax_code(),
    }
    if profile.mode == SellerInvoicingProfile.MODE_AUTHORISED:
        issuer = conf.issuer()
        snapshot.update(issuer_tax_code=issuer["tax_code"], issuer_name=issuer["name"],
                        issuer_address=issuer["address"])
    return snapshot


def _buyer_snapshot(order):
    """Company details if the shopper asked for them; else the delivery name and address (spec §3.5)."""
    details = BuyerInvoiceDetails.objects.filter(order=order).first()
    address = getattr(order, "shipping_address", None)
    snapshot = {"buyer_code": f"KH-{order.user_id:06d}" if order.user_id else ""}
    if details and (details.name or details.tax_code):
        snapshot.update(buyer_name=details.name, buyer_tax_code=details.tax_code, buyer_address=details.address,
                        buyer_email=details.email, buyer_personal_id=details.personal_id)
        if address is not None:
            snapshot["buyer_person_name"] = address.name[:100]
        return snapshot
    if address is None or not address.name:
        snapshot["buyer_person_name"] = CONSUMER
        return snapshot
    parts = [address.line1, address.line2, address.line3, address.line4, address.state]
    snapshot.update(
        buyer_name=address.name, buyer_person_name=address.name[:100],
        buyer_address=", ".join(p for p in parts if p)[:400],
        buyer_phone="".join(ch for ch in str(address.phone_number or "") if ch.isdigit())[:20],
        buyer_personal_id=details.personal_id if details else "",
    )
    return snapshot


def _payment_method(order):
    from payments.models import Payment

    payment = Payment.objects.filter(order_id=order.pk).order_by("-pk").first()
    if payment is None:
        return PAYMENT_MIXED
    return PAYMENT_TRANSFER if payment.method == Payment.VNPAY else PAYMENT_CASH


def _delivery_date(fulfilment):
    from vendors.models import Fulfilment

    event = fulfilment.events.filter(to_status=Fulfilment.DELIVERED).order_by("-created", "-pk").first()
    return timezone.localdate(event.created) if event else timezone.localdate()


# --- lines -----------------------------------------------------------------------------------------

def _rate_for(product_id, profile, overrides):
    return overrides.get(product_id, profile.default_vat_rate)


def items_for_fulfilment(*, fulfilment, profile):
    """Goods, seller discounts (TChat 3) and shipping (its own TChat 1 line, spec Example B), in gross đồng.

    Reconciles to the fulfilment: Σ goods − Σ discounts + shipping == fulfilment.total, or it raises.
    """
    from vendors.amounts import fulfilment_lines

    vat = profile.template_number == TEMPLATE_VAT
    part_lines = fulfilment_lines(fulfilment)  # the stored part's amounts, whole đồng per line
    overrides = dict(ProductVatRate.objects.filter(
        product_id__in=[pl.line.product_id for pl in part_lines if pl.line.product_id]).values_list("product_id", "rate"))
    items = []
    for part_line in part_lines:
        line, paid, before = part_line.line, part_line.paid, part_line.before
        rate = _rate_for(line.product_id, profile, overrides) if vat else ""
        product = line.product
        items.append(Item(nature=GOODS, code=(line.partner_sku or line.upc or "")[:50], name=line.title[:500],
                          unit=(getattr(product, "sales_unit", "") or "")[:50], quantity=Decimal(line.quantity),
                          gross=before, rate=rate, order_line_id=line.pk))
        if before > paid:
            items.append(Item(nature=DISCOUNT, name=f"Chiết khấu thương mại cho {line.title}"[:500],
                              gross=before - paid, rate=rate, order_line_id=line.pk))
    if fulfilment.shipping_fee:
        items.append(Item(nature=GOODS, code="VC", name="Phí vận chuyển", unit="Lần", quantity=Decimal(1),
                          gross=int(fulfilment.shipping_fee), rate=profile.shipping_vat_rate if vat else ""))
    if profile.note_line:
        items.append(Item(nature=NOTE, name=profile.note_line))
    charged = sum(i.gross if i.nature == GOODS else -i.gross for i in items if i.nature != NOTE)
    if charged != fulfilment.total:
        raise ValidationError(f"Fulfilment {fulfilment.number}: lines give {charged} đồng, "
                              f"the part is {fulfilment.total} đồng")
    return items


def _write_lines(invoice, items):
    InvoiceLine.objects.bulk_create(_line_rows(invoice, items))


def _line_rows(invoice, items):
    """Unsaved ``InvoiceLine`` rows of the items (the XML can be built from them before they are written)."""
    rows = []
    for position, item in enumerate(items, start=1):
        row = InvoiceLine(invoice=invoice, position=position, nature=item.nature, code=item.code, name=item.name,
                          unit=item.unit, vat_rate=item.rate, order_line_id=item.order_line_id)
        if item.nature != NOTE:
            row.amount = item.net
            if item.quantity is not None:
                row.quantity = item.quantity
                row.unit_price = unit_price_for(item.net, item.quantity)
        rows.append(row)
    return rows


def _fill_totals(invoice, totals):
    invoice.rate_totals = totals.rate_totals if invoice.is_vat_invoice else []
    invoice.total_net, invoice.total_vat = totals.total_net, totals.total_vat
    invoice.total_discount, invoice.total_payable = totals.total_discount, totals.total_payable
    invoice.amount_in_words = amount_in_words(totals.total_payable)


# --- numbering -------------------------------------------------------------------------------------

def _next_number(*, vendor, seller_tax_code, template_number, symbol):
    """Lock the counter row (creating it once) and take the next number; the lock holds until commit."""
    key = {"seller_tax_code": seller_tax_code, "template_number": template_number, "symbol": symbol}
    sequence = InvoiceSequence.objects.select_for_update().filter(**key).first()
    if sequence is None:  # first invoice of this symbol (each year): create the row once, then lock it
        try:
            with transaction.atomic():
                InvoiceSequence.objects.create(vendor=vendor, **key)
        except IntegrityError:
            pass  # another issuer created it first; its row is what we lock below
        sequence = InvoiceSequence.objects.select_for_update().get(**key)
    if sequence.last_number >= MAX_NUMBER:
        raise ValidationError(f"Symbol {template_number}{symbol} has used all its numbers")
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _issue(invoice, *, actor=None, reason=""):
    """Draft → issued: number it from the locked counter, freeze the XML."""
    from .xml import invoice_xml_bytes

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Invoices are numbered inside the issuing transaction")
    invoice.number = _next_number(vendor=invoice.vendor, seller_tax_code=invoice.seller_tax_code,
                                  template_number=invoice.template_number, symbol=invoice.symbol)
    invoice.status = Invoice.ISSUED
    invoice.issued_at = timezone.now()
    invoice.xml = invoice_xml_bytes(invoice)
    # The marketplace numbered it: the provider must now sign it and the tax authority code it (spec §0.4).
    invoice.provider_status = Invoice.PROVIDER_PENDING
    invoice.save()
    _event(invoice, from_status=Invoice.DRAFT, actor=actor, reason=reason or "issued")
    from .transmission import send_after_commit

    send_after_commit(invoice)
    return invoice


def _issue_new(invoice, items, *, actor=None, reason=""):
    """Number, freeze and write a new invoice in one INSERT (the bulk of every delivery: no draft row first).

    Same outcome as saving a draft then ``_issue``: number from the locked counter, XML built from the lines,
    the draft → issued event; the lines are written in the same transaction.
    """
    from .xml import invoice_xml_bytes

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Invoices are numbered inside the issuing transaction")
    invoice.number = _next_number(vendor=invoice.vendor, seller_tax_code=invoice.seller_tax_code,
                                  template_number=invoice.template_number, symbol=invoice.symbol)
    rows = _line_rows(invoice, items)
    invoice.status, invoice.issued_at = Invoice.ISSUED, timezone.now()
    invoice.provider_status = Invoice.PROVIDER_PENDING
    invoice.xml = invoice_xml_bytes(invoice, rows)
    invoice.save()
    for row in rows:
        row.invoice = invoice
    InvoiceLine.objects.bulk_create(rows)
    _event(invoice, from_status=Invoice.DRAFT, actor=actor, reason=reason or "issued")
    from .transmission import send_after_commit

    send_after_commit(invoice)
    return invoice


def _finish(invoice, profile, *, actor, reason):
    """Authorised sellers are numbered now; own-provider invoices wait (as drafts) for the provider."""
    if profile.mode == SellerInvoicingProfile.MODE_AUTHORISED:
        return _issue(invoice, actor=actor, reason=reason)
    _event(invoice, from_status="", actor=actor, reason=reason or "built for the seller's provider")
    return invoice


def _new_invoice(*, fulfilment, profile, issue_date, **fields):
    return Invoice(
        vendor=fulfilment.vendor, fulfilment=fulfilment, template_number=profile.template_number,
        symbol=profile.symbol_for_year(issue_date.year), issue_date=issue_date,
        payment_method=_payment_method(fulfilment.order), order_reference=str(fulfilment.order.number),
        data_id=f"DLHDon-{uuid.uuid4().hex[:8]}", **_seller_snapshot(fulfilment.vendor, profile), **fields,
    )


# --- use cases -------------------------------------------------------------------------------------

def invoice_issue_for_fulfilment(*, fulfilment, actor=None):
    """The invoice of a delivered seller part; idempotent (one original per fulfilment).

    Returns None when the marketplace does not invoice for this seller. Refunds already made on the part
    are then answered by adjustment invoices, so the invoice itself always shows the sale as delivered.
    """
    from vendors.models import Fulfilment

    with transaction.atomic():
        fulfilment = (Fulfilment.objects.select_for_update().select_related("order", "vendor", "vendor__commune")
                      .get(pk=fulfilment.pk))
        existing = Invoice.objects.filter(fulfilment=fulfilment, relation=Invoice.ORIGINAL).first()
        if existing is not None:
            return existing
        profile = profile_for(fulfilment.vendor)
        if profile is None:
            return None
        if fulfilment.status != Fulfilment.DELIVERED:
            raise ValidationError(f"Fulfilment {fulfilment.number} is not delivered; it has no invoice yet")
        items = items_for_fulfilment(fulfilment=fulfilment, profile=profile)
        invoice = _new_invoice(fulfilment=fulfilment, profile=profile, issue_date=_delivery_date(fulfilment),
                               **_buyer_snapshot(fulfilment.order))
        _fill_totals(invoice, split_gross(items, template_number=invoice.template_number))
        if profile.mode == SellerInvoicingProfile.MODE_AUTHORISED:
            _issue_new(invoice, items, actor=actor, reason="fulfilment delivered")
        else:
            invoice.save()
            _write_lines(invoice, items)
            _finish(invoice, profile, actor=actor, reason="fulfilment delivered")
    for refund in fulfilment.refunds.filter(status="succeeded", invoice__isnull=True).order_by("pk"):
        invoice_adjust_for_refund(refund=refund, actor=actor)
    return invoice


def _current(invoice):
    """Follow replacements to the invoice that is valid now."""
    while invoice.status == Invoice.REPLACED and invoice.replaced_by_id:
        invoice = Invoice.objects.get(pk=invoice.replaced_by_id)
    return invoice


def _related_fields(original, *, relation, note):
    verb = "Điều chỉnh giảm cho" if relation == Invoice.ADJUSTMENT else "Thay thế cho"
    date = original.issue_date
    sentence = (f"{verb} hóa đơn Mẫu số {original.template_number}, ký hiệu {original.symbol}, số {original.number}, "
                f"ngày {date.day:02d} tháng {date.month:02d} năm {date.year}")
    if note:
        sentence = f"{sentence} – {note}"
    return {"relation": relation, "related_invoice": original, "related_template": original.template_number,
            "related_symbol": original.symbol, "related_number": str(original.number or ""),
            "related_date": original.issue_date, "related_note": sentence[:255]}


def _buyer_of(invoice):
    return {f: getattr(invoice, f) for f in ("buyer_name", "buyer_tax_code", "buyer_address", "buyer_code",
                                             "buyer_phone", "buyer_personal_id", "buyer_email", "buyer_person_name")}


def _refund_items(refund, original):
    """The negative difference a refund makes: returned items, or the whole part (spec §4.3, §4.4)."""
    fulfilment = original.fulfilment
    lines = list(original.lines.all())
    if refund.line_id is None and refund.amount >= fulfilment.total:
        items = []
        for line in lines:
            if line.nature == NOTE:
                continue
            items.append(Item(nature=line.nature, code=line.code, name=f"{line.name} – trả lại toàn bộ"[:500],
                              unit=line.unit, quantity=-line.quantity if line.quantity is not None else None,
                              gross=0, rate=line.vat_rate, order_line_id=line.order_line_id))
        return items, True
    if refund.line_id is not None:
        from vendors.amounts import fulfilment_lines

        order_line = refund.line
        paid = next((pl.paid for pl in fulfilment_lines(fulfilment) if pl.line.pk == order_line.pk),
                    to_dong(order_line.line_price_incl_tax))
        quantity = _returned_quantity(refund, order_line, paid)
        if quantity is None:
            list_unit = to_dong(order_line.unit_price_incl_tax)
            quantity = Decimal(refund.amount // list_unit) if list_unit and refund.amount % list_unit == 0 else None
        source = next((l for l in lines if l.order_line_id == order_line.pk and l.nature == GOODS), None)
        rate = source.vat_rate if source else ""
        if quantity is None:
            return [Item(nature=GOODS, name=f"Giảm giá {order_line.title}"[:500], quantity=Decimal(-1),
                         gross=-refund.amount, rate=rate, order_line_id=order_line.pk)], False
        return [Item(nature=GOODS, code=source.code if source else "", name=f"{order_line.title} – hàng trả lại"[:500],
                     unit=source.unit if source else "", quantity=-quantity.to_integral(), gross=-refund.amount,
                     rate=rate, order_line_id=order_line.pk)], False
    rates = {}
    for line in lines:
        if line.nature == GOODS:
            rates[line.vat_rate] = rates.get(line.vat_rate, 0) + (line.amount or 0)
    rate = max(rates, key=rates.get) if rates else ""
    return [Item(nature=GOODS, name="Giảm giá sau bán", quantity=Decimal(-1), gross=-refund.amount,
                 rate=rate)], False


def _returned_quantity(refund, order_line, paid):
    """Items a line refund gave back, by the running-total rule of ``payments.services.refund_line``; None if
    the amount is not a whole number of items."""
    from payments.models import Refund

    from marketplace.money import share

    n = order_line.quantity
    already = sum(order_line.refunds.filter(status=Refund.SUCCEEDED, pk__lt=refund.pk).values_list("amount", flat=True))
    done = max((k for k in range(n + 1) if share(paid, k, n) <= already), default=0)
    for quantity in range(1, n - done + 1):
        if share(paid, done + quantity, n) - already == refund.amount:
            return Decimal(quantity)
    return None


def invoice_adjust_for_refund(*, refund, actor=None):
    """An adjustment invoice (TCHDon 2) for a succeeded refund of an invoiced part; idempotent per refund.

    Returns None when nothing was invoiced (refund before delivery, or a seller the marketplace does not
    invoice for): the invoice issued at delivery will see the refund and adjust then.
    """
    from payments.models import Refund

    if refund.status != Refund.SUCCEEDED or refund.fulfilment_id is None:
        return None
    with transaction.atomic():
        refund = (Refund.objects.select_for_update(of=("self",)).select_related("line", "fulfilment")
                  .get(pk=refund.pk))
        existing = Invoice.objects.filter(refund=refund).first()
        if existing is not None:
            return existing
        original = Invoice.objects.filter(fulfilment_id=refund.fulfilment_id, relation=Invoice.ORIGINAL).first()
        profile = profile_for(refund.fulfilment.vendor)
        if original is None or profile is None or original.status in (Invoice.DRAFT, Invoice.DISCARDED):
            return None
        original = _current(original)
        items, full_return = _refund_items(refund, original)
        today = timezone.localdate()
        invoice = _new_invoice(fulfilment=original.fulfilment, profile=profile, issue_date=today, refund=refund,
                               **_buyer_of(original),
                               **_related_fields(original, relation=Invoice.ADJUSTMENT, note=refund.reason))
        if full_return:
            _negate_lines(items, original)
            totals = _negated_totals(original)
        else:
            totals = split_gross(items, template_number=invoice.template_number)
        _fill_totals(invoice, totals)
        if invoice.total_payable != -refund.amount:
            raise ValidationError(f"Refund {refund.pk}: the adjustment gives {invoice.total_payable} đồng, "
                                  f"the refund is {refund.amount} đồng")
        invoice.save()
        _write_lines(invoice, items)
        return _finish(invoice, profile, actor=actor, reason=f"refund {refund.pk}")


def _negate_lines(items, original):
    priced = [l for l in original.lines.all() if l.nature != NOTE]
    for item, line in zip(items, priced):
        item.net = -line.amount


def _negated_totals(original):
    from .calculations import Totals

    rate_totals = [{"rate": r["rate"], "net": -r["net"], "vat": -r["vat"]} for r in original.rate_totals]
    return Totals(rate_totals, -original.total_net, -original.total_vat, -original.total_discount,
                  -original.total_payable)


def invoice_replace(*, invoice, reason, actor=None, buyer=None, items=None):
    """A replacement invoice (TCHDon 1) for an issued one with wrong price, quantity, rate or buyer MST.

    ``buyer`` overrides buyer fields; ``items`` (gross ``Item`` rows) override the lines, else the lines are
    rebuilt from the fulfilment. The original is only marked replaced. An invoice already corrected by an
    adjustment keeps that form (D2 Điều 10.6.a) and cannot be replaced.
    """
    with transaction.atomic():
        original = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if original.status != Invoice.ISSUED:
            raise ValidationError("Only an issued invoice that was not replaced can be replaced")
        if original.corrections.filter(relation=Invoice.ADJUSTMENT).exclude(status=Invoice.DISCARDED).exists():
            raise ValidationError("This invoice was corrected by adjustment; correct it by adjustment again")
        profile = profile_for(original.vendor)
        if profile is None:
            raise ValidationError("The marketplace does not issue invoices for this seller")
        fulfilment = original.fulfilment
        items = items if items is not None else items_for_fulfilment(fulfilment=fulfilment, profile=profile)
        snapshot = _buyer_of(original)
        snapshot.update(buyer or {})
        replacement = _new_invoice(fulfilment=fulfilment, profile=profile, issue_date=timezone.localdate(),
                                   **snapshot, **_related_fields(original, relation=Invoice.REPLACEMENT, note=reason))
        _fill_totals(replacement, split_gross(items, template_number=replacement.template_number))
        replacement.save()
        _write_lines(replacement, items)
        _finish(replacement, profile, actor=actor, reason=reason)
        if replacement.status == Invoice.ISSUED:
            _mark_replaced(original, replacement, actor=actor, reason=reason)
        return replacement


def _mark_replaced(original, replacement, *, actor, reason):
    original.status, original.replaced_by = Invoice.REPLACED, replacement
    original.save(update_fields=["status", "replaced_by", "updated"])
    _event(original, from_status=Invoice.ISSUED, actor=actor, reason=reason)


@transaction.atomic
def invoice_discard(*, invoice, actor=None, reason=""):
    """Drop a draft (order cancelled before delivery, or a provider that refused it); no number is lost."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.DRAFT:
        raise ValidationError("Only a draft can be discarded; an issued invoice needs an adjustment or replacement")
    invoice.status = Invoice.DISCARDED
    invoice.save(update_fields=["status", "updated"])
    _event(invoice, from_status=Invoice.DRAFT, actor=actor, reason=reason)
    return invoice


@transaction.atomic
def invoice_record_provider_result(*, invoice, number, signed_xml=b"", tax_authority_code="", actor=None):
    """An own-provider draft becomes issued with the provider's number; its signed XML is kept byte for byte."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.DRAFT:
        raise ValidationError("Only a draft waits for the provider's number")
    if not isinstance(number, int) or not 0 < number <= MAX_NUMBER:
        raise ValidationError(gettext("The invoice number has 1 to 8 digits."))
    if tax_authority_code and invoice.symbol.startswith("C") and len(tax_authority_code) not in (23, 34):
        raise ValidationError("A tax authority code has 34 characters (23 for cash registers)")
    invoice.number, invoice.tax_authority_code = number, tax_authority_code
    invoice.signed_xml = bytes(signed_xml) if signed_xml else None
    invoice.status, invoice.issued_at = Invoice.ISSUED, timezone.now()
    from .xml import invoice_xml_bytes

    invoice.xml = invoice_xml_bytes(invoice)
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError as exc:
        raise ValidationError(gettext("This number is already used for the symbol.")) from exc
    _event(invoice, from_status=Invoice.DRAFT, actor=actor, reason="number recorded from the provider")
    if invoice.relation == Invoice.REPLACEMENT and invoice.related_invoice_id:
        original = Invoice.objects.select_for_update().get(pk=invoice.related_invoice_id)
        if original.status == Invoice.ISSUED:
            _mark_replaced(original, invoice, actor=actor, reason=invoice.related_note)
    return invoice


def invoice_follow_fulfilment(*, fulfilment, actor=None):
    """The one hook for fulfilment status changes: delivered → issue; cancelled → discard drafts."""
    from vendors.models import Fulfilment

    if fulfilment.status == Fulfilment.DELIVERED:
        return invoice_issue_for_fulfilment(fulfilment=fulfilment, actor=actor)
    if fulfilment.status == Fulfilment.CANCELLED:
        for draft in Invoice.objects.filter(fulfilment=fulfilment, status=Invoice.DRAFT):
            invoice_discard(invoice=draft, actor=actor, reason="fulfilment cancelled")
    return None


@transaction.atomic
def invoicing_profile_save(*, form, vendor, user):
    """Save a seller's invoicing choices; a new authorisation records when, by whom and for what (R11)."""
    profile = form.save(commit=False)
    profile.vendor = vendor
    if profile.mode == SellerInvoicingProfile.MODE_AUTHORISED and form.cleaned_data.get("accept_authorisation"):
        profile.authorised_at = timezone.now()
        profile.authorised_by = user
        profile.authorisation_scope = "Hóa đơn điện tử cho các đơn hàng bán trên Chợ OCOP Hà Tĩnh"
    profile.full_clean()
    profile.save()
    return profile


def product_vat_rate_set(*, product, rate):
    """Record the seller's VAT rate for one product (spec R15: the seller's decision; the code is validated)."""
    from .models import VAT_PERCENT

    if rate not in VAT_PERCENT:
        raise ValidationError(f"Unknown VAT rate {rate!r}")
    ProductVatRate.objects.update_or_create(product=product, defaults={"rate": rate})
