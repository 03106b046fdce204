from django.db import migrations


def load(apps, schema_editor):
    from places.country import load_country_units

    load_country_units(apps.get_model("places", "Province"), apps.get_model("places", "Ward"))


class Migration(migrations.Migration):
    """The whole country's 34 provinces/cities and 3,321 wards/communes, so delivery addresses anywhere pick
    their units from the list (run again with `manage.py load_country_units` when the package updates)."""

    dependencies = [("places", "0004_provinces_and_wards")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
