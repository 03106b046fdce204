"""The 500 page renders whatever broke — here the very thing that broke every page in production before:
static files not collected under the manifest storage."""
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncollected_static(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)  # nothing collected here: no manifest
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


def test_a_page_that_cannot_link_its_static_files_gets_the_self_contained_error_page(uncollected_static):
    client = Client(raise_request_exception=False)
    response = client.get("/basket/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Đã xảy ra lỗi" in body and "Something went wrong" in body
    assert "/static/" not in body  # it links nothing that could fail in turn
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", body).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]  # its own style is allowed by the page's CSP


def test_the_error_page_survives_a_broken_template(uncollected_static, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": []}]  # 500.html cannot be found either
    response = Client(raise_request_exception=False).get("/basket/")
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in response.content.decode()
