"""Suggestions while typing (from the second character): products, sellers and product groups."""
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalogue import selectors
from catalogue.models import OcopClassification
from vendors.selectors import active_vendors

from .folding import fold

MIN_LENGTH = 2
LIMIT = 6


def suggestions(query):
    folded = fold(query)[:100]
    if len(folded) < MIN_LENGTH:
        return {"products": [], "sellers": [], "groups": []}
    words = folded.split(" ")[:6]
    products = selectors.browsable_products()
    for word in words:
        products = products.filter(Q(search_title__startswith=word) | Q(search_title__contains=" " + word))
    products = selectors.with_ocop_rank(products).order_by("-ocop_rank", "-is_typical_specialty", "title")[:LIMIT]
    sellers = [v for v in active_vendors().order_by("partner__name")[:200]
               if all(w in fold(v.name) for w in words)][:LIMIT]
    groups = [g for g in OcopClassification.objects.exclude(level=OcopClassification.LEVEL_CLASS)
              if all(w in fold(g.name_vi) for w in words)][:LIMIT]
    return {
        "products": [{"title": p.title, "url": p.get_absolute_url()} for p in products],
        "sellers": [{"title": v.name, "url": v.get_absolute_url()} for v in sellers],
        "groups": [{"title": g.name_vi, "url": f"/catalogue/?group={g.group_code}"
                    if g.level == OcopClassification.LEVEL_GROUP else f"/search/?q={g.name_vi}"} for g in groups],
    }


@require_GET
@cache_control(max_age=60, public=True)
def suggest_view(request):
    return JsonResponse(suggestions(request.GET.get("q", "")))
