from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from .indexing import schedule_reindex

StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


@receiver(post_save, sender=StockRecord, dispatch_uid="search-stockrecord")
def stockrecord_saved(sender, instance, **kwargs):
    """A product's seller (or stock) changed: its seller column must follow."""
    schedule_reindex([instance.product_id])


@receiver(post_save, sender=Partner, dispatch_uid="search-partner")
def partner_saved(sender, instance, **kwargs):
    """A seller was renamed: every product it sells is found under the new name."""
    schedule_reindex(instance.stockrecords.values_list("product_id", flat=True))
