"""Generate a realistic OCOP catalogue at scale, fast (bulk inserts, no per-row signals).

Products come from the demo's kinds of Hà Tĩnh products (names, OCOP classification, size variants,
price ranges, districts where each is made), sold by generated cooperatives, cooperative groups,
household businesses and enterprises of the right communes, with stock, categories (OCOP group ›
subgroup) and — for about 40 % of them — a verified OCOP certificate (3★ 60 %, 4★ 35 %, 5★ 5 %).
The folded search columns are filled as ``Product.save`` would; on PostgreSQL the weighted vector
follows them. Deterministic for a given ``seed``; several runs with different seeds add up.

    from bench.catalogue_data import generate_catalogue
    generate_catalogue(50_000, seed=7)

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/catalogue_data.py 50000 --seed 7

With the Elasticsearch backend, run ``manage.py search_index --rebuild`` afterwards.
"""
import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BATCH = 2000
SELLER_TYPES = [("cooperative", "HTX", 0.35), ("cooperative_group", "THT", 0.15),
                ("household_business", "Cơ sở", 0.40), ("enterprise", "Công ty TNHH", 0.10)]
DESCRIPTIONS = [
    "{stem} của {seller}, làm theo cách truyền thống ở {commune}, {district}.",
    "Sản phẩm {stem} đặc trưng vùng {district}; nguyên liệu chọn lọc tại {commune}.",
    "{stem} đóng gói {variant}, bảo quản nơi khô ráo. Sản xuất tại {commune}, tỉnh Hà Tĩnh.",
    "Đặc sản {district}: {stem} do {seller} chế biến, đạt tiêu chuẩn vệ sinh an toàn thực phẩm.",
]
OTHER_CERTIFICATIONS = ["", "", "", "VietGAP", "HACCP", "ISO 22000", "Hữu cơ"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()


def generate_catalogue(n, *, seed=1, sellers=None, stdout=None):
    """Bulk-create ``n`` products (and about n/4 sellers); returns {"products", "sellers", "certificates", "seconds"}."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from oscar.apps.catalogue.categories import create_from_sequence
    from oscar.core.loading import get_model

    from catalogue.certificates import refresh_ocop_ranks
    from catalogue.models import OcopCertificate, OcopClassification, Product
    from catalogue.product_import import PRODUCT_CLASS_NAME
    from marketplace.demo.kinds import ENTERPRISE_BRANDS, GIVEN, KINDS, MIDDLE, SURNAMES
    from places.models import Commune
    from search.folding import fold, fold_words
    from search.lexicon import lexicon_add
    from vendors.models import Vendor

    Partner, StockRecord = get_model("partner", "Partner"), get_model("partner", "StockRecord")
    ProductClass, ProductCategory = get_model("catalogue", "ProductClass"), get_model("catalogue", "ProductCategory")
    started = time.monotonic()
    rng = random.Random(seed)
    today = timezone.localdate()
    tag = f"g{seed}"
    n_sellers = sellers or max(1, n // 4)

    communes = list(Commune.objects.select_related("former_district").prefetch_related("predecessors"))
    by_district = {}
    for commune in communes:
        by_district.setdefault(commune.former_district.code, []).append(commune)
    place_text = {c.pk: " ".join([c.name] + [o.name for o in c.predecessors.all()] + [c.former_district.name])
                  for c in communes}
    classifications = {c.code: c for c in OcopClassification.objects.all()}

    with transaction.atomic():
        product_class, _ = ProductClass.objects.get_or_create(name=PRODUCT_CLASS_NAME,
                                                              defaults={"requires_shipping": True, "track_stock": True})
        categories = {}
        for kind in KINDS:
            node = classifications[kind.ocop_code]
            if node.pk not in categories:
                chain = [c.name_vi for c in node.ancestors_and_self() if c.level != OcopClassification.LEVEL_CLASS]
                categories[node.pk] = create_from_sequence(chain)[-1]

        # --- sellers ---------------------------------------------------------------------------
        seller_rows = []
        for i in range(n_sellers):
            roll, acc = rng.random(), 0
            for seller_type, prefix, share in SELLER_TYPES:
                acc += share
                if roll <= acc:
                    break
            district = rng.choice(sorted(by_district))
            commune = rng.choice(by_district[district])
            if seller_type == "household_business":
                brand = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            elif seller_type == "enterprise":
                brand = rng.choice(ENTERPRISE_BRANDS)
            else:
                brand = commune.short_name
            seller_rows.append((seller_type, f"{prefix} {brand} {i + 1}", commune))
        partners = Partner.objects.bulk_create(
            [Partner(name=name, code=f"{tag}-{i}") for i, (_t, name, _c) in enumerate(seller_rows)], batch_size=BATCH)
        Vendor.objects.bulk_create([
            Vendor(partner=partner, code=f"{tag.upper()}-{i:06d}", slug=f"{tag}-{i}-{slugify(fold(name))}"[:120],
                   legal_name=name, seller_type=seller_type, commune=commune,
                   former_district_id=commune.former_district_id, phone=f"09{rng.randrange(10**8):08d}")
            for i, (partner, (seller_type, name, commune)) in enumerate(zip(partners, seller_rows))
        ], batch_size=BATCH)
        brands = {partner.pk: name[len(prefix) + 1:].rsplit(" ", 1)[0]
                  for partner, (seller_type, name, _c) in zip(partners, seller_rows)
                  for kind, prefix, _share in SELLER_TYPES if kind == seller_type}
        sellers_by_district = {}
        for partner, (_t, _name, commune) in zip(partners, seller_rows):
            sellers_by_district.setdefault(commune.former_district.code, []).append((partner, commune))

        # --- products, stock, categories, certificates ------------------------------------------------
        made = 0
        certificates = 0
        while made < n:
            chunk = min(BATCH, n - made)
            products, plan = [], []
            for j in range(made, made + chunk):
                kind = rng.choice(KINDS)
                district = rng.choice(kind.districts)
                local = sellers_by_district.get(district) or [rng.choice([s for v in sellers_by_district.values()
                                                                            for s in v])]
                partner, commune = rng.choice(local)
                variant = rng.choice(kind.variants)
                brand = brands[partner.pk]
                title = f"{kind.stem} {brand} – {variant}"
                description = rng.choice(DESCRIPTIONS).format(
                    stem=kind.stem, seller=partner.name, commune=commune.name, district=commune.former_district.name,
                    variant=variant)
                other = rng.choice(OTHER_CERTIFICATIONS)
                upc = f"{tag.upper()}-{j:07d}"
                node = classifications[kind.ocop_code]
                search_text = fold(" ".join(p for p in (title, upc, description, other, place_text[commune.pk],
                                                        partner.name) if p))
                products.append(Product(
                    structure=Product.STANDALONE, product_class=product_class, title=title, upc=upc,
                    slug=slugify(fold(title))[:255], description=description, is_public=True,
                    ocop_classification=node, ocop_group_code=node.group_code, origin_commune=commune,
                    origin_former_district_id=commune.former_district_id, is_typical_specialty=kind.specialty,
                    other_certifications=other, sales_unit=variant.split(" ")[0],
                    search_text=search_text, search_title=fold_words(title)[:255],
                    search_seller=fold_words(partner.name)[:255]))
                price = rng.randrange(kind.price_k[0], kind.price_k[1] + 1) * 1000
                stock = 0 if rng.random() < 0.12 else rng.randrange(1, 200)
                stars = None
                if rng.random() < 0.4:
                    stars = rng.choices((3, 4, 5), weights=(60, 35, 5))[0]
                plan.append((partner, price, stock, stars, node))
            products = Product.objects.bulk_create(products, batch_size=BATCH)
            StockRecord.objects.bulk_create([
                StockRecord(product=p, partner=partner, partner_sku=p.upc, price=Decimal(price), price_currency="VND",
                            num_in_stock=stock)
                for p, (partner, price, stock, _s, _n) in zip(products, plan)], batch_size=BATCH)
            ProductCategory.objects.bulk_create([
                ProductCategory(product=p, category=categories[node.pk])
                for p, (_p, _pr, _st, _s, node) in zip(products, plan)], batch_size=BATCH)
            certs = []
            for p, (_partner, _price, _stock, stars, node) in zip(products, plan):
                if stars:
                    issue = today - datetime.timedelta(days=rng.randrange(1, 1000))
                    certs.append(OcopCertificate(
                        product=p, number=f"{p.upc}/GCN-OCOP", stars=stars, classification=node,
                        issuing_body="UBND tỉnh Hà Tĩnh", issue_date=issue,
                        expiry_date=OcopCertificate.default_expiry(issue), status=OcopCertificate.STATUS_VERIFIED))
            OcopCertificate.objects.bulk_create(certs, batch_size=BATCH)
            refresh_ocop_ranks([p.pk for p in products])  # bulk_create sends no signal: the listings' order
            certificates += len(certs)
            lexicon_add(*(p.search_text for p in products))
            made += chunk
            if stdout:
                stdout.write(f"  {made}/{n} products\n")
    return {"products": n, "sellers": n_sellers, "certificates": certificates,
            "seconds": round(time.monotonic() - started, 1)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("products", type=int, help="how many products to add")
    parser.add_argument("--seed", type=int, default=1, help="random seed (use another one to add more)")
    parser.add_argument("--sellers", type=int, default=None, help="how many sellers (default: products / 4)")
    args = parser.parse_args(argv)
    setup_django()
    from catalogue.models import Product

    if Product.objects.filter(upc__startswith=f"G{args.seed}-").exists():
        sys.exit(f"Products of seed {args.seed} already exist: choose another --seed")
    result = generate_catalogue(args.products, seed=args.seed, sellers=args.sellers, stdout=sys.stdout)
    print(f"Generated {result['products']} products, {result['sellers']} sellers, {result['certificates']} "
          f"certificates in {result['seconds']}s ({Product.objects.count()} products in the database).")


if __name__ == "__main__":
    main()
