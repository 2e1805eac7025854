"""The catalogue's pages, each with the people who may and may not use it: the public list
(search, filters with their counts, htmx), downloads, an innovation's public page (and nothing
private on it), public evidence, a region's replications, publishing, and replication requests."""

import csv
import io
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from siwanda.catalogue import selectors, services
from siwanda.catalogue.models import CatalogueEntry, ReplicationRequest
from siwanda.competitions.models import FieldType, FormField
from siwanda.core.demo.competitions import PDF
from siwanda.innovations import services as registry
from siwanda.innovations.models import Innovation
from siwanda.mentoring.services import comment_add, mentor_assign
from siwanda.proposals.services import answer_save
from tests.builders import pdf_upload, start_proposal
from tests.catalogue.builders import PUBLISHED, publish, register, verified_document
from tests.helpers import login

ROLES = [
    "anonymous",
    "admin",
    "secretariat",
    "operator",
    "other_operator",
    "head",
    "mentor",
    "juror",
    "leadership",
    "neighbour_secretariat",
    "neighbour_operator",
    "nobody",
]
TITLE = "Dapur Sehat Atasi Stunting"


def as_(client, people, role):
    client.logout()
    if role != "anonymous":
        login(client, people[role])
    return client


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def text_of(response) -> str:
    return response.content.decode()


def main_of(response) -> str:
    """The page's <main>, where the page's own content is (the menu is not)."""
    return re.search(r"<main.*?</main>", text_of(response), re.S).group()


def options_of(html) -> dict[str, dict[str, int]]:
    """{filter: {value: count}} of the filter drop-downs: "Label (count)" options."""
    found = {}
    for name, body in re.findall(
        r'<select[^>]*name="(\w+)"[^>]*data-autosubmit>(.*?)</select>', html, re.S
    ):
        found[name] = {
            value: int(count)
            for value, count in re.findall(
                r'<option value="([^"]+)"[^>]*>.*? \((\d+)\)</option>', body
            )
        }
    return found


def total_of(html) -> int:
    return int(re.search(r'<p class="fw-semibold mb-1">(\d+) innovations?', html).group(1))


def assert_login_redirect(response, url):
    assert response.status_code == 302
    assert response["Location"] == f"/masuk/?next={url}"


# --- The list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_published_innovations(client, people, library, role):
    response = as_(client, people, role).get(reverse("catalogue:list"))
    assert response.status_code == 200
    page = main_of(response)
    for key in PUBLISHED:
        assert f'<a href="/katalog/{library[key].pk}/">{library[key].title}</a>' in page
    assert "Rahasia" not in page and "Belum Terbit" not in page
    assert "6 innovations" in page


def test_a_search_is_highlighted_and_says_its_correction(client, library):
    page = main_of(client.get(reverse("catalogue:list"), {"q": "kependudukn"}))
    assert "2 innovations for “kependudukn”" in page
    assert "Also searched for: <strong>kependudukan</strong> (instead of “kependudukn”)" in page
    assert (
        f'<a href="/katalog/{library["daring"].pk}/">Si-Dukun: Layanan '
        "<mark>Kependudukan</mark> Daring</a>" in page
    )
    assert (
        f'<a href="/katalog/{library["adminduk"].pk}/">Pelayanan Administrasi '
        "<mark>Kependudukan</mark> Keliling</a>" in page
    )
    assert library["stunting"].title not in page
    assert '<option value="relevance" selected>Relevance</option>' in page


def test_a_search_with_no_result_says_so(client, library):
    page = main_of(client.get(reverse("catalogue:list"), {"q": "kereta api"}))
    assert "0 innovations for “kereta api”" in page
    assert "No published innovation matches." in page


def test_without_a_search_there_is_no_relevance_sort(client, library):
    page = main_of(client.get(reverse("catalogue:list")))
    assert 'value="relevance"' not in page
    assert '<option value="title" selected>Name (A–Z)</option>' in page


def test_an_html_title_is_shown_escaped(client, people, agencies):
    publish(register(agencies["dinkes"], "<script>alert('x')</script> Bank Sampah"))
    for params in ({}, {"q": "sampah"}):
        page = main_of(client.get(reverse("catalogue:list"), params))
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Bank" in page
        assert "<script>alert" not in page


