"""Database search: the catalogue vocabulary and, on PostgreSQL, a weighted full-text vector.

On PostgreSQL this adds to ``catalogue_product`` (outside Django's model state, like 0037's trigram
index) a stored generated column ``search_vector``: the product name with weight A, the seller with
B and everything (description, places, certifications) with C, each folded by ``ocop_fold`` —
``unaccent`` plus an explicit đ/Đ → d — and a GIN index on it. A stored column rather than an
expression index because ``ts_rank`` reads the vector of every match: recomputing it per row is what
made expression indexes slow. Note: a later ``ALTER COLUMN … TYPE`` of search_title/search_seller/
search_text must drop and re-add this column.
"""
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION ocop_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, translate($1, 'đĐ', 'dd'))) $$
"""
VECTOR_COLUMN = """
ALTER TABLE catalogue_product ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, ocop_fold(coalesce(search_title, ''))), 'A')
    || setweight(to_tsvector('simple'::regconfig, ocop_fold(coalesce(search_seller, ''))), 'B')
    || setweight(to_tsvector('simple'::regconfig, ocop_fold(coalesce(search_text, ''))), 'C')
) STORED
"""
VECTOR_INDEX = "CREATE INDEX IF NOT EXISTS catalogue_product_search_vector ON catalogue_product USING gin (search_vector)"
WORD_INDEX = ("CREATE INDEX IF NOT EXISTS search_searchword_trgm ON search_searchword "
              "USING gin (word gin_trgm_ops)")


def create_fulltext(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite matches the folded columns directly
    for statement in (FOLD_FUNCTION, VECTOR_COLUMN, VECTOR_INDEX, WORD_INDEX):
        schema_editor.execute(statement)


def drop_fulltext(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS catalogue_product_search_vector")
    schema_editor.execute("ALTER TABLE catalogue_product DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute("DROP FUNCTION IF EXISTS ocop_fold(text)")


def fill_vocabulary(apps, schema_editor):
    import re

    from search.folding import fold

    Product = apps.get_model("catalogue", "Product")
    Partner = apps.get_model("partner", "Partner")
    SearchWord = apps.get_model("search", "SearchWord")
    words = set()
    for text in Product.objects.values_list("search_text", flat=True).iterator():
        words |= set(re.findall(r"[a-z]{4,40}", text or ""))
    for name in Partner.objects.values_list("name", flat=True).iterator():
        words |= set(re.findall(r"[a-z]{4,40}", fold(name)))
    SearchWord.objects.bulk_create([SearchWord(word=w, length=len(w)) for w in sorted(words)], batch_size=2000)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0037_search_fields"),
        ("partner", "0007_partneraddress_code"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=40, unique=True)),
                ("length", models.PositiveSmallIntegerField(db_index=True)),
            ],
        ),
        migrations.RunPython(create_fulltext, drop_fulltext),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop),
    ]
