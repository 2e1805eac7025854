"""Load the region tree from the committed data file (data/regions.csv, source stated inside).

Takes the Region model as an argument so that the data migration can pass its historical model
and the `load_regions` command the current one.
"""

import csv
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "regions.csv"
NATION = {"code": "ID", "name": "Indonesia", "kind": "nation", "timezone": "Asia/Jakarta"}


def read_rows(path: Path = DATA_FILE) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(lines))


def load_regions(region_model, path: Path = DATA_FILE) -> tuple[int, int]:
    """Create missing regions and update changed names; return (created, updated)."""
    existing = {region.code: region for region in region_model.objects.all()}
    created = updated = 0

    def upsert(code, name, kind, timezone, parent):
        nonlocal created, updated
        region = existing.get(code)
        if region is None:
            region = region_model.objects.create(
                code=code, name=name, kind=kind, timezone=timezone, parent=parent
            )
            existing[code] = region
            created += 1
        elif (region.name, region.kind, region.timezone, region.parent_id) != (
            name,
            kind,
            timezone,
            parent.pk if parent else None,
        ):
            region.name, region.kind, region.timezone, region.parent = name, kind, timezone, parent
            region.save(update_fields=["name", "kind", "timezone", "parent"])
            updated += 1
        return region

    nation = upsert(NATION["code"], NATION["name"], NATION["kind"], NATION["timezone"], None)
    rows = read_rows(path)
    # Provinces first, so that every regency finds its parent.
    for row in sorted(rows, key=lambda r: (r["kind"] != "province", r["code"])):
        parent = nation if row["kind"] == "province" else existing[row["parent_code"]]
        upsert(row["code"], row["name"], row["kind"], row["timezone"], parent)
    return created, updated
