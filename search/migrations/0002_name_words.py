"""The folded name and seller become bare words ("keo cu do ha tinh nguyen hang", no "–" or commas),
so the ranking can compare a query with a whole name (``search.folding.fold_words``).

The stored values are already folded, so folding their words again gives the new form; on PostgreSQL
the generated ``search_vector`` follows (same words, so the same vector).
"""
from django.db import migrations


def to_words(apps, schema_editor):
    from search.folding import fold_words

    Product = apps.get_model("catalogue", "Product")
    changed = []
    for pk, title, seller in Product.objects.values_list("pk", "search_title", "search_seller").iterator(2000):
        new_title, new_seller = fold_words(title)[:255], fold_words(seller)[:255]
        if (new_title, new_seller) != (title, seller):
            changed.append(Product(pk=pk, search_title=new_title, search_seller=new_seller))
    Product.objects.bulk_update(changed, ["search_title", "search_seller"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_fulltext"),
    ]

    operations = [migrations.RunPython(to_words, migrations.RunPython.noop)]
