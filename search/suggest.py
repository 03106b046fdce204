"""Suggestions while typing (from the second character): products (from the backend), sellers and groups."""
from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalogue.models import OcopClassification, Product
from vendors.selectors import active_vendors

from .backends import get_backend, query_words
from .folding import fold

MIN_LENGTH = 2
LIMIT = 6


def suggestions(query):
    folded = fold(str(query or "")[:100])
    words = query_words(folded)[:6]
    if len(folded) < MIN_LENGTH or not words:
        return {"products": [], "sellers": [], "groups": []}
    found = get_backend().suggest(" ".join(words), limit=LIMIT)
    urls = {p.pk: p.get_absolute_url() for p in Product.objects.filter(pk__in=[pk for pk, _ in found])}
    sellers = [v for v in active_vendors().order_by("partner__name")[:200]
               if all(w in fold(v.name) for w in words)][:LIMIT]
    groups = [g for g in OcopClassification.objects.exclude(level=OcopClassification.LEVEL_CLASS)
              if all(w in fold(g.name_vi) for w in words)][:LIMIT]
    return {
        "products": [{"title": title, "url": urls[pk]} for pk, title in found if pk in urls],
        "sellers": [{"title": v.name, "url": v.get_absolute_url()} for v in sellers],
        "groups": [{"title": g.name_vi, "url": f"/catalogue/?group={g.group_code}"
                    if g.level == OcopClassification.LEVEL_GROUP else f"/search/?q={g.name_vi}"} for g in groups],
    }


@require_GET
@cache_control(max_age=60, public=True)
def suggest_view(request):
    return JsonResponse(suggestions(request.GET.get("q", "")))
