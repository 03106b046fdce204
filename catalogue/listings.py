"""Sellers' listings: create and edit their own products; the department moderates descriptions.

Price and stock change at once (they move every day); name, description, classification and
pictures go through moderation when the department has it switched on (Wagtail: Settings ›
Marketplace rules). A new product stays hidden until approved; an edited one stays live as it was.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from .models import ListingChange, OcopCertificate, OcopClassification, Product
from .product_import import PRODUCT_CLASS_NAME, _category_for

StockRecord = get_model("partner", "StockRecord")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
ProductCategory = get_model("catalogue", "ProductCategory")

MODERATED_FIELDS = ("title", "description", "ocop_code", "sales_unit", "is_typical_specialty", "other_certifications")


def moderation_enabled():
    from wagtail.models import Site

    from marketplace.cms.models import MarketplaceRules

    site = Site.objects.filter(is_default_site=True).first()
    return MarketplaceRules.for_site(site).listing_moderation if site else True


def products_for_vendor(*, vendor):
    return (Product.objects.filter(stockrecords__partner=vendor.partner).distinct()
            .select_related("ocop_classification").prefetch_related("stockrecords", "images", "listing_changes"))


def _apply(product, data, image=None):
    if "ocop_code" in data:
        node = OcopClassification.objects.get(code=data["ocop_code"])
        product.ocop_classification = node
        ProductCategory.objects.filter(product=product).delete()
    for field in MODERATED_FIELDS:
        if field != "ocop_code" and field in data:
            setattr(product, field, data[field])
    product.save()
    if "ocop_code" in data:
        ProductCategory.objects.get_or_create(product=product, category=_category_for(product.ocop_classification))
    if image:
        order = product.images.count()
        ProductImage.objects.create(product=product, original=image, caption=product.title, display_order=order)
    product.refresh_search_fields()


def _stock(product, vendor, price, stock):
    StockRecord.objects.update_or_create(product=product, partner=vendor.partner, defaults={
        "partner_sku": product.upc, "price": Decimal(price), "price_currency": "VND", "num_in_stock": stock})


@transaction.atomic
def listing_create(*, vendor, user, data, price, stock, image=None, certificate=None):
    """A new product of this seller: live at once without moderation, hidden until approved with it."""
    product_class, _created = ProductClass.objects.get_or_create(name=PRODUCT_CLASS_NAME,
                                                                 defaults={"track_stock": True})
    moderated = moderation_enabled()
    code = f"{vendor.code}-{timezone.now():%y%m%d%H%M%S%f}"[:64]
    product = Product(product_class=product_class, upc=code, title=data["title"], is_public=not moderated,
                      origin_commune=vendor.commune, origin_former_district=vendor.former_district)
    product.ocop_classification = OcopClassification.objects.get(code=data["ocop_code"])
    product.save()
    _stock(product, vendor, price, stock)
    if certificate:
        OcopCertificate.objects.create(product=product, classification=product.ocop_classification,
                                       status=OcopCertificate.STATUS_PENDING, **certificate)
    if moderated:
        ListingChange.objects.create(product=product, vendor=vendor, kind=ListingChange.NEW, data=data,
                                     image=image, submitted_by=user)
        _apply(product, {k: v for k, v in data.items() if k != "title"})  # visible to the seller only
    else:
        _apply(product, data, image)
    return product


@transaction.atomic
def listing_update(*, product, vendor, user, data, price, stock, image=None):
    """Price and stock apply now; other changes wait for moderation (when it is on)."""
    _stock(product, vendor, price, stock)
    current = {"title": product.title, "description": product.description,
               "ocop_code": product.ocop_classification.code if product.ocop_classification_id else "",
               "sales_unit": product.sales_unit, "is_typical_specialty": product.is_typical_specialty,
               "other_certifications": product.other_certifications}
    changes = {k: v for k, v in data.items() if current.get(k) != v}
    if not changes and not image:
        return None
    if not moderation_enabled():
        _apply(product, changes, image)
        return None
    pending = product.listing_changes.filter(status=ListingChange.PENDING).first()
    if pending:  # one open change per product: the newest proposal replaces the previous one
        pending.data = {**pending.data, **changes}
        if image:
            pending.image = image
        pending.submitted_by = user
        pending.save()
        return pending
    return ListingChange.objects.create(product=product, vendor=vendor, kind=ListingChange.EDIT, data=changes,
                                        image=image, submitted_by=user)


@transaction.atomic
def listing_change_approve(*, change, reviewer, reason=""):
    change = ListingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ListingChange.PENDING:
        raise ValidationError(_("This change has already been reviewed."))
    product = change.product
    _apply(product, change.data, change.image or None)
    if change.kind == ListingChange.NEW:
        Product.objects.filter(pk=product.pk).update(is_public=True)
    change.status, change.reviewed_by, change.reason, change.reviewed_at = (
        ListingChange.APPROVED, reviewer, reason, timezone.now())
    change.save()
    return change


@transaction.atomic
def listing_change_reject(*, change, reviewer, reason):
    if not reason:
        raise ValidationError(_("Please give the reason."))
    change = ListingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ListingChange.PENDING:
        raise ValidationError(_("This change has already been reviewed."))
    change.status, change.reviewed_by, change.reason, change.reviewed_at = (
        ListingChange.REJECTED, reviewer, reason, timezone.now())
    change.save()
    return change


# --- what the department sees when it moderates a change -------------------------------------------

#: The moderated fields as the department reads them (never the model's field names).
FIELD_LABELS = {
    "title": gettext_lazy("Product name"), "description": gettext_lazy("Description"),
    "ocop_code": gettext_lazy("OCOP product group"), "sales_unit": gettext_lazy("Sales unit"),
    "is_typical_specialty": gettext_lazy("Typical specialty of Hà Tĩnh"),
    "other_certifications": gettext_lazy("Other certifications"),
}


def _shown(field, value):
    if field == "is_typical_specialty":
        return _("Yes") if value else _("No")
    if field == "ocop_code" and value:
        node = OcopClassification.objects.filter(code=value).first()
        return f"{value} – {node.name_vi}" if node else value
    return "" if value is None else str(value)


def _word_diff(before, after):
    """[(kind, text)] with kind "same", "removed" or "added", word by word (whitespace kept)."""
    import difflib
    import re

    old, new = re.findall(r"\S+|\s+", before), re.findall(r"\S+|\s+", after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            out.append(("added", "".join(new[j1:j2])))
    return out


def listing_change_diff(change):
    """One row per proposed field: its Vietnamese label, the value now and the value proposed, and for the
    description the words removed and added."""
    product = change.product
    now = {"title": product.title, "description": product.description,
           "ocop_code": product.ocop_classification.code if product.ocop_classification_id else "",
           "sales_unit": product.sales_unit, "is_typical_specialty": product.is_typical_specialty,
           "other_certifications": product.other_certifications}
    if change.kind == ListingChange.NEW:
        now = dict.fromkeys(now, None)
    rows = []
    for field in MODERATED_FIELDS:
        if field not in change.data:
            continue
        before, after = _shown(field, now[field]) if now[field] is not None else "", _shown(field, change.data[field])
        rows.append({"field": field, "label": FIELD_LABELS[field], "before": before, "after": after,
                     "changed": before != after,
                     "diff": _word_diff(before, after) if field == "description" and before else None})
    return rows
