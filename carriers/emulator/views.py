"""HTTP faces of the carrier emulator: GHN's and VNPost's APIs, and a control endpoint for testers."""
import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import api
from .models import EmulatedParcel, EmulatorSwitch


def _json(request):
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _answer(carrier, request, handler):
    try:
        api.check_up(carrier)
        api.authenticate(carrier, request.headers)
        body = _json(request)
        if not isinstance(body, dict):
            raise api.Answer(400, {"code": 400, "message": "The body must be a JSON object"})
        data = handler(body)
    except api.Answer as answer:
        return JsonResponse(answer.body, status=answer.status, safe=False)
    return JsonResponse(data, safe=False)


@csrf_exempt  # server-to-server JSON, authenticated by the token header
@require_POST
def ghn_endpoint(request, name):
    handlers = {
        "v2/shipping-order/fee": api.ghn_fee, "v2/shipping-order/leadtime": api.ghn_leadtime,
        "v2/shipping-order/create": api.ghn_create,
        "v2/shipping-order/detail": lambda b: api.ghn_detail(api.find("ghn", tracking_code=str(b.get("order_code")))),
        "v2/shipping-order/detail-by-client-code": lambda b: api.ghn_detail(
            api.find("ghn", client_order_code=str(b.get("client_order_code")))),
        "v2/switch-status/cancel": lambda b: api.ghn_ok([
            {"order_code": code, "result": True} for code in b.get("order_codes") or []
            if api.move(api.find("ghn", tracking_code=str(code)), "cancelled", send=False)]),
    }
    if name not in handlers:
        return JsonResponse({"code": 404, "message": "Not found"}, status=404)
    return _answer("ghn", request, handlers[name])


@csrf_exempt
@require_POST
def vnpost_endpoint(request, name):
    handlers = {
        "customer-partner/ServicesCharge": api.vnpost_charge, "customer-partner/CreateOrder": api.vnpost_create,
        "customer-partner/orderTracking": lambda b: api.vnpost_tracking(
            api.find("vnpost", tracking_code=str(b.get("itemCode")))),
        "customer-partner/orderCancel": lambda b: [{"caseId": 1, "result": bool(api.move(
            api.find("vnpost", tracking_code=str(b.get("OriginalId"))), "cancelled", send=False))}],
    }
    if name not in handlers:
        return JsonResponse({"message": "Not found"}, status=404)
    return _answer("vnpost", request, handlers[name])


def root(request):
    return JsonResponse({"emulator": "carriers"})


@csrf_exempt  # testers' switch, only where the emulator is mounted (never in production)
@require_http_methods(["GET", "POST"])
def control(request):
    """POST one of: {"carrier", "behaviour": "up"|"down"|"refuse"}; {"tracking_code", "status", "note"?, "webhook"?};
    {"advance": true}; {"remit": carrier, "short_by"?}. GET: the parcels and switches."""
    if request.method == "POST":
        data = _json(request)
        if not isinstance(data, dict):
            return JsonResponse({"error": "a JSON object"}, status=400)
        try:
            if data.get("behaviour"):
                if data["behaviour"] not in dict(EmulatorSwitch.BEHAVIOURS) or data.get("carrier") not in api.TARIFFS:
                    raise api.Answer(400, {"error": "carrier in ghn/vnpost, behaviour in up/down/refuse"})
                EmulatorSwitch.objects.update_or_create(carrier=data["carrier"],
                                                        defaults={"behaviour": data["behaviour"]})
            elif data.get("tracking_code"):
                item = EmulatedParcel.objects.filter(tracking_code=str(data["tracking_code"])).first()
                if item is None:
                    raise api.Answer(404, {"error": "unknown tracking code"})
                # "webhook": false loses the webhook (the marketplace's polling must catch the change).
                api.move(item, str(data.get("status", "")), note=str(data.get("note", ""))[:200],
                         send=data.get("webhook", True) is not False)
            elif data.get("advance"):
                return JsonResponse({"moved": api.advance_all()})
            elif data.get("remit") in api.TARIFFS:
                return JsonResponse({"statement": api.remit(data["remit"], short_by=int(data.get("short_by") or 0))})
            else:
                raise api.Answer(400, {"error": "nothing to do"})
        except api.Answer as answer:
            return JsonResponse(answer.body, status=answer.status)
    return JsonResponse({
        "switches": {s.carrier: s.behaviour for s in EmulatorSwitch.objects.all()},
        "parcels": [{"carrier": p.carrier, "tracking_code": p.tracking_code, "client_order_code": p.client_order_code,
                     "status": p.carrier_status, "cod_amount": p.cod_amount, "fee": p.fee, "remitted": p.remitted}
                    for p in EmulatedParcel.objects.order_by("-pk")[:100]]})
