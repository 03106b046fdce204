"""The database backend: ranking rules, typo tolerance, and PostgreSQL's full-text objects."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from search.lexicon import corrections, one_edit_apart
from search.models import SearchWord
from tests.factories import create_product, create_vendor
from vendors.models import Vendor

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="PostgreSQL full-text objects (SQLite uses the folded columns)")


def titles(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return [p.title for p in response.context["products"]]


@pytest.fixture
def shelf():
    coop = create_vendor(name="HTX Mật ong Sơn Kim", seller_type=Vendor.TYPE_COOPERATIVE)
    home = create_vendor(name="Hộ Đình Hiền", seller_type=Vendor.TYPE_HOUSEHOLD, commune_code="18754")
    candy = create_product(vendor=home, title="Kẹo mè xửng", stars=5)  # 5★ specialty, honey in its text only
    candy.description = "Kẹo làm từ mật ong rừng và mè đen."
    candy.save()
    return {
        "candy": candy,
        "honey": create_product(vendor=home, title="Mật ong rừng Đình Hiền", specialty=False),
        "tea": create_product(vendor=coop, title="Chè xanh Sơn Kim", specialty=False),
        "honey4": create_product(vendor=coop, title="Mật ong bạc hà", stars=4),
    }


def test_name_beats_seller_beats_description_whatever_the_stars(client, shelf):
    assert titles(client, "mat ong") == ["Mật ong bạc hà", "Mật ong rừng Đình Hiền", "Chè xanh Sơn Kim",
                                         "Kẹo mè xửng"]


def test_stars_and_specialty_order_equal_text_matches(client, shelf):
    # both honeys match in the name; the certified specialty comes first
    assert titles(client, "mật ong")[:2] == ["Mật ong bạc hà", "Mật ong rừng Đình Hiền"]


def test_words_match_at_word_starts(client, shelf):
    assert titles(client, "ong") == titles(client, "mat ong")  # "ong" starts a word of each
    assert titles(client, "mat on")[:2] == ["Mật ong bạc hà", "Mật ong rừng Đình Hiền"]  # still typing
    assert titles(client, "at ong") == []  # "at" starts no word


def test_one_edit_apart():
    assert one_edit_apart("buoii", "buoi") and one_edit_apart("phuuc", "phuc") and one_edit_apart("trach", "trich")
    assert not one_edit_apart("buoi", "buoi") and not one_edit_apart("nhuongg", "nhuo")
    assert not one_edit_apart("truong", "huong")


def test_typos_are_corrected_against_the_catalogue_vocabulary(client, shelf):
    assert set(SearchWord.objects.filter(word__in=["dinh", "hien", "rung", "xung"]).values_list("word", flat=True)) \
        == {"dinh", "hien", "rung", "xung"}
    assert corrections(["rungg", "dinhh", "mat"]) == {"dinhh": ["dinh"], "rungg": ["rung"]}
    assert corrections(["huon"]) == {}  # under five letters: no correction
    assert titles(client, "mat ong rungg") == ["Mật ong rừng Đình Hiền", "Kẹo mè xửng"]
    response = client.get("/search/", {"q": "mat ong rungg"})
    assert response.context["corrections"] == {"rungg": ["rung"]}
    assert "rungg" in response.content.decode()


def test_rebuild_refills_the_vocabulary(shelf):
    SearchWord.objects.all().delete()
    out = StringIO()
    call_command("search_index", "--rebuild", stdout=out)
    assert "0 products changed" in out.getvalue()
    assert SearchWord.objects.filter(word="rung").exists() and SearchWord.objects.filter(word="xung").exists()


def test_seller_shop_page_searches_its_own_products(client, shelf):
    vendor = shelf["tea"].vendor
    response = client.get(vendor.get_absolute_url(), {"q": "mat ong"})
    assert response.status_code == 200
    # its honey by name, its tea by the seller's name ("HTX Mật ong Sơn Kim"); not the other seller's honey
    assert [p.title for p in response.context["products"]] == ["Mật ong bạc hà", "Chè xanh Sơn Kim"]


@postgresql_only
def test_fold_function_and_weighted_vector(shelf):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ocop_fold('Kẹo cu ĐƠ Đức Thọ'), ocop_fold('BƯỞI Phúc Trạch')")
        assert cursor.fetchone() == ("keo cu do duc tho", "buoi phuc trach")
        cursor.execute("SELECT search_vector::text FROM catalogue_product WHERE id = %s", [shelf["honey"].pk])
        vector = cursor.fetchone()[0]
    assert "'mat':1A" in vector and "'rung':3A" in vector  # the name, weight A
    positions = {item.split(":")[0].strip("'"): item.split(":")[1] for item in vector.split(" ")}
    assert positions["ho"].split(",")[0].endswith("B")  # "Hộ", only in the seller's name: weight B
    assert positions["mat"].endswith("C")  # and everything again with weight C


@postgresql_only
def test_text_search_uses_the_gin_index(shelf):
    from catalogue.models import Product
    from search.backends.database import match_q

    sql, params = Product.objects.filter(match_q(["mat", "ong"], {})).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the planner show its index choice
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalogue_product_search_vector" in plan, plan


@postgresql_only
def test_typo_candidates_come_from_pg_trgm(shelf):
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity('rungg', 'rung') > 0.3")
        assert cursor.fetchone()[0]
    assert corrections(["rungg"]) == {"rungg": ["rung"]}
