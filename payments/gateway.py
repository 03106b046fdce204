"""The Django side of the VNPay SDK: one configured client, built from settings."""
from django.conf import settings

from .vnpay import VNPay


def vnpay_client():
    return VNPay(
        tmn_code=settings.VNPAY_TMN_CODE,
        hash_secret=settings.VNPAY_HASH_SECRET,
        payment_url=settings.VNPAY_PAYMENT_URL,
        api_url=settings.VNPAY_API_URL,
        timeout=settings.VNPAY_TIMEOUT,
    )
