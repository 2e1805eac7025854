"""The catalogue as open data: the rows of a download are exactly the entries under the filters
(search text included), in order of title, and each format is written correctly and streamed."""

import csv
import io
import json

import pytest
from django.http import FileResponse, Http404, StreamingHttpResponse
from openpyxl import load_workbook

from siwanda.catalogue import exporters
from siwanda.catalogue.models import CatalogueEntry
from tests.catalogue.builders import PUBLISHED, publish, register


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_rows_are_the_filtered_entries_in_order_of_title(library, settings):
    settings.SIWANDA_BASE_URL = "https://siwanda.luwuutarakab.go.id"
    rows = list(exporters.rows({"urusan": "adminduk"}))
    adminduk, daring = library["adminduk"], library["daring"]
    assert [row["id"] for row in rows] == [adminduk.pk, daring.pk]
    entry = CatalogueEntry.objects.get(innovation=adminduk)
    assert rows[0] == {
        "id": adminduk.pk,
        "title": "Pelayanan Administrasi Kependudukan Keliling",
        "agency": "Dinas Kependudukan dan Pencatatan Sipil",
        "agency_kind": "dinas",
        "region_code": "73.22",
        "region": "Kabupaten Luwu Utara",
        "province": "Sulawesi Selatan",
        "form": "public_service",
        "urusan": "adminduk",
        "stage": "implementation",
        "year_started": 2021,
        "digital": False,
        "highest_award": "none",
        "replications": 0,
        "published_at": entry.published_at.isoformat(),
        "summary": "Warga desa terpencil mendapat KTP dan akta kelahiran tanpa ke kota.",
        "url": f"https://siwanda.luwuutarakab.go.id/katalog/{adminduk.pk}/",
    }


def test_rows_follow_the_search_and_the_filters_together(library, luwu_utara):
    assert [r["id"] for r in exporters.rows({"q": "kelola sampah"})] == [
        library["kompos"].pk,
        library["bank_sampah"].pk,
    ]
    assert [r["id"] for r in exporters.rows({"q": "kelola sampah", "region": luwu_utara.pk})] == [
        library["bank_sampah"].pk
    ]
    assert [r["id"] for r in exporters.rows({"sdg": 16, "digital": "1"})] == [library["daring"].pk]
    assert list(exporters.rows({"q": "stunting", "year": 2023})) == []


def test_rows_never_hold_an_unpublished_innovation(library):
    assert sorted(r["id"] for r in exporters.rows({})) == sorted(library[k].pk for k in PUBLISHED)
    assert list(exporters.rows({"q": "rahasia"})) == []


def test_the_csv_is_streamed_with_a_bom_and_quotes_what_needs_it(people, agencies):
    innovation = register(agencies["dinkes"], 'Bank Sampah "Emas", Desa', goals="Satu; dua,\ttiga.")
    publish(innovation)
    response = exporters.download({}, "csv")
    assert isinstance(response, StreamingHttpResponse)
    body = body_of(response)
    assert body.startswith("\ufeffid,title,".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert (rows[1][1], rows[1][15]) == ('Bank Sampah "Emas", Desa', "Satu; dua, tiga.")


def test_the_json_is_one_document_even_when_empty(db):
    response = exporters.download({}, "json")
    assert isinstance(response, StreamingHttpResponse)
    data = json.loads(body_of(response))
    assert data["items"] == []
    assert isinstance(data["generated_at"], str)


def test_the_json_keeps_indonesian_letters(people, agencies):
    publish(register(agencies["dinkes"], "Pelayanan “Cepat” — Dinas Kesehatan"))
    body = body_of(exporters.download({}, "json"))
    assert "Pelayanan “Cepat” — Dinas Kesehatan".encode() in body
    assert json.loads(body)["items"][0]["title"] == "Pelayanan “Cepat” — Dinas Kesehatan"


def test_the_xlsx_is_a_file_with_one_sheet(library):
    response = exporters.download({"award": "province"}, "xlsx")
    assert isinstance(response, FileResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response)), read_only=True)
    assert workbook.sheetnames == ["Katalog"]
    rows = list(workbook["Katalog"].iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:2] == (library["sekolah"].pk, "Sekolah Ramah Anak")
    assert rows[1][12:14] == ("province", 0)


def test_an_unknown_format_is_not_found(db):
    with pytest.raises(Http404):
        exporters.download({}, "pdf")
