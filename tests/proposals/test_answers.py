import pytest
from django.core.exceptions import ValidationError

from siwanda.competitions.models import FieldType, FormField
from siwanda.core.text import count_words
from siwanda.proposals.answers import clean_value, is_empty


def field(kind, **extra):
    return FormField(type=kind, key="k", name="Q", **extra)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        (None, 0),
        ("pelayanan publik", 2),
        ("e-KTP dan KTP-el", 3),
        ("Tahun 2019: 27 usulan.", 4),
        ("  banyak   spasi\n\nbaris  ", 3),
        ("Jum'at", 1),
    ],
)
def test_count_words(text, words):
    assert count_words(text) == words


def test_long_text_is_kept_whole_even_over_its_limit():
    long = " ".join(["kata"] * 500)
    assert clean_value(field(FieldType.LONG_TEXT, word_limit=10), long) == long


def test_short_text_collapses_spaces():
    assert clean_value(field(FieldType.SHORT_TEXT), "  Andi   Bahtiar ") == "Andi Bahtiar"


@pytest.mark.parametrize(
    ("raw", "value"), [("150", 150), ("2,5", 2.5), (" 1 000 ", 1000), ("", None)]
)
def test_numbers(raw, value):
    assert clean_value(field(FieldType.NUMBER), raw) == value


@pytest.mark.parametrize("raw", ["abc", "NaN", "inf"])
def test_not_numbers(raw):
    with pytest.raises(ValidationError):
        clean_value(field(FieldType.NUMBER), raw)


def test_dates_and_links():
    assert clean_value(field(FieldType.DATE), "2019-08-31") == "2019-08-31"
    with pytest.raises(ValidationError):
        clean_value(field(FieldType.DATE), "31/31/2019")
    assert clean_value(field(FieldType.URL), "youtu.be/x") == "https://youtu.be/x"
    with pytest.raises(ValidationError):
        clean_value(field(FieldType.URL), "bukan alamat")


def test_choices_are_checked_against_the_options():
    single = field(FieldType.SINGLE_CHOICE, choices=[{"value": "ya"}, {"value": "tidak"}])
    assert clean_value(single, "ya") == "ya"
    with pytest.raises(ValidationError):
        clean_value(single, "mungkin")
    multi = field(
        FieldType.MULTIPLE_CHOICE, choices=[{"value": "a"}, {"value": "b"}, {"value": "c"}]
    )
    assert clean_value(multi, ["c", "a", "a"]) == ["a", "c"]
    with pytest.raises(ValidationError):
        clean_value(multi, ["a", "z"])


def test_sdgs():
    assert clean_value(field(FieldType.SDGS), ["3", "17", "3"]) == [3, 17]
    assert clean_value(field(FieldType.SDGS), []) == []
    for bad in (["0"], ["18"], ["x"]):
        with pytest.raises(ValidationError):
            clean_value(field(FieldType.SDGS), bad)


def test_files_are_not_typed():
    with pytest.raises(ValidationError):
        clean_value(field(FieldType.FILE), "x")


def test_is_empty():
    assert is_empty(None) and is_empty("  ") and is_empty([])
    assert not is_empty(0) and not is_empty("x") and not is_empty([1])
