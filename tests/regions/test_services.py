import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from siwanda.activity.models import ActivityEntry
from siwanda.regions import services
from siwanda.regions.models import Agency
from tests.factories import AgencyFactory


def test_agency_create_records_who_and_what(people, luwu_utara):
    agency = services.agency_create(
        actor=people["secretariat"],
        region=luwu_utara,
        name="  Dinas Sosial ",
        kind=Agency.Kind.DINAS,
        short_name="Dinsos",
    )
    assert agency.name == "Dinas Sosial"
    entry = ActivityEntry.objects.get(action="agency.created")
    assert entry.actor == people["secretariat"]
    assert entry.region == luwu_utara
    assert entry.target_label == "Dinas Sosial"
    assert entry.changes["short_name"] == {"before": None, "after": "Dinsos"}


def test_agency_names_are_unique_per_region_ignoring_case(people, luwu_utara, other_regency):
    with pytest.raises(ValidationError) as error:
        services.agency_create(
            actor=people["secretariat"],
            region=luwu_utara,
            name="dinas KESEHATAN",
            kind=Agency.Kind.DINAS,
        )
    assert "name" in error.value.error_dict
    # The same name is fine in another regency.
    services.agency_create(
        actor=people["neighbour_secretariat"],
        region=other_regency,
        name="Dinas Pendidikan",
        kind=Agency.Kind.DINAS,
    )


def test_agency_codes_are_unique_per_region(people, luwu_utara):
    AgencyFactory(region=luwu_utara, code="1.02.01")
    with pytest.raises(ValidationError) as error:
        services.agency_create(
            actor=people["secretariat"],
            region=luwu_utara,
            name="Dinas Baru",
            kind=Agency.Kind.DINAS,
            code="1.02.01",
        )
    assert "code" in error.value.error_dict


def test_parent_must_be_in_the_same_region(people, luwu_utara):
    with pytest.raises(ValidationError) as error:
        services.agency_create(
            actor=people["secretariat"],
            region=luwu_utara,
            name="Puskesmas X",
            kind=Agency.Kind.PUSKESMAS,
            parent=people["neighbour_agency"],
        )
    assert "parent" in error.value.error_dict


def test_an_agency_cannot_be_placed_under_its_own_unit(people, luwu_utara):
    dinkes = people["agency"]
    puskesmas = AgencyFactory(region=luwu_utara, name="Puskesmas Y", parent=dinkes)
    with pytest.raises(ValidationError):
        services.agency_update(actor=people["secretariat"], agency=dinkes, parent=puskesmas)


def test_only_the_regions_secretariat_or_an_admin_creates_agencies(people, luwu_utara):
    for role in ("operator", "head", "mentor", "leadership", "neighbour_secretariat"):
        with pytest.raises(PermissionDenied):
            services.agency_create(
                actor=people[role], region=luwu_utara, name=f"By {role}", kind="dinas"
            )
    services.agency_create(actor=people["admin"], region=luwu_utara, name="By admin", kind="dinas")


def test_agency_update_records_before_and_after(people):
    agency = people["agency"]
    services.agency_update(
        actor=people["secretariat"], agency=agency, short_name="Dinkes", email="DINKES@x.go.id"
    )
    entry = ActivityEntry.objects.get(action="agency.updated")
    assert entry.changes == {
        "email": {"before": "", "after": "dinkes@x.go.id"},
        "short_name": {"before": "", "after": "Dinkes"},
    }
    agency.refresh_from_db()
    assert agency.email == "dinkes@x.go.id"


def test_agency_update_without_change_writes_nothing(people):
    services.agency_update(
        actor=people["secretariat"], agency=people["agency"], name="Dinas Kesehatan"
    )
    assert not ActivityEntry.objects.filter(action="agency.updated").exists()


def test_agency_update_refuses_unknown_fields(people):
    with pytest.raises(TypeError):
        services.agency_update(actor=people["secretariat"], agency=people["agency"], region=None)


def test_deactivate_and_reactivate(people):
    agency = people["agency"]
    services.agency_set_active(actor=people["secretariat"], agency=agency, active=False)
    services.agency_set_active(actor=people["secretariat"], agency=agency, active=False)
    services.agency_set_active(actor=people["secretariat"], agency=agency, active=True)
    actions = list(ActivityEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["agency.deactivated", "agency.reactivated"]


def test_import_links_a_parent_from_an_earlier_row(people, luwu_utara):
    created = services.agency_import(
        actor=people["secretariat"],
        region=luwu_utara,
        rows=[
            {"name": "Dinas Sosial", "kind": "dinas", "parent": ""},
            {"name": "UPT Panti", "kind": "upt", "parent": "dinas sosial"},
            {"name": "Puskesmas Z", "kind": "puskesmas", "parent": "Dinas Kesehatan"},
        ],
    )
    assert [a.name for a in created] == ["Dinas Sosial", "UPT Panti", "Puskesmas Z"]
    assert created[1].parent == created[0]
    assert created[2].parent == people["agency"]
    assert ActivityEntry.objects.filter(action="agency.imported").count() == 3


def test_region_settings_change_is_recorded(people, luwu_utara):
    services.region_update_settings(
        actor=people["secretariat"], region=luwu_utara, require_admin_2fa=True
    )
    luwu_utara.refresh_from_db()
    assert luwu_utara.require_admin_2fa is True
    assert ActivityEntry.objects.get(action="region.settings_changed").changes == {
        "require_admin_2fa": {"before": False, "after": True}
    }
    with pytest.raises(PermissionDenied):
        services.region_update_settings(
            actor=people["neighbour_secretariat"], region=luwu_utara, require_admin_2fa=False
        )