def test_an_htmx_request_gets_only_the_results(client, library):
    url = reverse("catalogue:list")
    response = client.get(url, {"q": "sampah"}, headers={"HX-Request": "true"})
    html = text_of(response)
    assert response.status_code == 200
    assert "<html" not in html and "<main" not in html and 'id="id_q"' not in html
    assert html.strip().startswith('<div class="row g-3" id="catalogue-body">')
    assert "2 innovations for “sampah”" in html
    assert f'href="/katalog/{library["kompos"].pk}/"' in html
    assert "<html" in text_of(client.get(url, {"q": "sampah"}))


def test_invalid_filter_values_are_ignored_with_a_warning(client, library):
    response = client.get(
        reverse("catalogue:list"),
        {"q": "sampah", "province": "99", "form": "x", "year": "abc", "sdg": "18", "sort": "z"},
    )
    page = main_of(response)
    assert response.status_code == 200
    assert (
        "Some filter values in the link are not valid and were ignored: Province, Form of "
        "innovation, SDG, Year started, Sort by." in page
    )
    assert "2 innovations for “sampah”" in page
    assert 'value="sampah"' in page  # the search typed is kept


def test_a_region_without_its_province_is_ignored_with_a_warning(client, library):
    page = main_of(client.get(reverse("catalogue:list"), {"region": "73.22"}))
    assert "ignored: Regency / city." in page
    assert "6 innovations" in page


def test_valid_filters_give_no_warning(client, library):
    page = main_of(
        client.get(reverse("catalogue:list"), {"province": "73", "region": "73.22", "year": "2021"})
    )
    assert "ignored" not in page
    assert total_of(page) == 2


def test_the_filters_show_their_counts(client, library):
    page = main_of(client.get(reverse("catalogue:list")))
    options = options_of(page)
    assert options == {
        "province": {"73": 5, "75": 1},
        "agency_kind": {"dinas": 5, "kecamatan": 1},
        "form": {"governance": 1, "public_service": 4, "other": 1},
        "urusan": {"adminduk": 2, "kesehatan": 1, "lingkungan_hidup": 2, "pendidikan": 1},
        "sdg": {"2": 1, "3": 1, "4": 1, "10": 1, "11": 1, "12": 2, "13": 1, "16": 2},
        "stage": {"initiative": 1, "trial": 1, "implementation": 4},
        "year": {"2023": 1, "2022": 1, "2021": 2, "2020": 2},
        "digital": {"1": 2, "0": 4},
        "award": {"none": 5, "province": 1},
    }
    assert '<option value="73">Sulawesi Selatan (5)</option>' in page
    assert '<option value="province">Province (1)</option>' in page


@pytest.mark.parametrize("params", [{}, {"q": "sampah"}, {"province": "73"}, {"digital": "0"}])
def test_each_filter_count_is_the_number_of_results_it_gives(client, library, params):
    url = reverse("catalogue:list")
    options = options_of(main_of(client.get(url, params)))
    assert options
    for name, counts in options.items():
        for value, count in counts.items():
            narrowed = params | {name: value}
            if name == "region":
                narrowed["province"] = "73"
            assert total_of(main_of(client.get(url, narrowed))) == count, (name, value)


def test_with_a_province_chosen_its_regencies_are_offered(client, library):
    page = main_of(client.get(reverse("catalogue:list"), {"province": "73"}))
    assert options_of(page)["region"] == {"73.24": 1, "73.22": 4}
    assert '<option value="73" selected>Sulawesi Selatan (5)</option>' in page
    assert 'name="region"' not in main_of(client.get(reverse("catalogue:list")))


def test_pages_stop_at_max_pages(client, library, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "MAX_PAGES", 2)
    page = main_of(client.get(reverse("catalogue:list"), {"page": "3"}))
    assert library["bank_sampah"].title in page and library["sekolah"].title not in page
    assert "Page 2 of 2" in page
    assert ">Next<" not in page


def test_the_download_links_keep_the_filters_but_not_the_page(client, library):
    page = main_of(
        client.get(reverse("catalogue:list"), {"q": "sampah", "page": "1", "sort": "title"})
    )
    assert '<a href="/katalog/unduh.csv?q=sampah">CSV</a>' in page
    assert '<a href="/katalog/unduh.xlsx?q=sampah">XLSX</a>' in page


# --- Downloads --------------------------------------------------------------------------------

HEADER = [
    "id",
    "title",
    "agency",
    "agency_kind",
    "region_code",
    "region",
    "province",
    "form",
    "urusan",
    "stage",
    "year_started",
    "digital",
    "highest_award",
    "replications",
    "published_at",
    "summary",
    "url",
]


