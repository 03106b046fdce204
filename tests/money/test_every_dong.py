"""Every đồng agrees (issue 22): random multi-seller baskets with percentage and fixed offers, sellers'
shipping rules, VAT rates 0/5/8/10 %/KCT on the credit method and sales invoices on the direct method,
cash on delivery and VNPay, cancelled parts and partial refunds. For every generated case, to the đồng:

* the basket shows whole đồng and its lines add up to its total;
* the amount charged equals the sum of the sellers' stored parts, and what was collected less refunds
  equals the sum of the sellers' invoices (originals and adjustments);
* each invoice's totals equal its lines (per VAT rate group, and overall);
* each seller's ledger balances: sale + shipping − commission on the goods kept − refunds (− the cash
  it holds for cash on delivery);
* the reports' GMV equals the sum of the parts, and the lines by product group add up to it.

The orders are placed through Oscar's own basket, offer applicator (ours, through the class loader),
shipping repository and order creator, then moved with the same services the views call; VNPay's
merchant API (refunds) is a local stand-in answering like VNPay.
"""
import datetime
from decimal import Decimal
from fractions import Fraction

import json

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from oscar.core.loading import get_class, get_model

from invoicing.calculations import vat_of
from invoicing.models import VAT_PERCENT, Invoice, SellerInvoicingProfile
from invoicing.services import invoice_adjust_for_refund, invoice_issue_for_fulfilment, product_vat_rate_set
from marketplace.money import round_half_up
from marketplace.order import statuses
from payments.models import Payment, Refund
from payments.services import (
    payment_create_for_order, payment_handle_ipn, payment_start_vnpay, refund_create, refund_line,
)
from reports.periods import Period
from reports.selectors import lines_by_group_and_stars, transaction_totals
from tests.factories import create_product
from tests.invoicing.factories import create_invoicing_vendor
from payments.vnpay import signing
from tests.payments.test_ipn import ipn_params
from tests.payments.vnpay_helpers import RecordingServer
from vendors.ledger import commission_on
from vendors.models import Fulfilment, LedgerEntry
from vendors.services import fulfilment_set_status

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Selector = get_class("partner.strategy", "Selector")
Applicator = get_class("offer.applicator", "Applicator")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderCreator = get_class("order.utils", "OrderCreator")

RATES = ["0%", "5%", "8%", "10%", "KCT"]
PRODUCTS_PER_SELLER = 3

prices = st.one_of(st.integers(1_000, 400_000), st.sampled_from([80_571, 99_999, 42_727, 12_345, 1_001]))
percentage_offer = st.tuples(st.just("percentage"), st.one_of(st.integers(1, 60), st.sampled_from([7, 12.5, 33.33])))
fixed_offer = st.tuples(st.just("absolute"), st.integers(1_000, 150_000))
offers = st.lists(st.tuples(st.one_of(percentage_offer, fixed_offer),
                            st.sets(st.integers(0, 3 * PRODUCTS_PER_SELLER - 1), min_size=1),
                            st.booleans()), max_size=2)
shipping_rules = st.tuples(st.sampled_from([0, 15_000, 22_222, 30_000]),
                           st.one_of(st.none(), st.integers(50_000, 600_000)))
cases = st.fixed_dictionaries({
    "prices": st.lists(prices, min_size=3 * PRODUCTS_PER_SELLER, max_size=3 * PRODUCTS_PER_SELLER),
    "rates": st.lists(st.sampled_from(RATES), min_size=3 * PRODUCTS_PER_SELLER, max_size=3 * PRODUCTS_PER_SELLER),
    "shipping_vat": st.sampled_from(RATES),
    "shipping": st.lists(shipping_rules, min_size=3, max_size=3),
    "commission_bp": st.lists(st.sampled_from([0, 333, 500, 750, 1000]), min_size=3, max_size=3),
    "basket": st.dictionaries(st.integers(0, 3 * PRODUCTS_PER_SELLER - 1), st.integers(1, 5), min_size=1, max_size=6),
    "offers": offers,
    "method": st.sampled_from([Payment.COD, Payment.VNPAY]),
    "cancel": st.lists(st.booleans(), min_size=3, max_size=3),
    "refunds": st.lists(st.tuples(st.integers(0, 5), st.integers(1, 5)), max_size=4),
    # refunds of an amount on a part (the department's `refund_payment --amount`): a share of what is left
    "amount_refunds": st.lists(st.tuples(st.integers(0, 2), st.fractions(0, 1)), max_size=2),
})


