"""Sellers list their own products; the department moderates new products and description changes."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.models import Site

from catalogue.models import ListingChange, OcopCertificate, Product
from marketplace.cms.models import MarketplaceRules
from marketplace.roles import DEPARTMENT_GROUP
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


def jpeg(size=(80, 60)):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make: must not survive re-encoding
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def form(**overrides):
    data = {"title": "Kẹo cu đơ Mới", "description": "Kẹo mật mía, lạc rang", "ocop_code": "I.3.b",
            "sales_unit": "hộp", "price": "55000", "stock": "30"}
    data.update(overrides)
    return data


@pytest.fixture
def sellers(client):
    result = {}
    for key in ("a", "b"):
        vendor = create_vendor(name=f"Người bán {key.upper()}")
        user = get_user_model().objects.create_user(username=f"u{key}", email=f"{key}@example.com", password="x")
        vendor.partner.users.add(user)
        result[key] = (vendor, user)
    return result


@pytest.fixture
def reviewer():
    user = get_user_model().objects.create_user(username="sct", email="sct@example.com", password="x")
    user.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    return user


def test_new_product_waits_for_moderation_then_goes_live(client, sellers, reviewer):
    vendor, user = sellers["a"]
    client.force_login(user)
    picture = SimpleUploadedFile("anh.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(reverse("seller:product-create"), {
        **form(), "image": picture, "certificate_number": "77/QĐ-UBND", "certificate_stars": "3",
        "certificate_issuer": "UBND tỉnh Hà Tĩnh", "certificate_issue_date": "01/06/2026"})
    assert response.status_code == 302
    product = Product.objects.get(title="Kẹo cu đơ Mới")
    assert not product.is_public
    assert "Kẹo cu đơ Mới" not in client.get("/catalogue/").content.decode()
    assert product.stockrecords.get().price == 55000
    assert product.certificates.get().status == OcopCertificate.STATUS_PENDING

    client.force_login(reviewer)
    change = ListingChange.objects.get(product=product)
    assert "Kẹo cu đơ Mới" in client.get(reverse("listings:list")).content.decode()
    assert client.post(reverse("listings:detail", kwargs={"pk": change.pk}), {"action": "approve"}).status_code == 302
    product.refresh_from_db()
    assert product.is_public and product.images.count() == 1
    with Image.open(product.images.get().original.path) as stored:
        assert 0x010F not in stored.getexif()  # metadata stripped
    client.logout()
    page = client.get(product.get_absolute_url())
    assert page.status_code == 200 and "ocop-badge" not in page.content.decode()  # certificate not verified yet
    assert "Kẹo cu đơ Mới" in client.get("/catalogue/").content.decode()


def test_edit_applies_price_now_and_description_after_moderation(client, sellers, reviewer):
    vendor, user = sellers["a"]
    product = create_product(vendor=vendor, title="Nước mắm Cũ", price=90000, ocop_code="I.4.a")
    client.force_login(user)
    url = reverse("seller:product-edit", kwargs={"pk": product.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, form(title="Nước mắm Mới", ocop_code="I.4.a", price="95000", stock="12"))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title == "Nước mắm Cũ" and product.is_public  # still live as it was
    assert product.stockrecords.get().price == 95000 and product.stockrecords.get().num_in_stock == 12
    change = ListingChange.objects.get(product=product, status=ListingChange.PENDING)
    client.force_login(reviewer)
    detail = reverse("listings:detail", kwargs={"pk": change.pk})
    assert client.post(detail, {"action": "reject"}).status_code == 400  # a reason is required
    assert client.post(detail, {"action": "reject", "reason": "Tên chưa đúng"}).status_code == 302
    product.refresh_from_db()
    assert product.title == "Nước mắm Cũ"
    assert client.post(detail, {"action": "approve"}).status_code == 400  # already reviewed


def test_without_moderation_products_go_live_at_once(client, sellers):
    rules = MarketplaceRules.for_site(Site.objects.get(is_default_site=True))
    rules.listing_moderation = False
    rules.save()
    vendor, user = sellers["a"]
    client.force_login(user)
    assert client.post(reverse("seller:product-create"), form(title="Chè xanh Ngay")).status_code == 302
    product = Product.objects.get(title="Chè xanh Ngay")
    assert product.is_public and not ListingChange.objects.filter(product=product).exists()


def test_sellers_cannot_touch_other_sellers_products(client, sellers):
    vendor_b, _ = sellers["b"]
    other = create_product(vendor=vendor_b, title="Hàng của B", price=10000)
    _, user_a = sellers["a"]
    client.force_login(user_a)
    url = reverse("seller:product-edit", kwargs={"pk": other.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, form(title="Chiếm quyền", price="1")).status_code == 404
    other.refresh_from_db()
    assert other.title == "Hàng của B" and other.stockrecords.get().price == 10000
    assert "Hàng của B" not in client.get(reverse("seller:products")).content.decode()


NOT_A_PICTURE = "Tệp này không phải ảnh JPEG hoặc PNG hợp lệ."


@pytest.mark.parametrize("name, content, message", [
    ("virus.jpg", b"MZ\x90\x00" + b"\x00" * 200, NOT_A_PICTURE),
    ("cut.jpg", jpeg()[:120], NOT_A_PICTURE),
    ("anim.gif", b"GIF89a" + b"\x00" * 50, NOT_A_PICTURE),
])
def test_bad_pictures_are_refused_and_nothing_is_saved(client, sellers, name, content, message):
    _, user = sellers["a"]
    client.force_login(user)
    response = client.post(reverse("seller:product-create"),
                           {**form(title="Ảnh xấu"), "image": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert response.context["form"].errors["image"] == [message]
    assert not Product.objects.filter(title="Ảnh xấu").exists()


def test_oversized_picture_is_refused(client, sellers, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    _, user = sellers["a"]
    client.force_login(user)
    response = client.post(reverse("seller:product-create"),
                           {**form(title="Ảnh to"), "image": SimpleUploadedFile("big.jpg", jpeg((400, 400)))})
    assert response.status_code == 400 and not Product.objects.filter(title="Ảnh to").exists()


def test_moderation_is_for_the_department_only(client, sellers):
    _, user = sellers["a"]
    client.force_login(user)
    assert client.get(reverse("listings:list")).status_code == 403
