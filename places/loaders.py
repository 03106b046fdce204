"""Load the administrative units from the reference CSV shipped in places/data/ (see SOURCES.md)."""
import csv
import datetime
from pathlib import Path

from django.utils.text import slugify

from search.folding import fold

DATA_FILE = Path(__file__).resolve().parent / "data" / "hatinh_admin_units.csv"


def load_admin_units(FormerDistrict, Commune, OldCommune, path=DATA_FILE):
    """Create or update every unit; takes model classes so a data migration can call it."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    districts = {}
    for row in rows:
        if row["level"] != "district":
            continue
        merged_on = None
        if row["valid_to"] and row["valid_to"] < "2025-06-30":
            merged_on = datetime.date.fromisoformat(row["valid_to"]) + datetime.timedelta(days=1)
        districts[row["code"]], _ = FormerDistrict.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "unit_type": row["unit_type"],
                "slug": slugify(fold(row["name"])),
                "merged_on": merged_on,
            },
        )
    communes = {}
    for row in rows:
        if row["level"] != "commune":
            continue
        communes[row["code"]], _ = Commune.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "unit_type": row["unit_type"],
                "former_district": districts[row["former_district_code"]],
                "folded_name": fold(row["name"]),
            },
        )
    for row in rows:
        if row["level"] != "old_commune":
            continue
        successors = [c for c in row["successor_codes"].split(";") if c.strip()]
        OldCommune.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "unit_type": row["unit_type"],
                "former_district": districts[row["parent_code"]] if row["parent_code"] in districts
                else districts[row["former_district_code"]],
                "successor": communes.get(successors[0].strip()) if successors else None,
                "folded_name": fold(row["name"]),
            },
        )
    return len(districts), len(communes)
