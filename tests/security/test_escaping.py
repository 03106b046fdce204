"""Script payloads typed into every rich or free text field come back escaped or stripped on public pages.

Each payload goes in through the public surface (the seller workspace, the import command, the review
form, the application form, Wagtail's editor) and the test reads the public page (and, where there is
one, the department's page): the markup must not be there as markup.
"""
import csv
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.product_import import COLUMNS

from .conftest import client_for

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")

PAYLOAD = ('<script>alert("xss-1")</script><img src=x onerror="alert(\'xss-2\')">'
           '<a href="javascript:alert(\'xss-3\')">link</a><svg onload=alert(4)></svg><iframe src="//evil.example"></iframe>')


def executable_markup(html):
    """The payload's pieces that would run if the page holds them as markup (escaped text does not match)."""
    found = []
    for pattern in (r"<script>alert\(", r"<img[^>]*\bonerror\s*=", r"href\s*=\s*\"?javascript:", r"<svg[^>]*onload",
                    r"<iframe[^>]*evil\.example"):
        if re.search(pattern, html, flags=re.IGNORECASE):
            found.append(pattern)
    return found


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def approve_pending_changes(world, product):
    from catalogue.models import ListingChange

    department = client_for(world, "department")
    for change in ListingChange.objects.filter(product=product, status=ListingChange.PENDING):
        detail = reverse("listings:detail", kwargs={"pk": change.pk})
        assert not executable_markup(page(department, detail)), "the moderation page itself runs the payload"
        assert department.post(detail, {"action": "approve"}).status_code == 302




# --- product descriptions ----------------------------------------------------------------------------
def test_product_title_from_the_workspace_is_escaped_everywhere(world):
    seller = client_for(world, "seller_a")
    response = seller.post(reverse("seller:product-create"), {
        "title": f"Kẹo {PAYLOAD}"[:255], "description": "Kẹo", "ocop_code": "I.3.b", "sales_unit": "hộp",
        "price": "50000", "stock": "5"})
    assert response.status_code == 302
    product = Product.objects.get(title__startswith="Kẹo <script>")
    approve_pending_changes(world, product)
    anonymous = client_for(world, "anonymous")
    for url in (product.get_absolute_url(), "/catalogue/", "/search/?q=K%E1%BA%B9o",
                reverse("vendors:storefront", kwargs={"slug": world["vendor_a"].slug})):
        assert not executable_markup(page(anonymous, url)), url
    assert not executable_markup(page(seller, reverse("seller:products")))


def test_product_description_from_the_workspace_is_escaped_on_the_product_page(world):
    seller = client_for(world, "seller_a")
    response = seller.post(reverse("seller:product-create"), {
        "title": "Kẹo mô tả", "description": f"Kẹo ngon {PAYLOAD}", "ocop_code": "I.3.b", "sales_unit": "hộp",
        "price": "50000", "stock": "5"})
    assert response.status_code == 302
    product = Product.objects.get(title="Kẹo mô tả")
    approve_pending_changes(world, product)
    html = page(client_for(world, "anonymous"), product.get_absolute_url())
    assert "Kẹo ngon" in html
    assert not executable_markup(html)


def test_product_description_from_the_import_is_escaped_on_the_product_page(world, tmp_path):
    row = {column: "" for column in COLUMNS}
    row.update(product_code="XSS-1", name="Mật ong nhập", ocop_code="I.3.b", seller_code="SEC-A", commune="18073",
               price="120000", stock="5", typical_specialty="có", description=f"Mật ong {PAYLOAD}")
    path = tmp_path / "xss.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    call_command("import_ocop_products", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    product = Product.objects.get(upc="XSS-1")
    html = page(client_for(world, "anonymous"), product.get_absolute_url())
    assert "Mật ong" in html
    assert not executable_markup(html)


