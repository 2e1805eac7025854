"""Results in the browser: the secretariat publishes the judged competition, downloads a
certificate, and anyone holding it verifies it by its code (the address its QR code carries)
and finds the winners on the public results page.

Texts are translated: the tests follow URLs, ids and the data the pages show."""

from django.utils import translation
from playwright.sync_api import expect

from tests.e2e.judging_fixtures import judged_competition
from tests.e2e.test_screening import press, signed_in


def test_secretariat_publishes_and_a_certificate_verifies_publicly(new_page, people, luwu_utara):
    from siwanda.competitions.models import Competition
    from siwanda.judging.models import Entry
    from siwanda.results.documents import verification_url
    from siwanda.results.models import Certificate, Publication
    from siwanda.results.services import winners_table

    competition, proposals, _panel = judged_competition(people, luwu_utara)
    winners = list(
        competition.stages.order_by("-order")
        .first()
        .entries.filter(outcome=Entry.Outcome.ADVANCED)
        .values_list("proposal_id", flat=True)
    )
    assert len(winners) == 3
    page = signed_in(new_page, people["secretariat"])

    # From the competition to its results, and publish.
    page.goto(f"/kompetisi/{competition.pk}/")
    with page.expect_navigation():
        page.locator(f"main a[href='/kompetisi/{competition.pk}/hasil/']").click()
    # The combined ranking holds the proposals scored in both weighted stages: the winners.
    combined = page.locator("main section[aria-labelledby=final-title] tbody tr")
    expect(combined).to_have_count(3)
    expect(combined.locator(".badge.text-bg-success")).to_have_count(3)
    titles = {p.pk: p.title for p in proposals}
    for proposal in winners:
        expect(combined.filter(has_text=titles[proposal])).to_have_count(1)
    expect(page.locator("main section[aria-labelledby=certificates-title]")).to_have_count(0)
    press(page, f"/kompetisi/{competition.pk}/hasil/terbitkan/")
    expect(page).to_have_url(f"/kompetisi/{competition.pk}/hasil/")
    [publication] = Publication.objects.filter(competition=competition)
    assert publication.published_by == people["secretariat"]
    competition.refresh_from_db()
    assert competition.status == Competition.Status.FINISHED
    certificates = Certificate.objects.filter(publication=publication).order_by("rank")
    assert [c.proposal_id for c in certificates] == [
        w["proposal"] for w in publication.data["winners"]
    ]
    assert sorted(winners) == sorted(c.proposal_id for c in certificates)
    listed = page.locator("main section[aria-labelledby=certificates-title] li")
    expect(listed).to_have_count(3)

    # The competition's page now points to the published results.
    page.goto(f"/kompetisi/{competition.pk}/")
    expect(page.locator(f"main .alert-success a[href='/hasil/{competition.pk}/']")).to_be_visible()
    page.go_back()

    # The first place's certificate: a PDF.
    first = certificates[0]
    entry = listed.filter(has=page.locator(f"a[href='/verifikasi/{first.code}/']"))
    expect(entry).to_contain_text(first.innovation_title)
    href = entry.locator(f"a[href='/sertifikat/{first.code}.pdf']").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert len(body) > 5_000

    # Its QR code carries the verification address; anyone opening it sees the certificate is
    # valid, and the results it belongs to.
    address = verification_url(first)
    assert address.endswith(f"/verifikasi/{first.code}/")
    visitor = new_page(locale="id-ID")
    response = visitor.goto(f"/verifikasi/{first.code}/")
    assert response.status == 200
    expect(visitor.locator("main .alert-success")).to_be_visible()
    expect(visitor.locator("main .alert-danger")).to_have_count(0)
    details = visitor.locator("main dl")
    expect(details).to_contain_text(first.code)
    expect(details).to_contain_text(first.innovation_title)
    expect(details).to_contain_text(first.agency_name)
    expect(details).to_contain_text(competition.name)
    # A code read aloud or typed in lower case finds the same certificate.
    assert visitor.goto(f"/verifikasi/{first.code.lower()}/").status == 200
    expect(visitor.locator("main .alert-success")).to_be_visible()
    assert visitor.goto("/verifikasi/ABCDEFGHJK/").status == 404

    # The public results page lists the winners in their places.
    visitor.goto(f"/verifikasi/{first.code}/")
    with visitor.expect_navigation():
        visitor.locator(f"main a[href='/hasil/{competition.pk}/']").click()
    places = visitor.locator("main section[aria-labelledby=winners-title] li")
    with translation.override(visitor.locator("html").get_attribute("lang")):
        table = [w for w in winners_table(publication) if w["place"]]
    expect(places).to_have_count(3)
    for place, winner in zip(places.all(), table, strict=True):
        expect(place).to_contain_text(winner["title"])
        expect(place).to_contain_text(winner["agency"])
    stopped = {p.title for p in proposals if p.pk not in winners}
    for title in stopped:
        expect(visitor.locator("main section[aria-labelledby=winners-title]")).not_to_contain_text(
            title
        )
