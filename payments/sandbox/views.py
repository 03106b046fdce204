"""HTTP faces of the emulated VNPay: the payment page and the merchant API."""

import json
import logging

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import api, services
from .pay import PageError, amount_vnd, now_vn, parse_pay_request

logger = logging.getLogger("payments.sandbox")


@require_http_methods(["GET", "POST"])
def payment_page(request):
    """GET shows the card form for a verified pay URL; POST applies the outcome the tester chose."""
    query = request.POST.get("query", "") if request.method == "POST" else request.META.get("QUERY_STRING", "")
    try:
        params = parse_pay_request(query, now=now_vn())
        if request.method == "GET":
            return _form(request, params, query)
        outcome = request.POST.get("outcome")
        if outcome not in services.OUTCOMES:
            return _form(request, params, query, error="Hãy chọn một kết quả thanh toán.", status=400)
        if outcome == "success" and request.POST.get("otp", "").strip() != services.TEST_CARD["otp"]:
            return _form(request, params, query, error="Mã OTP không đúng (thẻ thử nghiệm: 123456).", status=400)
        txn = services.transaction_submit(params=params, outcome=outcome, now=now_vn())
    except PageError as error:
        logger.info("Sandbox payment page refused: code=%s %s", error.code, error.detail)
        return render(request, "vnpay_sandbox/error.html", {"error": error}, status=400)
    return HttpResponseRedirect(services.return_redirect_url(txn))


def _form(request, params, query, *, error="", status=200):
    context = {
        "params": params, "query": query, "amount": amount_vnd(params), "card": services.TEST_CARD,
        "error": error,
    }
    return render(request, "vnpay_sandbox/payment.html", context, status=status)


@csrf_exempt  # server-to-server JSON, authenticated by its checksum
@require_POST
def api_transaction(request):
    """querydr and refund; a body that is not JSON gets VNPay's 03 answer, never a 500."""
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    return JsonResponse(api.handle(data))
