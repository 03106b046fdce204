"""The JSON API for the provincial data-integration hub (token in ``Authorization: Bearer <token>``).

Tokens are listed in ``settings.REPORTS_API_TOKENS`` (environment variable, comma-separated); each is
compared in constant time. Errors are JSON with an English ``error`` message: 401 without or with a bad
token, 400 for an unreadable period.
"""
import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views import View

from . import exports
from .indicators import indicator_sheet
from .periods import PeriodError, period_from_params
from .selectors import cached_report


def token_is_valid(request):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return False
    tokens = [t for t in getattr(settings, "REPORTS_API_TOKENS", []) if t]
    return any(hmac.compare_digest(token.encode(), known.encode()) for known in tokens)


class ApiView(View):
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not token_is_valid(request):
            response = JsonResponse({"error": "A valid API token is required: send 'Authorization: Bearer <token>'."},
                                    status=401)
            response["WWW-Authenticate"] = 'Bearer realm="reports"'
            return response
        try:
            self.period = period_from_params(request.GET)
        except PeriodError as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        return super().dispatch(request, *args, **kwargs)


class SummaryApiView(ApiView):
    def get(self, request):
        return JsonResponse(exports.report_json(cached_report(self.period)), json_dumps_params={"ensure_ascii": False})


class IndicatorsApiView(ApiView):
    def get(self, request):
        report = cached_report(self.period)
        rows = indicator_sheet(report)
        return JsonResponse({"period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
                             "indicators": rows}, json_dumps_params={"ensure_ascii": False})


class OpenDataApiView(ApiView):
    def get(self, request):
        body = exports.open_data_csv(cached_report(self.period))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="du-lieu-mo-ocop-{self.period.start:%Y%m%d}-{self.period.end:%Y%m%d}.csv"')
        return response
