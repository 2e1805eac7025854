"""The automatic checks of administrative screening, as pure functions over plain data.

The same checks answer "check my proposal" for the author (errors block sending, warnings do
not) and give the secretariat its findings during screening.
"""

import datetime
import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from siwanda.core.text import count_words as words

ERROR = "error"  # the proposal cannot be sent like this
WARNING = "warning"  # it can be sent, but screening will look at it


@dataclass(frozen=True)
class Question:
    key: str
    section: str  # the section's title, for the message
    label: str
    type: str
    required: bool
    word_limit: int | None = None
    min_words: int | None = None
    is_video_duration: bool = False


@dataclass(frozen=True)
class Rules:
    min_implementation_months: int = 12
    require_sdg: bool = True
    video_max_seconds: int | None = 180
    min_answer_words: int = 5
    title_similarity: float = 0.85
    exclude_top_winners: bool = True


@dataclass(frozen=True)
class Other:
    """Another proposal whose title may be too close."""

    title: str
    agency: str
    year: int
    same_competition: bool


@dataclass
class Subject:
    title: str
    implementation_start: datetime.date | None
    deadline: datetime.date | None
    questions: list[Question]
    answers: dict  # key -> value
    files: dict  # key -> number of files
    top_awards: list[str] = field(default_factory=list)  # "Top 7 KIPP … 2019" at this level
    others: list[Other] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    question: str = ""  # the question's key, when the finding is about one
    section: str = ""
    label: str = ""
    params: tuple = ()  # (name, value) pairs, for the message

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "question": self.question,
            "section": self.section,
            "label": self.label,
            "params": dict(self.params),
        }


def empty(value) -> bool:
    return value is None or (
        isinstance(value, str | list) and not (value.strip() if isinstance(value, str) else value)
    )


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from start to end: 1 Jun 2018 → 31 May 2019 is 11, → 1 Jun 2019 is 12."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def title_similarity(a: str, b: str) -> float:
    """How alike two titles are (0–1): the larger of the character-sequence ratio and, when the
    shorter title has three or more words, the share of its words found in the other; so "Kampung
    Donor Darah Penyelamat Jiwa" and "… Jiwa Puskesmas Bone-Bone" count as near-identical."""
    # In a fixed order: difflib's ratio is not symmetric, and a pair must score the same
    # whichever of its titles comes first.
    left, right = sorted((normalise_title(a), normalise_title(b)))
    if not left or not right:
        return 0.0
    ratio = difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()
    small, large = sorted((set(left.split()), set(right.split())), key=len)
    contained = len(small & large) / len(small) if len(small) >= 3 else 0.0
    return max(ratio, contained)


def _blocks(title: str) -> set[str]:
    """The keys under which a title is filed: its words, and the first and last four letters of
    each longer word, so that a typo ("Kesrakuu") still meets its original."""
    keys = set()
    for word in normalise_title(title).split():
        keys.add(word)
        if len(word) > 4:
            keys.update((f"{word[:4]}…", f"…{word[-4:]}"))
    return keys


def similar_pairs(titles: dict, threshold: float) -> list[tuple]:
    """Pairs of ids whose titles are near-identical, without comparing every pair: titles are
    only compared when they share a word (or a word's beginning or end) that is not common to
    many titles."""
    tokens = {key: _blocks(title) for key, title in titles.items()}
    frequency = Counter(token for words_ in tokens.values() for token in words_)
    common = max(50, len(titles) // 20)
    index = defaultdict(set)
    for key, words_ in tokens.items():
        for token in words_:
            if frequency[token] <= common:
                index[token].add(key)
    candidates = set()
    for keys in index.values():
        ordered = sorted(keys, key=str)
        candidates.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    return sorted(
        (
            (a, b, round(similarity, 2))
            for a, b in candidates
            if (similarity := title_similarity(titles[a], titles[b])) >= threshold
        ),
        key=str,
    )


def check(subject: Subject, rules: Rules) -> list[Finding]:
    findings: list[Finding] = []

    def add(code, severity, question=None, **params):
        findings.append(
            Finding(
                code=code,
                severity=severity,
                question=question.key if question else "",
                section=question.section if question else "",
                label=question.label if question else "",
                params=tuple(sorted(params.items())),
            )
        )

    sdg_chosen = False
    for question in subject.questions:
        value = subject.answers.get(question.key)
        if question.type == "file":
            if question.required and not subject.files.get(question.key):
                add("missing_file", ERROR, question)
            continue
        if question.type == "sdgs" and not empty(value):
            sdg_chosen = True
        if empty(value):
            if question.required:
                add("missing_answer", ERROR, question)
            continue
        if question.type == "long_text":
            count = words(value)
            if question.word_limit and count > question.word_limit:
                add("over_word_limit", ERROR, question, words=count, limit=question.word_limit)
            if question.min_words and count < question.min_words:
                add("under_min_words", ERROR, question, words=count, minimum=question.min_words)
            elif question.required and count < rules.min_answer_words:
                add("too_short", WARNING, question, words=count, minimum=rules.min_answer_words)
        if question.is_video_duration and rules.video_max_seconds:
            try:
                seconds = float(value)
            except (TypeError, ValueError):
                seconds = 0
            if seconds > rules.video_max_seconds:
                add(
                    "video_too_long",
                    ERROR,
                    question,
                    seconds=int(seconds),
                    limit=rules.video_max_seconds,
                )
    if rules.require_sdg and not sdg_chosen and any(q.type == "sdgs" for q in subject.questions):
        add("no_sdg", ERROR)

    if rules.min_implementation_months:
        if subject.implementation_start is None:
            add("no_implementation_date", ERROR)
        elif subject.deadline is not None:
            months = months_between(subject.implementation_start, subject.deadline)
            if months < rules.min_implementation_months:
                add(
                    "too_young",
                    WARNING,
                    months=max(months, 0),
                    minimum=rules.min_implementation_months,
                )

    if rules.exclude_top_winners:
        for award in subject.top_awards:
            add("previous_winner", WARNING, award=award)

    for other in subject.others:
        similarity = title_similarity(subject.title, other.title)
        if similarity >= rules.title_similarity:
            add(
                "similar_title",
                WARNING,
                title=other.title,
                agency=other.agency,
                year=other.year,
                same_competition=other.same_competition,
                similarity=round(similarity, 2),
            )
    return findings


def blocking(findings) -> list:
    return [
        f for f in findings if (f.severity if isinstance(f, Finding) else f["severity"]) == ERROR
    ]