def oscar_form_payload(response):
    """What the browser would send back from Oscar's product form: every form and formset as rendered."""
    data = {}
    for key in response.context.keys():
        value = response.context[key]
        forms = []
        if hasattr(value, "management_form"):
            management = value.management_form
            for name in management.fields:
                data[management.add_prefix(name)] = management[name].value()
            initial = value.initial_form_count()
            data[management.add_prefix("TOTAL_FORMS")] = initial  # no new (extra) rows
            forms = list(value.forms)[:initial]
        elif hasattr(value, "fields") and hasattr(value, "add_prefix") and hasattr(value, "is_bound"):
            forms = [value]
        for form in forms:
            for name, field in form.fields.items():
                current = form[name].value()
                if current is None or getattr(field.widget, "input_type", "") == "file":
                    continue
                if isinstance(current, (list, tuple)):
                    data[form.add_prefix(name)] = [str(v) for v in current]
                elif isinstance(current, bool):
                    if current:
                        data[form.add_prefix(name)] = "on"
                else:
                    data[form.add_prefix(name)] = str(current)
    return data


def test_sellers_cannot_bypass_moderation_through_oscars_dashboard(world):
    product = world["product"]
    seller = client_for(world, "seller_a")
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    response = seller.get(url)
    if response.status_code in (302, 403, 404):
        return  # the route is closed: nothing to bypass
    payload = oscar_form_payload(response)
    payload.update(title="Đổi tên không qua kiểm duyệt", description=f"Mô tả {PAYLOAD}")
    seller.post(url, payload)
    product.refresh_from_db()
    assert product.title != "Đổi tên không qua kiểm duyệt", "the title changed without moderation"
    assert PAYLOAD not in product.description


# --- seller story, reviews, applications ----------------------------------------------------------
def test_seller_story_is_escaped_on_the_storefront(world):
    vendor = world["vendor_a"]
    response = client_for(world, "seller_a").post(reverse("seller:profile"), {
        "description": f"Câu chuyện {PAYLOAD}", "phone": "0912345678", "email": "a@example.com",
        "commune": vendor.commune_id, "street_address": "Thôn 5", "shipping_fee": "30000", "free_shipping_over": ""})
    assert response.status_code == 302
    anonymous = client_for(world, "anonymous")
    for url in (reverse("vendors:storefront", kwargs={"slug": vendor.slug}), reverse("vendors:list"),
                world["product"].get_absolute_url()):
        html = page(anonymous, url)
        assert not executable_markup(html), url


def test_reviews_are_escaped(world):
    product = world["product_b"]
    client = client_for(world, "seller_a")  # anyone logged in may review a product they did not sell
    url = reverse("catalogue:reviews-add", kwargs={"product_slug": product.slug, "product_pk": product.pk})
    response = client.post(url, {"title": f"Tiêu đề {PAYLOAD}"[:255], "body": f"Nội dung {PAYLOAD}", "score": "5"})
    assert response.status_code == 302
    review = product.reviews.get()
    anonymous = client_for(world, "anonymous")
    for target in (product.get_absolute_url(),
                   reverse("catalogue:reviews-list", kwargs={"product_slug": product.slug, "product_pk": product.pk}),
                   reverse("catalogue:reviews-detail", kwargs={"product_slug": product.slug,
                                                               "product_pk": product.pk, "pk": review.pk})):
        html = page(anonymous, target)
        assert not executable_markup(html), target


def test_application_fields_are_escaped_for_the_department(world):
    from onboarding import services
    from tests.onboarding.conftest import fill_application

    applicant = world.users["shopper"]
    draft = world["draft"]
    shopper = client_for(world, "shopper")
    step = reverse("onboarding:step", kwargs={"pk": draft.pk, "step": "loai-hinh"})
    response = shopper.post(step, {"seller_type": "cooperative", "legal_name": f"HTX {PAYLOAD}"[:120],
                                   "tax_code": ""})
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.legal_name.startswith("HTX <script>")
    product_step = reverse("onboarding:step", kwargs={"pk": draft.pk, "step": "san-pham"})
    shopper.post(product_step, {"name": f"Kẹo {PAYLOAD}"[:200], "classification": "", "stars": ""})
    assert not executable_markup(page(shopper, reverse("onboarding:status", kwargs={"pk": draft.pk})))
    application = fill_application(draft, applicant, legal_name=draft.legal_name, tax_code="0100109106")
    services.vendor_application_submit(application=application, actor=applicant)
    department = client_for(world, "department")
    for url in (reverse("review:queue"), reverse("review:application", kwargs={"pk": draft.pk})):
        assert not executable_markup(page(department, url)), url


