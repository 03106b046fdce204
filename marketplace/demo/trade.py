"""A year and a quarter of trade for the demo, so reports, statements, statistics and invoice lists look like a
running marketplace on first start.

Every order goes through the code real orders use: Oscar's basket and ``OrderCreator`` (amounts and sellers'
parts), ``payment_create_for_order``, the VNPay IPN's own settlement, ``fulfilment_set_status`` (stock, ledger,
invoices), ``refund_line`` and ``payout_record``. Only the clock is the demo's: ``demo_clock`` sets the time
each step happens, so every ``created`` timestamp, date placed, invoice date and ledger entry falls on the day
the order's story says. Each order's story (placed → paid → confirmed → shipped → delivered, or cancelled,
or refunded) runs in its own transaction, so what runs after a commit (issuing the invoice) happens on that
order's last day, as it would have.

Seeded: the same months give the same orders. Nothing is generated once the demo's shoppers exist (they are
created first); a run that failed half-way is not resumed: load the demo into a fresh database.
"""
import contextlib
import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.test.utils import override_settings
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from marketplace.order import statuses
from search.folding import fold

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderCreator = get_class("order.utils", "OrderCreator")

SEED = 20_261_217
MONTHS = 15
#: Orders in an ordinary month at the start; the marketplace grows about 4 % a month.
BASE_ORDERS = 15
GROWTH = 0.04
#: Calendar month → how busy it is. Tết gifts fill December and January (Tết falls in late January or
#: February); the Mid-Autumn festival lifts September; summer is quiet.
SEASON = {1: 2.3, 2: 1.3, 3: 0.8, 4: 0.85, 5: 0.9, 6: 0.8, 7: 0.8, 8: 0.9, 9: 1.15, 10: 1.0, 11: 1.15, 12: 1.8}
#: Kinds whose harvest or gift season lifts them: (folded words in the title, months, weight).
HARVESTS = [
    (("cam ", "buoi"), {10, 11, 12, 1}, 5.0),  # Cam Vũ Quang, bưởi Phúc Trạch: October to January
    (("mat ong",), {3, 4, 5, 6}, 4.0),  # honey from the spring flowers
    (("keo cu do", "ruou", "tra ", "banh", "nhung huou", "nuoc mam"), {12, 1, 2}, 2.5),  # Tết gifts
]
SHOPPER_DOMAIN = "khach.ocop-hatinh.local"
SHOPPERS = 180
GIVEN = ["Lan", "Hoa", "Minh", "Tuấn", "Hương", "Nam", "Thảo", "Hùng", "Mai", "Dũng", "Trang", "Sơn", "Linh", "Hải",
         "Ngọc", "Phương", "Quang", "Yến", "Đức", "Vân"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Dương"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Thanh", "Hữu", "Ngọc"]
STREETS = ["Trần Phú", "Phan Đình Phùng", "Hà Huy Tập", "Nguyễn Du", "Lê Duẩn", "Xuân Diệu", "Hải Thượng Lãn Ông",
           "Nguyễn Công Trứ", "Quang Trung", "Lý Tự Trọng"]
#: Where parcels go: most stay in Hà Tĩnh, the rest to the big cities and the neighbours (GSO codes).
DELIVERY_PROVINCES = [("42", 58), ("01", 12), ("79", 9), ("40", 8), ("44", 4), ("48", 4), ("38", 3), ("31", 2)]
CANCEL_REASONS = ["Khách đổi ý, không nhận hàng", "Hết hàng, đã báo khách", "Khách đặt trùng đơn",
                  "Không liên lạc được với khách"]
REFUND_REASONS = ["Chai bị vỡ khi vận chuyển", "Hàng không đúng mô tả", "Khách trả lại một hộp móp"]
PAYOUT_MINIMUM = 300_000


@dataclass
class Clock:
    """The demo's time: ``now()`` answers ``at``, a second later on each call, so the records written in one
    step keep their order."""

    at: datetime.datetime

    def now(self):
        self.at += datetime.timedelta(seconds=1)
        return self.at

    def set(self, at):
        self.at = at  # orders overlap: the next one may be placed before the last one was delivered


