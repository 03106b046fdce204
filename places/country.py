"""Load Vietnam's provinces and wards/communes (two levels since 01/07/2025) from the `vietnam-provinces`
package (GSO codes; its data version is recorded in places/data/SOURCES.md)."""
import json

from search.folding import fold

UNIT_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ")


def sort_key(name):
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    return fold(name)[:64]


def divisions():
    """[(province dict, [ward dict, …])] as the package ships them."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    return json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))


def load_country_units(Province, Ward):
    """Create or update every unit by code (names may change; codes stay). Takes model classes so a data
    migration can call it; returns (provinces, wards)."""
    provinces = wards = 0
    existing_p = {p.code: p for p in Province.objects.all()}
    existing_w = {w.code: w for w in Ward.objects.all()}
    new_wards, changed_wards = [], []
    for item in divisions():
        code = f"{item['code']:02d}"
        values = {"name": item["name"], "unit_type": item["division_type"], "sort_key": sort_key(item["name"])}
        province = existing_p.get(code)
        if province is None:
            province = Province.objects.create(code=code, **values)
        elif any(getattr(province, k) != v for k, v in values.items()):
            Province.objects.filter(code=code).update(**values)
        provinces += 1
        for w in item["wards"]:
            wcode = f"{w['code']:05d}"
            values = {"name": w["name"], "unit_type": w["division_type"], "sort_key": sort_key(w["name"]),
                      "province_id": code}
            ward = existing_w.get(wcode)
            if ward is None:
                new_wards.append(Ward(code=wcode, **values))
            elif any(getattr(ward, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(ward, k, v)
                changed_wards.append(ward)
            wards += 1
    Ward.objects.bulk_create(new_wards, batch_size=500)
    Ward.objects.bulk_update(changed_wards, ["name", "unit_type", "sort_key", "province_id"], batch_size=500)
    return provinces, wards
