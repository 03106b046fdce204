from django.db import migrations


def create(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="VN",
        defaults={"iso_3166_1_a3": "VNM", "iso_3166_1_numeric": "704", "printable_name": "Việt Nam",
                  "name": "Cộng hòa Xã hội Chủ nghĩa Việt Nam", "display_order": 1, "is_shipping_country": True},
    )


class Migration(migrations.Migration):
    """Orders ship within Vietnam: Oscar's address forms need the country to exist."""

    dependencies = [("places", "0002_load_admin_units"), ("address", "0006_auto_20181115_1953")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
