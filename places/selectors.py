"""Reads over the country's provinces and wards/communes (the checkout and address-book pickers)."""
from .models import Province, Ward


def province_choices():
    return [(p.code, p.name) for p in Province.objects.only("code", "name")]


def ward_choices(*, province_code):
    if not province_code:
        return []
    return [(w.code, w.name) for w in Ward.objects.filter(province_id=province_code).only("code", "name")]


def ward_in_province(*, ward_code, province_code):
    """The ward with its province, if the code belongs to that province; else None."""
    return Ward.objects.select_related("province").filter(code=ward_code, province_id=province_code).first()
