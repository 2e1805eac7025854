"""Finding published innovations: the one place where search and its counts are computed.

A search text becomes a `Query`: each typed word with its alternatives (the word, its Sastrawi
stem, and, for a word the catalogue has never seen, the closest known words: "kependudukn" →
"kependudukan"). Every word must match one of its alternatives.

- PostgreSQL: `search_vector @@ query` (never `rank > 0`: non-matches rank 1e-20), the query
  OR-ing the `indonesian` and `simple` configurations for each alternative; ranked by `ts_rank`
  on the small title-and-summary vector (words only in the body match, and rank after).
  Misspellings are found with `pg_trgm` on the vocabulary (`SearchWord`, trigram GIN index).
- SQLite: FTS5 `MATCH` on `catalogue_fts`, ranked by `bm25` (the title weighs ten times the
  body); misspellings by `difflib` over the vocabulary words of about the same length.

Highlighting is done here in Python on the few rows of a page, the same on both databases.
"""

import difflib
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import CatalogueEntry, SearchWord
from .text import WORD, stem, words

MAX_TERMS = 8
MIN_SIMILARITY = 0.45  # pg_trgm similarity of a correction to the typed word
MIN_RATIO = 0.8  # difflib's ratio, its SQLite counterpart
# Words too common to say anything about which innovations are alike.
COMMON = frozenset(
    [
        "dan",
        "yang",
        "untuk",
        "dengan",
        "di",
        "ke",
        "dari",
        "dalam",
        "pada",
        "atau",
        "oleh",
        "bagi",
        "serta",
        "ini",
        "itu",
        "adalah",
        "akan",
        "sebagai",
        "secara",
        "melalui",
        "agar",
        "kepada",
        "para",
        "juga",
        "tidak",
        "dapat",
        "kab",
        "kabupaten",
        "kota",
        "dinas",
    ]
)


@dataclass(frozen=True)
class Query:
    text: str = ""
    terms: tuple[tuple[str, ...], ...] = ()
    corrections: dict[str, str] = field(default_factory=dict)
    any_term: bool = False  # "similar innovations": one of the words is enough

    def __bool__(self):
        return bool(self.terms)

    @property
    def targets(self) -> frozenset[str]:
        return frozenset(alt for alternatives in self.terms for alt in alternatives)


def _similar_words(word: str) -> list[str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM catalogue_searchword WHERE (word || '') %% %s "
                "AND similarity(word, %s) >= %s ORDER BY similarity(word, %s) DESC, word LIMIT 2",
                [word, word, MIN_SIMILARITY, word],
            )
            return [row[0] for row in cursor.fetchall()]
    candidates = SearchWord.objects.filter(
        word__startswith=word[0], word__regex=rf"^.{{{max(len(word) - 2, 1)},{len(word) + 2}}}$"
    ).values_list("word", flat=True)
    return difflib.get_close_matches(word, list(candidates), n=2, cutoff=MIN_RATIO)


def parse(text: str) -> Query:
    """The search text as a Query (at most MAX_TERMS words), typos corrected."""
    typed = list(dict.fromkeys(words(text)))[:MAX_TERMS]
    if not typed:
        return Query(text=text)
    alternatives = {w: dict.fromkeys((w, stem(w))) for w in typed}
    known = set(
        SearchWord.objects.filter(
            word__in={alt for alts in alternatives.values() for alt in alts}
        ).values_list("word", flat=True)
    )
    corrections = {}
    for word, alts in alternatives.items():
        if known.isdisjoint(alts) and len(word) >= 4:
            for similar in _similar_words(word):
                corrections.setdefault(word, similar)
                alts.update(dict.fromkeys((similar, stem(similar))))
    return Query(
        text=text,
        terms=tuple(tuple(alts) for alts in alternatives.values()),
        corrections=corrections,
    )


def like(entry: CatalogueEntry) -> Query:
    """A query for innovations like `entry`: any of the telling words of its title."""
    telling = [w for w in words(entry.title) if len(w) >= 4 and w not in COMMON]
    alternatives = tuple(dict.fromkeys(a for w in telling for a in (w, stem(w))))
    if not alternatives:
        return Query(text=entry.title)
    return Query(text=entry.title, terms=(alternatives,), any_term=True)


def _tsquery(query: Query):
    combined = None
    for alternatives in query.terms:
        term = None
        for alt in alternatives:
            for config in ("indonesian", "simple"):
                part = SearchQuery(alt, config=config, search_type="raw")
                term = part if term is None else term | part
        if combined is None:
            combined = term
        else:
            combined = combined | term if query.any_term else combined & term
    return combined


