"""Deterministic demo sellers and products shaped like the province's platform.

544 products (416 typical specialties, the rest ordinary local goods), about 140 sellers of the
four types spread over the 13 former districts, the 91 real certified products of
catalogue/data/hatinh_ocop_products_sample.csv included as they are. Products go through the same
import service as an operator's spreadsheet.
"""
import csv
import datetime
import random

from django.utils.text import slugify
from oscar.core.loading import get_model
from stdnum.vn import mst

from catalogue.certificates import EXPIRY_WARNING_DAYS
from catalogue.models import OcopCertificate, add_months
from catalogue.product_import import import_rows
from places.models import Commune, FormerDistrict, OldCommune
from search.folding import fold
from vendors.models import Vendor

from .kinds import (ALL_DISTRICTS, COOP_ACTIVITIES, ENTERPRISE_BRANDS, GIVEN, KIND_BY_STEM, KINDS, MIDDLE,
                    SURNAMES, Kind)

Partner = get_model("partner", "Partner")

SAMPLE_FILE = "catalogue/data/hatinh_ocop_products_sample.csv"
TOTAL_PRODUCTS = 544
TYPICAL_SPECIALTIES = 416
TOTAL_SELLERS = 165
SEED = 20260701
#: Certificates in force that expire within the warning window, wherever in the month the demo runs.
EXPIRING_SOON = 6

TYPE_MAP = {
    "cooperative": Vendor.TYPE_COOPERATIVE,
    "cooperative_group": Vendor.TYPE_COOPERATIVE_GROUP,
    "household_business": Vendor.TYPE_HOUSEHOLD,
    "production_establishment": Vendor.TYPE_HOUSEHOLD,
    "enterprise": Vendor.TYPE_ENTERPRISE,
}
DISTRICT_ISSUER = {  # who certified 3★ before 07/2025: the district People's Committee
    "436": "UBND thành phố Hà Tĩnh", "437": "UBND thị xã Hồng Lĩnh", "449": "UBND thị xã Kỳ Anh",
}


def _issuer(stars, district, issue_date):
    if stars >= 4 or issue_date >= datetime.date(2025, 7, 1):
        return "UBND tỉnh Hà Tĩnh"
    if district.code in DISTRICT_ISSUER:
        return DISTRICT_ISSUER[district.code]
    return "UBND " + district.name.replace("Huyện", "huyện")


def _stem_of(name):
    folded = fold(name)
    best = None
    for kind in KINDS:
        stem = fold(kind.stem)
        if folded.startswith(stem) and (best is None or len(stem) > len(fold(best.stem))):
            best = kind
    aliases = {"cu do": "Kẹo cu đơ", "keo cu do": "Kẹo cu đơ", "gio lua": "Giò bột", "gio lat": "Giò bột",
               "do me": "Giò me", "rau sach": "Hành tăm", "xuc xich": "Giò bột", "cao nhung": "Nhung hươu",
               "bot nhung": "Nhung hươu", "nhung huou": "Nhung hươu", "mat ong": "Mật ong", "nuoc mam": "Nước mắm",
               "ruou": "Rượu nếp cái", "tra": "Trà thảo dược", "banh da": "Bánh đa vừng"}
    if best is None:
        for prefix, stem in aliases.items():
            if folded.startswith(prefix):
                return KIND_BY_STEM[stem]
    return best


