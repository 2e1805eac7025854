"""The judging and results pages cost a fixed number of SQL queries, whatever the number of
proposals: each page is counted for a competition of 3 proposals and one of 12, both judged by a
panel of 3 (every juror scores every proposal), and the counts must be equal.

The module builds both competitions once (in a transaction rolled back at its end): one judging
stage only (the regency template's desk evaluation; the presentations are deleted), scored,
closed, all but one proposal advanced, and published.
"""

import re

import pytest
from django.urls import reverse

from tests.helpers import count_queries, login

SIZES = (3, 12)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    from siwanda.accounts.models import Role
    from siwanda.judging import services as judging
    from siwanda.regions.models import Region
    from siwanda.results.services import results_publish
    from tests.builders import competition_from_template, make_people
    from tests.factories import AgencyFactory, person_with_role
    from tests.judging.conftest import (
        close_and_advance,
        regency_stages,
        score_stage,
        screen,
        seat,
    )

    with django_db_blocker.unblock(), transaction.atomic():
        region = Region.objects.get(code="73.22")
        people = make_people(region, Region.objects.get(code="73.24"))
        secretariat = people["secretariat"]
        built = {}
        for size in SIZES:
            competition = competition_from_template(secretariat, region, name=f"KIPP {size}")
            agencies = [AgencyFactory(region=region) for _ in range(size)]
            proposals = screen(competition, agencies)
            desk, presentations = regency_stages(secretariat, competition)
            judging.stage_delete(actor=secretariat, stage=presentations)
            jurors = [
                person_with_role(Role.JUROR, region=region, full_name=f"Juri {size}-{n}")
                for n in range(3)
            ]
            seat(secretariat, desk, jurors, chair=jurors[0])
            judging.assign_automatic(actor=secretariat, stage=desk)
            judging.stage_open(actor=secretariat, stage=desk)
            order = {p.pk: i for i, p in enumerate(proposals)}
            score_stage(desk, lambda a, order=order: 50 + 3 * order[a.proposal_id])
            close_and_advance(secretariat, desk, size - 1)
            judging.special_award_add(
                actor=secretariat,
                competition=competition,
                proposal=proposals[-1],
                name="Kategori Partisipatif",
                name_en="",
                reason="Warga",
            )
            results_publish(actor=secretariat, competition=competition)
            built[size] = {"competition": competition, "desk": desk, "jurors": jurors}
        yield {**people, **built}
        transaction.set_rollback(True)


def counts(client, user, address_of) -> dict[int, int]:
    """The queries of the page at each size, counted after a first visit (the first request
    of a session does one-off work)."""
    login(client, user)
    found = {}
    for size in SIZES:
        address = address_of(size)
        client.get(address)
        found[size] = count_queries(client, address)
    return found


def assert_constant(found):
    assert found[SIZES[0]] == found[SIZES[1]], f"queries by number of proposals: {found}"


def test_the_ranking_costs_the_same_for_more_proposals(db, client, world):
    def ranking(size):
        return reverse("judging:ranking", args=[world[size]["desk"].pk])

    assert_constant(counts(client, world["secretariat"], ranking))
    page = client.get(ranking(12)).content.decode()
    assert len(re.findall(r'<td>Inovasi [^<]+<div class="small', page)) == 12


def test_the_ranking_a_panel_member_sees_costs_the_same(db, client, world):
    def ranking(size):
        return reverse("judging:ranking", args=[world[size]["desk"].pk])

    from siwanda.judging.models import PanelMember

    for size in SIZES:  # the same person on both panels, once the stages are closed
        PanelMember.objects.create(stage=world[size]["desk"], juror=world["juror"])
    assert_constant(counts(client, world["juror"], ranking))
    page = client.get(ranking(12)).content.decode()
    assert len(re.findall(r'<td>Inovasi [^<]+<div class="small', page)) == 12


def test_the_assignment_board_costs_the_same_for_more_proposals(db, client, world):
    def board(size):
        return reverse("judging:assignments", args=[world[size]["desk"].pk])

    found = counts(client, world["secretariat"], board)
    assert_constant(found)
    page = client.get(board(12)).content.decode()
    assert page.count('<tr id="proposal-') == 12


def test_my_assignments_costs_the_same_for_more_proposals(db, client, world):
    found = {}
    address = reverse("judging:my_assignments")
    for size in SIZES:
        juror = world[size]["jurors"][1]
        login(client, juror)
        client.get(address)
        found[size] = count_queries(client, address)
        page = client.get(address).content.decode()
        assert len(re.findall(r'href="/penilaian/\d+/"', page)) == size
    assert_constant(found)


def test_the_results_page_costs_the_same_for_more_proposals(db, client, world):
    def manage(size):
        return reverse("results:manage", args=[world[size]["competition"].pk])

    assert_constant(counts(client, world["secretariat"], manage))
    page = client.get(manage(12)).content.decode()
    assert page.count('<span class="badge text-bg-success">winner</span>') == 11
    assert page.count('href="/verifikasi/') == 12  # 11 winners and a special category


def test_the_public_results_page_costs_the_same_for_more_proposals(db, client, world):
    def public(size):
        return reverse("results:public", args=[world[size]["competition"].pk])

    found = {}
    for size in SIZES:
        client.get(public(size))
        found[size] = count_queries(client, public(size))
    assert_constant(found)
    page = client.get(public(12)).content.decode()
    assert page.count('<div class="fw-semibold">Inovasi') == 11
