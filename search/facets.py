"""Raw facet counts from a backend → what the listing template shows (labels, order, zeroes)."""
import json

from oscar.core.loading import get_model

from catalogue.models import OcopClassification
from places.models import FormerDistrict

Category = get_model("catalogue", "Category")

#: Communes shown (the busiest first).
COMMUNES_SHOWN = 15
#: Sub-categories shown when no category is chosen (the busiest first).
CATEGORIES_SHOWN = 12


def cached_facets_for_display(raw, *, category=None):
    """``facets_for_display``, kept with the facet counts it is built from (``marketplace.pagecache.shared``:
    any catalogue, category, classification or district change recomputes it): no query for the groups,
    districts and sub-categories a listing shows beside its products."""
    from marketplace.pagecache import shared

    key = json.dumps([raw, category.pk if category is not None else None], sort_keys=True, default=str)
    return shared(f"search:facets-display:{key}", lambda: facets_for_display(raw, category=category))


def facets_for_display(raw, *, category=None):
    from search.forms import PRICE_RANGES
    from vendors.models import Vendor

    groups, districts, stars = raw.get("groups", {}), raw.get("districts", {}), raw.get("stars", {})
    seller_types, prices = raw.get("seller_types", {}), raw.get("prices", {})
    communes = sorted(raw.get("communes", []), key=lambda c: (-c[2], c[1]))[:COMMUNES_SHOWN]
    return {
        "groups": [(node, groups.get(node.code, 0))
                   for node in OcopClassification.objects.filter(level=OcopClassification.LEVEL_GROUP)],
        "districts": [(d, districts.get(d.slug, 0)) for d in FormerDistrict.objects.all()],
        "stars": [(s, stars.get(s, 0)) for s in (5, 4, 3)],
        "seller_types": [(code, label, seller_types.get(code, 0)) for code, label in Vendor.TYPE_CHOICES],
        "communes": communes,
        "prices": [(key, low, high, prices.get(key, 0)) for key, (low, high) in PRICE_RANGES.items()],
        "in_stock": raw.get("in_stock", 0),
        "categories": category_choices(raw.get("categories", {}), category=category),
    }


def category_choices(counts, *, category=None):
    """[(category, n)]: the children of the current category, else the busiest sub-categories."""
    if not counts:
        return []
    if category is not None:
        nodes = list(category.get_children().filter(is_public=True))
        return [(node, counts.get(node.pk, 0)) for node in nodes if counts.get(node.pk)]
    nodes = Category.objects.filter(pk__in=list(counts), depth__gt=1, is_public=True, ancestors_are_public=True)
    ranked = sorted(nodes, key=lambda node: (-counts[node.pk], node.name))
    return [(node, counts[node.pk]) for node in ranked[:CATEGORIES_SHOWN]]
