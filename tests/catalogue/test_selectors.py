"""Reads of the public catalogue: sorting and pages, what a published innovation shows, public
evidence, similar innovations, replication links and who sees which replication request."""

import pytest
from django.utils import timezone

from siwanda.catalogue import selectors, services
from siwanda.catalogue.models import CatalogueEntry, ReplicationRequest
from siwanda.innovations import services as registry
from tests.catalogue.builders import PUBLISHED, publish, register, verified_document


def titles(result) -> list[str]:
    return [entry.title for entry in result.page]


# --- Sorting and pages ------------------------------------------------------------------------


def test_without_a_search_the_catalogue_is_sorted_by_title(library):
    result = selectors.catalogue_search(filters={})
    assert result.sort == "title"
    assert titles(result) == [
        "Dapur Sehat Atasi Stunting",
        "Dikelola Warga: Sampah Jadi Kompos",
        "Pelayanan Administrasi Kependudukan Keliling",
        "Pengelolaan Sampah Berbasis Bank Sampah",
        "Sekolah Ramah Anak",
        "Si-Dukun: Layanan Kependudukan Daring",
    ]
    # Relevance needs a search text: asked for without one, it is the title.
    assert selectors.catalogue_search(filters={"sort": "relevance"}).sort == "title"


def test_sorted_by_newest_and_by_replications(library, agencies):
    CatalogueEntry.objects.filter(innovation=library["sekolah"]).update(
        published_at=timezone.now() + timezone.timedelta(days=1)
    )
    assert titles(selectors.catalogue_search(filters={"sort": "newest"}))[0] == (
        "Sekolah Ramah Anak"
    )
    register(agencies["luwu_timur"], "Dapur Sehat Timur", source_innovation=library["stunting"])
    register(agencies["dlh_gorontalo"], "Kompos Timur", source_innovation=library["kompos"])
    register(agencies["disdik"], "Dapur Sehat Sekolah", source_innovation=library["stunting"])
    assert titles(selectors.catalogue_search(filters={"sort": "replicated"}))[:3] == [
        "Dapur Sehat Atasi Stunting",
        "Dikelola Warga: Sampah Jadi Kompos",
        "Pelayanan Administrasi Kependudukan Keliling",
    ]


def test_a_search_too_broad_to_rank_shows_the_most_replicated_first(
    library, agencies, monkeypatch, client
):
    register(agencies["dlh_gorontalo"], "Kompos Timur", source_innovation=library["kompos"])
    ranked = selectors.catalogue_search(filters={"q": "sampah"})
    assert (ranked.sort, ranked.broad, ranked.total) == ("relevance", False, 2)
    monkeypatch.setattr(selectors, "RANK_LIMIT", 1)
    broad = selectors.catalogue_search(filters={"q": "sampah"})
    assert (broad.sort, broad.broad, broad.total) == ("replicated", True, 2)
    assert titles(broad) == [
        "Dikelola Warga: Sampah Jadi Kompos",
        "Pengelolaan Sampah Berbasis Bank Sampah",
    ]
    page = client.get("/katalog/", {"q": "sampah"}).content.decode()
    assert "the most replicated are shown first" in page
    # Asked for a sort explicitly, the visitor gets it.
    assert selectors.catalogue_search(filters={"q": "sampah", "sort": "title"}).broad is False


