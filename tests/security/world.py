"""One small marketplace with an object behind every URL parameter, and a user for every role.

Seller A owns everything seller-side (product, fulfilment, invoice, listing change, certificate); seller B
is "the other seller" who must never reach A's objects. The shopper owns the customer-side objects
(order, address, wishlist, alert, e-mail, notification, draft application). The community assistant
filed an assisted application that was submitted, so the department has one to review.
"""
import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from oscar.core.loading import get_model

from marketplace.roles import COMMUNITY_GROUP

ROLES = ("anonymous", "shopper", "seller_a", "seller_b", "assistant", "department", "admin")


class World:
    """The objects (``world["product"]``) and users (``world.users["seller_a"]``) of the test marketplace."""

    def __init__(self):
        self.users, self.obj, self.errors, self.sessions = {}, {}, {}, {}

    def __repr__(self):  # hypothesis prints its arguments on failure: keep it short
        return f"<World of {len(self.obj)} objects>"

    def __getitem__(self, key):
        if key in self.errors:
            raise AssertionError(f"The test world could not build {key!r}: {self.errors[key]}")
        return self.obj[key]

    def guarded(self, key, build):
        """Objects of apps being changed right now: a failure only fails the URLs that need them."""
        from django.db import transaction

        try:
            with transaction.atomic():
                self.obj[key] = build()
        except Exception as exc:  # noqa: BLE001  (reported by every test that needs the object)
            self.errors[key] = f"{type(exc).__name__}: {exc}"


def _user(username, **flags):
    return get_user_model().objects.create_user(username=username, email=f"{username}@example.com",
                                                password="Sec-test-12345", **flags)


def _seller_user(username, vendor):
    user = _user(username)
    vendor.partner.users.add(user)
    # As approval does (onboarding.services._grant_seller_access): the partner's user, no Oscar dashboard.
    return user


