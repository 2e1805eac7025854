from siwanda.regions.loader import DATA_FILE, load_regions, read_rows
from siwanda.regions.models import Region


def test_data_file_states_its_source():
    header = DATA_FILE.read_text(encoding="utf-8").splitlines()[:4]
    assert any("Kepmendagri" in line for line in header)


def test_data_file_has_every_province_regency_and_city():
    rows = read_rows()
    kinds = [row["kind"] for row in rows]
    assert kinds.count("province") == 38
    assert kinds.count("regency") == 416
    assert kinds.count("city") == 98


def test_migration_loaded_the_tree_with_time_zones(db):
    luwu_utara = Region.objects.get(code="73.22")
    assert (luwu_utara.name, luwu_utara.kind, luwu_utara.zone_suffix) == (
        "Kabupaten Luwu Utara",
        "regency",
        "WITA",
    )
    assert luwu_utara.parent.name == "Sulawesi Selatan"
    assert luwu_utara.parent.parent.code == "ID"
    assert Region.objects.get(code="31.71").zone_suffix == "WIB"
    assert Region.objects.get(code="91.71").zone_suffix == "WIT"


def test_load_regions_is_idempotent_and_repairs_changes(db):
    Region.objects.filter(code="73.22").update(name="Luwu Utara (old name)")
    assert load_regions(Region) == (0, 1)
    assert Region.objects.get(code="73.22").name == "Kabupaten Luwu Utara"
    assert load_regions(Region) == (0, 0)
    assert Region.objects.count() == 553
