import pytest
from django.core.exceptions import ValidationError

from siwanda.core.imports import read_table
from siwanda.regions.forms import AgencyImporter, kind_from_text
from tests.factories import AgencyFactory
from tests.spreadsheets import csv_upload


def preview(region, text):
    importer = AgencyImporter(region)
    return importer.validate(importer.parse(read_table(csv_upload(text))))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Dinas", "dinas"),
        ("desa", "kelurahan"),
        ("Biro / Bagian", "bagian"),
        ("UPTD", "upt"),
        ("Perumda", "bumd"),
        ("SEKOLAH", "sekolah"),
        ("rumah sakit", None),
        ("", None),
    ],
)
def test_kind_words(text, kind):
    assert kind_from_text(text) == kind


def test_headers_in_indonesian_and_any_case(db, luwu_utara):
    rows = preview(luwu_utara, "NAMA PERANGKAT DAERAH,Jenis,Singkatan\nDinas Sosial,Dinas,Dinsos\n")
    assert rows[0].ok
    assert rows[0].cleaned["kind"] == "dinas"
    assert rows[0].cleaned["short_name"] == "Dinsos"


def test_a_missing_required_column_names_it(db, luwu_utara):
    with pytest.raises(ValidationError, match="Name"):
        preview(luwu_utara, "Jenis,Kode\ndinas,1\n")


def test_each_bad_row_says_what_is_wrong_with_its_row_number(db, luwu_utara):
    AgencyFactory(region=luwu_utara, name="Dinas Kesehatan", code="K1")
    rows = preview(
        luwu_utara,
        "\n".join(
            [
                "Nama,Jenis,Induk,Kode,Email",
                "Dinas Sosial,dinas,,,",
                "dinas kesehatan,dinas,,,",
                "Dinas Sosial,dinas,,,",
                "Puskesmas A,puskesmas,Dinas Sosial,,",
                "Puskesmas B,puskesmas,Dinas Tidak Ada,,",
                "Rumah Sakit,hospital,,,",
                "UPT C,upt,,K1,",
                "UPT D,upt,,,bukan-email",
            ]
        ),
    )
    assert [(r.number, r.ok) for r in rows] == [
        (2, True),
        (3, False),
        (4, False),
        (5, True),
        (6, False),
        (7, False),
        (8, False),
        (9, False),
    ]
    assert "already has an agency" in rows[1].errors[0]
    assert "earlier row" in rows[2].errors[0]
    assert "Parent agency" in rows[4].errors[0]
    assert rows[5].errors[0].startswith("Type:")
    assert rows[6].errors == ["Code: this code is already used."]
    assert rows[7].errors[0].startswith("Email:")


def test_a_row_with_errors_cannot_be_a_later_rows_parent(db, luwu_utara):
    rows = preview(
        luwu_utara, "Nama,Jenis,Induk\nDinas Baru,tidak-dikenal,\nUPT E,upt,Dinas Baru\n"
    )
    assert [r.ok for r in rows] == [False, False]
