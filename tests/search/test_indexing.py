"""The search columns follow the product, its stock records and its seller, after commit."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import Product
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


def test_renamed_seller_is_found_after_commit(client, django_capture_on_commit_callbacks):
    vendor = create_vendor(name="HTX Cũ")
    product = create_product(vendor=vendor, title="Chè xanh Sơn Kim")
    with django_capture_on_commit_callbacks(execute=True):
        vendor.partner.name = "HTX Chè Xanh Vũ Quang"
        vendor.partner.save()
    product.refresh_from_db()
    assert "htx che xanh vu quang" in product.search_seller
    response = client.get("/search/", {"q": "htx che xanh vu quang"})
    assert [p.title for p in response.context["products"]] == ["Chè xanh Sơn Kim"]


def test_rebuild_command(vendor):
    product = create_product(vendor=vendor, title="Mật ong Rừng")
    Product.objects.filter(pk=product.pk).update(search_text="", search_title="", search_seller="")
    out = StringIO()
    call_command("search_index", "--rebuild", stdout=out)
    assert "1 products changed" in out.getvalue()
    product.refresh_from_db()
    assert product.search_title == "mat ong rung"
    out = StringIO()
    call_command("search_index", "--rebuild", stdout=out)
    assert "0 products changed" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("search_index", stdout=StringIO())