# --- Wagtail pages: RichText, StreamField, editor-typed links -------------------------------------------
#: Draftail's wire format, written by hand: a script as text, a javascript: link and a raw HTML entity.
RAW_CONTENTSTATE = json.dumps({
    "blocks": [{"key": "a1b2c", "type": "unstyled", "depth": 0, "text": '<script>alert("xss-1")</script> bấm vào',
                "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 8, "key": 0},
                                                          {"offset": 9, "length": 3, "key": 1}]}],
    "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert('xss-3')"}},
                  "1": {"type": "EMBED", "mutability": "IMMUTABLE",
                        "data": {"url": "javascript:alert(5)", "html": "<img src=x onerror=alert('xss-2')>"}}},
})


def news_form(title, slug, body_html, callout_url="/catalogue/"):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    return nested_form_data({
        "title": title, "slug": slug, "date": "2026-11-27", "intro": f"Tóm tắt {PAYLOAD}"[:300],
        "body": streamfield([
            ("heading", f"Tiêu đề {PAYLOAD}"),
            ("paragraph", rich_text(body_html)),
            ("paragraph", RAW_CONTENTSTATE),  # what a hand-made POST can send, bypassing the browser's editor
            ("callout", {"title": f"Chú ý {PAYLOAD}", "text": f"Văn bản {PAYLOAD}", "link_url": callout_url,
                         "link_text": "Xem"}),
        ]),
        "action-publish": "publish",
    })


def add_news_page(world, data):
    from marketplace.cms.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("cms", "newspage", index.pk))
    response = client_for(world, "department").post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response.status_code
    return NewsPage.objects.get(slug=data["slug"])


def test_cms_rich_text_and_stream_blocks_are_sanitised(world):
    body = ('<p>Xin chào <script>alert("xss-1")</script><img src="x" onerror="alert(2)"/>'
            '<a href="javascript:alert(3)">link</a><iframe src="//evil.example"></iframe></p>')
    news = add_news_page(world, news_form("Tin có mã", "tin-co-ma", body))
    html = page(client_for(world, "anonymous"), news.url)
    assert "Xin chào" in html
    assert not executable_markup(html)
    index_html = page(client_for(world, "anonymous"), news.get_parent().url)
    assert not executable_markup(index_html)


def test_cms_link_fields_refuse_javascript_urls(world):
    from marketplace.cms.models import HomePage, NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("cms", "newspage", index.pk))
    data = news_form("Tin liên kết", "tin-lien-ket", "<p>Liên kết</p>", callout_url="javascript:alert('xss-3')")
    response = client_for(world, "department").post(url, data)
    assert response.status_code == 200  # the editor's form again, with the link refused
    stream_error = response.context["form"].errors["body"].as_data()[0]
    (callout_error,) = stream_error.block_errors.values()
    assert [str(m) for m in callout_error.block_errors["link_url"].messages] == [
        "Nhập liên kết bắt đầu bằng /, https://, http://, mailto: hoặc tel:."]
    assert not NewsPage.objects.filter(slug="tin-lien-ket").exists()
    safe = add_news_page(world, news_form("Tin liên kết", "tin-lien-ket", "<p>Liên kết</p>",
                                          callout_url="/catalogue/"))
    assert not executable_markup(page(client_for(world, "anonymous"), safe.url))
    home = HomePage.objects.first()
    home.hero_cta_url = "javascript:alert(4)"
    with pytest.raises(ValidationError):
        home.full_clean()