def vnpay_refund_answer(number, method, path, body):
    """VNPay's merchant API, answering every refund as done (signed like VNPay, echoing the request)."""
    request = json.loads(body)
    values = {"vnp_ResponseId": f"r{number}", "vnp_Command": "refund", "vnp_ResponseCode": "00",
              "vnp_Message": "Refund success", "vnp_TmnCode": django_settings.VNPAY_TMN_CODE,
              "vnp_TxnRef": request["vnp_TxnRef"], "vnp_Amount": request["vnp_Amount"], "vnp_BankCode": "NCB",
              "vnp_PayDate": "20261207091501", "vnp_TransactionNo": f"9{number:07d}",
              "vnp_TransactionType": request["vnp_TransactionType"], "vnp_TransactionStatus": "05",
              "vnp_OrderInfo": request.get("vnp_OrderInfo", "")}
    values["vnp_SecureHash"] = signing.sign_fields(values, signing.REFUND_RESPONSE_FIELDS,
                                                   django_settings.VNPAY_HASH_SECRET)
    return 200, values


class EveryDongAgrees(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.vnpay = RecordingServer(vnpay_refund_answer).__enter__()
        cls.vnpay_settings = override_settings(VNPAY_API_URL=cls.vnpay.url)
        cls.vnpay_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.vnpay_settings.disable()
        cls.vnpay.__exit__(None, None, None)

    @classmethod
    def setUpTestData(cls):
        # Seller 0 and 1: credit method (VAT invoices); seller 2: household on the direct method.
        cls.vendors = [create_invoicing_vendor(vat=True, code="VAT-A", tax_code="3001234567"),
                       create_invoicing_vendor(vat=True, code="VAT-B", tax_code="3009876543"),
                       create_invoicing_vendor(vat=False, code="HKD-C")]
        cls.products = [create_product(vendor=v, price=10_000, stock=10_000) for v in cls.vendors
                        for _ in range(PRODUCTS_PER_SELLER)]
        cls.shopper = get_user_model().objects.create_user(username="khach", email="khach@example.com", password="x")
        cls.country, _ = Country.objects.get_or_create(iso_3166_1_a2="VN", defaults={"name": "Việt Nam"})

    # --- building a case -------------------------------------------------------------------------

    def _set_up(self, case):
        for product, price, rate in zip(self.products, case["prices"], case["rates"]):
            product.stockrecords.update(price=Decimal(price))
            product_vat_rate_set(product=product, rate=rate)
        for vendor, (fee, free_over), bp in zip(self.vendors, case["shipping"], case["commission_bp"]):
            vendor.shipping_fee, vendor.free_shipping_over, vendor.commission_rate_bp = fee, free_over, bp
            vendor.save()
            SellerInvoicingProfile.objects.filter(vendor=vendor).update(shipping_vat_rate=case["shipping_vat"])
        for n, ((kind, value), members, exclusive) in enumerate(case["offers"]):
            product_range = Range.objects.create(name=f"Khuyến mãi {n}")
            for index in sorted(members):
                product_range.add_product(self.products[index])
            ConditionalOffer.objects.create(
                name=f"Ưu đãi {n}", offer_type=ConditionalOffer.SITE, exclusive=exclusive, priority=n,
                condition=Condition.objects.create(range=product_range, type=Condition.COUNT, value=1),
                benefit=Benefit.objects.create(range=product_range, value=Decimal(str(value)),
                                               type=Benefit.PERCENTAGE if kind == "percentage" else Benefit.FIXED))

    def _place(self, case):
        basket = Basket.objects.create(owner=self.shopper)
        basket.strategy = Selector().strategy(user=self.shopper)
        for index, quantity in sorted(case["basket"].items()):
            basket.add_product(self.products[index], quantity)
        Applicator().apply(basket, self.shopper)
        lines = basket.all_lines()
        for line in lines:  # whole đồng before the order exists
            assert line.line_price_incl_tax_incl_discounts == int(line.line_price_incl_tax_incl_discounts), line
        assert basket.total_incl_tax == sum(line.line_price_incl_tax_incl_discounts for line in lines)
        assert basket.total_incl_tax + basket.total_discount == basket.total_incl_tax_excl_discounts
        discounts = sum((d["discount"] for d in basket.offer_discounts), Decimal(0))
        assert discounts == basket.total_discount == int(basket.total_discount)
        address = ShippingAddress.objects.create(first_name="Lan", last_name="Nguyễn", line1="12 Trần Phú",
                                                 line4="Phường Thành Sen", country=self.country,
                                                 phone_number="0912345678")
        method = Repository().get_default_shipping_method(basket=basket, user=self.shopper, shipping_addr=address)
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        assume(case["method"] == Payment.COD or total.incl_tax >= 5000)  # VNPay takes 5.000 ₫ at least
        status = statuses.CASH_ON_DELIVERY if case["method"] == Payment.COD else statuses.AWAITING_PAYMENT
        order = OrderCreator().place_order(basket=basket, total=total, shipping_method=method, shipping_charge=charge,
                                           user=self.shopper, shipping_address=address, status=status)
        basket.submit()
        payment = payment_create_for_order(order=order, method=case["method"])
        if case["method"] == Payment.VNPAY:
            from django.http import QueryDict

            payment_start_vnpay(payment=payment, ip_addr="203.0.113.7", return_url="https://cho.example/tra-ve/")
            assert payment_handle_ipn(params=QueryDict(ipn_params(payment)))[0] == "00"
        return order, Payment.objects.get(pk=payment.pk), total

    def _move(self, order, case):
        parts = list(order.fulfilments.order_by("number"))
        for part, cancel in zip(parts, case["cancel"]):
            if cancel:  # a paid VNPay part is refunded through VNPay once the cancellation is committed
                with self.captureOnCommitCallbacks(execute=True):
                    fulfilment_set_status(fulfilment=part, status=Fulfilment.CANCELLED, reason="khách hủy")
                continue
            for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
                fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN123")
            invoice_issue_for_fulfilment(fulfilment=part)  # what the on-commit hook does
        lines = list(order.lines.order_by("pk"))
        for index, quantity in case["refunds"]:
            line = lines[index % len(lines)]
            part = order.fulfilments.get(vendor__partner_id=line.partner_id)
            if part.status != Fulfilment.DELIVERED:
                continue
            try:
                refund = refund_line(line=line, quantity=min(quantity, line.quantity), actor=None, reason="hàng lỗi")
            except ValueError:
                continue  # already refunded in full
            invoice_adjust_for_refund(refund=refund)
        payment = Payment.objects.get(order=order)
        for index, fraction in case["amount_refunds"]:
            delivered = list(order.fulfilments.filter(status=Fulfilment.DELIVERED).order_by("number"))
            if not delivered:
                break
            part = delivered[index % len(delivered)]
            left = part.total - sum(r.amount for r in Refund.objects.filter(fulfilment=part, status=Refund.SUCCEEDED))
            amount = round_half_up(left * fraction)
            if amount > 0:
                refund = refund_create(payment=payment, amount=amount, actor=None, reason="giảm giá", fulfilment=part)
                invoice_adjust_for_refund(refund=refund)

    # --- the properties ----------------------------------------------------------------------------

    def _check_invoice(self, invoice):
        lines = [line for line in invoice.lines.all() if line.nature != 4]
        signed = [(-line.amount if line.nature == 3 else line.amount) for line in lines]
        if not invoice.is_vat_invoice:
            assert invoice.total_vat == 0 and invoice.total_payable == invoice.total_net == sum(signed)
            return
        for group in invoice.rate_totals:
            members = [s for s, line in zip(signed, lines) if line.vat_rate == group["rate"]]
            assert group["net"] == sum(members), (invoice, group)
            exact = Fraction(abs(group["net"]) * VAT_PERCENT[group["rate"]], 100)
            assert abs(abs(group["vat"]) - exact) < 1, group  # a rounding of the exact tax on ThTien
            assert group["vat"] in (vat_of(group["net"], group["rate"]),
                                    vat_of(group["net"], group["rate"]) + (1 if group["net"] > 0 else -1)), group
        assert invoice.total_net == sum(g["net"] for g in invoice.rate_totals) == sum(signed)
        assert invoice.total_vat == sum(g["vat"] for g in invoice.rate_totals)
        assert invoice.total_payable == invoice.total_net + invoice.total_vat

    def _check(self, order, payment, total):
        parts = list(order.fulfilments.all())
        # charged == Σ parts == the order Oscar placed, whole đồng
        assert payment.amount == sum(p.total for p in parts) == round_half_up(order.total_incl_tax)
        assert order.total_incl_tax == total.incl_tax == int(total.incl_tax)
        for part in parts:
            lines = part.lines()
            assert part.items_total == sum(line.line_price_incl_tax for line in lines)
            assert part.goods_total == sum(line.line_price_before_discounts_incl_tax for line in lines)
            assert part.shipping_fee == part.vendor.shipping_fee_for(part.items_total)
        refunds = {p.pk: sum(r.amount for r in Refund.objects.filter(fulfilment=p, status=Refund.SUCCEEDED))
                   for p in parts}
        delivered = [p for p in parts if p.status == Fulfilment.DELIVERED]
        payment.refresh_from_db()
        if payment.method == Payment.VNPAY:  # what VNPay gave back is what was recorded, cancelled parts in full
            assert payment.amount_refunded == sum(refunds.values())
            assert all(refunds[p.pk] == p.total for p in parts if p.status == Fulfilment.CANCELLED), list(
                Refund.objects.filter(payment=payment).values_list("status", "amount", "message"))
        invoices = Invoice.objects.filter(fulfilment__order=order).exclude(status=Invoice.DISCARDED)
        for invoice in invoices:
            self._check_invoice(invoice)
        # collected − refunded == Σ invoices (every seller here is invoiced by the marketplace)
        assert sum(i.total_payable for i in invoices) == sum(p.total - refunds[p.pk] for p in delivered)
        for part in delivered:
            assert sum(i.total_payable for i in invoices if i.fulfilment_id == part.pk) == part.total - refunds[part.pk]
            entries = LedgerEntry.objects.filter(fulfilment=part)
            rate = part.vendor.effective_commission_rate_bp
            kept = part.items_total - min(refunds[part.pk], part.items_total)
            owed = part.total - refunds[part.pk] - commission_on(kept, rate)
            if payment.method == Payment.COD:
                owed -= part.total - refunds[part.pk]  # the seller holds the cash
            assert sum(e.amount for e in entries) == owed, (part, list(entries.values_list("kind", "amount")))
        for line in order.lines.all():  # a line is never refunded beyond what was paid for it
            assert sum(r.amount for r in line.refunds.filter(status=Refund.SUCCEEDED)) <= line.line_price_incl_tax
        # reports: GMV is the sum of the parts that are sales; the lines by group add up to it
        today = timezone.localdate()
        period = Period(today - datetime.timedelta(days=1), today + datetime.timedelta(days=1))
        sales = [p for p in parts if p.status == Fulfilment.DELIVERED
                 or (payment.method == Payment.VNPAY and p.status != Fulfilment.CANCELLED)]
        figures = transaction_totals(period)
        assert figures["gmv"] == sum(p.items_total for p in sales)
        assert figures["shipping"] == sum(p.shipping_fee for p in sales)
        assert sum(cell["value"] for cell in lines_by_group_and_stars(period)) == figures["gmv"]
        assert figures["gmv_net"] == figures["gmv"] - sum(refunds[p.pk] for p in sales)

    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case=cases)
    def test_every_dong_agrees(self, case):
        self._set_up(case)
        order, payment, total = self._place(case)
        self._move(order, case)
        self._check(order, payment, total)
