"""A shopper driving the real checkout over HTTP with requests, as a browser would (tests and benchmarks)."""
import re
from html import unescape

import requests

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Shopper:
    def __init__(self, base_url):
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        self.requests = 0  # HTTP requests sent, redirects followed included (bench/checkout.py: per order)
        self.http.hooks["response"].append(self._count)

    def _count(self, response, *args, **kwargs):
        self.requests += 1

    def url(self, path):
        return path if path.startswith("http") else self.base + path

    def get(self, path, **kwargs):
        response = self.http.get(self.url(path), timeout=30, **kwargs)
        self.last = response
        return response

    def post(self, path, data, *, form_page=None, **kwargs):
        page = self.get(form_page or path)
        token = CSRF_RE.search(page.text)
        payload = dict(data)
        if token:
            payload["csrfmiddlewaretoken"] = unescape(token.group(1))
        response = self.http.post(self.url(path), data=payload, timeout=30,
                                  headers={"Referer": self.url(form_page or path)}, **kwargs)
        self.last = response
        return response

    def add_to_basket(self, product, quantity=1):
        response = self.post(f"/basket/add/{product.pk}/", {"quantity": quantity}, form_page=product.get_absolute_url())
        assert response.status_code == 200, response.status_code
        return response

    def checkout(self, method, email="khach@example.com"):
        """The one checkout page: GET it, POST it once; returns the response after following redirects
        (the confirmation page for COD, VNPay's payment page for VNPay)."""
        return self.post("/checkout/", {
            "full_name": "Nguyễn Thị Lan", "phone": "0912 345 678", "email": email, "province": "42",
            "ward": "18073", "street": "12 Trần Phú", "method": method,
            "privacy_consent": "on"})

    def pay_on_sandbox(self, payment_page, outcome):
        """Choose an outcome on the sandbox's payment page (the test card is prefilled)."""
        assert "/sandbox/vnpay/paymentv2/vpcpay.html" in payment_page.url, payment_page.url
        query = unescape(re.search(r'name="query" value="([^"]*)"', payment_page.text).group(1))
        data = {"query": query, "outcome": outcome, "otp": "123456"}
        token = CSRF_RE.search(payment_page.text)
        if token:
            data["csrfmiddlewaretoken"] = unescape(token.group(1))
        response = self.http.post(payment_page.url, data=data, timeout=30, headers={"Referer": payment_page.url})
        self.last = response
        return response
