"""HTTP faces of the e-invoice provider emulator: the API and a control endpoint for testers."""
import json
import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import api
from .models import SandboxSubmission, SandboxSwitch

logger = logging.getLogger("invoicing.sandbox")


def _json(request):
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _answer(data, request, status=200):
    response = JsonResponse(data, status=status)
    response["X-Request-Id"] = request.headers.get("X-Request-Id", "")[:64]
    return response


@csrf_exempt  # server-to-server JSON, authenticated by the API key
@require_POST
def submit(request):
    try:
        api.authenticate(request.headers.get("Authorization"))
        body = _json(request)
        data, callbacks = api.submit(body, request.headers.get("Idempotency-Key", ""))
    except api.Answer as answer:
        return _answer(answer.body, request, status=answer.status)
    if callbacks and body.get("callback_url"):
        api.send_callback(body["callback_url"], data, times=callbacks)
    return _answer(data, request)


@require_GET
def retrieve(request, key):
    try:
        api.authenticate(request.headers.get("Authorization"))
        return _answer(api.retrieve(key), request)
    except api.Answer as answer:
        return _answer(answer.body, request, status=answer.status)


@csrf_exempt  # testers' switch, only where the sandbox is mounted (never in production)
@require_http_methods(["GET", "POST"])
def control(request):
    """GET: switches and the last submissions. POST {"seller_tax_code", "behaviour", "times"?, "delay"?}
    sets a switch; POST {"seller_tax_code", "release": true} lets a held "time out" answer go on."""
    if request.method == "POST":
        data = _json(request)
        if isinstance(data, dict) and data.get("release") is True and isinstance(data.get("seller_tax_code"), str):
            api.release_held(data["seller_tax_code"][:14])
            return JsonResponse({"released": data["seller_tax_code"][:14]})
        behaviours = dict(SandboxSwitch.BEHAVIOURS)
        if not isinstance(data, dict) or data.get("behaviour") not in behaviours \
                or not isinstance(data.get("seller_tax_code"), str) or not data["seller_tax_code"]:
            return JsonResponse({"error": {"message": f"seller_tax_code and behaviour in {sorted(behaviours)}"}},
                                status=400)
        try:
            times, delay = int(data.get("times", 0)), float(data.get("delay", 15.0))
        except (TypeError, ValueError):
            return JsonResponse({"error": {"message": "times and delay are numbers"}}, status=400)
        SandboxSwitch.objects.update_or_create(
            seller_tax_code=data["seller_tax_code"][:14],
            defaults={"behaviour": data["behaviour"], "remaining": max(0, min(times, 1000)),
                      "delay": max(0.0, min(delay, 120.0))})
    switches = [{"seller_tax_code": s.seller_tax_code, "behaviour": s.behaviour, "remaining": s.remaining,
                 "delay": s.delay} for s in SandboxSwitch.objects.order_by("seller_tax_code")]
    submissions = [{"idempotency_key": s.idempotency_key, "status": s.status, "tax_authority_code": s.tax_authority_code,
                    "error": s.error_message, "answers": s.answers}
                   for s in SandboxSubmission.objects.order_by("-pk")[:50]]
    return JsonResponse({"switches": switches, "submissions": submissions})
