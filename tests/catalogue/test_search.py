"""Search of the public catalogue, on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm) alike:
the issue's three searches, relevance, every word required, typo correction, highlighting,
counts per filter value that agree with the data, and a catalogue that follows the registry at
once (publishing, unpublishing, editing, evidence)."""

from collections import Counter

import pytest
from django.db import connection

from siwanda.catalogue import search, services
from siwanda.catalogue.models import CatalogueEntry
from siwanda.catalogue.selectors import FACETS, catalogue_search
from siwanda.innovations import services as registry
from siwanda.innovations.models import Innovation
from tests.catalogue.builders import PUBLISHED, publish, register

LEVELS = ["none", "regency", "province", "national"]


def found(filters) -> set[int]:
    result = catalogue_search(filters=filters)
    ids = {entry.innovation_id for entry in result.page}
    assert result.total == len(ids)  # every result fits the first page in these tests
    return ids


def ids(library, *keys) -> set[int]:
    return {library[key].pk for key in keys}


def facts_of(innovation_ids) -> dict[str, Counter]:
    """Counts per filter value, computed here from the registry (not from catalogue entries)."""
    counts = {name: Counter() for name in [*FACETS, "region"]}
    for innovation in (
        Innovation.objects.filter(pk__in=innovation_ids)
        .select_related("agency", "region")
        .prefetch_related("awards")
    ):
        started = (
            innovation.implementation_date or innovation.trial_date or innovation.initiative_date
        )
        top = [a.level for a in innovation.awards.all() if a.is_top]
        values = {
            "province": innovation.region.parent_id,
            "region": innovation.region_id,
            "agency_kind": innovation.agency.kind,
            "form": innovation.form,
            "urusan": innovation.urusan or None,
            "stage": innovation.stage,
            "year": started.year if started else None,
            "digital": "1" if innovation.is_digital else "0",
            "award": max(top, key=LEVELS.index) if top else "none",
        }
        for name, value in values.items():
            if value is not None:
                counts[name][str(value)] += 1
    return counts


def sdg_facts_of(innovation_ids) -> Counter:
    return Counter(
        str(n)
        for n in Innovation.sdgs.through.objects.filter(
            innovation_id__in=innovation_ids
        ).values_list("sdg_id", flat=True)
    )


# --- The issue's searches ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "corrections"),
    [
        ("pelayanan kependudukan", ("adminduk", "daring"), {}),
        ("kelola sampah", ("bank_sampah", "kompos"), {}),
        ("kependudukn", ("adminduk", "daring"), {"kependudukn": "kependudukan"}),
    ],
)
def test_the_issues_searches_find_the_right_innovations(library, text, expected, corrections):
    result = catalogue_search(filters={"q": text})
    assert {e.innovation_id for e in result.page} == ids(library, *expected)
    assert result.total == 2
    assert result.query.corrections == corrections
    assert result.sort == "relevance"


def test_a_title_match_ranks_above_a_body_match(people, agencies):
    in_body = register(
        agencies["dinkes"], "Kebun Warga Lestari", goals="Warga mengolah sampah dapur."
    )
    in_title = register(agencies["disdik"], "Tabungan Sampah Sekolah", goals="Murid menabung.")
    publish(in_body)
    publish(in_title)
    result = catalogue_search(filters={"q": "sampah"})
    assert [e.innovation_id for e in result.page] == [in_title.pk, in_body.pk]
    ranks = [e.rank for e in result.page]
    assert ranks[0] > ranks[1] > 0


def test_every_word_must_match(library):
    assert found({"q": "sampah kompos"}) == ids(library, "kompos")
    assert found({"q": "kependudukan daring"}) == ids(library, "daring")
    assert found({"q": "sampah stunting"}) == set()
    # A known word matching nothing makes the whole search match nothing.
    assert found({"q": "pelayanan sekolah"}) == set()


def test_words_match_through_their_stems(library):
    assert found({"q": "pengelolaan"}) == ids(library, "bank_sampah", "kompos")
    assert found({"q": "layanan"}) == ids(library, "adminduk", "daring")
    assert found({"q": "SAMPAH"}) == ids(library, "bank_sampah", "kompos")


def test_the_body_agency_and_region_are_searched(library):
    assert found({"q": "akta"}) == ids(library, "daring", "adminduk")
    assert found({"q": "gorontalo"}) == ids(library, "kompos")
    assert found({"q": "kecamatan masamba"}) == ids(library, "bank_sampah")


# --- Typo correction --------------------------------------------------------------------------


def test_a_known_word_is_not_corrected(library):
    for text in ("sampah", "dikelola", "kependudukan"):
        assert search.parse(text).corrections == {}, text


def test_a_word_known_by_its_stem_is_not_corrected(library):
    query = search.parse("pengelola")  # never typed in the catalogue; its stem "kelola" is
    assert query.corrections == {}
    assert query.terms == (("pengelola", "kelola"),)