def build_world():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from catalogue.models import ListingChange, OcopCertificate

    def invoice_issue_for_fulfilment(**kwargs):
        from invoicing.services import invoice_issue_for_fulfilment as issue

        return issue(**kwargs)
    from marketplace.demo.pages import load_pages
    from marketplace.demo.users import department_group
    from onboarding import services as onboarding
    from onboarding.models import ApplicationDocument
    from tests.factories import create_product
    from tests.invoicing.factories import create_delivered_part, create_invoicing_vendor
    from tests.onboarding.conftest import fill_application

    w = World()
    home, _ = load_pages([])
    w.obj["home"] = home
    w.obj["news_page"] = home.get_descendants().live().specific().filter(depth=home.depth + 2).first()

    vendor_a = create_invoicing_vendor(code="SEC-A")
    vendor_b = create_invoicing_vendor(code="SEC-B")
    w.obj.update(vendor_a=vendor_a, vendor_b=vendor_b)
    w.users["seller_a"] = _seller_user("seller_a", vendor_a)
    w.users["seller_b"] = _seller_user("seller_b", vendor_b)
    w.users["shopper"] = shopper = _user("shopper")
    w.users["assistant"] = assistant = _user("assistant")
    assistant.groups.add(Group.objects.get_or_create(name=COMMUNITY_GROUP)[0])
    # As the demo makes it: staff (Oscar dashboard, Django admin login) in the group with the CMS rights.
    w.users["department"] = department = _user("department", is_staff=True)
    department.groups.add(department_group(home))
    w.users["admin"] = get_user_model().objects.create_superuser(username="admin", email="admin@example.com",
                                                                  password="Sec-test-12345")

    product = create_product(vendor=vendor_a, title="Kẹo cu đơ SEC A", price=150000, stock=50, stars=3)
    product_b = create_product(vendor=vendor_b, title="Nước mắm SEC B", price=90000, stock=50)
    w.obj.update(product=product, product_b=product_b)
    certificate = OcopCertificate.objects.filter(product=product).get()
    certificate.status = OcopCertificate.STATUS_PENDING
    certificate.save(update_fields=["status"])
    w.obj["certificate"] = certificate
    w.obj["listing_change"] = ListingChange.objects.create(
        product=product, vendor=vendor_a, kind=ListingChange.EDIT, data={"title": "Kẹo cu đơ SEC A mới"},
        submitted_by=w.users["seller_a"])
    # A year report file the department had prepared (aggregates only).
    from reports.models import ReportExport

    w.obj["report_export"] = ReportExport.objects.create(
        fmt="csv", period_kind="year", period_start="2026-01-01", period_end="2026-12-31", language="vi",
        data_version="world", status=ReportExport.READY, progress=100, filename="bao-cao-ocop-2026.csv",
        content_type="text/csv; charset=utf-8", content=b"a,b\n")

    # The shopper's order with a delivered part of seller A, invoiced; and a guest order.
    part = create_delivered_part(vendor=vendor_a, items=[(product, 1, 150000, 0)], user=shopper)
    w.obj.update(part=part, order=part.order, line=part.order.lines.get())
    guest_part = create_delivered_part(vendor=vendor_a, items=[(product, 1, 150000, 0)])
    w.obj["guest_order"] = guest_part.order
    w.guarded("invoice", lambda: invoice_issue_for_fulfilment(fulfilment=part))
    w.guarded("guest_invoice", lambda: invoice_issue_for_fulfilment(fulfilment=guest_part))

    _customer_objects(w, shopper, product)
    _dashboard_objects(w, product)

    # Applications: the shopper's own draft; an assisted one, submitted, with a private document.
    draft = onboarding.vendor_application_start(user=shopper)
    draft = fill_application(draft, shopper, legal_name="HTX Bản nháp SEC", tax_code="0100109106")
    w.obj["draft"] = draft
    w.obj["draft_document"] = draft.documents.get()
    w.obj["draft_product"] = draft.products.get()
    assisted = onboarding.vendor_application_start_assisted(assistant=assistant)
    assisted = fill_application(assisted, assistant, legal_name="Hộ kinh doanh SEC", tax_code="0100233488")
    w.obj["submitted"] = onboarding.vendor_application_submit(application=assisted, actor=assistant)
    w.obj["submitted_document"] = assisted.documents.filter(kind=ApplicationDocument.BUSINESS_REGISTRATION).get()
    document = get_document_model()(title="Quy chế sàn")
    document.file.save("quy-che.txt", ContentFile(b"Quy che san"), save=True)
    w.obj["cms_document"] = document
    from wagtail.models import Site

    from marketplace.cms.models import DepartmentContact

    w.obj["department_contact"] = DepartmentContact.for_site(Site.objects.get(is_default_site=True))
    return w


def _customer_objects(w, shopper, product):
    UserAddress = get_model("address", "UserAddress")
    Country = get_model("address", "Country")
    WishList = get_model("wishlists", "WishList")
    ProductAlert = get_model("customer", "ProductAlert")
    Email = get_model("communication", "Email")
    Notification = get_model("communication", "Notification")
    ProductReview = get_model("reviews", "ProductReview")

    country = Country.objects.get(iso_3166_1_a2="VN")
    w.obj["address"] = UserAddress.objects.create(
        user=shopper, first_name="Lan", last_name="Nguyễn", line1="12 Trần Phú", line4="Phường Thành Sen",
        country=country, phone_number="+84912345678")
    wishlist = WishList.objects.create(owner=shopper, name="Quà Tết", visibility=WishList.PUBLIC)
    w.obj["wishlist"] = wishlist
    w.obj["wishlist_line"] = wishlist.lines.create(product=product, title=product.title)
    w.obj["wishlist_2"] = WishList.objects.create(owner=shopper, name="Để dành")
    alert = ProductAlert.objects.create(user=shopper, product=product, status=ProductAlert.ACTIVE)
    w.obj["alert"] = alert
    w.obj["anonymous_alert"] = ProductAlert.objects.create(email="khach@example.com", product=product,
                                                           key="seckey0123456789", status=ProductAlert.UNCONFIRMED)
    w.obj["email"] = Email.objects.create(user=shopper, email=shopper.email, subject="Đơn hàng", body_text="x")
    w.obj["notification"] = Notification.objects.create(recipient=shopper, subject="Tin nhắn")
    w.obj["review"] = ProductReview.objects.create(product=product, user=shopper, score=5, title="Ngon",
                                                   body="Ngon lắm", status=ProductReview.APPROVED)


