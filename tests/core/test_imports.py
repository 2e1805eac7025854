import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from siwanda.core.imports import read_table
from tests.spreadsheets import csv_upload, xlsx_upload


def test_csv_with_semicolons_and_a_byte_order_mark():
    table = read_table(csv_upload("\ufeffNama;Jenis\nDinas Sosial;dinas\n\n;\n"))
    assert table == [["Nama", "Jenis"], ["Dinas Sosial", "dinas"]]


def test_csv_saved_by_old_excel_in_windows_encoding():
    table = read_table(
        csv_upload("Nama,Jenis\nDinas Pariwisata – Budaya,dinas\n", encoding="cp1252")
    )
    assert table[1][0] == "Dinas Pariwisata – Budaya"


def test_xlsx_numbers_come_back_as_text_without_decimals():
    table = read_table(
        xlsx_upload([["Email", "NIP", "Telepon"], ["a@b.id", "198001012005011002", 81234567.0]])
    )
    assert table == [["Email", "NIP", "Telepon"], ["a@b.id", "198001012005011002", "81234567"]]


def test_an_18_digit_number_shows_the_precision_excel_lost():
    table = read_table(xlsx_upload([["NIP"], [198001012005011002]]))
    assert table[1] == ["1.98001012005011E+17"]


def test_a_damaged_workbook_is_refused_clearly():
    upload = SimpleUploadedFile("x.xlsx", b"PK\x03\x04 this is not a workbook")
    with pytest.raises(ValidationError, match="Excel"):
        read_table(upload)


def test_an_old_xls_or_binary_file_is_refused_clearly():
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        read_table(SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0\x00\x00binary"))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.SIWANDA_IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="larger"):
        read_table(csv_upload("Nama\nDinas Sosial yang panjang\n"))
