"""Issuing, numbering, immutability, adjustments and replacements of seller invoices."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from invoicing.models import (
    BuyerInvoiceDetails, ImmutableInvoiceError, Invoice, InvoiceLine, InvoiceSequence, ProductVatRate,
    SellerInvoicingProfile,
)
from invoicing.services import (
    invoice_adjust_for_refund, invoice_follow_fulfilment, invoice_issue_for_fulfilment, invoice_record_provider_result,
    invoice_replace,
)
from invoicing.validation import xml_errors
from invoicing.xml import invoice_export_bytes
from payments.models import Payment, Refund
from vendors.models import Fulfilment, FulfilmentEvent

from .factories import create_delivered_part, create_invoicing_vendor, products

pytestmark = pytest.mark.django_db


def refund_for(part, amount, line=None, reason="khách trả hàng"):
    payment = Payment.objects.get(order=part.order)
    return Refund.objects.create(payment=payment, fulfilment=part, line=line, amount=amount, status=Refund.SUCCEEDED,
                                 reason=reason)


def test_household_gets_a_numbered_sales_invoice_that_reconciles():
    vendor = create_invoicing_vendor(note_line="Sản phẩm trồng trọt chưa qua chế biến – không chịu thuế GTGT")
    cam, buoi = products(vendor, 45000, 55000)
    part = create_delivered_part(vendor=vendor, items=[(cam, 18, 45000, 0), (buoi, 12, 55000, 0)], shipping_fee=30000)

    invoice = invoice_issue_for_fulfilment(fulfilment=part)

    year = timezone.localdate().year % 100
    assert (invoice.template_number, invoice.symbol, invoice.number) == ("2", f"C{year:02d}THN", 1)
    assert invoice.status == Invoice.ISSUED and invoice.name == "Hóa đơn bán hàng"
    assert invoice.total_payable == part.total == 18 * 45000 + 12 * 55000 + 30000
    assert invoice.total_vat == 0 and invoice.rate_totals == []
    lines = list(invoice.lines.all())
    assert [(l.nature, l.amount, l.vat_rate) for l in lines] == [
        (1, 810000, ""), (1, 660000, ""), (1, 30000, ""), (4, None, "")]
    assert lines[2].name == "Phí vận chuyển" and lines[2].unit == "Lần"
    assert invoice.payment_method == "Chuyển khoản"
    assert invoice.buyer_name == "Hùng Nguyễn Văn" and invoice.seller_tax_code == "042185000123"
    assert invoice.amount_in_words == "Một triệu năm trăm nghìn đồng"
    assert xml_errors(invoice_export_bytes(invoice)) == []
    assert list(invoice.events.values_list("from_status", "to_status")) == [("draft", "issued")]


def test_issuing_is_idempotent_and_numbers_follow_on():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 50000)
    parts = [create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)]) for _ in range(3)]
    first = invoice_issue_for_fulfilment(fulfilment=parts[0])
    assert invoice_issue_for_fulfilment(fulfilment=parts[0]).pk == first.pk
    numbers = [invoice_issue_for_fulfilment(fulfilment=p).number for p in parts]
    assert numbers == [1, 2, 3]
    assert InvoiceSequence.objects.get().last_number == 3


def test_numbering_restarts_with_the_next_years_symbol():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 50000)
    old = create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)])
    new = create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)])
    invoice_issue_for_fulfilment(fulfilment=old)
    FulfilmentEvent.objects.filter(fulfilment=new).update(created=timezone.make_aware(datetime.datetime(2027, 1, 1, 0, 30)))
    invoice = invoice_issue_for_fulfilment(fulfilment=new)
    assert (invoice.symbol, invoice.number, invoice.issue_date) == ("C27THN", 1, datetime.date(2027, 1, 1))


def test_vat_invoice_with_rates_discount_and_shipping_reconciles_to_the_dong():
    vendor = create_invoicing_vendor(vat=True, shipping_vat_rate="10%")
    keo, buoi, cam = products(vendor, 49500, 42000, 35000)
    ProductVatRate.objects.create(product=buoi, rate="5%")
    ProductVatRate.objects.create(product=cam, rate="KCT")
    part = create_delivered_part(vendor=vendor, items=[(keo, 40, 49500, 99000), (buoi, 30, 42000, 0),
                                                        (cam, 50, 35000, 0)], shipping_fee=165000)
    BuyerInvoiceDetails.objects.create(order=part.order, name="Công ty TNHH Thực phẩm Sạch Minh An",
                                       tax_code="0109998887", address="Số 8 phố Trần Duy Hưng, Hà Nội")

    invoice = invoice_issue_for_fulfilment(fulfilment=part)

    assert invoice.template_number == "1" and invoice.name == "Hóa đơn giá trị gia tăng"
    assert invoice.rate_totals == [{"rate": "5%", "net": 1200000, "vat": 60000},
                                   {"rate": "10%", "net": 1860000, "vat": 186000},
                                   {"rate": "KCT", "net": 1750000, "vat": 0}]
    assert (invoice.total_net, invoice.total_vat, invoice.total_discount) == (4810000, 246000, 90000)
    assert invoice.total_payable == part.total == 5056000
    assert invoice.amount_in_words == "Năm triệu không trăm năm mươi sáu nghìn đồng"
    lines = list(invoice.lines.all())
    assert [(l.nature, l.amount, l.vat_rate) for l in lines] == [
        (1, 1800000, "10%"), (3, 90000, "10%"), (1, 1200000, "5%"), (1, 1750000, "KCT"), (1, 150000, "10%")]
    assert lines[0].unit_price == 45000
    assert invoice.buyer_tax_code == "0109998887" and invoice.buyer_person_name == "Hùng Nguyễn Văn"
    assert xml_errors(invoice_export_bytes(invoice)) == []


@pytest.mark.parametrize("price", [33333, 99999, 12345, 65432])
def test_odd_prices_still_reconcile(price):
    vendor = create_invoicing_vendor(vat=True, default_vat_rate="8%")
    (product,) = products(vendor, price)
    part = create_delivered_part(vendor=vendor, items=[(product, 7, price, 3)], shipping_fee=23456)
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    assert invoice.total_payable == part.total
    assert xml_errors(invoice_export_bytes(invoice)) == []


def test_cash_on_delivery_and_anonymous_consumer():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 50000)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)], method=Payment.COD,
                                 with_address=False)
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    assert invoice.payment_method == "Tiền mặt"
    assert invoice.buyer_person_name == "Bán cho người tiêu dùng" and invoice.buyer_name == ""
    assert xml_errors(invoice_export_bytes(invoice)) == []


def test_undelivered_part_or_uninvoiced_seller_gets_no_invoice():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 50000)
    shipped = create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)], deliver=False)
    with pytest.raises(ValidationError):
        invoice_issue_for_fulfilment(fulfilment=shipped)
    assert invoice_follow_fulfilment(fulfilment=shipped) is None
    other = create_invoicing_vendor(mode=SellerInvoicingProfile.MODE_NONE)
    (item,) = products(other, 50000)
    assert invoice_issue_for_fulfilment(fulfilment=create_delivered_part(vendor=other, items=[(item, 1, 50000, 0)])) is None
    assert not Invoice.objects.exists() and not InvoiceSequence.objects.exists()


def test_issued_invoices_are_immutable():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 50000)
    invoice = invoice_issue_for_fulfilment(fulfilment=create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)]))
    invoice.total_payable = 1
    with pytest.raises(ImmutableInvoiceError):
        invoice.save()
    with pytest.raises(ImmutableInvoiceError):
        invoice.save(update_fields=["total_payable"])
    with pytest.raises(ImmutableInvoiceError):
        invoice.delete()
    with pytest.raises(ImmutableInvoiceError):
        Invoice.objects.filter(pk=invoice.pk).update(buyer_name="x")
    with pytest.raises(ImmutableInvoiceError):
        Invoice.objects.filter(pk=invoice.pk).delete()
    line = invoice.lines.first()
    line.amount = 1
    with pytest.raises(ImmutableInvoiceError):
        line.save()
    with pytest.raises(ImmutableInvoiceError):
        line.delete()
    with pytest.raises(ImmutableInvoiceError):
        InvoiceLine(invoice=invoice, position=9, name="x").save()
    invoice.refresh_from_db()
    invoice.status = Invoice.DRAFT
    with pytest.raises(ImmutableInvoiceError):
        invoice.save(update_fields=["status"])
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.total_payable, stored.status, stored.lines.count()) == (80000, Invoice.ISSUED, 2)


def test_partial_refund_makes_an_adjustment_and_leaves_the_original_alone():
    vendor = create_invoicing_vendor(vat=True)
    (keo,) = products(vendor, 49500)
    part = create_delivered_part(vendor=vendor, items=[(keo, 40, 49500, 99000)], shipping_fee=0)
    original = invoice_issue_for_fulfilment(fulfilment=part)
    before = bytes(original.xml)
    line = part.lines().get()
    refund = refund_for(part, 10 * 47025, line=line, reason="người mua trả lại 10 hộp kẹo cu đơ")

    adjustment = invoice_adjust_for_refund(refund=refund)

    assert invoice_adjust_for_refund(refund=refund).pk == adjustment.pk
    assert (adjustment.relation, adjustment.related_invoice_id, adjustment.number) == ("adjustment", original.pk, 2)
    assert adjustment.related_note.startswith(f"Điều chỉnh giảm cho hóa đơn Mẫu số 1, ký hiệu {original.symbol}, số 1")
    (row,) = adjustment.lines.all()
    assert (row.quantity, row.unit_price, row.amount, row.vat_rate) == (-10, 42750, -427500, "10%")
    assert adjustment.rate_totals == [{"rate": "10%", "net": -427500, "vat": -42750}]
    assert adjustment.total_payable == -470250
    assert adjustment.amount_in_words == "Âm bốn trăm bảy mươi nghìn hai trăm năm mươi đồng"
    assert xml_errors(invoice_export_bytes(adjustment)) == []
    original.refresh_from_db()
    assert original.status == Invoice.ISSUED and bytes(original.xml) == before


def test_full_return_reduces_every_line_to_zero():
    vendor = create_invoicing_vendor(vat=True)
    keo, cam = products(vendor, 49500, 35000)
    ProductVatRate.objects.create(product=cam, rate="KCT")
    part = create_delivered_part(vendor=vendor, items=[(keo, 4, 49500, 9900), (cam, 2, 35000, 0)], shipping_fee=33000)
    original = invoice_issue_for_fulfilment(fulfilment=part)
    adjustment = invoice_adjust_for_refund(refund=refund_for(part, part.total))
    assert adjustment.total_payable == -original.total_payable
    assert [r["net"] for r in adjustment.rate_totals] == [-r["net"] for r in original.rate_totals]
    assert sorted(l.amount for l in adjustment.lines.all()) == sorted(-l.amount for l in original.lines.all())
    assert xml_errors(invoice_export_bytes(adjustment)) == []


def test_refund_before_delivery_is_adjusted_when_the_invoice_is_issued():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 50000)
    part = create_delivered_part(vendor=vendor, items=[(product, 3, 50000, 0)], deliver=False)
    refund = refund_for(part, 50000, line=part.lines().get())
    assert invoice_adjust_for_refund(refund=refund) is None
    Fulfilment.objects.filter(pk=part.pk).update(status=Fulfilment.DELIVERED)
    part.refresh_from_db()
    original = invoice_follow_fulfilment(fulfilment=part)
    adjustment = Invoice.objects.get(refund=refund)
    assert (original.total_payable, adjustment.total_payable) == (180000, -50000)
    assert adjustment.lines.get().quantity == -1


def test_replacement_corrects_the_buyer_tax_code_and_marks_the_original():
    vendor = create_invoicing_vendor(vat=True)
    (product,) = products(vendor, 110000)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 110000, 0)])
    original = invoice_issue_for_fulfilment(fulfilment=part)
    replacement = invoice_replace(invoice=original, reason="sai mã số thuế người mua",
                                  buyer={"buyer_name": "Công ty A", "buyer_tax_code": "0109998887",
                                         "buyer_address": "Hà Nội"})
    original.refresh_from_db()
    assert (original.status, original.replaced_by_id) == (Invoice.REPLACED, replacement.pk)
    assert replacement.relation == "replacement" and replacement.related_note.startswith("Thay thế cho hóa đơn")
    assert replacement.total_payable == original.total_payable and replacement.number == 2
    data = invoice_export_bytes(replacement)
    assert b"<TCHDon>1</TCHDon>" in data and xml_errors(data) == []
    with pytest.raises(ValidationError):
        invoice_replace(invoice=original, reason="again")
    adjustment = invoice_adjust_for_refund(refund=refund_for(part, 10000))
    assert adjustment.related_invoice_id == replacement.pk
    with pytest.raises(ValidationError):
        invoice_replace(invoice=replacement, reason="adjusted already: keep adjusting")


def test_own_provider_invoice_waits_for_the_providers_number():
    vendor = create_invoicing_vendor(mode=SellerInvoicingProfile.MODE_OWN_PROVIDER)
    (product,) = products(vendor, 50000)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)])
    draft = invoice_issue_for_fulfilment(fulfilment=part)
    assert draft.status == Invoice.DRAFT and draft.number is None
    assert b"<SHDon>" not in invoice_export_bytes(draft) and not InvoiceSequence.objects.exists()
    signed = b'<?xml version="1.0" encoding="UTF-8"?>\n<HDon><DLHDon Id="x"/><DSCKS>signed</DSCKS></HDon>'
    with pytest.raises(ValidationError):
        invoice_record_provider_result(invoice=draft, number=0)
    issued = invoice_record_provider_result(invoice=draft, number=77, signed_xml=signed,
                                            tax_authority_code="0" * 34)
    assert (issued.status, issued.number) == (Invoice.ISSUED, 77)
    assert invoice_export_bytes(issued) == signed


def test_cancelled_part_discards_its_draft():
    vendor = create_invoicing_vendor(mode=SellerInvoicingProfile.MODE_OWN_PROVIDER)
    (product,) = products(vendor, 50000)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)])
    draft = invoice_issue_for_fulfilment(fulfilment=part)
    Fulfilment.objects.filter(pk=part.pk).update(status=Fulfilment.CANCELLED)
    part.refresh_from_db()
    invoice_follow_fulfilment(fulfilment=part)
    draft.refresh_from_db()
    assert draft.status == Invoice.DISCARDED


def test_profile_refuses_vat_method_for_households():
    vendor = create_invoicing_vendor()
    profile = vendor.invoicing_profile
    profile.vat_method = SellerInvoicingProfile.METHOD_CREDIT
    with pytest.raises(ValidationError):
        profile.full_clean()
