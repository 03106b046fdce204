from django.db import migrations


def load(apps, schema_editor):
    from places.loaders import load_admin_units

    load_admin_units(
        apps.get_model("places", "FormerDistrict"),
        apps.get_model("places", "Commune"),
        apps.get_model("places", "OldCommune"),
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
