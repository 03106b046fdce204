from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .selectors import ward_choices


@require_GET
@cache_control(public=True, max_age=3600)
def wards_json(request, province_code):
    """The wards/communes of one province for the address pickers' script: [[code, name], …]."""
    return JsonResponse({"wards": ward_choices(province_code=province_code)})