class DemoCatalogue:
    def __init__(self, today):
        self.rng = random.Random(SEED)
        # Dates are relative to the current month so the demo always shows certificates in force;
        # within a month, re-running changes nothing.
        self.anchor = today.replace(day=1)
        self.districts = {d.code: d for d in FormerDistrict.objects.all()}
        self.communes_by_district = {}
        for commune in Commune.objects.select_related("former_district").order_by("code"):
            self.communes_by_district.setdefault(commune.former_district.code, []).append(commune)
        self.old_communes = {o.folded_name: o for o in OldCommune.objects.select_related("successor")}
        self.sellers = []  # dicts, in creation order
        self.rows = []
        self.cert_seq = 0
        self.used_names = set()

    # --- sellers -------------------------------------------------------------------------
    def _person(self):
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}"

    def _tax_code(self, seller_type, index):
        if seller_type == Vendor.TYPE_HOUSEHOLD:
            # 12-digit personal ID: born in Hà Tĩnh (042) or elsewhere, 20th-century man/woman.
            province = self.rng.choice(["042", "042", "042", "040", "001", "038"])
            return f"{province}{self.rng.choice('01')}{self.rng.randint(55, 99):02d}{index:06d}"
        while True:
            body = "30" + f"{self.rng.randint(0, 9_999_999):07d}"[:7]
            code = body + mst.calc_check_digit(body)
            if mst.is_valid(code):
                return code

    def _commune(self, district_code, named=None):
        if named:
            old = self.old_communes.get(fold(named.replace("(TDP 10)", "")))
            if old and old.successor:
                return old.successor
        return self.rng.choice(self.communes_by_district[district_code])

    def add_seller(self, *, legal_name, seller_type, district_code, brand, commune=None, display_name=None):
        index = len(self.sellers) + 1
        seller = {
            "brand": brand,
            "code": f"NB-{index:04d}",
            "legal_name": legal_name,
            "name": display_name or legal_name,
            "seller_type": seller_type,
            "district": self.districts[district_code],
            "commune": commune or self._commune(district_code),
            "tax_code": self._tax_code(seller_type, index),
            "representative": self._person(),
            "phone": f"09{self.rng.randint(10_000_000, 99_999_999)}",
            "products": 0,
        }
        self.sellers.append(seller)
        return seller

    def generated_seller(self, district_code):
        seller_type = self.rng.choices(
            [Vendor.TYPE_COOPERATIVE, Vendor.TYPE_HOUSEHOLD, Vendor.TYPE_COOPERATIVE_GROUP, Vendor.TYPE_ENTERPRISE],
            weights=[35, 35, 12, 18],
        )[0]
        commune = self._commune(district_code)
        place = commune.short_name
        if seller_type == Vendor.TYPE_COOPERATIVE:
            legal = f"HTX {self.rng.choice(COOP_ACTIVITIES)} {place}"
            display = brand = f"HTX {place}"
        elif seller_type == Vendor.TYPE_COOPERATIVE_GROUP:
            legal = f"Tổ hợp tác {self.rng.choice(COOP_ACTIVITIES).lower()} {place}"
            display, brand = f"THT {place}", place
        elif seller_type == Vendor.TYPE_ENTERPRISE:
            brand = self.rng.choice(ENTERPRISE_BRANDS)
            legal = f"Công ty TNHH {brand} {place}"
            display = f"{brand} {place}"
        else:
            person = self._person()
            legal = f"Hộ kinh doanh {person}"
            brand = " ".join(person.split()[-2:])
            display = f"Cơ sở {brand}"
        base, n = display, 2
        while display in {s["name"] for s in self.sellers}:
            display = f"{base} {n}"
            n += 1
        if display != base:
            brand = f"{brand} {n - 1}"
        return self.add_seller(legal_name=legal, seller_type=seller_type, district_code=district_code,
                               commune=commune, display_name=display, brand=brand)

    # --- products ------------------------------------------------------------------------
    def _certificate(self, stars, district, issue_date):
        self.cert_seq += 1
        return {
            "stars": str(stars),
            "certificate_number": f"{self.cert_seq:04d}/{issue_date.year}/GCN-OCOP",
            "certificate_issuer": _issuer(stars, district, issue_date),
            "certificate_issue_date": issue_date.strftime("%d/%m/%Y"),
            "certificate_expiry_date": "",
        }

    def _price(self, kind):
        low, high = kind.price_k
        step = 5 if high < 300 else 10 if high < 1000 else 50
        return self.rng.randrange(low, high + 1, step) * 1000 if high > low else low * 1000

    def _row(self, *, code, name, kind, seller, commune, certificate=None, description=""):
        row = {
            "product_code": code,
            "name": name,
            "ocop_code": kind.ocop_code,
            "seller_code": seller["code"],
            "commune": commune.code,
            "price": str(self._price(kind)),
            "stock": str(0 if self.rng.random() < 0.04 else self.rng.randint(5, 250)),
            "unit": kind.variants[0].split()[0],
            "typical_specialty": "1" if kind.specialty else "0",
            "other_certifications": self.rng.choice(["", "", "", "VietGAP", "HACCP", "ISO 22000:2018"])
            if kind.ocop_code.startswith("I") else "",
            "description": description,
            "stars": "", "certificate_number": "", "certificate_issuer": "", "certificate_issue_date": "",
            "certificate_expiry_date": "",
        }
        if certificate:
            row.update(certificate)
        seller["products"] += 1
        self.rows.append(row)
        return row

    def load_samples(self):
        with open(SAMPLE_FILE, encoding="utf-8") as fh:
            samples = list(csv.DictReader(fh))
        sellers_by_key = {}
        for i, sample in enumerate(samples, start=1):
            district = self.districts[sample["district_code"]]
            commune = self._commune(district.code, sample["commune_at_certification"])
            producer = sample["producer"]
            if "truncated" in producer:
                producer = "Công ty TNHH Sản xuất thương mại Huso"
            brand = " ".join(sample["name"].replace("–", " ").replace("-", " ").split()[-2:])
            if not producer:
                producer = f"Cơ sở sản xuất {brand}"
            key = (fold(producer), district.code)
            seller = sellers_by_key.get(key)
            if seller is None:
                seller_type = TYPE_MAP.get(sample["producer_type"], Vendor.TYPE_HOUSEHOLD)
                display = producer
                for prefix, short in (("Hộ kinh doanh ", "Cơ sở "), ("Hộ sản xuất và kinh doanh ", "Cơ sở "),
                                      ("Hộ sản xuất ", "Cơ sở "), ("Hộ gia đình ", "Cơ sở ")):
                    if display.startswith(prefix):
                        display = short + display[len(prefix):]
                seller = self.add_seller(legal_name=producer, seller_type=seller_type, district_code=district.code,
                                         commune=commune, display_name=display, brand=brand)
                seller["sample"] = True
                sellers_by_key[key] = seller
            kind = _stem_of(sample["name"]) or KIND_BY_STEM["Trà thảo dược"]
            kind = Kind(kind.stem, sample["subgroup_code"] or kind.ocop_code, kind.variants, kind.price_k, True,
                        kind.districts, kind.shape)
            year = int(sample["year_certified"] or 2024)
            issue = datetime.date(year, self.rng.randint(3, 11), self.rng.randint(1, 28))
            if issue >= self.anchor:
                issue = self.anchor - datetime.timedelta(days=30)
            cert = self._certificate(int(sample["stars"]), district, issue)
            if sample["certifying_body"] and "huyện" not in sample["certifying_body"]:
                cert["certificate_issuer"] = sample["certifying_body"]
            description = (f"Sản phẩm OCOP {sample['stars']} sao của {producer}, {district.name}."
                           f" Nguồn: {sample['source'].split()[0]}")
            self._row(code=f"HT-OCOP-{i:04d}", name=sample["name"], kind=kind, seller=seller, commune=commune,
                      certificate=cert, description=description)
            self.used_names.add(fold(sample["name"]))

    def generate(self):
        # Sellers: every former district gets some; production-heavy districts get more.
        weights = {"439": 18, "444": 14, "442": 14, "446": 13, "445": 12, "443": 11, "440": 10, "441": 8,
                   "447": 8, "448": 6, "449": 6, "436": 8, "437": 5}
        while len(self.sellers) < TOTAL_SELLERS:
            present = {s["district"].code for s in self.sellers}
            missing = [d for d in ALL_DISTRICTS if d not in present]
            district = missing[0] if missing else self.rng.choices(list(weights), weights=list(weights.values()))[0]
            self.generated_seller(district)
        # Products: each generated seller makes two or three local kinds in their sizes; round-robin
        # over sellers so every seller lists something. Sample sellers keep their real products.
        index = len(self.rows)
        offers = {}
        for seller in self.sellers:
            if seller.get("sample"):
                continue
            local = [k for k in KINDS if seller["district"].code in k.districts] or KINDS
            kinds = self.rng.sample(local, min(len(local), self.rng.choice([3, 3, 4])))
            offers[seller["code"]] = [(kind, variant) for kind in kinds for variant in kind.variants]
            self.rng.shuffle(offers[seller["code"]])
        generated_sellers = [s for s in self.sellers if s["code"] in offers]
        position = 0
        while len(self.rows) < TOTAL_PRODUCTS and any(offers.values()):
            seller = generated_sellers[position % len(generated_sellers)]
            position += 1
            if not offers[seller["code"]]:
                continue
            kind, variant = offers[seller["code"]].pop()
            name = f"{kind.stem} {seller['brand']} – {variant}"
            if fold(name) in self.used_names:
                continue
            self.used_names.add(fold(name))
            index += 1
            certificate = None
            roll = self.rng.random()
            if roll < 0.45:
                stars = 4 if self.rng.random() < 0.18 else 3
                issue = self.anchor - datetime.timedelta(days=self.rng.randint(30, 33 * 30))
                certificate = self._certificate(stars, seller["district"], issue)
            elif roll < 0.50:  # expired: the badge must not show
                issue = self.anchor - datetime.timedelta(days=self.rng.randint(37 * 30, 48 * 30))
                certificate = self._certificate(3, seller["district"], issue)
            description = (f"{kind.stem} ({variant}) do {seller['legal_name']} sản xuất tại {seller['commune'].name}, "
                           f"tỉnh Hà Tĩnh.")
            self._row(code=f"HT-SP-{index:04d}", name=name, kind=kind, seller=seller, commune=seller["commune"],
                      certificate=certificate, description=description)
        if len(self.rows) < TOTAL_PRODUCTS:
            raise RuntimeError(f"only {len(self.rows)} demo products could be generated")
        self._balance_specialties()

    def _balance_specialties(self):
        """Exactly 416 of the products are typical specialties, as on the provincial platform."""
        flagged = [r for r in self.rows if r["typical_specialty"] == "1"]
        if len(flagged) > TYPICAL_SPECIALTIES:
            generated = [r for r in flagged if r["product_code"].startswith("HT-SP-")]
            for row in self.rng.sample(generated, len(flagged) - TYPICAL_SPECIALTIES):
                row["typical_specialty"] = "0"
        elif len(flagged) < TYPICAL_SPECIALTIES:
            others = [r for r in self.rows if r["typical_specialty"] == "0"]
            for row in self.rng.sample(others, TYPICAL_SPECIALTIES - len(flagged)):
                row["typical_specialty"] = "1"

    def _expiring_soon(self):
        """A few certificates in force expire 32–58 days after the first of the month (so 2–58 days from any
        day of it): the department's home counts them and their sellers, the demo seller NB-0001 among
        them, see the warning. Their own random draw, so the rest of the demo stays as it was."""
        rng = random.Random(SEED + EXPIRY_WARNING_DAYS)

        def in_force(row):
            if not row["stars"]:
                return False
            issue = datetime.datetime.strptime(row["certificate_issue_date"], "%d/%m/%Y").date()
            far_from_its_end = self.anchor + datetime.timedelta(days=3 * EXPIRY_WARNING_DAYS)
            return OcopCertificate.default_expiry(issue) > far_from_its_end

        demo_seller = next(row for row in self.rows if row["seller_code"] == "NB-0001" and row["stars"])
        generated = [row for row in self.rows if row["product_code"].startswith("HT-SP-") and in_force(row)]
        sellers = {seller["code"]: seller for seller in self.sellers}
        for row in [demo_seller, *rng.sample(generated, EXPIRING_SOON - 1)]:
            expiry = self.anchor + datetime.timedelta(days=rng.randint(32, 58))
            issue = add_months(expiry + datetime.timedelta(days=1), -36)  # valid 36 months, to the day before
            row["certificate_issue_date"] = issue.strftime("%d/%m/%Y")
            row["certificate_expiry_date"] = OcopCertificate.default_expiry(issue).strftime("%d/%m/%Y")
            row["certificate_number"] = f"{row['certificate_number'].split('/')[0]}/{issue.year}/GCN-OCOP"
            if row["product_code"].startswith("HT-SP-"):
                row["certificate_issuer"] = _issuer(int(row["stars"]), sellers[row["seller_code"]]["district"], issue)

    def build(self):
        self.load_samples()
        self.generate()
        self._expiring_soon()
        return self.sellers, self.rows


