"""Every seller workspace URL, opened with another seller's object ids, answers 404 (or 403) and changes nothing.

The list of URLs comes from the URL configuration, so a new workspace URL with an id in it fails this
test until a rule below says which of the other seller's objects to try.
"""
import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver, reverse

from tests.checkout import place_order
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


def seller_patterns():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["seller"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, list(pattern.pattern.regex.groupindex)


@pytest.fixture
def two_sellers(client):
    data = {}
    for key in ("own", "other"):
        vendor = create_vendor(name=f"Seller {key}")
        user = get_user_model().objects.create_user(username=key, email=f"{key}@example.com", password="x")
        vendor.partner.users.add(user)
        product = create_product(vendor=vendor, title=f"Product of {key}", price=50000)
        order, _ = place_order(client, [(product, 1)], "cod")
        client.logout()
        data[key] = {"vendor": vendor, "user": user, "product": product, "part": order.fulfilments.get()}
    return data


def ids_of(other, kwargs):
    rules = {"number": other["part"].number, "pk": other["product"].pk}
    missing = [k for k in kwargs if k not in rules]
    assert not missing, f"No isolation rule for URL kwargs {missing}: add one to tests/vendors/test_isolation.py"
    return {k: rules[k] for k in kwargs}


def test_every_workspace_url_with_another_sellers_ids(client, two_sellers):
    own, other = two_sellers["own"], two_sellers["other"]
    client.force_login(own["user"])
    checked = 0
    for name, kwargs in seller_patterns():
        if not kwargs:
            continue
        url = reverse(f"seller:{name}", kwargs=ids_of(other, kwargs))
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"action": "cancel", "reason": "x", "title": "hijack", "price": "1",
                                 "stock": "0", "ocop_code": "I.3.b"}).status_code in (403, 404), url
        checked += 1
    assert checked >= 2
    other["part"].refresh_from_db()
    other["product"].refresh_from_db()
    assert other["part"].status == "new" and other["product"].title == "Product of other"
    assert other["product"].stockrecords.get().price == 50000


def test_every_workspace_page_shows_only_own_data(client, two_sellers):
    own, other = two_sellers["own"], two_sellers["other"]
    client.force_login(own["user"])
    for name, kwargs in seller_patterns():
        url = reverse(f"seller:{name}", kwargs=ids_of(own, kwargs) if kwargs else None)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Seller other" not in html and other["part"].number not in html and "Product of other" not in html, url


def test_workspace_needs_a_seller(client, two_sellers):
    for name, kwargs in seller_patterns():
        url = reverse(f"seller:{name}", kwargs=ids_of(two_sellers["own"], kwargs) if kwargs else None)
        client.logout()
        assert client.get(url).status_code == 302, url  # to the login page
        shopper = get_user_model().objects.get_or_create(username="shopper", email="shopper@example.com")[0]
        client.force_login(shopper)
        assert client.get(url).status_code == 403, url
