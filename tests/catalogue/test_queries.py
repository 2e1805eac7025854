"""The catalogue's pages cost a fixed number of SQL queries whatever the number of rows: the
list with 3 and with 30 published innovations (with and without a search, with a province
chosen), an innovation's page with few and many replicas, evidence, awards and SDGs, the
replication requests and a region's replications."""

import pytest
from django.db import connection
from django.urls import reverse

from siwanda.accounts.models import Role
from siwanda.catalogue import services
from siwanda.innovations import services as registry
from tests.catalogue.builders import publish, register, verified_document
from tests.factories import AgencyFactory, person_with_role
from tests.helpers import assert_constant_queries, count_queries, login

KINDS = ["dinas", "badan", "kecamatan", "puskesmas", "sekolah"]
URUSAN = ["kesehatan", "pendidikan", "lingkungan_hidup", "adminduk", "pertanian"]


def add_published(region, first, count):
    """`count` published innovations, all about "sampah", over varied facets and agencies."""
    for n in range(first, first + count):
        agency = AgencyFactory(region=region, name=f"Unit {n}", kind=KINDS[n % len(KINDS)])
        innovation = register(
            agency,
            f"Bank Sampah {n:02d}",
            urusan=URUSAN[n % len(URUSAN)],
            form="public_service" if n % 2 else "governance",
            started=2018 + n % 6,
            is_digital=bool(n % 3),
            sdgs=[1 + n % 17, 1 + (n + 5) % 17],
            goals=f"Warga desa {n} menabung sampah.",
        )
        publish(innovation)


@pytest.mark.parametrize(
    "params",
    [
        "",
        "?q=sampah",
        "?q=sampha+desa",  # a correction too
        "?province=73",
        "?province=73&region=73.22&q=bank&sort=newest",
        "?digital=1&sdg=3&page=2",
    ],
)
def test_the_list_costs_the_same_with_3_and_30_innovations(
    client, people, luwu_utara, params, no_cache
):
    add_published(luwu_utara, 0, 3)
    url = reverse("catalogue:list") + params
    assert_constant_queries(client, url, lambda: add_published(luwu_utara, 3, 27))


def test_the_list_stays_within_its_budget(
    client, people, luwu_utara, django_assert_max_num_queries, no_cache
):
    """A visitor's search with a province chosen: the vocabulary, the counts, the SDG counts,
    the page, the regions counted and the filters' choices."""
    add_published(luwu_utara, 0, 30)
    client.get(reverse("catalogue:list"))
    # PostgreSQL: a search runs in its own transaction with one planner setting (SAVEPOINT,
    # SET LOCAL, RELEASE inside a test's transaction).
    extra = 3 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(9 + extra):
        client.get(reverse("catalogue:list"), {"q": "sampah", "province": "73"})
    # Signed in (the menu, the notices), and a misspelt word to correct (one query more).
    login(client, people["neighbour_operator"])
    client.get(reverse("catalogue:list"))
    with django_assert_max_num_queries(14 + extra):
        client.get(reverse("catalogue:list"), {"q": "sampha desa", "province": "73"})


@pytest.fixture
def no_cache(settings):
    """Counts are cached per filter set until the catalogue changes: measure every request as
    if it were the first, the costliest case."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_the_counts_are_cached_until_the_catalogue_changes(client, people, luwu_utara):
    add_published(luwu_utara, 0, 3)
    url = reverse("catalogue:list") + "?q=sampah"
    client.get(url)
    first = count_queries(client, url)
    client.get(url)
    assert count_queries(client, url) == first
    add_published(luwu_utara, 3, 1)
    assert count_queries(client, url) == first + 1  # counted again once
    assert count_queries(client, url) == first


@pytest.mark.parametrize("role", ["anonymous", "neighbour_operator", "secretariat"])
def test_an_innovations_page_costs_the_same_with_more_to_show(
    client, people, innovation, agencies, role, no_cache
):
    publish(innovation)
    if role != "anonymous":
        login(client, people[role])

    def more():
        for n in range(6):
            agency = AgencyFactory(region=agencies["luwu_timur"].region, name=f"Puskesmas {n}")
            replica = register(agency, f"Dapur Sehat {n}", source_innovation=innovation)
            if n % 2:
                publish(replica)
            document = verified_document(innovation, f"Bukti {n}")
            registry.award_add(
                actor=people["secretariat"],
                innovation=innovation,
                year=2020 + n,
                level="regency",
                title=f"Top 7 {n}",
            )
            publish(innovation, evidence=[*innovation.evidence.filter(is_public=True), document])
        registry.innovation_update(actor=None, innovation=innovation, sdgs=list(range(1, 18)))

    assert_constant_queries(client, reverse("catalogue:detail", args=[innovation.pk]), more)


@pytest.mark.parametrize(
    "role", ["operator", "neighbour_operator", "secretariat", "neighbour_secretariat", "admin"]
)
def test_the_requests_page_costs_the_same_with_more_requests(client, people, innovation, role):
    publish(innovation)
    login(client, people[role])

    def ask(agency):
        operator = person_with_role(Role.OPERATOR, agency=agency)
        services.replication_request(
            actor=operator, source=innovation, agency=agency, message="Boleh?"
        )

    ask(people["neighbour_agency"])
    region = people["neighbour_agency"].region

    def more():
        for n in range(5):
            ask(AgencyFactory(region=region, name=f"Puskesmas {n}"))

    assert_constant_queries(client, reverse("catalogue:requests"), more)


def test_a_requests_page_costs_the_same_with_a_longer_conversation(client, people, innovation):
    publish(innovation)
    request = services.replication_request(
        actor=people["neighbour_operator"],
        source=innovation,
        agency=people["neighbour_agency"],
        message="Boleh?",
    )
    login(client, people["operator"])

    def more():
        for n in range(5):
            for side in ("operator", "neighbour_operator"):
                services.replication_message(actor=people[side], request=request, text=f"{n}")

    assert_constant_queries(client, reverse("catalogue:request", args=[request.pk]), more)


def test_a_regions_replications_cost_the_same_with_more(client, people, library, agencies):
    def more():
        for n in range(5):
            register(agencies["luwu_timur"], f"Dapur {n}", source_innovation=library["stunting"])
            register(agencies["disdik"], f"Kompos {n}", source_innovation=library["kompos"])
            register(agencies["masamba"], f"Sekolah {n}", source_innovation=library["sekolah"])

    register(agencies["luwu_timur"], "Dapur", source_innovation=library["stunting"])
    assert_constant_queries(client, reverse("catalogue:region", args=["73.22"]), more)


def test_counted_pages_answer(client, library):
    """The counting helper sees a real page (not an error page)."""
    assert count_queries(client, reverse("catalogue:list")) > 0
