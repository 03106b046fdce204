from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models


def fill_discounts(apps, schema_editor):
    """Existing parts: the offers on their lines (list price − price paid, whole đồng, half up)."""
    Fulfilment = apps.get_model("vendors", "Fulfilment")
    Line = apps.get_model("order", "Line")
    for part in Fulfilment.objects.filter(discount_total__isnull=True).select_related("vendor").iterator():
        before = 0
        for line in Line.objects.filter(order_id=part.order_id, partner_id=part.vendor.partner_id):
            value = line.line_price_before_discounts_incl_tax or line.line_price_incl_tax or Decimal(0)
            before += int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        Fulfilment.objects.filter(pk=part.pk).update(discount_total=max(0, before - part.items_total))


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0005_revoke_sellers_oscar_dashboard"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="fulfilment", name="discount_total",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="discounts (đồng)"),
        ),
        migrations.RunPython(fill_discounts, migrations.RunPython.noop),
    ]
