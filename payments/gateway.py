"""The Django side of the VNPay SDK: one configured client, built from settings."""
from django.conf import settings

from marketplace import served
from marketplace.requestid import TracedSession

from .vnpay import VNPay


def vnpay_client(*, browser_origin=None):
    """Unset URLs mean the local sandbox on this site: the shopper is sent to ``browser_origin`` (the host
    the request came to), server-to-server calls go to the address the server listens on (marketplace.served)."""
    return VNPay(
        tmn_code=settings.VNPAY_TMN_CODE,
        hash_secret=settings.VNPAY_HASH_SECRET,
        payment_url=served.vnpay_payment_url(browser_origin),
        api_url=served.vnpay_api_url(),
        timeout=settings.VNPAY_TIMEOUT,
        session=TracedSession(),  # carries the request id (X-Correlation-ID)
    )
