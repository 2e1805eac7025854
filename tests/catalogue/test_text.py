"""Words and Indonesian stems of the catalogue's texts (Sastrawi)."""

import pytest

from siwanda.catalogue.text import MAX_WORD, stem, stems, words


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("pengelolaan", "kelola"),
        ("dikelola", "kelola"),
        ("kelola", "kelola"),
        ("kependudukan", "duduk"),
        ("penduduk", "duduk"),
        ("pelayanan", "layan"),
        ("layanan", "layan"),
        ("kesehatan", "sehat"),
        ("sampah", "sampah"),
    ],
)
def test_stem_finds_the_root(word, root):
    assert stem(word) == root


@pytest.mark.parametrize("word", ["covid19", "2024", "k3", "apbd2023"])
def test_stem_keeps_words_with_digits(word):
    assert stem(word) == word


def test_words_are_lower_case_and_split_on_everything_but_letters_and_digits():
    assert words("Pengelolaan Sampah_Desa, COVID-19 (2024) ÉCOLE si-dukun") == [
        "pengelolaan",
        "sampah",
        "desa",
        "covid",
        "19",
        "2024",
        "école",
        "si",
        "dukun",
    ]


def test_words_longer_than_the_limit_are_not_words():
    assert MAX_WORD == 40
    assert words("a" * 40 + " " + "b" * 41 + " sampah") == ["a" * 40, "sampah"]


def test_words_of_empty_text():
    assert words("") == []
    assert words(" -- !! ") == []


def test_stems_lists_each_differing_stem_once_in_order():
    text = "Pengelolaan sampah dan pelayanan kependudukan; pengelolaan air, Layanan 2024"
    assert stems(text) == "kelola layan duduk"


def test_stems_of_words_that_are_their_own_stem_is_empty():
    assert stems("sampah desa bank 2024 covid19") == ""
