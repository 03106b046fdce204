"""The guest checkout through the Django test client (the views, without a live server)."""
from django.conf import settings
from oscar.core.loading import get_model

Order = get_model("order", "Order")

ADDRESS = {"first_name": "Lan", "last_name": "Nguyễn", "line1": "12 Trần Phú", "line4": "Phường Thành Sen",
           "state": "Hà Tĩnh", "country": "VN", "phone_number": "0912345678"}


def prepare_checkout(client, items, method, email="khach@example.com"):
    """Basket, guest e-mail, address, shipping and payment method: everything up to "place order"."""
    for product, quantity in items:
        client.post(f"/basket/add/{product.pk}/", {"quantity": quantity})
    client.post("/checkout/", {"username": email, "options": "anonymous"})
    client.post("/checkout/shipping-address/", ADDRESS)
    client.get("/checkout/shipping-method/")
    client.post("/checkout/preview/", {"method": method})


def place_order(client, items, method):
    prepare_checkout(client, items, method)
    response = client.post("/checkout/preview/", {"action": "place_order"})
    assert response.status_code == 302, response.status_code
    if method == "vnpay":
        assert (settings.VNPAY_PAYMENT_URL or "/sandbox/vnpay/paymentv2/vpcpay.html") in response["Location"]
    else:
        assert response["Location"].endswith("/checkout/thank-you/")
    return Order.objects.latest("pk"), response["Location"]
