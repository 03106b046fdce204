"""What changes a product's search entry: the product, its stock, certificates, categories and seller."""
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from catalogue.models import OcopCertificate, Product

from .indexing import schedule_reindex, schedule_removal
from .lexicon import lexicon_add

StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")
ProductCategory = get_model("catalogue", "ProductCategory")


@receiver(post_save, sender=Product, dispatch_uid="search-product")
def product_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    lexicon_add(instance.search_text)  # in the same transaction: typo tolerance knows the words at once
    schedule_reindex([instance.pk])


@receiver(post_delete, sender=Product, dispatch_uid="search-product-deleted")
def product_deleted(sender, instance, **kwargs):
    schedule_removal([instance.pk])


@receiver(post_save, sender=StockRecord, dispatch_uid="search-stockrecord")
@receiver(post_delete, sender=StockRecord, dispatch_uid="search-stockrecord-deleted")
def stockrecord_changed(sender, instance, **kwargs):
    """A product's seller, price or stock changed."""
    schedule_reindex([instance.product_id])


@receiver(post_save, sender=OcopCertificate, dispatch_uid="search-certificate")
@receiver(post_delete, sender=OcopCertificate, dispatch_uid="search-certificate-deleted")
def certificate_changed(sender, instance, **kwargs):
    """Stars filter and rank products."""
    schedule_reindex([instance.product_id])


@receiver(post_save, sender=ProductCategory, dispatch_uid="search-category")
@receiver(post_delete, sender=ProductCategory, dispatch_uid="search-category-deleted")
def category_link_changed(sender, instance, **kwargs):
    schedule_reindex([instance.product_id])


@receiver(post_save, sender=Partner, dispatch_uid="search-partner")
def partner_saved(sender, instance, raw=False, **kwargs):
    """A seller was renamed: every product it sells is found under the new name."""
    if raw:
        return
    lexicon_add(instance.name)
    schedule_reindex(instance.stockrecords.values_list("product_id", flat=True))


def vendor_saved(sender, instance, raw=False, **kwargs):
    """Seller type and commune are facets of the seller's products."""
    if raw or not instance.partner_id:
        return
    schedule_reindex(StockRecord.objects.filter(partner_id=instance.partner_id).values_list("product_id", flat=True))


def connect_vendor():
    from vendors.models import Vendor

    post_save.connect(vendor_saved, sender=Vendor, dispatch_uid="search-vendor")


connect_vendor()