def test_a_page_beyond_the_last_shows_the_last(library, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    result = selectors.catalogue_search(filters={}, page_number=2)
    assert (result.page.number, len(result.page), result.total) == (2, 2, 6)
    assert selectors.catalogue_search(filters={}, page_number=99).page.number == 2
    assert selectors.catalogue_search(filters={}, page_number="abc").page.number == 1


def test_pages_stop_at_max_pages(library, monkeypatch):
    """Deeper than MAX_PAGES a visitor narrows the search: page MAX_PAGES is the last one
    offered, and a link to a deeper page gives that last page."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "MAX_PAGES", 2)
    result = selectors.catalogue_search(filters={}, page_number=3)
    assert result.page.number == 2
    assert titles(result) == [
        "Pelayanan Administrasi Kependudukan Keliling",
        "Pengelolaan Sampah Berbasis Bank Sampah",
    ]
    assert result.total == 6  # the count still says how many there are
    assert not result.page.has_next()
    assert result.page.paginator.num_pages == 2


# --- One published innovation -----------------------------------------------------------------


def test_an_unpublished_innovation_is_not_in_the_catalogue(library):
    assert selectors.catalogue_innovation(library["draft_sampah"].pk) is None
    assert selectors.catalogue_innovation(library["kompos"].pk) == library["kompos"]


def test_only_verified_documents_chosen_to_be_public_are_public(people, innovation):
    shown = verified_document(innovation, "SK Bupati tentang Dapur Sehat")
    kept = verified_document(innovation, "Laporan keuangan")
    pending = verified_document(innovation, "Foto kegiatan", status="pending")
    publish(innovation, evidence=[shown])
    published = selectors.catalogue_innovation(innovation.pk)
    assert published.public_evidence == [shown]
    assert selectors.public_evidence(shown.pk) == shown
    assert selectors.public_evidence(kept.pk) is None
    assert selectors.public_evidence(pending.pk) is None


def test_a_rejected_document_stops_being_public(people, innovation):
    document = verified_document(innovation, "SK Bupati tentang Dapur Sehat")
    publish(innovation, evidence=[document])
    assert selectors.public_evidence(document.pk) == document
    registry.evidence_verify(
        actor=people["secretariat"], document=document, status="rejected", note="Palsu."
    )
    assert selectors.public_evidence(document.pk) is None
    assert selectors.catalogue_innovation(innovation.pk).public_evidence == []


def test_the_documents_of_an_unpublished_innovation_are_not_public(people, innovation):
    document = verified_document(innovation, "SK Bupati tentang Dapur Sehat")
    publish(innovation, evidence=[document])
    services.innovation_unpublish(actor=people["secretariat"], innovation=innovation, reason="x")
    assert selectors.public_evidence(document.pk) is None


def test_similar_innovations_share_telling_words_of_the_title(library):
    entry = CatalogueEntry.objects.get(innovation=library["bank_sampah"])
    assert [e.innovation_id for e in selectors.similar_entries(entry)] == [library["kompos"].pk]
    entry = CatalogueEntry.objects.get(innovation=library["adminduk"])
    assert [e.innovation_id for e in selectors.similar_entries(entry)] == [library["daring"].pk]


def test_similar_innovations_of_a_title_without_telling_words_are_none(library, agencies):
    """ "E-KTP" has no word of four letters or more: no similar innovations, and no error."""
    entry = publish(register(agencies["disdukcapil"], "E-KTP"))
    assert selectors.similar_entries(entry) == []
    entry = publish(register(agencies["disdukcapil"], "Dinas Kota"))  # only common words
    assert selectors.similar_entries(entry) == []


# --- Replication links ------------------------------------------------------------------------


def test_replicas_and_the_replication_network_of_a_region(library, agencies, luwu_utara):
    stunting = library["stunting"]
    timur = register(agencies["luwu_timur"], "Dapur Sehat Timur", source_innovation=stunting)
    within = register(agencies["masamba"], "Dapur Sehat Masamba", source_innovation=stunting)
    taken = register(agencies["disdik"], "Kompos Sekolah", source_innovation=library["kompos"])
    assert list(selectors.replicas_of(stunting)) == [timur, within]  # by region, then agency
    network = selectors.replications_of_region(luwu_utara)
    assert list(network["from_others"]) == [taken]
    assert list(network["by_others"]) == [timur]
    assert list(network["within"]) == [within]
    network = selectors.replications_of_region(agencies["luwu_timur"].region)
    assert (list(network["from_others"]), list(network["by_others"])) == ([timur], [])


# --- Replication requests ---------------------------------------------------------------------


@pytest.fixture
def asked(people, innovation):
    """Dinas Kesehatan of Luwu Timur asks Dinas Kesehatan of Luwu Utara for its published
    innovation."""
    publish(innovation)
    return services.replication_request(
        actor=people["neighbour_operator"],
        source=innovation,
        agency=people["neighbour_agency"],
        message="Kami ingin belajar dapur sehat.",
    )


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("admin", True),
        ("operator", True),  # the owner
        ("head", True),
        ("neighbour_operator", True),  # the requester
        ("secretariat", True),  # the source's region
        ("leadership", True),
        ("neighbour_secretariat", True),  # the requester's region
        ("other_operator", False),
        ("mentor", False),
        ("juror", False),
        ("nobody", False),
    ],
)
def test_who_sees_a_replication_request(people, asked, role, sees):
    assert list(selectors.requests_for(people[role])) == ([asked] if sees else [])


def test_the_open_request_of_an_agency(people, asked, innovation):
    assert selectors.open_request(source=innovation, agency=people["neighbour_agency"]) == asked
    assert selectors.open_request(source=innovation, agency=people["other_agency"]) is None
    ReplicationRequest.objects.filter(pk=asked.pk).update(status="declined")
    assert selectors.open_request(source=innovation, agency=people["neighbour_agency"]) is None


def test_published_set_is_the_library(library):
    assert set(CatalogueEntry.objects.values_list("innovation_id", flat=True)) == {
        library[key].pk for key in PUBLISHED
    }
