"""The one-page checkout through the Django test client (the views, without a live server)."""
from django.conf import settings
from oscar.core.loading import get_model

Order = get_model("order", "Order")

#: A delivery address in Hà Tĩnh: Phường Thành Sen (GSO 18073) of the province (42).
ADDRESS = {"full_name": "Nguyễn Thị Lan", "phone": "0912 345 678", "province": "42", "ward": "18073",
           "street": "12 Trần Phú"}


def checkout_data(method, email="khach@example.com", **extra):
    """Everything the checkout page asks for, as its one form posts it."""
    return {**ADDRESS, "email": email, "method": method, "privacy_consent": "on", **extra}


def prepare_checkout(client, items, method, email="khach@example.com"):
    """Fill the basket; return the checkout form's data (posting it to /checkout/ places the order)."""
    for product, quantity in items:
        client.post(f"/basket/add/{product.pk}/", {"quantity": quantity})
    return checkout_data(method, email)


def place_order(client, items, method, email="khach@example.com"):
    """One POST of the checkout page: COD lands on the confirmation page, VNPay on its payment page."""
    response = client.post("/checkout/", prepare_checkout(client, items, method, email))
    assert response.status_code == 302, (response.status_code, response.context and [
        f.errors for f in (response.context["details_form"], response.context["payment_form"])])
    if method == "vnpay":
        assert (settings.VNPAY_PAYMENT_URL or "/sandbox/vnpay/paymentv2/vpcpay.html") in response["Location"]
    else:
        assert response["Location"].endswith("/checkout/thank-you/")
    return Order.objects.latest("pk"), response["Location"]