def test_only_the_unknown_word_of_a_search_is_corrected(library):
    query = search.parse("pelayanan kependudukn")
    assert query.corrections == {"kependudukn": "kependudukan"}
    assert query.terms == (("pelayanan", "layan"), ("kependudukn", "kependudukan", "duduk"))
    assert found({"q": "pelayanan kependudukn"}) == ids(library, "adminduk", "daring")


def test_short_or_unlike_unknown_words_are_not_corrected(library):
    assert search.parse("sam").corrections == {}  # under four letters
    assert search.parse("qwxyzv").corrections == {}
    assert found({"q": "qwxyzv"}) == set()


def test_parse_keeps_each_word_once_and_at_most_eight(db):
    query = search.parse("Sampah sampah, kelola; a b c d e f g h")
    assert [terms[0] for terms in query.terms] == ["sampah", "kelola", "a", "b", "c", "d", "e", "f"]
    assert search.MAX_TERMS == 8


def test_no_words_is_no_query(library):
    for text in ("", "   ", "!!! --"):
        query = search.parse(text)
        assert not query and query.terms == ()
    assert found({"q": "!!!"}) == ids(library, *PUBLISHED)


@pytest.mark.parametrize(
    "text", ['"', "'", "sampah*", "-sampah", "OR", "sampah OR", "NEAR(a b)", "²", "中文", "e-ktp"]
)
def test_odd_search_text_never_fails(library, text):
    result = catalogue_search(filters={"q": text})
    assert result.total == len(result.page.object_list)


# --- Highlighting -----------------------------------------------------------------------------


def test_highlight_escapes_html_and_marks_the_matching_words(people, agencies):
    innovation = register(
        agencies["dinkes"],
        "<script>alert('x')</script> Bank Sampah",
        goals="Sampah & <b>plastik</b> ditabung.",
    )
    publish(innovation)
    [entry] = catalogue_search(filters={"q": "sampah"}).page
    assert entry.highlighted["title"] == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Bank <mark>Sampah</mark>"
    )
    assert entry.highlighted["summary"] == (
        "<mark>Sampah</mark> &amp; &lt;b&gt;plastik&lt;/b&gt; ditabung."
    )


def test_highlight_marks_words_by_their_stem_and_corrections(library):
    query = search.parse("kelola")
    assert search.highlight("Pengelolaan Sampah, dikelola warga", query) == (
        "<mark>Pengelolaan</mark> Sampah, <mark>dikelola</mark> warga"
    )
    query = search.parse("kependudukn")
    assert search.highlight("Layanan Kependudukan Daring", query) == (
        "Layanan <mark>Kependudukan</mark> Daring"
    )


def test_without_a_query_the_text_is_only_escaped():
    assert (
        search.highlight("<i>Bank</i> Sampah", search.parse("")) == "&lt;i&gt;Bank&lt;/i&gt; Sampah"
    )


# --- Counts per filter value ------------------------------------------------------------------


def test_the_counts_of_the_whole_catalogue(library, luwu_utara, gorontalo):
    result = catalogue_search(filters={})
    sulsel, gorontalo_province = str(luwu_utara.parent_id), str(gorontalo.parent_id)
    assert result.counts == {
        "province": {sulsel: 5, gorontalo_province: 1},
        "agency_kind": {"dinas": 5, "kecamatan": 1},
        "form": {"public_service": 4, "other": 1, "governance": 1},
        "urusan": {"adminduk": 2, "lingkungan_hidup": 2, "kesehatan": 1, "pendidikan": 1},
        "stage": {"implementation": 4, "trial": 1, "initiative": 1},
        "year": {"2020": 2, "2021": 2, "2022": 1, "2023": 1},
        "digital": {"0": 4, "1": 2},
        "award": {"none": 5, "province": 1},
    }
    assert result.sdg_counts == {
        "2": 1,
        "3": 1,
        "4": 1,
        "10": 1,
        "11": 1,
        "12": 2,
        "13": 1,
        "16": 2,
    }
    assert result.total == 6
    assert set(result.regions) == {luwu_utara.parent_id, gorontalo.parent_id}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"q": "sampah"},
        {"q": "kependudukan"},
        {"form": "public_service"},
        {"digital": "0"},
        {"digital": "1", "q": "kependudukan"},
        {"sdg": 12},
        {"year": 2021},
        {"award": "province"},
        {"agency_kind": "dinas", "stage": "implementation"},
        {"urusan": "lingkungan_hidup"},
    ],
)
def test_counts_agree_with_the_registry_for_every_facet(library, filters):
    result = catalogue_search(filters=filters)
    matching = {e.innovation_id for e in result.page}
    expected = facts_of(matching)
    assert result.counts == {name: dict(expected[name]) for name in FACETS}
    assert result.sdg_counts == dict(sdg_facts_of(matching))
    assert result.total == len(matching)
    for name in FACETS:  # each count is the number of results the value would give
        for value, count in result.counts[name].items():
            narrowed = filters | {name: int(value) if name in ("province", "year") else value}
            if name == "award":
                narrowed = filters | {"award": value}
            assert len(found(narrowed)) == count, (name, value)