def save_sellers(sellers):
    """Create or update Partner + Vendor for each demo seller; returns {code: Vendor}."""
    vendors = {}
    created = 0
    for seller in sellers:
        vendor = Vendor.objects.select_related("partner").filter(code=seller["code"]).first()
        if vendor is None:
            partner = Partner.objects.create(name=seller["name"], code=slugify(fold(seller["code"])))
            vendor = Vendor(partner=partner, code=seller["code"])
            created += 1
        elif vendor.partner.name != seller["name"]:
            vendor.partner.name = seller["name"]
            vendor.partner.save()
        values = {
            "slug": slugify(fold(f"{seller['name']} {seller['code'][-4:]}"))[:120],
            "legal_name": seller["legal_name"],
            "seller_type": seller["seller_type"],
            "tax_code": seller["tax_code"],
            "representative": seller["representative"],
            "phone": seller["phone"],
            "commune_id": seller["commune"].pk,
            "former_district_id": seller["district"].pk,
            "description": f"{seller['legal_name']} – {seller['commune'].name}, tỉnh Hà Tĩnh.",
        }
        changed = False
        for field, value in values.items():
            if getattr(vendor, field) != value:
                setattr(vendor, field, value)
                changed = True
        if changed or vendor.pk is None:
            vendor.full_clean(exclude=["partner"])
            vendor.save()
        vendors[seller["code"]] = vendor
    return vendors, created


def load_catalogue(today):
    demo = DemoCatalogue(today)
    sellers, rows = demo.build()
    vendors, sellers_created = save_sellers(sellers)
    result = import_rows(list(enumerate(rows, start=2)), today=today)
    if result.errors:
        raise RuntimeError("Demo rows failed validation: " + "; ".join(str(e) for e in result.errors[:10]))
    return vendors, result, sellers_created