def _fts5(query: Query) -> str:
    joiner = " OR " if query.any_term else " AND "
    return joiner.join(
        "(" + " OR ".join(f'"{alt}"' for alt in alternatives) + ")" for alternatives in query.terms
    )


def matching(qs: QuerySet, query: Query) -> QuerySet:
    """`qs` narrowed to the entries matching `query`."""
    if connection.vendor == "postgresql":
        return qs.filter(search_vector=_tsquery(query))
    return qs.filter(
        innovation_id__in=RawSQL(
            "SELECT rowid FROM catalogue_fts WHERE catalogue_fts MATCH %s", [_fts5(query)]
        )
    )


def ranked(qs: QuerySet, query: Query) -> QuerySet:
    """The matching entries with their relevance as `rank` (higher is better)."""
    qs = matching(qs, query)
    if connection.vendor == "postgresql":
        return qs.annotate(rank=SearchRank(F("rank_vector"), _tsquery(query)))
    return qs.annotate(
        rank=RawSQL(
            "(SELECT -bm25(catalogue_fts, 10.0, 1.0, 1.0) FROM catalogue_fts "
            "WHERE catalogue_fts MATCH %s "
            "AND catalogue_fts.rowid = catalogue_catalogueentry.innovation_id)",
            [_fts5(query)],
            output_field=FloatField(),
        )
    )


@contextmanager
def planned_for_search(query: Query):
    """Run a search's queries (PostgreSQL) with sequential scans discouraged: the planner does
    not see that checking `@@` row by row reads every row's full vector out of line, and picks a
    sequential scan for a common word where the GIN index is five times faster."""
    if not query or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield


def highlight(text: str, query: Query) -> SafeString:
    """`text`, escaped, with the words that match the query in <mark>."""
    targets = query.targets
    if not targets:
        return escape(text)
    out, position = [], 0
    for match in WORD.finditer(text):
        word = match.group().casefold()
        if word in targets or stem(word) in targets:
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 -- every piece is escaped above


# --- Counts per filter value ----------------------------------------------------------------

FACET_COLUMNS = {
    "province": "province_id",
    "region": "region_id",
    "agency_kind": "agency_kind",
    "form": "form",
    "urusan": "urusan",
    "stage": "stage",
    "year": "year",
    "digital": "is_digital",
    "award": "best_award",
}


SDGS = range(1, 18)


def facet_counts(qs: QuerySet, facets: list[str]) -> dict[str, dict[str, int]]:
    """{facet: {value: count}} over the entries of `qs`, plus "sdg" (from the SDG bit masks) and
    "total" ({"": n}), all in ONE query: GROUPING SETS on PostgreSQL, a UNION ALL over one common
    table on SQLite."""
    # Only our own column names go into the SQL text; every value is a parameter.
    columns = [FACET_COLUMNS[f] for f in facets]
    width = len(columns)
    inner, params = qs.order_by().values(*columns, "sdg_mask").query.sql_with_params()
    sdg_sums = ", ".join(f"SUM((sdg_mask >> {n}) & 1)" for n in SDGS)
    if connection.vendor == "postgresql":
        sets = ", ".join(f"({c})" for c in columns)
        sql = (
            f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, COUNT(*), "  # noqa: S608
            f"{sdg_sums} FROM ({inner}) m GROUP BY GROUPING SETS ({sets}, ())"
        )
    else:
        nulls = ", ".join("NULL" for _n in SDGS)
        parts = []
        for i, column in enumerate(columns):
            # The same bit mask as GROUPING(): a 1 for every column not grouped by.
            mask = sum(1 << (width - 1 - j) for j in range(width) if j != i)
            values = ", ".join(c if c == column else "NULL" for c in columns)
            parts.append(
                f"SELECT {mask}, {values}, COUNT(*), {nulls} FROM m GROUP BY {column}"  # noqa: S608
            )
        everything = ", ".join("NULL" for _c in columns)
        parts.append(f"SELECT {(1 << width) - 1}, {everything}, COUNT(*), {sdg_sums} FROM m")  # noqa: S608
        sql = f"WITH m AS ({inner}) " + " UNION ALL ".join(parts)
    counts: dict[str, dict[str, int]] = {f: {} for f in facets} | {"sdg": {}, "total": {"": 0}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            mask, values, n = row[0], row[1 : width + 1], row[width + 1]
            if mask == (1 << width) - 1:
                counts["total"][""] = n
                sums = row[width + 2 :]
                counts["sdg"] = {str(s): int(c) for s, c in zip(SDGS, sums, strict=True) if c}
                continue
            index = next(i for i in range(width) if not mask & (1 << (width - 1 - i)))
            value = values[index]
            if value is None or value == "":
                continue
            key = ("1" if value else "0") if facets[index] == "digital" else str(value)
            counts[facets[index]][key] = n
    return counts
