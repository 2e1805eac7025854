"""Building catalogue entries from the registry: what an entry holds, and that it follows the
innovation, its awards and its replications."""

import datetime

import pytest

from siwanda.catalogue.indexing import (
    SUMMARY_CHARS,
    catalogue_index,
    catalogue_refresh,
    summary_of,
)
from siwanda.catalogue.models import CatalogueEntry, SearchWord
from siwanda.innovations import services as registry
from siwanda.innovations.models import Innovation
from siwanda.regions.models import Region
from tests.catalogue.builders import publish, register, secretariat_of
from tests.factories import AgencyFactory


def test_publishing_writes_the_entry_from_the_registry(people, agencies, luwu_utara):
    innovation = register(
        agencies["masamba"],
        "Pengelolaan Sampah Berbasis Bank Sampah",
        form="other",
        urusan="lingkungan_hidup",
        started=2020,
        is_digital=True,
        goals="Sampah   rumah tangga\ndipilah warga.",
        design="Warga menabung sampah.",
        benefits="Desa bersih.",
        results="Sampah ke TPA turun.",
    )
    secretariat = people["secretariat"]
    entry = publish(innovation, by=secretariat)
    assert entry == CatalogueEntry.objects.get()
    assert entry.title == "Pengelolaan Sampah Berbasis Bank Sampah"
    assert entry.summary == "Sampah rumah tangga dipilah warga."
    assert entry.body == (
        "Kecamatan Masamba Kabupaten Luwu Utara Sampah   rumah tangga\ndipilah warga. "
        "Warga menabung sampah. Desa bersih. Sampah ke TPA turun."
    )
    assert entry.stems == "kelola bas camat pilah tabung"
    assert (entry.agency, entry.agency_kind) == (agencies["masamba"], "kecamatan")
    assert (entry.region, entry.province) == (luwu_utara, Region.objects.get(code="73"))
    assert (entry.form, entry.urusan, entry.stage) == (
        "other",
        "lingkungan_hidup",
        "implementation",
    )
    assert (entry.year, entry.is_digital) == (2020, True)
    assert (entry.best_award, entry.replication_count) == ("none", 0)
    assert entry.published_by == secretariat


@pytest.mark.parametrize(
    ("dates", "year"),
    [
        ({"initiative_date": datetime.date(2018, 1, 1)}, 2018),
        (
            {"initiative_date": datetime.date(2018, 1, 1), "trial_date": datetime.date(2019, 1, 1)},
            2019,
        ),
        (
            {
                "initiative_date": datetime.date(2018, 1, 1),
                "trial_date": datetime.date(2019, 1, 1),
                "implementation_date": datetime.date(2020, 1, 1),
            },
            2020,
        ),
        ({}, None),
    ],
)
def test_the_year_is_when_it_began_to_serve_people(people, dates, year):
    innovation = registry.innovation_create(
        actor=None,
        agency=people["agency"],
        title="Posyandu",
        form="public_service",
        initiator="agency",
        stage="initiative",
        **dates,
    )
    assert publish(innovation).year == year


def test_an_agency_of_the_province_itself_has_the_province_as_province(people):
    province = Region.objects.get(code="73")
    agency = AgencyFactory(region=province, name="Biro Organisasi")
    entry = publish(register(agency, "Sulsel Melayani"))
    assert (entry.region, entry.province) == (province, province)


def test_summary_takes_goals_then_design_then_benefits():
    assert summary_of(Innovation(goals="", design="Rancang", benefits="Manfaat")) == "Rancang"
    assert summary_of(Innovation(goals="", design="", benefits="Manfaat")) == "Manfaat"
    assert summary_of(Innovation()) == ""


