"""Media in object storage (issue 18 point 2), against a local S3-compatible server over real HTTP (moto's
server mode): product pictures and their thumbnails public with long cache headers, sellers' documents
in a private bucket that only the permission-checked view reads.
"""
import re
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import marketplace.urls  # noqa: F401 — the URLconf as the site starts (with /media/), before a test's settings
from catalogue.models import ListingChange, Product
from onboarding import services
from tests.factories import create_vendor
from tests.marketplace.s3_server import PRIVATE_BUCKET, PUBLIC_BUCKET, S3Server
from tests.onboarding.conftest import fill_application, make_user, pdf_bytes
from tests.vendors.test_listings import form, jpeg

pytestmark = pytest.mark.django_db
DEPARTMENT = "Sở Công Thương"


@pytest.fixture(scope="module")
def s3():
    with S3Server() as server:
        yield server


@pytest.fixture(autouse=True)
def empty_buckets(s3):
    s3.empty()  # each test's uploads start from empty buckets (the keys it asserts on are its own)


@pytest.fixture
def fresh_thumbnail_storage(monkeypatch):
    from sorl.thumbnail import default

    monkeypatch.setattr(default, "storage", default.Storage())  # sorl builds its storage once per process


def keys(s3, bucket):
    return [item["Key"] for item in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def approved_product_with_picture(client):
    from django.contrib.auth.models import Group

    from marketplace.roles import DEPARTMENT_GROUP

    vendor = create_vendor(name="HTX Kẹo cu đơ Đức Thọ")
    seller = get_user_model().objects.create_user(username="seller", email="s@example.com", password="x")
    vendor.partner.users.add(seller)
    client.force_login(seller)
    response = client.post(reverse("seller:product-create"), {
        **form(), "image": SimpleUploadedFile("anh.jpg", jpeg((300, 200)), content_type="image/jpeg"),
        "certificate_number": "77/QĐ-UBND", "certificate_stars": "3", "certificate_issuer": "UBND tỉnh Hà Tĩnh",
        "certificate_issue_date": "01/06/2026"})
    assert response.status_code == 302
    reviewer = get_user_model().objects.create_user(username="sct", email="sct@example.com", password="x")
    reviewer.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    client.force_login(reviewer)
    change = ListingChange.objects.get(product__title="Kẹo cu đơ Mới")
    assert client.post(reverse("listings:detail", kwargs={"pk": change.pk}), {"action": "approve"}).status_code == 302
    client.logout()
    return Product.objects.get(title="Kẹo cu đơ Mới")


def test_product_pictures_and_thumbnails_are_public_in_the_bucket_with_long_cache(client, s3, settings,
                                                                                fresh_thumbnail_storage):
    s3.apply(settings, served_by_django=False)
    product = approved_product_with_picture(client)
    name = product.images.get().original.name
    assert name in keys(s3, PUBLIC_BUCKET)  # in the bucket, nothing on this machine's disk
    assert not (Path(settings.MEDIA_ROOT) / name).exists()

    picture = requests.get(product.images.get().original.url, timeout=30)  # anonymous, straight from the store
    assert picture.url.startswith(f"{s3.url}/{PUBLIC_BUCKET}/")
    assert picture.status_code == 200 and picture.content[:2] == b"\xff\xd8"
    assert picture.headers["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_SECONDS}"

    # The product page's thumbnails are made once, stored in the bucket beside the picture, and public too.
    page = client.get(product.get_absolute_url()).content.decode()
    thumbnails = set(re.findall(re.escape(f"{s3.url}/{PUBLIC_BUCKET}/cache/") + r'[^"\s]+', page))
    assert thumbnails
    stored = [key for key in keys(s3, PUBLIC_BUCKET) if key.startswith("cache/")]
    for url in thumbnails:
        thumbnail = requests.get(url, timeout=30)
        assert thumbnail.status_code == 200 and thumbnail.headers["Cache-Control"].startswith("public, max-age=")
    client.get(product.get_absolute_url())
    assert [key for key in keys(s3, PUBLIC_BUCKET) if key.startswith("cache/")] == stored  # not made again


def test_the_site_streams_bucket_media_at_media_url(client, s3, settings, fresh_thumbnail_storage):
    s3.apply(settings, served_by_django=True)
    product = approved_product_with_picture(client)
    url = product.images.get().original.url
    assert url.startswith("/media/images/products/")
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    for path in ("/media/khong-co.jpg", "/media/../private/x.pdf", "/media/images/"):
        assert client.get(path).status_code in (400, 404), path


def test_sellers_documents_are_private_in_the_bucket_and_read_only_through_the_view(client, s3, settings):
    s3.apply(settings, served_by_django=True)
    applicant = make_user("applicant")
    application = fill_application(services.vendor_application_start(user=applicant), applicant)
    services.vendor_application_submit(application=application, actor=applicant)
    document = application.documents.get()
    key = f"private/{document.file.name}"
    assert key in keys(s3, PRIVATE_BUCKET) and not keys(s3, PUBLIC_BUCKET)
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / document.file.name).exists()

    # Not publicly readable: anonymous requests to the store are refused, and the site gives it no URL.
    for url in (f"{s3.url}/{PRIVATE_BUCKET}/{key}", f"{s3.url}/{PUBLIC_BUCKET}/{key}"):
        assert requests.get(url, timeout=30).status_code in (403, 404), url
    assert client.get(f"/media/{key}").status_code == 404
    with pytest.raises(ValueError):
        document.file.url

    view = reverse("onboarding:document", kwargs={"pk": document.pk})
    assert client.get(view).status_code == 404  # anonymous
    client.force_login(make_user("other"))
    assert client.get(view).status_code == 404  # another applicant
    for who in (applicant, make_user("reviewer", "department")):
        if who.username == "reviewer":
            from marketplace.demo.users import DEPARTMENT_GROUP
            from django.contrib.auth.models import Group

            who.groups.set([Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0]])
        client.force_login(who)
        response = client.get(view)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Cache-Control"] == "private, no-store"
