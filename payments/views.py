from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from oscar.core.loading import get_model

from .gateway import vnpay_client
from .models import Payment
from .services import payment_handle_ipn
from .vnpay import VNPayError

Order = get_model("order", "Order")


@never_cache
@require_GET
def vnpay_ipn(request):
    """VNPay's server-to-server notification: the only thing that marks an order paid."""
    # The raw query string: its signature is checked on the bytes VNPay sent, whatever its encoder.
    code, message = payment_handle_ipn(params=request.META.get("QUERY_STRING", ""))
    return JsonResponse({"RspCode": code, "Message": message})


@never_cache
@require_GET
def vnpay_return(request):
    """Where the shopper's browser lands after VNPay: shows the outcome, changes nothing.

    The IPN may arrive after the browser; until then the page says the payment is being processed.
    """
    payment, outcome, event = None, "invalid", None
    if "vnp_SecureHash" in request.GET:
        try:
            event = vnpay_client().webhooks.construct_event(request.META.get("QUERY_STRING", ""))
        except VNPayError:
            return render(request, "payments/vnpay_return.html", {"outcome": "invalid"}, status=400)
        payment = Payment.objects.select_related("order").filter(method=Payment.VNPAY, txn_ref=event.txn_ref).first()
    elif request.GET.get("order") and request.session.get("checkout_order_id"):
        payment = Payment.objects.select_related("order").filter(
            order_id=request.session["checkout_order_id"], order__number=request.GET["order"]).first()
    if payment is not None:
        if payment.status == Payment.PAID:
            outcome = "paid"
        elif payment.status == Payment.PENDING:
            outcome = "processing" if event is None or event.paid else "failed"
        else:
            outcome = "failed"
    status = 200 if payment is not None else 404
    order = payment.order if payment else None
    return render(request, "payments/vnpay_return.html", {
        "outcome": outcome, "payment": payment, "order": order, "event": event,
        "order_url": _order_url(request, order) if order else None,
    }, status=status)


def _order_url(request, order):
    from django.urls import reverse

    if request.user.is_authenticated and order.user_id == request.user.pk:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})
