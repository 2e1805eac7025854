import datetime
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from siwanda.screening.checks import (
    ERROR,
    WARNING,
    Other,
    Question,
    Rules,
    Subject,
    check,
    months_between,
    normalise_title,
    similar_pairs,
    title_similarity,
)

QUESTIONS = [
    Question("ringkasan", "Ringkasan", "Ringkasan", "long_text", True, word_limit=10),
    Question("rancang", "Rancang", "Rancang bangun", "long_text", True, min_words=5),
    Question("sdgs", "Umum", "SDGs", "sdgs", True),
    Question("video", "Umum", "Durasi", "number", True, is_video_duration=True),
    Question("sk", "Umum", "SK", "file", True),
    Question("catatan", "Umum", "Catatan", "short_text", False),
]


def subject(**changes):
    data = {
        "title": "Kampung Donor Darah Penyelamat Jiwa",
        "implementation_start": datetime.date(2018, 1, 1),
        "deadline": datetime.date(2019, 8, 31),
        "questions": QUESTIONS,
        "answers": {
            "ringkasan": "satu dua tiga empat lima enam",
            "rancang": "a b c d e f",
            "sdgs": [3],
            "video": 170,
        },
        "files": {"sk": 1},
    }
    data.update(changes)
    return Subject(**data)


def codes(findings):
    return sorted((f.code, f.severity, f.question) for f in findings)


def test_a_complete_proposal_has_no_findings():
    assert check(subject(), Rules()) == []


def test_missing_answers_and_files_block_sending():
    findings = check(
        subject(answers={"rancang": "a b c d e", "video": 10, "sdgs": [3]}, files={}), Rules()
    )
    assert codes(findings) == [
        ("missing_answer", ERROR, "ringkasan"),
        ("missing_file", ERROR, "sk"),
    ]


def test_word_limits_both_ways():
    findings = check(
        subject(answers={"ringkasan": "x " * 11, "rancang": "a b", "sdgs": [1], "video": 1}),
        Rules(),
    )
    assert codes(findings) == [
        ("over_word_limit", ERROR, "ringkasan"),
        ("under_min_words", ERROR, "rancang"),
    ]
    assert dict(findings[0].params) == {"words": 11, "limit": 10}


def test_a_meaningless_answer_is_a_warning():
    findings = check(
        subject(answers={"ringkasan": "ok", "rancang": "a b c d e", "sdgs": [1], "video": 1}),
        Rules(min_answer_words=5),
    )
    assert codes(findings) == [("too_short", WARNING, "ringkasan")]


def test_sdg_and_video_rules():
    findings = check(
        subject(
            answers={"ringkasan": "a b c d e", "rancang": "a b c d e", "sdgs": [], "video": 181}
        ),
        Rules(video_max_seconds=180),
    )
    assert ("video_too_long", ERROR, "video") in codes(findings)
    assert ("missing_answer", ERROR, "sdgs") in codes(findings)
    assert ("no_sdg", ERROR, "") in codes(findings)
    optional_sdg = [
        Question("sdgs", "Umum", "SDGs", "sdgs", False) if q.key == "sdgs" else q for q in QUESTIONS
    ]
    relaxed = Rules(require_sdg=False, video_max_seconds=None)
    answers = {"ringkasan": "a b c d e", "rancang": "a b c d e", "video": 999}
    assert codes(check(subject(questions=optional_sdg, answers=answers), relaxed)) == []
    assert codes(
        check(subject(questions=optional_sdg, answers=answers), Rules(video_max_seconds=None))
    ) == [("no_sdg", ERROR, "")]


def test_implementation_age_is_counted_back_from_the_deadline():
    assert months_between(datetime.date(2018, 9, 1), datetime.date(2019, 8, 31)) == 11
    assert months_between(datetime.date(2018, 8, 31), datetime.date(2019, 8, 31)) == 12
    young = check(subject(implementation_start=datetime.date(2019, 3, 4)), Rules())
    assert codes(young) == [("too_young", WARNING, "")]
    assert dict(young[0].params) == {"months": 5, "minimum": 12}
    assert codes(check(subject(implementation_start=None), Rules())) == [
        ("no_implementation_date", ERROR, "")
    ]
    assert check(subject(implementation_start=None), Rules(min_implementation_months=0)) == []


def test_previous_top_award_at_this_level():
    findings = check(subject(top_awards=["Top 7 KIPP 2018 (2018)"]), Rules())
    assert codes(findings) == [("previous_winner", WARNING, "")]
    assert check(subject(top_awards=["x"]), Rules(exclude_top_winners=False)) == []


def test_near_identical_titles():
    other = Other(
        "Kampung Donor Darah Penyelamat Jiwa Puskesmas Masamba", "Puskesmas Masamba", 2019, True
    )
    unrelated = Other("Pasar Tani Jumpa Lagi", "Dinas Ketahanan Pangan", 2019, True)
    findings = check(subject(others=[other, unrelated]), Rules())
    assert codes(findings) == [("similar_title", WARNING, "")]
    assert dict(findings[0].params)["agency"] == "Puskesmas Masamba"


def test_title_similarity_is_symmetric():
    a, b = "desa sehat sehat sehat desa", "sehat sehat sehat donor sehat sehat"
    assert title_similarity(a, b) == title_similarity(b, a)


def test_title_similarity():
    assert normalise_title("  Sipena: SISTEM  Peringatan! ") == "sipena sistem peringatan"
    assert title_similarity("Kesraku", "KESRAKU") == 1.0
    assert title_similarity("Sistem Informasi Desa", "Sistem Informasi Desa Terpadu") == 1.0
    assert title_similarity("Lapor Camat", "Lapor Bupati") < 0.85
    assert title_similarity("", "x") == 0.0


words = st.sampled_from(
    [
        "desa",
        "sehat",
        "donor",
        "darah",
        "pangan",
        "pasar",
        "tani",
        "guru",
        "smart",
        "sipena",
        "kampung",
        "jiwa",
        "peta",
        "sampah",
    ]
)
titles = st.lists(st.lists(words, min_size=1, max_size=6).map(" ".join), min_size=2, max_size=25)


@settings(max_examples=150, deadline=None)
@given(titles=titles, threshold=st.sampled_from([0.7, 0.85, 0.95]))
def test_similar_pairs_finds_what_comparing_every_pair_finds(titles, threshold):
    """The shortcut finds nothing below the threshold, and never misses a pair above it that
    shares a word (with ≤ 50 titles no word is "common", so none is skipped)."""
    keyed = dict(enumerate(titles))
    found = {frozenset((a, b)) for a, b, _s in similar_pairs(keyed, threshold)}
    above = {
        frozenset((a, b))
        for a, b in itertools.combinations(keyed, 2)
        if title_similarity(keyed[a], keyed[b]) >= threshold
    }
    sharing_a_word = {
        pair
        for pair in above
        if set.intersection(*(set(normalise_title(keyed[k]).split()) for k in pair))
    }
    assert sharing_a_word <= found <= above


def test_a_typo_still_meets_its_original():
    pairs = similar_pairs({1: "Kesraku", 2: "Kesrakuu", 3: "Sipena"}, 0.85)
    assert [(a, b) for a, b, _s in pairs] == [(1, 2)]
