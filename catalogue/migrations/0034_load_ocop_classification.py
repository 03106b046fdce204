from django.db import migrations


def load(apps, schema_editor):
    from catalogue.taxonomy import load_classification

    load_classification(apps.get_model("catalogue", "OcopClassification"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_ocop_fields")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