_NOW_USERS = ("django.utils.timezone", "oscar.apps.order.abstract_models", "oscar.apps.basket.abstract_models",
              "oscar.apps.partner.abstract_models")


@contextlib.contextmanager
def demo_clock(start):
    """Every ``timezone.now()`` (Django's and the copies Oscar imported) answers the demo's clock."""
    import importlib

    clock = Clock(start)
    modules = [importlib.import_module(name) for name in _NOW_USERS]
    saved = [(module, module.now) for module in modules]
    for module in modules:
        module.now = clock.now
    try:
        yield clock
    finally:
        for module, original in saved:
            module.now = original


def _months(today):
    first = today.replace(day=1)
    months = []
    for back in range(MONTHS - 1, -1, -1):
        year, month = first.year, first.month - back
        while month < 1:
            year, month = year - 1, month + 12
        months.append(datetime.date(year, month, 1))
    return months


def _month_end(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Trade:
    def __init__(self, *, today, vendors):
        from places.models import Ward

        self.rng = random.Random(SEED)
        self.today = today
        self.months = _months(today)
        self.start = self.months[0]
        self.vendors = sorted(vendors.values(), key=lambda v: v.code)
        self.wards = {code: list(Ward.objects.filter(province_id=code).order_by("code"))
                      for code, _weight in DELIVERY_PROVINCES}
        self.joined = self._joining_dates()
        self.records = self._records()
        self.original_stock = {r.pk: r.num_in_stock for r in self.records}
        self.country = get_model("address", "Country").objects.get(pk="VN")
        self.shoppers = []
        self.counts = {"orders": 0, "cancelled": 0, "refunds": 0, "payouts": 0}

    # --- who sells, who buys ----------------------------------------------------------------------
    def _joining_dates(self):
        """Most sellers were there a year and a quarter ago; the others joined month after month."""
        rng = random.Random(SEED + 1)
        joined = {}
        for vendor in self.vendors:
            if vendor.code == "NB-0001" or rng.random() < 0.7:
                joined[vendor.pk] = self.start - datetime.timedelta(days=rng.randint(20, 400))
            else:
                month = rng.choice(self.months[1:-1])
                joined[vendor.pk] = month + datetime.timedelta(days=rng.randint(0, 25))
        return joined

    def _records(self):
        return list(StockRecord.objects.filter(partner__vendor__in=self.vendors, product__is_public=True,
                                               num_in_stock__gt=0, price__isnull=False)
                    .select_related("product", "partner__vendor").order_by("pk"))

    def backdate_sellers(self):
        """Sellers, their products and stock records date from when each seller joined."""
        from vendors.models import Vendor

        for vendor in self.vendors:
            at = _local(self.joined[vendor.pk], 9)
            Vendor.objects.filter(pk=vendor.pk).update(created=at)
            records = StockRecord.objects.filter(partner_id=vendor.partner_id)
            Product.objects.filter(stockrecords__in=records).update(date_created=at)
            records.update(date_created=at)

    def authorise_invoicing(self):
        """A quarter of the cooperatives and enterprises let the marketplace issue their e-invoices, as the
        demo seller does, from the day they joined."""
        from invoicing.models import SellerInvoicingProfile

        rng = random.Random(SEED + 3)
        have = set(SellerInvoicingProfile.objects.values_list("vendor_id", flat=True))
        for vendor in self.vendors:
            if vendor.pk in have or len(vendor.tax_code) not in (10, 13) or rng.random() >= 0.25:
                continue
            SellerInvoicingProfile.objects.create(
                vendor=vendor, mode=SellerInvoicingProfile.MODE_AUTHORISED,
                vat_method=SellerInvoicingProfile.METHOD_DIRECT, management_code="YY", default_vat_rate="KCT",
                authorised_at=_local(self.joined[vendor.pk], 10), authorised_by=self.seller_users.get(vendor.pk),
                authorisation_scope="Hóa đơn điện tử cho các đơn hàng bán trên Chợ OCOP Hà Tĩnh")

    def _shoppers(self):
        User = get_user_model()
        rng = random.Random(SEED + 2)
        users = []
        for n in range(1, SHOPPERS + 1):
            first, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)}"
            user = User(username=f"khach{n:03d}", email=f"khach{n:03d}@{SHOPPER_DOMAIN}", first_name=first,
                        last_name=family)
            user.set_unusable_password()  # demo buyers never sign in: no password hashing
            users.append(user)
        User.objects.bulk_create(users)
        return list(User.objects.filter(email__endswith="@" + SHOPPER_DOMAIN).order_by("username"))

    def _address(self, name):
        code = self.rng.choices([c for c, _w in DELIVERY_PROVINCES], [w for _c, w in DELIVERY_PROVINCES])[0]
        ward = self.rng.choice(self.wards[code]) if self.wards[code] else None
        phone = f"09{self.rng.randint(10_000_000, 99_999_999)}"
        fields = {"first_name": name, "last_name": "", "line1": f"{self.rng.randint(1, 220)} "
                  f"{self.rng.choice(STREETS)}", "country": self.country, "phone_number": phone}
        if ward is not None:
            fields.update(line4=ward.name, state=ward.province.name, province_code=ward.province_id,
                          ward_code=ward.code)
        return ShippingAddress.objects.create(**fields)

    # --- what sells when ---------------------------------------------------------------------------
    def _weight(self, record, month):
        title = fold(record.product.title) + " "
        weight = 100.0 if record.partner.vendor.code == "NB-0001" else 1.0  # the demo login's seller is busy
        for words, months, boost in HARVESTS:
            if month.month in months and any(w in title for w in words):
                weight *= boost
        return weight

    def _pick(self, records, weights, exclude_vendor=None):
        for _attempt in range(20):
            record = self.rng.choices(records, weights)[0]
            if record.partner.vendor.pk != exclude_vendor:
                return record
        return None

    def _restock(self, record, quantity):
        """A seller restocks before running out (the demo's rows set the stock back at the end)."""
        record.refresh_from_db(fields=["num_in_stock", "num_allocated"])
        if record.num_in_stock - (record.num_allocated or 0) < quantity + 1:
            StockRecord.objects.filter(pk=record.pk).update(num_in_stock=record.num_in_stock + 60)

    # --- one order's story --------------------------------------------------------------------------
    def place(self, clock, placed_at, picks, shopper, email, method):
        from payments.models import Payment
        from payments.services import payment_create_for_order

        clock.set(placed_at)
        owner = shopper
        basket = Basket.objects.create(owner=owner)
        basket.strategy = Selector().strategy(user=owner)
        for record, quantity in picks:
            self._restock(record, quantity)
            basket.add_product(record.product, quantity)
        name = (f"{shopper.last_name} {shopper.first_name}" if shopper  # Vietnamese order: family name first
                else f"{self.rng.choice(FAMILY)} {self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}")
        address = self._address(name)
        method_obj = Repository().get_default_shipping_method(basket=basket, user=owner, shipping_addr=address)
        charge = method_obj.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        cod = method == Payment.COD
        order = OrderCreator().place_order(
            basket=basket, total=total, shipping_method=method_obj, shipping_charge=charge, user=owner,
            shipping_address=address, guest_email=email if owner is None else "",
            status=statuses.CASH_ON_DELIVERY if cod else statuses.AWAITING_PAYMENT)
        basket.submit()
        payment = payment_create_for_order(order=order, method=method)
        return order, payment

    def settle_vnpay(self, clock, payment, at, paid):
        """What VNPay's IPN (paid) or the reconciliation (never paid) does to the payment and the order."""
        from payments.models import Payment, PaymentEvent
        from payments.services import _settle

        clock.set(at)
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        source = _Gateway(paid=paid, at=at, number=payment.order.number)
        _settle(payment, source, kind=PaymentEvent.IPN if paid else PaymentEvent.EXPIRED, paid=paid)

    def story(self, clock, order, payment, placed_at):
        """Confirm, ship, deliver each part as days pass; stop where today is; a few cancel, a few refund."""
        from payments.models import Payment
        from payments.services import refund_line
        from vendors.models import Fulfilment
        from vendors.services import fulfilment_set_status

        now = self.real_now
        cod = payment.method == Payment.COD
        cancelled = False
        for part in order.fulfilments.select_related("vendor__partner").order_by("pk"):
            actor = self.seller_users.get(part.vendor.pk)
            at = placed_at + datetime.timedelta(hours=self.rng.randint(2, 20))
            steps = [(Fulfilment.CONFIRMED, at, {})]
            if cod and self.rng.random() < 0.06:
                steps.append((Fulfilment.CANCELLED, at + datetime.timedelta(hours=self.rng.randint(1, 30)),
                              {"reason": self.rng.choice(CANCEL_REASONS)}))
            else:
                shipped = at + datetime.timedelta(hours=self.rng.randint(6, 30))
                steps.append((Fulfilment.SHIPPED, shipped,
                              {"tracking_code": f"VTP{shipped:%y%m%d}{part.pk:05d}",
                               "carrier": self.rng.choice(["Viettel Post", "VNPost", "GHTK"])}))
                steps.append((Fulfilment.DELIVERED, shipped + datetime.timedelta(hours=self.rng.randint(20, 90)), {}))
            for status, when, extra in steps:
                if when >= now:
                    break
                clock.set(when)
                fulfilment_set_status(fulfilment=part, status=status, actor=actor, **extra)
                part.refresh_from_db()
                cancelled = cancelled or status == Fulfilment.CANCELLED
            if part.status == Fulfilment.DELIVERED and cod and self.rng.random() < 0.04:
                when = clock.at + datetime.timedelta(days=self.rng.randint(1, 4))
                if when < now:
                    clock.set(when)
                    line = part.lines().first()
                    refund_line(line=line, quantity=1, actor=actor, reason=self.rng.choice(REFUND_REASONS))
                    self.counts["refunds"] += 1
        self.counts["cancelled"] += cancelled

    def payouts(self, clock, month):
        """On the 5th the department pays each seller what the marketplace owes it (bank transfers)."""
        from vendors.ledger import payout_record
        from vendors.models import LedgerEntry

        day = month.replace(day=5)
        at = _local(day, 10)
        if at >= self.real_now:
            return
        clock.set(at)
        owed = (LedgerEntry.objects.filter(created__lt=at).values("vendor").annotate(balance=Sum("amount"))
                .filter(balance__gte=PAYOUT_MINIMUM).order_by("vendor"))
        by_pk = {v.pk: v for v in self.vendors}
        for row in owed:
            vendor = by_pk.get(row["vendor"])
            if vendor is None:
                continue
            with transaction.atomic():
                payout_record(vendor=vendor, amount=row["balance"], reference=f"UNC-{day:%Y%m}-{vendor.code}",
                              paid_on=day, recorded_by=self.department)
            self.counts["payouts"] += 1

    # --- the months -----------------------------------------------------------------------------------
    def run(self):
        from payments.models import Payment

        self.real_now = timezone.now()
        self.shoppers = self._shoppers()
        self.seller_users = {}
        for vendor in self.vendors:
            user = vendor.partner.users.order_by("pk").first()
            if user:
                self.seller_users[vendor.pk] = user
        from marketplace.roles import DEPARTMENT_GROUP

        self.department = get_user_model().objects.filter(groups__name=DEPARTMENT_GROUP).order_by("pk").first()
        self.backdate_sellers()
        self.authorise_invoicing()
        regulars = self.shoppers[: SHOPPERS // 4]  # a quarter of the buyers come back again and again
        with demo_clock(_local(self.start, 7)) as clock:
            for index, month in enumerate(self.months):
                if index:
                    self.payouts(clock, month)
                end = min(_month_end(month), self.today + datetime.timedelta(days=1))
                days = (end - month).days
                count = round(BASE_ORDERS * SEASON[month.month] * (1 + GROWTH) ** index * days / 30)
                available = [r for r in self.records if self.joined[r.partner.vendor.pk] <= month]
                weights = [self._weight(r, month) for r in available]
                share_vnpay = 0.35 + 0.25 * index / (MONTHS - 1)
                moments = sorted(_local(month + datetime.timedelta(days=self.rng.randrange(days)),
                                        self.rng.randint(7, 21), self.rng.randrange(60)) for _ in range(count))
                for placed_at in moments:
                    if placed_at >= self.real_now - datetime.timedelta(hours=1):
                        continue
                    first = self._pick(available, weights)
                    picks = [(first, self.rng.choice([1, 1, 1, 2, 2, 3]))]
                    if self.rng.random() < 0.3:  # a second product of the same seller
                        same = [r for r in available if r.partner_id == first.partner_id and r.pk != first.pk]
                        if same:
                            picks.append((self.rng.choice(same), 1))
                    if self.rng.random() < 0.22:  # a basket across sellers
                        other = self._pick(available, weights, exclude_vendor=first.partner.vendor.pk)
                        if other:
                            picks.append((other, self.rng.choice([1, 1, 2])))
                    roll = self.rng.random()
                    shopper = (self.rng.choice(regulars) if roll < 0.35 else self.rng.choice(self.shoppers)
                               if roll < 0.7 else None)
                    email = "" if shopper else f"khach.le.{self.counts['orders'] + 1:04d}@{SHOPPER_DOMAIN}"
                    method = Payment.VNPAY if self.rng.random() < share_vnpay else Payment.COD
                    with transaction.atomic():
                        order, payment = self.place(clock, placed_at, picks, shopper, email, method)
                        if method == Payment.VNPAY:
                            paid = self.rng.random() >= 0.05  # a few shoppers give up on the payment page
                            minutes = self.rng.randint(1, 6) if paid else 20
                            when = placed_at + datetime.timedelta(minutes=minutes)
                            if when >= self.real_now:
                                continue
                            self.settle_vnpay(clock, payment, when, paid)
                            if not paid:
                                self.counts["orders"] += 1
                                self.counts["cancelled"] += 1
                                continue
                        self.story(clock, order, payment, placed_at)
                    self.counts["orders"] += 1
        self._stock_back()
        return self.counts

    def _stock_back(self):
        """The catalogue's rows say how much each seller has in stock: put it back (re-running changes nothing)."""
        for record in StockRecord.objects.filter(pk__in=self.original_stock):
            target = max(self.original_stock[record.pk], record.num_allocated or 0)
            if record.num_in_stock != target:
                StockRecord.objects.filter(pk=record.pk).update(num_in_stock=target)


class _Gateway:
    """VNPay's answer as the IPN carries it (the fields ``_settle`` records)."""

    def __init__(self, *, paid, at, number):
        self.response_code = self.transaction_status = "00" if paid else "24"
        self.transaction_no = f"14{number}" if paid else ""
        self.bank_code = "NCB" if paid else ""
        self.bank_tran_no = f"VNP{number}" if paid else ""
        self.card_type = "ATM" if paid else ""
        self.pay_date = at if paid else None


def load_trade(*, today, vendors):
    """Generate the demo's months of trade once; returns counts (all zero when it was there already)."""
    if get_user_model().objects.filter(email__endswith="@" + SHOPPER_DOMAIN).exists():
        return {"orders": 0, "cancelled": 0, "refunds": 0, "payouts": 0}
    # The demo's shoppers get no e-mails, and invoices wait for the scheduler to send them to the provider
    # (nothing is listening while the demo loads).
    import payments.services

    send = payments.services.order_confirmation_send
    payments.services.order_confirmation_send = lambda order: None
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                               EINVOICE_SEND_ON_ISSUE=False):
            return Trade(today=today, vendors=vendors).run()
    finally:
        payments.services.order_confirmation_send = send
