"""Shop-wide reactions to catalogue and content changes: invalidate the anonymous page cache.

A product's own change (its fields, price and stock, pictures, certificates, categories) invalidates the
listings and that product's page only; a seller, category, OCOP group, former district or CMS change
invalidates every page.
"""
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model
from wagtail.signals import page_published, page_unpublished

from marketplace.pagecache import bump_products, bump_version


def _after_commit(**kwargs):
    transaction.on_commit(bump_version)


def _product_changed(sender, instance, **kwargs):
    pk = instance.pk if sender._meta.model_name == "product" else instance.product_id
    transaction.on_commit(partial(bump_products, [pk]))


def _site_setting_changed(sender, **kwargs):
    """A cached site setting (``marketplace.cms.models.CachedSiteSetting``) or a site changed: forget the
    cached settings now and again once committed (a request may have cached the old row meanwhile)."""
    from django.core.cache import cache

    keys = [model.cache_key() for model in _cached_site_settings()]
    cache.delete_many(keys)
    transaction.on_commit(partial(cache.delete_many, keys))


def _cached_site_settings():
    from marketplace.cms.models import CachedSiteSetting

    return CachedSiteSetting.__subclasses__()


def connect():
    product_models = [get_model("catalogue", name) for name in
                      ("Product", "ProductImage", "ProductCategory", "OcopCertificate")]
    product_models.append(get_model("partner", "StockRecord"))
    for model in product_models:
        post_save.connect(_product_changed, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
        post_delete.connect(_product_changed, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")
    models = [get_model("catalogue", "Category"), get_model("partner", "Partner"), get_model("vendors", "Vendor"),
              get_model("cms", "MarketplaceRules"), get_model("cms", "DepartmentContact"),
              # the listings' filters show the OCOP groups and former districts (names kept with the facets)
              get_model("catalogue", "OcopClassification"), get_model("places", "FormerDistrict")]
    for model in models:
        post_save.connect(_after_commit, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
        post_delete.connect(_after_commit, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")
    from wagtail.models import Site

    for model in (*_cached_site_settings(), Site):
        post_save.connect(_site_setting_changed, sender=model, dispatch_uid=f"site-setting-save-{model._meta.label}")
        post_delete.connect(_site_setting_changed, sender=model,
                            dispatch_uid=f"site-setting-delete-{model._meta.label}")
    page_published.connect(_after_commit, dispatch_uid="pagecache-page-published")
    page_unpublished.connect(_after_commit, dispatch_uid="pagecache-page-unpublished")
