"""The department moderates a listing change by what changes: Vietnamese labels, before and after, the words
removed and added in a description, pictures side by side; never the model's field names."""
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalogue.listings import listing_update
from catalogue.models import ListingChange, Product
from marketplace.roles import DEPARTMENT_GROUP
from tests.e2e.helpers import english_on_page
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("moi.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def reviewer(client):
    user = get_user_model().objects.create_user(username="sct", email="sct@example.com", password="x")
    user.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    client.force_login(user)
    return user


def visible(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_change_shows_labels_before_after_and_the_words_changed(client, reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vendor = create_vendor(name="HTX Mật ong Vũ Quang")
    product = create_product(vendor=vendor, title="Mật ong rừng", ocop_code="I.2.b")
    Product.objects.filter(pk=product.pk).update(description="Mật ong rừng nguyên chất, thu hoạch tháng ba.")
    product.refresh_from_db()
    user = get_user_model().objects.create_user(username="seller", email="s@example.com", password="x")
    change = listing_update(product=product, vendor=vendor, user=user, price=150000, stock=5, image=jpeg(), data={
        "title": "Mật ong rừng", "description": "Mật ong rừng nguyên chất, thu hoạch tháng tư.",
        "ocop_code": "I.2.b", "sales_unit": "chai", "is_typical_specialty": False,
        "other_certifications": "VietGAP"})
    assert set(change.data) == {"description", "sales_unit", "is_typical_specialty", "other_certifications"}

    page = client.get(reverse("listings:detail", kwargs={"pk": change.pk})).content.decode()
    text = visible(page)
    for label in ("Mô tả", "Đơn vị bán", "Đặc sản tiêu biểu của Hà Tĩnh", "Chứng nhận khác", "Hiện tại", "Đề xuất"):
        assert label in text, label
    for raw in ("description", "sales_unit", "is_typical_specialty", "other_certifications", "False", "True"):
        assert raw not in text, raw
    assert english_on_page(text, allowed=["VietGAP"]) == []
    # The description as a word diff: the old word struck out, the new one inserted, the rest as it was.
    assert re.search(r"<del[^>]*>ba\.</del><ins[^>]*>tư\.</ins>", page)
    assert "Mật ong rừng nguyên chất, thu hoạch tháng " in text
    # Yes/no in words, before and after.
    row = re.search(r'data-field="is_typical_specialty".*?</tr>', page, re.S).group(0)
    assert re.search(r"<td>Có</td>\s*<td>Không</td>", row)
    # The proposed picture next to the current one.
    assert 'alt="Ảnh đề xuất"' in page and change.image.url in page

    # Approve and reject, each with its reason; rejecting without one is refused with a message.
    response = client.post(reverse("listings:detail", kwargs={"pk": change.pk}), {"action": "reject"})
    assert response.status_code == 400 and "lý do" in response.content.decode().lower()
    client.post(reverse("listings:detail", kwargs={"pk": change.pk}),
                {"action": "approve", "reason": "Đúng với hồ sơ"})
    change.refresh_from_db()
    product.refresh_from_db()
    assert change.status == ListingChange.APPROVED and change.reason == "Đúng với hồ sơ"
    assert product.description.endswith("tháng tư.") and product.sales_unit == "chai"
    decided = visible(client.get(reverse("listings:detail", kwargs={"pk": change.pk})).content.decode())
    assert "Đúng với hồ sơ" in decided


def test_a_new_product_shows_every_proposed_field_with_its_label(client, reviewer):
    vendor = create_vendor(name="Cơ sở Kẹo cu đơ")
    product = create_product(vendor=vendor, title="Kẹo cu đơ")
    change = ListingChange.objects.create(product=product, vendor=vendor, kind=ListingChange.NEW, data={
        "title": "Kẹo cu đơ Thành Đạt", "description": "Kẹo mật mía, lạc rang.", "ocop_code": "I.3.b",
        "sales_unit": "hộp", "is_typical_specialty": True, "other_certifications": ""})
    text = visible(client.get(reverse("listings:detail", kwargs={"pk": change.pk})).content.decode())
    for label in ("Tên sản phẩm", "Mô tả", "Nhóm sản phẩm OCOP", "Đơn vị bán", "Sản phẩm mới"):
        assert label in text, label
    assert "I.3.b – " in text  # the group's code with its Vietnamese name
    assert "ocop_code" not in text and "is_typical_specialty" not in text