def _dashboard_objects(w, product):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    Range = get_model("offer", "Range")
    Condition = get_model("offer", "Condition")
    Benefit = get_model("offer", "Benefit")
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    Voucher = get_model("voucher", "Voucher")
    VoucherSet = get_model("voucher", "VoucherSet")
    OrderNote = get_model("order", "OrderNote")
    Option = get_model("catalogue", "Option")
    AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
    CommunicationEventType = get_model("communication", "CommunicationEventType")
    WeightBased = get_model("shipping", "WeightBased")
    WeightBand = get_model("shipping", "WeightBand")

    rng = Range.objects.create(name="Ưu đãi SEC", slug="uu-dai-sec", is_public=True, includes_all_products=True)
    w.obj["range"] = rng
    condition = Condition.objects.create(range=rng, type=Condition.COUNT, value=1)
    benefit = Benefit.objects.create(range=rng, type=Benefit.PERCENTAGE, value=Decimal("10"))
    w.obj["offer"] = ConditionalOffer.objects.create(name="Giảm 10% SEC", slug="giam-10-sec", condition=condition,
                                                     benefit=benefit, offer_type=ConditionalOffer.SITE,
                                                     status=ConditionalOffer.SUSPENDED)
    voucher_offer = ConditionalOffer.objects.create(name="Mã SEC", slug="ma-sec", condition=condition,
                                                    benefit=benefit, offer_type=ConditionalOffer.VOUCHER)
    voucher = Voucher.objects.create(name="Mã SEC", code="SEC10", start_datetime=datetime.datetime(2026, 1, 1,
                                     tzinfo=datetime.timezone.utc), end_datetime=datetime.datetime(2030, 1, 1,
                                     tzinfo=datetime.timezone.utc))
    voucher.offers.add(voucher_offer)
    w.obj["voucher"] = voucher
    w.obj["voucher_set"] = VoucherSet.objects.create(
        name="Bộ mã SEC", count=1, code_length=8, start_datetime=voucher.start_datetime,
        end_datetime=voucher.end_datetime)
    w.obj["order_note"] = OrderNote.objects.create(order=w.obj["order"], message="Ghi chú")
    w.obj["option"] = Option.objects.create(name="Khắc tên")
    w.obj["option_group"] = AttributeOptionGroup.objects.create(name="Kích cỡ")
    w.obj["comms"] = CommunicationEventType.objects.create(code="SEC_EVENT", name="Sự kiện SEC")
    method = WeightBased.objects.create(name="Theo cân nặng SEC", code="sec-weight")
    w.obj["weight_method"] = method
    w.obj["weight_band"] = WeightBand.objects.create(method=method, upper_limit=Decimal("5"), charge=Decimal("30000"))
    page = FlatPage.objects.create(url="/gioi-thieu-sec/", title="Giới thiệu", content="Giới thiệu")
    page.sites.add(Site.objects.get_current())
    w.obj["flatpage"] = page
    from oscar.apps.catalogue.categories import create_from_breadcrumbs

    category = create_from_breadcrumbs("Thực phẩm SEC > Kẹo SEC")
    get_model("catalogue", "ProductCategory").objects.create(product=product, category=category)
    w.obj["category"] = category
    w.obj["product_class"] = product.product_class
