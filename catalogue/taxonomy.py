"""The OCOP classification of Decision 148/QĐ-TTg (2023), loaded from catalogue/data/ (see SOURCES.md)."""
import csv
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "ocop_product_classification.csv"
LEVELS = ("nganh", "nhom", "phan_nhom")


def load_classification(OcopClassification, path=DATA_FILE):
    """Create or update the 6 groups, their subgroups and sub-subgroups (not the star bands)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] in LEVELS]
    nodes = {}
    for row in rows:  # parents come before children in the file
        nodes[row["code"]], _ = OcopClassification.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": row["level"],
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "parent": nodes.get(row["parent_code"]) if row["parent_code"] else None,
                "criteria_set_no": int(row["criteria_set_no"]) if row["criteria_set_no"] else None,
            },
        )
    return len(nodes)