def test_a_long_summary_is_cut_at_a_word_with_an_ellipsis():
    words = " ".join(f"kata{n:03d}" for n in range(100))  # 7 letters and a space each
    summary = summary_of(Innovation(goals=words))
    assert SUMMARY_CHARS == 320
    # The first 320 characters are 40 whole words and their spaces.
    assert summary == " ".join(f"kata{n:03d}" for n in range(40)) + "…"
    # Cut inside a word, the broken word is left out.
    assert summary_of(Innovation(goals="x" + words)) == (
        "x" + " ".join(f"kata{n:03d}" for n in range(39)) + "…"
    )


def test_the_best_award_is_the_highest_top_award(people, innovation):
    entry = publish(innovation)
    assert entry.best_award == "none"
    secretariat = people["secretariat"]
    registry.award_add(
        actor=secretariat, innovation=innovation, year=2021, level="regency", title="Top 7"
    )
    assert CatalogueEntry.objects.get().best_award == "regency"
    registry.award_add(
        actor=secretariat,
        innovation=innovation,
        year=2022,
        level="national",
        title="Top 99 finalist",
        is_top=False,
    )
    assert CatalogueEntry.objects.get().best_award == "regency"
    registry.award_add(
        actor=secretariat, innovation=innovation, year=2022, level="province", title="Top 30"
    )
    assert CatalogueEntry.objects.get().best_award == "province"
    registry.award_add(
        actor=secretariat, innovation=innovation, year=2020, level="regency", title="Top 7"
    )
    assert CatalogueEntry.objects.get().best_award == "province"


def test_the_replication_count_follows_the_replicas(people, innovation, agencies):
    publish(innovation)
    first = register(agencies["luwu_timur"], "Dapur Sehat Luwu Timur", source_innovation=innovation)
    assert CatalogueEntry.objects.get(innovation=innovation).replication_count == 1
    register(agencies["dlh_gorontalo"], "Dapur Sehat Gorontalo", source_innovation=innovation)
    assert CatalogueEntry.objects.get(innovation=innovation).replication_count == 2
    registry.innovation_update(actor=None, innovation=first, source_innovation=None)
    assert CatalogueEntry.objects.get(innovation=innovation).replication_count == 1


def test_refresh_rebuilds_only_published_innovations(people, agencies):
    published = register(agencies["dinkes"], "Dapur Sehat")
    hidden = register(agencies["disdik"], "Sekolah Rahasia")
    entry = publish(published)
    CatalogueEntry.objects.filter(pk=entry.pk).update(title="stale")
    assert catalogue_refresh([published.pk, hidden.pk]) == 1
    assert list(CatalogueEntry.objects.values_list("title", flat=True)) == ["Dapur Sehat"]


def test_republishing_keeps_the_first_date_and_publisher(people, innovation, luwu_utara):
    first = publish(innovation, by=people["secretariat"])
    other = secretariat_of(luwu_utara)  # the same region's secretariat, another person
    assert other == people["secretariat"]
    admin = people["admin"]
    again = publish(innovation, by=admin)
    assert (again.published_at, again.published_by) == (first.published_at, people["secretariat"])


def test_index_publishes_many_at_once_and_counts_them(people, agencies):
    made = [register(agencies["dinkes"], f"Inovasi {n}") for n in range(3)]
    assert catalogue_index(innovation_ids=[i.pk for i in made], published_by=people["admin"]) == 3
    assert set(CatalogueEntry.objects.values_list("innovation_id", "published_by")) == {
        (i.pk, people["admin"].pk) for i in made
    }


def test_the_vocabulary_holds_words_of_three_letters_or_more_and_the_stems(people, agencies):
    publish(register(agencies["dinkes"], "Si-Dukun: Pengelolaan Air", goals="KB di 2 desa"))
    vocabulary = set(SearchWord.objects.values_list("word", flat=True))
    assert {"dukun", "pengelolaan", "air", "kelola", "desa", "dinas", "kesehatan", "sehat"} <= (
        vocabulary
    )
    assert {"si", "kb", "di", "2"}.isdisjoint(vocabulary)
