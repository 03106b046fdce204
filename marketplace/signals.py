"""Shop-wide reactions to catalogue and content changes: invalidate the anonymous page cache."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model
from wagtail.signals import page_published, page_unpublished

from marketplace.pagecache import bump_version


def _after_commit(**kwargs):
    transaction.on_commit(bump_version)


def connect():
    models = [get_model("catalogue", name) for name in
              ("Product", "ProductImage", "Category", "ProductCategory", "OcopCertificate")]
    models += [get_model("partner", "StockRecord"), get_model("partner", "Partner"), get_model("vendors", "Vendor"),
               get_model("cms", "MarketplaceRules"), get_model("cms", "DepartmentContact")]
    for model in models:
        post_save.connect(_after_commit, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
        post_delete.connect(_after_commit, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")
    page_published.connect(_after_commit, dispatch_uid="pagecache-page-published")
    page_unpublished.connect(_after_commit, dispatch_uid="pagecache-page-unpublished")