def download(client, fmt, params):
    response = client.get(reverse("catalogue:download", args=[fmt]), params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else b"".join(response)
    return response, body


def test_the_csv_has_exactly_the_filtered_rows(client, library, settings):
    response, body = download(client, "csv", {"urusan": "lingkungan_hidup"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="katalog-inovasi-\d{8}\.csv"', response["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    kompos, bank = library["kompos"], library["bank_sampah"]
    assert [row[:14] for row in rows[1:]] == [
        [
            str(kompos.pk),
            kompos.title,
            "Dinas Lingkungan Hidup",
            "dinas",
            "75.01",
            "Kabupaten Gorontalo",
            "Gorontalo",
            "public_service",
            "lingkungan_hidup",
            "initiative",
            "2023",
            "False",
            "none",
            "0",
        ],
        [
            str(bank.pk),
            bank.title,
            "Kecamatan Masamba",
            "kecamatan",
            "73.22",
            "Kabupaten Luwu Utara",
            "Sulawesi Selatan",
            "other",
            "lingkungan_hidup",
            "implementation",
            "2020",
            "False",
            "none",
            "0",
        ],
    ]
    assert rows[1][15:] == [
        "Pupuk dari dapur warga untuk kebun desa.",
        f"{settings.SIWANDA_BASE_URL}/katalog/{kompos.pk}/",
    ]


def test_the_json_has_exactly_the_searched_rows(client, library):
    response, body = download(client, "json", {"q": "kependudukn", "digital": "1"})
    assert response["Content-Type"] == "application/json"
    data = json.loads(body)
    [item] = data["items"]
    daring = library["daring"]
    entry = CatalogueEntry.objects.get(innovation=daring)
    assert item | {"url": ""} == {
        "id": daring.pk,
        "title": "Si-Dukun: Layanan Kependudukan Daring",
        "agency": "Dinas Kesehatan",
        "agency_kind": "dinas",
        "region_code": "73.24",
        "region": "Kabupaten Luwu Timur",
        "province": "Sulawesi Selatan",
        "form": "public_service",
        "urusan": "adminduk",
        "stage": "trial",
        "year_started": 2022,
        "digital": True,
        "highest_award": "none",
        "replications": 0,
        "published_at": entry.published_at.isoformat(),
        "summary": "Akta dan kartu keluarga diurus dari rumah lewat aplikasi.",
        "url": "",
    }
    assert item["url"].endswith(f"/katalog/{daring.pk}/")
    assert set(data) == {"generated_at", "items"}


def test_the_xlsx_has_exactly_the_filtered_rows(client, library):
    response, body = download(client, "xlsx", {"province": "73", "digital": "1"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert re.fullmatch(
        r'attachment; filename="katalog-inovasi-\d{8}\.xlsx"', response["Content-Disposition"]
    )
    sheet = load_workbook(io.BytesIO(body), read_only=True)["Katalog"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert [(row[0], row[1], row[11], row[12]) for row in rows[1:]] == [
        (library["sekolah"].pk, "Sekolah Ramah Anak", True, "province"),
        (library["daring"].pk, "Si-Dukun: Layanan Kependudukan Daring", True, "none"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_download_of_everything_has_every_published_innovation_and_no_other(client, library, fmt):
    _response, body = download(client, fmt, {"form": "nonsense"})
    if fmt == "csv":
        ids = [int(row[0]) for row in list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]]
    elif fmt == "json":
        ids = [item["id"] for item in json.loads(body)["items"]]
    else:
        sheet = load_workbook(io.BytesIO(body), read_only=True)["Katalog"]
        ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    by_title = sorted(PUBLISHED, key=lambda key: library[key].title)
    assert ids == [library[key].pk for key in by_title]


def test_an_unknown_download_format_is_not_found(client, library):
    assert client.get(reverse("catalogue:download", args=["pdf"])).status_code == 404


# --- An innovation's public page --------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_a_published_innovation(client, people, library, role):
    kompos = library["kompos"]
    response = as_(client, people, role).get(reverse("catalogue:detail", args=[kompos.pk]))
    assert response.status_code == 200
    page = main_of(response)
    assert '<h1 class="h3 mb-1">Dikelola Warga: Sampah Jadi Kompos</h1>' in page
    assert "Dinas Lingkungan Hidup · Kabupaten Gorontalo · Gorontalo" in page
    assert "<p>Pupuk dari dapur warga untuk kebun desa.</p>" in page
    assert "12. Responsible consumption and production<br>13. Climate action" in page


@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_innovation_has_no_public_page(client, people, library, role):
    draft = library["draft_sampah"]
    response = as_(client, people, role).get(reverse("catalogue:detail", args=[draft.pk]))
    assert response.status_code == 404
    assert draft.title not in text_of(response)


def test_an_unknown_innovation_has_no_public_page(client, library):
    assert client.get(reverse("catalogue:detail", args=[999999])).status_code == 404


def test_the_public_page_shows_nothing_private(
    client, people, innovation, competition, django_capture_on_commit_callbacks
):
    """Evidence not chosen, the decree, innovators, budget, a proposal draft and a mentor's
    comment all stay private."""
    operator, secretariat = people["operator"], people["secretariat"]
    registry.innovation_update(
        actor=operator, innovation=innovation, budget=15_000_000, budget_source="APBD Perubahan"
    )
    registry.innovation_set_innovators(
        actor=operator,
        innovation=innovation,
        innovators=[{"name": "dr. Andi Basri", "position": "Kepala Puskesmas Masamba"}],
    )
    registry.innovation_set_decree(
        actor=operator,
        innovation=innovation,
        upload=pdf_upload("sk-inovator-dapur.pdf"),
        number="800/123/DINKES/2020",
    )
    shown = verified_document(innovation, "Peraturan Bupati Dapur Sehat")
    verified_document(innovation, "Laporan keuangan tertutup")
    verified_document(innovation, "Foto belum diperiksa", status="pending")
    verified_document(innovation, "Surat palsu", status="rejected", note="Tanda tangan palsu.")
    proposal = start_proposal(competition, operator, innovation)
    field = FormField.objects.filter(
        section__version=proposal.form_version, type=FieldType.LONG_TEXT
    ).first()
    answer_save(
        actor=operator,
        proposal=proposal,
        field=field,
        value="Draf usulan yang belum dikirim ke panitia.",
        base_version=0,
    )
    mentor_assign(
        actor=secretariat,
        mentor=people["mentor"],
        region=innovation.region,
        agency=people["agency"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(
            actor=people["mentor"],
            proposal=proposal,
            section=field.section,
            text="Catatan pendamping: perkuat data.",
        )
    publish(innovation, evidence=[shown])

    for role in ("anonymous", "neighbour_operator", "operator"):
        page = text_of(
            as_(client, people, role).get(reverse("catalogue:detail", args=[innovation.pk]))
        )
        assert TITLE in page
        assert f'<a href="/katalog/bukti/{shown.pk}/">Peraturan Bupati Dapur Sehat</a>' in page
        for private in (
            "Laporan keuangan tertutup",
            "Foto belum diperiksa",
            "Surat palsu",
            "Tanda tangan palsu",
            "800/123/DINKES/2020",
            "sk-inovator",
            "dr. Andi Basri",
            "Kepala Puskesmas Masamba",
            "15,000,000",
            "15.000.000",
            "15000000",
            "APBD Perubahan",
            "Draf usulan",
            "Catatan pendamping",
            f"/usulan/{proposal.pk}/",
        ):
            assert private not in page, (role, private)


def test_the_replicate_button_is_for_operators_of_other_agencies(client, people, innovation):
    publish(innovation)
    url = reverse("catalogue:detail", args=[innovation.pk])
    ask = f'href="/katalog/{innovation.pk}/replikasi/"'
    for role in ("neighbour_operator", "other_operator"):
        assert ask in text_of(as_(client, people, role).get(url)), role
    for role in ("operator", "head", "secretariat", "leadership", "neighbour_secretariat"):
        page = text_of(as_(client, people, role).get(url))
        assert ask not in page, role
        assert "Operators of other agencies can ask the owner for help replicating it." in page
    page = text_of(as_(client, people, "anonymous").get(url))
    assert ask not in page
    assert f'<a href="/masuk/?next=/katalog/{innovation.pk}/">Sign in</a>' in page


def test_managing_the_publication_is_offered_to_the_secretariat(client, people, innovation):
    publish(innovation)
    url = reverse("catalogue:detail", args=[innovation.pk])
    manage = f'href="/inovasi/{innovation.pk}/publikasi/"'
    for role in ("secretariat", "admin"):
        assert manage in text_of(as_(client, people, role).get(url)), role
    for role in ("anonymous", "operator", "leadership", "neighbour_secretariat"):
        assert manage not in text_of(as_(client, people, role).get(url)), role


def test_the_page_says_where_it_was_replicated(client, people, innovation, agencies):
    publish(innovation)
    timur = register(agencies["luwu_timur"], "Dapur Sehat Timur", source_innovation=innovation)
    register(agencies["dlh_gorontalo"], "Dapur Gorontalo", source_innovation=innovation)
    publish(timur)
    page = main_of(client.get(reverse("catalogue:detail", args=[innovation.pk])))
    assert "Replicated 2 times" in page
    assert (
        f'<li>Dinas Kesehatan, Kabupaten Luwu Timur: <a href="/katalog/{timur.pk}/">'
        "Dapur Sehat Timur</a></li>" in page
    )
    assert "<li>Dinas Lingkungan Hidup, Kabupaten Gorontalo</li>" in page
    assert "Dapur Gorontalo" not in page  # not published: its name is all one sees
    replica = main_of(client.get(reverse("catalogue:detail", args=[timur.pk])))
    assert f'Replicated from <a href="/katalog/{innovation.pk}/">{TITLE}</a>.' in replica
    assert "Not replicated yet." in replica


def test_the_page_of_an_innovation_with_a_short_title(client, library, agencies):
    """A title without a word of four letters ("E-KTP") has no similar innovations to show."""
    ektp = register(agencies["disdukcapil"], "E-KTP")
    publish(ektp)
    response = client.get(reverse("catalogue:detail", args=[ektp.pk]))
    assert response.status_code == 200
    assert "Similar innovations" not in text_of(response)


# --- Public evidence --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "neighbour_operator", "nobody"])
def test_public_evidence_is_downloaded_by_anyone(client, people, innovation, role):
    document = verified_document(innovation, "Peraturan Bupati")
    publish(innovation, evidence=[document])
    response = as_(client, people, role).get(reverse("catalogue:evidence", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="Peraturan-Bupati.pdf"' in response["Content-Disposition"]


def test_evidence_that_is_not_public_is_not_found(client, people, innovation):
    shown = verified_document(innovation, "Peraturan Bupati")
    kept = verified_document(innovation, "Laporan keuangan")
    pending = verified_document(innovation, "Foto", status="pending")
    draft_doc = verified_document(register(people["other_agency"], "Belum terbit"), "SK Sekolah")
    publish(innovation, evidence=[shown])
    for role in ("anonymous", "secretariat", "operator", "admin"):
        as_(client, people, role)
        for document in (kept, pending, draft_doc):
            url = reverse("catalogue:evidence", args=[document.pk])
            assert client.get(url).status_code == 404, (role, document)
    registry.evidence_verify(
        actor=people["secretariat"], document=shown, status="rejected", note="Kedaluwarsa."
    )
    assert client.get(reverse("catalogue:evidence", args=[shown.pk])).status_code == 404


# --- A region's replications ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "neighbour_operator", "secretariat"])
def test_a_regions_replications_are_public(client, people, library, agencies, role):
    register(agencies["luwu_timur"], "Dapur Timur", source_innovation=library["stunting"])
    register(agencies["disdik"], "Kompos Sekolah", source_innovation=library["kompos"])
    register(agencies["masamba"], "Bank Sampah Rahasia", source_innovation=library["draft_sampah"])
    response = as_(client, people, role).get(reverse("catalogue:region", args=["73.22"]))
    assert response.status_code == 200
    page = main_of(response)
    assert "Replications of Kabupaten Luwu Utara" in page
    sections = re.split(r'<h2 class="h5[^"]*">', page)[1:]
    from_others, by_others, within = sections
    assert (
        f'<a href="/katalog/{library["kompos"].pk}/">Dikelola Warga: Sampah Jadi Kompos</a>'
        in from_others
    )
    assert "<td>Dinas Pendidikan, Kabupaten Luwu Utara</td>" in from_others
    assert f'<a href="/katalog/{library["stunting"].pk}/">{TITLE}</a>' in by_others
    assert "<td>Dinas Kesehatan, Kabupaten Luwu Timur</td>" in by_others
    assert "(not in the public catalogue)" in within
    assert "Pengelolaan Sampah Pasar Rahasia" not in page


def test_an_unknown_region_has_no_replications_page(client, db):
    assert client.get(reverse("catalogue:region", args=["99.99"])).status_code == 404


# --- Publishing -------------------------------------------------------------------------------

# Refused: 403 for those who see the innovation in the registry, 404 for the others.
PUBLISH_REFUSED = {
    "operator": 403,
    "head": 403,
    "mentor": 403,
    "leadership": 403,
    "other_operator": 404,
    "juror": 404,
    "neighbour_secretariat": 404,
    "neighbour_operator": 404,
    "nobody": 404,
}


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_the_publish_page_offers_only_verified_documents(client, people, innovation, role):
    verified = verified_document(innovation, "Peraturan Bupati")
    verified_document(innovation, "Foto belum diperiksa", status="pending")
    response = as_(client, people, role).get(reverse("catalogue:publish", args=[innovation.pk]))
    assert response.status_code == 200
    page = main_of(response)
    assert f'value="{verified.pk}"' in page and "Peraturan Bupati" in page
    assert "Foto belum diperiksa" not in page
    assert "Publish in the catalogue" in page
    assert "Remove from the catalogue" not in page


@pytest.mark.parametrize(("role", "status"), PUBLISH_REFUSED.items())
def test_the_publish_pages_refuse_everyone_else(client, people, innovation, role, status):
    as_(client, people, role)
    url = reverse("catalogue:publish", args=[innovation.pk])
    response = client.get(url)
    assert response.status_code == status
    assert TITLE not in text_of(response)
    assert client.post(url, {}).status_code == status
    assert not CatalogueEntry.objects.exists()
    publish(innovation)
    unpublish = reverse("catalogue:unpublish", args=[innovation.pk])
    assert client.post(unpublish, {"reason": "x"}).status_code == status
    assert CatalogueEntry.objects.exists()


def test_publish_pages_need_a_login(client, innovation):
    for name in ("catalogue:publish", "catalogue:unpublish"):
        url = reverse(name, args=[innovation.pk])
        assert_login_redirect(client.post(url), url)


def test_the_secretariat_publishes_from_the_page(client, people, innovation):
    document = verified_document(innovation, "Peraturan Bupati")
    as_(client, people, "secretariat")
    response = client.post(
        reverse("catalogue:publish", args=[innovation.pk]), {"public_evidence": [document.pk]}
    )
    assert response["Location"] == f"/katalog/{innovation.pk}/"
    assert flashed(response) == ["The innovation is in the public catalogue."]
    assert CatalogueEntry.objects.get().published_by == people["secretariat"]
    document.refresh_from_db()
    assert document.is_public
    page = main_of(client.get(reverse("catalogue:publish", args=[innovation.pk])))
    assert "This innovation is in the public catalogue." in page
    assert re.search(rf'value="{document.pk}"[^>]*checked', page)
    assert "Save what is public" in page and "Remove from the catalogue" in page


def test_a_document_not_offered_cannot_be_chosen(client, people, innovation):
    pending = verified_document(innovation, "Foto belum diperiksa", status="pending")
    as_(client, people, "secretariat")
    response = client.post(
        reverse("catalogue:publish", args=[innovation.pk]), {"public_evidence": [pending.pk]}
    )
    assert response.status_code == 200
    assert f"Select a valid choice. {pending.pk} is not one of the available choices." in text_of(
        response
    )
    assert not CatalogueEntry.objects.exists()


def test_the_secretariat_removes_an_innovation_with_a_reason(client, people, innovation):
    publish(innovation)
    as_(client, people, "secretariat")
    url = reverse("catalogue:unpublish", args=[innovation.pk])
    back = f"/inovasi/{innovation.pk}/publikasi/"
    response = client.post(url, {"reason": ""})
    assert (response["Location"], flashed(response)) == (back, ["This field is required."])
    assert CatalogueEntry.objects.exists()
    client.get(back)  # the message is shown there
    response = client.post(url, {"reason": "Data belum lengkap."})
    assert response["Location"] == back
    assert flashed(response) == ["The innovation has left the public catalogue."]
    assert not CatalogueEntry.objects.exists()
    assert client.get(reverse("catalogue:detail", args=[innovation.pk])).status_code == 404
    assert client.get(url).status_code == 405


# --- Replication: asking ----------------------------------------------------------------------

ASK_REFUSED = (
    "operator",
    "head",
    "secretariat",
    "leadership",
    "mentor",
    "juror",
    "neighbour_secretariat",
    "nobody",
    "admin",
)


@pytest.fixture
def source(innovation):
    publish(innovation)
    return innovation


def test_an_operator_of_another_regency_asks_to_replicate(client, people, source):
    as_(client, people, "neighbour_operator")
    url = reverse("catalogue:replication_new", args=[source.pk])
    page = main_of(client.get(url))
    agency = people["neighbour_agency"].pk
    assert re.search(rf'<option value="{agency}" selected>', page)
    assert (
        "Your request goes to Dinas Kesehatan, the owner of “Dapur Sehat Atasi Stunting”." in page
    )
    response = client.post(url, {"agency": agency, "message": "Kami ingin belajar."})
    request = ReplicationRequest.objects.get()
    assert response["Location"] == f"/replikasi/{request.pk}/"
    assert flashed(response) == ["Your request was sent to the owner of the innovation."]
    assert (request.agency_id, request.message) == (agency, "Kami ingin belajar.")


def test_a_request_refused_by_the_rules_keeps_what_was_typed(client, people, source):
    as_(client, people, "neighbour_operator")
    url = reverse("catalogue:replication_new", args=[source.pk])
    agency = people["neighbour_agency"].pk
    client.post(url, {"agency": agency, "message": "Pertama."})
    response = client.post(url, {"agency": agency, "message": "Kedua kalinya, mohon."})
    page = text_of(response)
    assert response.status_code == 200
    assert "Your agency already has an open request for this innovation." in page
    assert "Kedua kalinya, mohon." in page
    assert ReplicationRequest.objects.count() == 1
    response = client.post(url, {"agency": agency, "message": ""})
    assert "This field is required." in text_of(response)


@pytest.mark.parametrize("role", ASK_REFUSED)
def test_asking_is_refused_to_everyone_else(client, people, source, role):
    as_(client, people, role)
    url = reverse("catalogue:replication_new", args=[source.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"agency": people["neighbour_agency"].pk, "message": "x"})
    assert response.status_code == 403
    assert not ReplicationRequest.objects.exists()


def test_asking_needs_a_login_and_a_published_innovation(client, people, innovation):
    url = reverse("catalogue:replication_new", args=[innovation.pk])
    assert_login_redirect(client.get(url), url)
    as_(client, people, "neighbour_operator")
    assert client.get(url).status_code == 404


# --- Replication: the requests ----------------------------------------------------------------


@pytest.fixture
def asked(people, source):
    return services.replication_request(
        actor=people["neighbour_operator"],
        source=source,
        agency=people["neighbour_agency"],
        message="Kami ingin belajar dapur sehat.",
    )


def sections_of(page) -> dict[str, str]:
    parts = re.split(r'<h2 class="h5[^"]*">([^<]+)</h2>', page)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize(
    ("role", "section"),
    [
        ("operator", "For our innovations"),
        ("head", "For our innovations"),
        ("neighbour_operator", "From our agency"),
        ("secretariat", "In our region"),
        ("leadership", "In our region"),
        ("neighbour_secretariat", "In our region"),
        ("admin", "In our region"),
    ],
)
def test_the_requests_page_sorts_requests_by_side(client, people, asked, role, section):
    page = main_of(as_(client, people, role).get(reverse("catalogue:requests")))
    sections = sections_of(page)
    link = f'<a href="/replikasi/{asked.pk}/">{TITLE}</a>'
    assert [name for name, body in sections.items() if link in body] == [section]


@pytest.mark.parametrize("role", ["other_operator", "mentor", "juror", "nobody"])
def test_the_requests_page_of_people_outside_is_empty(client, people, asked, role):
    page = main_of(as_(client, people, role).get(reverse("catalogue:requests")))
    assert TITLE not in page
    assert page.count("None yet.") == 2


def test_the_requests_pages_need_a_login(client, asked):
    for url in (
        reverse("catalogue:requests"),
        reverse("catalogue:request", args=[asked.pk]),
    ):
        assert_login_redirect(client.get(url), url)
    for name in ("request_answer", "request_message", "request_complete"):
        url = reverse(f"catalogue:{name}", args=[asked.pk])
        assert_login_redirect(client.post(url), url)


FORMS = {
    "answer": 'action="/replikasi/{pk}/jawab/"',
    "message": 'action="/replikasi/{pk}/pesan/"',
    "complete": 'action="/replikasi/{pk}/selesai/"',
}


@pytest.mark.parametrize(
    ("role", "forms"),
    [
        ("operator", {"answer", "message"}),
        ("head", {"answer", "message"}),
        ("neighbour_operator", {"message"}),
        ("secretariat", set()),
        ("leadership", set()),
        ("neighbour_secretariat", set()),
        ("admin", set()),
    ],
)
def test_a_request_shows_each_party_its_forms(client, people, asked, role, forms):
    response = as_(client, people, role).get(reverse("catalogue:request", args=[asked.pk]))
    page = main_of(response)
    assert response.status_code == 200
    assert "Asked by Dinas Kesehatan, Kabupaten Luwu Timur." in page
    assert "Kami ingin belajar dapur sehat." in page
    shown = {name for name, form in FORMS.items() if form.format(pk=asked.pk) in page}
    assert shown == forms


@pytest.mark.parametrize("role", ["other_operator", "mentor", "juror", "nobody"])
def test_a_request_is_not_found_by_people_outside(client, people, asked, role):
    as_(client, people, role)
    response = client.get(reverse("catalogue:request", args=[asked.pk]))
    assert response.status_code == 404
    assert "Kami ingin belajar" not in text_of(response)
    for name, data in (
        ("request_answer", {"status": "agreed"}),
        ("request_message", {"text": "Halo"}),
        ("request_complete", {"replica": ""}),
    ):
        assert client.post(reverse(f"catalogue:{name}", args=[asked.pk]), data).status_code == 404
    asked.refresh_from_db()
    assert (asked.status, asked.thread.count()) == ("requested", 1)


def test_the_owner_agrees_from_the_page(client, people, asked):
    as_(client, people, "operator")
    url = reverse("catalogue:request_answer", args=[asked.pk])
    response = client.post(url, {"status": "declined", "text": ""})
    assert response["Location"] == f"/replikasi/{asked.pk}/"
    assert flashed(response) == ["Say why the request is declined."]
    asked.refresh_from_db()
    assert asked.status == "requested"
    client.get(response["Location"])  # the message is shown there
    response = client.post(url, {"status": "agreed", "text": "Silakan datang."})
    assert flashed(response) == ["Your answer was sent."]
    asked.refresh_from_db()
    assert asked.status == "agreed"
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    "role", ["neighbour_operator", "secretariat", "neighbour_secretariat", "leadership"]
)
def test_only_the_owner_answers_from_the_page(client, people, asked, role):
    as_(client, people, role)
    response = client.post(
        reverse("catalogue:request_answer", args=[asked.pk]), {"status": "agreed"}
    )
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == "requested"


def test_both_sides_write_from_the_page(client, people, asked):
    url = reverse("catalogue:request_message", args=[asked.pk])
    for role, text in (("operator", "Kapan datang?"), ("neighbour_operator", "Senin.")):
        response = as_(client, people, role).post(url, {"text": text})
        assert flashed(response) == ["Message sent."]
    page = main_of(client.get(reverse("catalogue:request", args=[asked.pk])))
    assert "Message sent." in page
    assert page.index("Kapan datang?") < page.index("Senin.")
    response = client.post(url, {"text": ""})
    assert flashed(response) == ["This field is required."]
    for role in ("secretariat", "leadership"):
        assert as_(client, people, role).post(url, {"text": "Halo"}).status_code == 403
    assert asked.thread.count() == 3


def test_the_requester_marks_it_replicated_from_the_page(client, people, asked, source):
    url = reverse("catalogue:request_complete", args=[asked.pk])
    as_(client, people, "neighbour_operator")
    response = client.post(url, {"replica": ""})
    assert flashed(response) == ["Only an agreed request can be marked as replicated."]
    client.get(response["Location"])  # the message is shown there
    services.replication_answer(actor=people["operator"], request=asked, status="agreed")
    page = main_of(client.get(reverse("catalogue:request", args=[asked.pk])))
    assert FORMS["complete"].format(pk=asked.pk) in page
    assert as_(client, people, "operator").post(url, {"replica": ""}).status_code == 403
    response = as_(client, people, "neighbour_operator").post(url, {"replica": ""})
    assert response["Location"] == f"/replikasi/{asked.pk}/"
    assert flashed(response) == ["The replica is recorded and linked to its source."]
    replica = Innovation.objects.get(source_innovation=source)
    assert replica.agency == people["neighbour_agency"]
    page = main_of(client.get(reverse("catalogue:detail", args=[source.pk])))
    assert "Replicated 1 time" in page
    assert "<li>Dinas Kesehatan, Kabupaten Luwu Timur</li>" in page


def test_the_complete_form_offers_only_the_requesters_own_innovations(client, people, asked):
    own = register(people["neighbour_agency"], "Dapur Gizi Timur")
    register(people["other_agency"], "Sekolah Sehat")
    services.replication_answer(actor=people["operator"], request=asked, status="agreed")
    page = main_of(
        as_(client, people, "neighbour_operator").get(reverse("catalogue:request", args=[asked.pk]))
    )
    form = page[page.index(FORMS["complete"].format(pk=asked.pk)) :]
    form = form[: form.index("</form>")]
    assert re.findall(r'<option value="(\d*)"', form) == ["", str(own.pk)]


@pytest.mark.parametrize("role", ["operator", "neighbour_operator"])
def test_a_request_page_has_each_id_once(client, people, asked, role):
    """The answer and the message forms both have a "text" field: each label must lead to its
    own field."""
    services.replication_answer(actor=people["operator"], request=asked, status="discussing")
    page = text_of(as_(client, people, role).get(reverse("catalogue:request", args=[asked.pk])))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