def test_with_a_province_chosen_its_regions_are_counted(library, luwu_utara, other_regency):
    result = catalogue_search(filters={"province": luwu_utara.parent_id})
    assert result.counts["region"] == {str(luwu_utara.pk): 4, str(other_regency.pk): 1}
    assert result.counts["region"] == dict(
        facts_of({e.innovation_id for e in result.page})["region"]
    )
    assert set(result.regions) == {luwu_utara.parent_id, luwu_utara.pk, other_regency.pk}
    assert "region" not in catalogue_search(filters={}).counts


def test_filters_combine(library, luwu_utara, gorontalo, other_regency):
    sulsel = luwu_utara.parent_id
    assert found({"urusan": "lingkungan_hidup", "province": sulsel}) == ids(library, "bank_sampah")
    assert found({"urusan": "lingkungan_hidup", "province": gorontalo.parent_id}) == ids(
        library, "kompos"
    )
    assert found({"digital": "1", "form": "governance"}) == ids(library, "sekolah")
    assert found({"digital": "1", "form": "public_service"}) == ids(library, "daring")
    assert found({"sdg": 12, "stage": "initiative"}) == ids(library, "kompos")
    assert found({"sdg": 16, "region": other_regency.pk}) == ids(library, "daring")
    assert found({"q": "sampah", "year": 2020}) == ids(library, "bank_sampah")
    assert found({"q": "kependudukan", "stage": "implementation"}) == ids(library, "adminduk")
    assert found({"award": "province", "urusan": "kesehatan"}) == set()


# --- The catalogue follows the registry -------------------------------------------------------


def test_unpublished_innovations_are_never_found(library):
    drafts = ids(library, "draft_sampah", "draft_dukcapil")
    for text in ("pelayanan kependudukan", "kelola sampah", "rahasia", "belum terbit", "pasar"):
        assert found({"q": text}).isdisjoint(drafts), text
    assert found({}) == ids(library, *PUBLISHED)
    assert found({"q": "rahasia"}) == set()


def test_unpublishing_removes_from_search_at_once(library, people):
    bank_sampah = library["bank_sampah"]
    services.innovation_unpublish(
        actor=people["secretariat"], innovation=bank_sampah, reason="Data belum lengkap."
    )
    assert found({"q": "kelola sampah"}) == ids(library, "kompos")
    assert found({"q": "berbasis"}) == set()
    assert not search.matching(CatalogueEntry.objects.all(), search.parse("berbasis")).exists()
    assert catalogue_search(filters={}).counts["agency_kind"] == {"dinas": 5}


def test_published_again_it_is_found_again(library, people):
    bank_sampah = library["bank_sampah"]
    services.innovation_unpublish(actor=people["secretariat"], innovation=bank_sampah, reason="x")
    publish(bank_sampah)
    assert found({"q": "berbasis"}) == ids(library, "bank_sampah")


def test_an_edited_title_is_searchable_at_once(library):
    bank_sampah = library["bank_sampah"]
    registry.innovation_update(actor=None, innovation=bank_sampah, title="Tabungan Emas Warga")
    assert found({"q": "emas"}) == ids(library, "bank_sampah")
    assert found({"q": "berbasis"}) == set()
    [entry] = catalogue_search(filters={"q": "tabungan emas"}).page
    assert entry.highlighted["title"] == "<mark>Tabungan</mark> <mark>Emas</mark> Warga"


def test_an_edited_facet_is_counted_at_once(library):
    registry.innovation_update(actor=None, innovation=library["kompos"], urusan="pertanian")
    assert catalogue_search(filters={}).counts["urusan"] == {
        "adminduk": 2,
        "lingkungan_hidup": 1,
        "kesehatan": 1,
        "pendidikan": 1,
        "pertanian": 1,
    }
    assert found({"urusan": "pertanian"}) == ids(library, "kompos")


def test_editing_an_unpublished_innovation_does_not_publish_it(library):
    draft = library["draft_sampah"]
    registry.innovation_update(actor=None, innovation=draft, title="Sampah Pasar Terbuka")
    assert not CatalogueEntry.objects.filter(innovation=draft).exists()
    assert found({"q": "terbuka"}) == set()


def test_the_search_runs_on_this_database(db):
    """Both databases are covered: SQLite in embedded mode, PostgreSQL in production."""
    assert connection.vendor in ("sqlite", "postgresql")
