"""Reads of the catalogue for the storefront.

Every listing goes through ``product_cards`` so that a page costs the same handful of queries
whatever the number of products on it: prices, images, certificates and the seller's commune are
prefetched in bulk.
"""
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from places.models import FormerDistrict

from .models import OcopCertificate, OcopClassification, Product

StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")

SORTS = {
    # Certified products first (best stars), then the province's specialties, newest first.
    "relevance": ["-ocop_rank", "-is_typical_specialty", "-date_created", "-id"],
    "newest": ["-date_created", "-id"],
    "title": ["title", "id"],
    "stars": ["-ocop_rank", "-is_typical_specialty", "title", "id"],
}


def valid_certificate_q(stars=None, on=None):
    on = on or timezone.localdate()
    condition = Q(product=OuterRef("pk"), status=OcopCertificate.STATUS_VERIFIED, issue_date__lte=on,
                  expiry_date__gte=on)
    if stars:
        condition &= Q(stars=stars)
    return Exists(OcopCertificate.objects.filter(condition))


def with_ocop_rank(queryset, on=None):
    """``queryset`` whose ``ocop_rank`` (stars of the certificate in force, 0 when there is none) is right
    for today: the rank is stored on the product (an index orders by it; a subquery per product cost ≈ 900 ms
    of sorting at 50,000 products) and ``ranks_in_force`` catches up once a day as certificates run out."""
    from .certificates import ranks_in_force

    ranks_in_force(on)
    return queryset


def browsable_products():
    """Public, standalone/parent products that a seller actually offers."""
    return Product.objects.browsable().filter(is_public=True, stockrecords__isnull=False).distinct()


def product_page_queryset():
    """Products with what their page shows, in one query plus prefetches. Two of the page's questions come
    with the product's own row instead of one query each: whether the add-to-basket form has options
    (Oscar's ``has_options``: the class's, a child's parent's class's, or the product's own) and how many
    approved reviews it has (``Product.num_approved_reviews``)."""
    Option = get_model("catalogue", "Option")
    ProductReview = get_model("reviews", "ProductReview")
    approved_reviews = (ProductReview.objects.filter(product=OuterRef("pk"), status=ProductReview.APPROVED)
                        .order_by().values("product").annotate(n=Count("pk")).values("n"))
    return (
        Product.objects.annotate(
            has_product_class_options=Exists(Option.objects.filter(
                Q(productclass=OuterRef("product_class")) | Q(productclass=OuterRef("parent__product_class")))),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            approved_review_count=Coalesce(Subquery(approved_reviews), 0),
        )
        .select_related(
            "product_class", "parent", "ocop_classification__parent__parent", "origin_commune__former_district",
            "origin_former_district")
        .prefetch_related(
            "images", "certificates", "attribute_values__attribute",
            Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner__vendor__commune")),
        )
    )


def with_card_data(queryset):
    """Prefetch everything a product card shows (image, price, stars, seller's commune)."""
    return queryset.select_related("origin_commune", "origin_former_district", "product_class").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        Prefetch(
            "stockrecords",
            # The seller's name and commune only: not its tax code (decrypted for every card otherwise).
            queryset=StockRecord.objects.select_related("partner__vendor__commune").defer("partner__vendor__tax_code")
            .order_by("pk"),
        ),
        Prefetch("certificates", queryset=OcopCertificate.objects.all()),
    )


def filter_products(queryset, *, group=None, district=None, stars=None, specialty=False, category=None,
                    in_stock=False, seller_type=None, commune=None, price=None):
    from search.forms import PRICE_RANGES

    if seller_type:
        queryset = queryset.filter(stockrecords__partner__vendor__seller_type=seller_type)
    if commune:
        queryset = queryset.filter(origin_commune__code=commune)
    if price in PRICE_RANGES:
        low, high = PRICE_RANGES[price]
        if low is not None:
            queryset = queryset.filter(stockrecords__price__gte=low)
        if high is not None:
            queryset = queryset.filter(stockrecords__price__lt=high)
    if in_stock:
        queryset = queryset.filter(stockrecords__num_in_stock__gt=Coalesce(F("stockrecords__num_allocated"), 0))
    if group:
        queryset = queryset.filter(ocop_group_code=group)
    if district:
        queryset = queryset.filter(origin_former_district__slug=district)
    if stars:
        queryset = queryset.filter(valid_certificate_q(stars=stars))
    if specialty:
        queryset = queryset.filter(is_typical_specialty=True)
    if category is not None:
        tree = Category.get_tree(category)
        queryset = queryset.filter(categories__in=tree)
    return queryset


def catalogue_facets(queryset):
    """Counts per product group, former district and star rating for the current filters."""
    ids = queryset.values("pk")
    base = Product.objects.filter(pk__in=ids)
    groups = dict(base.values_list("ocop_group_code").annotate(n=Count("pk")).values_list("ocop_group_code", "n"))
    districts = dict(
        base.values_list("origin_former_district__slug").annotate(n=Count("pk"))
        .values_list("origin_former_district__slug", "n")
    )
    from search.forms import PRICE_RANGES
    from vendors.models import Vendor

    seller_types = dict(
        base.values_list("stockrecords__partner__vendor__seller_type").annotate(n=Count("pk", distinct=True))
        .values_list("stockrecords__partner__vendor__seller_type", "n")
    )
    communes = list(
        base.filter(origin_commune__isnull=False).values("origin_commune__code", "origin_commune__name")
        .annotate(n=Count("pk")).order_by("-n", "origin_commune__name")[:15]
    )
    counts = {}
    for key, (low, high) in PRICE_RANGES.items():
        condition = Q()
        if low is not None:
            condition &= Q(stockrecords__price__gte=low)
        if high is not None:
            condition &= Q(stockrecords__price__lt=high)
        counts[key] = Count("pk", filter=condition, distinct=True)
    counts["in_stock"] = Count("pk", distinct=True, filter=Q(
        stockrecords__num_in_stock__gt=Coalesce(F("stockrecords__num_allocated"), 0)))
    totals = base.aggregate(**counts)  # one query for every price range and the in-stock count
    price_counts = [(key, low, high, totals[key]) for key, (low, high) in PRICE_RANGES.items()]
    in_stock = totals["in_stock"]
    on = timezone.localdate()
    star_counts = dict(
        OcopCertificate.objects.filter(product__in=ids, status=OcopCertificate.STATUS_VERIFIED,
                                       issue_date__lte=on, expiry_date__gte=on)
        .values("stars").annotate(n=Count("product", distinct=True)).values_list("stars", "n")
    )
    return {
        "groups": [
            (node, groups.get(node.code, 0))
            for node in OcopClassification.objects.filter(level=OcopClassification.LEVEL_GROUP)
        ],
        "districts": [(d, districts.get(d.slug, 0)) for d in FormerDistrict.objects.all()],
        "stars": [(s, star_counts.get(s, 0)) for s in (5, 4, 3)],
        "seller_types": [(code, label, seller_types.get(code, 0)) for code, label in Vendor.TYPE_CHOICES],
        "communes": [(c["origin_commune__code"], c["origin_commune__name"], c["n"]) for c in communes],
        "prices": price_counts,
        "in_stock": in_stock,
    }


def product_groups_with_counts():
    counts = dict(
        browsable_products().order_by().values_list("ocop_group_code").annotate(n=Count("pk", distinct=True))
        .values_list("ocop_group_code", "n")
    )
    return [
        (node, counts.get(node.code, 0))
        for node in OcopClassification.objects.filter(level=OcopClassification.LEVEL_GROUP)
    ]
