"""Reads of the public catalogue. Only `CatalogueEntry` rows are public; everything a visitor
sees of an innovation comes through here, so nothing unpublished or private can leak."""

import copy
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet

from siwanda.innovations.models import EvidenceDocument, Innovation
from siwanda.regions.models import Region

from . import search
from .indexing import catalogue_version
from .models import OPEN_STATUSES, CatalogueEntry, ReplicationRequest

PAGE_SIZE = 20
MAX_PAGES = 500  # deeper than this, a visitor should narrow the search
COUNTS_SECONDS = 60
# Above this many matches the words are too common to tell innovations apart, and ranking every
# match would cost more than it tells: the most replicated come first instead (an index order).
RANK_LIMIT = 5000
FACETS = ["province", "agency_kind", "form", "urusan", "stage", "year", "digital", "award"]
SORTS = {
    "relevance": ("-rank", "title"),
    "title": ("title", "innovation_id"),
    "newest": ("-published_at", "innovation_id"),
    "replicated": ("-replication_count", "title"),
}
# What a list shows of an entry; the long texts and the vectors stay out of sorts and pages.
HEAVY = ("body", "stems", "search_vector", "rank_vector")
SIMILAR_SECONDS = 600


@dataclass
class CataloguePage:
    query: search.Query
    page: Page
    total: int
    counts: dict[str, dict[str, int]]
    sdg_counts: dict[str, int]
    sort: str
    regions: dict[int, object] = field(default_factory=dict)
    broad: bool = False  # a search too broad to rank: see RANK_LIMIT


def entries_filtered(filters: dict) -> QuerySet[CatalogueEntry]:
    """Published entries under the filters (already validated: see forms.CatalogueFilterForm)."""
    qs = CatalogueEntry.objects.all()
    plain = {
        "province": "province",
        "region": "region",
        "agency_kind": "agency_kind",
        "form": "form",
        "urusan": "urusan",
        "stage": "stage",
        "year": "year",
        "award": "best_award",
    }
    for name, column in plain.items():
        value = filters.get(name)
        if value not in (None, ""):
            qs = qs.filter(**{column: value})
    if filters.get("digital") in ("1", "0"):
        qs = qs.filter(is_digital=filters["digital"] == "1")
    if filters.get("sdg"):
        qs = qs.alias(sdg_bit=F("sdg_mask").bitand(1 << int(filters["sdg"]))).filter(sdg_bit__gt=0)
    return qs


def _cached_counts(qs, facets, filters) -> dict:
    """The counts of a filter set, cached until the catalogue changes (and a minute at most, for
    the processes that do not share a cache): counting a national catalogue is the costly part
    of a page, and the same searches and filters come again and again."""
    wanted = sorted((k, str(v)) for k, v in filters.items() if k != "sort")
    signature = repr((catalogue_version(), list(facets), wanted)).encode()
    key = "catalogue:counts:" + hashlib.sha256(signature).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = search.facet_counts(qs, facets)
        cache.set(key, counts, COUNTS_SECONDS)
    return copy.deepcopy(counts)


class CountedPaginator(Paginator):
    """A paginator told its count (known from the counts per filter value): no COUNT(*)."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count


def catalogue_listing(filters: dict, query: search.Query, total: int):
    """(entries in the order asked for, that order, whether the search was too broad to rank).
    Run it inside `search.planned_for_search(query)`."""
    sort = filters.get("sort") or ("relevance" if query else "title")
    if sort == "relevance" and not query:
        sort = "title"
    broad = sort == "relevance" and total > RANK_LIMIT
    if broad:
        sort = "replicated"
    if sort == "relevance":
        qs = search.ranked(entries_filtered(filters), query)
    else:
        qs = entries_matching(filters, query)
    # The agency and region of the page's 20 rows come in two small queries afterwards: joined
    # here, they would be joined to every match before the sort.
    listing = qs.prefetch_related("region", "agency").defer(*HEAVY).order_by(*SORTS[sort])
    return listing, sort, broad


def entries_matching(filters: dict, query: search.Query) -> QuerySet[CatalogueEntry]:
    """Published entries under the filters and the search text."""
    qs = entries_filtered(filters)
    return search.matching(qs, query) if query else qs


def catalogue_counts(filters: dict, query: search.Query, facets=FACETS) -> dict:
    """The counts per filter value of the entries under `filters` and `query` (cached)."""
    return _cached_counts(entries_matching(filters, query), facets, filters)


def catalogue_search(*, filters: dict, page_number=1) -> CataloguePage:
    """One page of the catalogue with the counts per filter value, in a constant number of
    queries: vocabulary (with a search text: 1, and 1 per word never seen), counts (1, none when
    cached), the page (1) and the names of the regions counted (1)."""
    query = search.parse(filters.get("q") or "")
    facets = [*FACETS, "region"] if filters.get("province") else FACETS
    with search.planned_for_search(query):
        counts = catalogue_counts(filters, query, facets)
        total = counts.pop("total")[""]
        sdg_counts = counts.pop("sdg")
        listing, sort, broad = catalogue_listing(filters, query, total)
        # Deeper than MAX_PAGES, narrow the search instead.
        paginator = CountedPaginator(listing, PAGE_SIZE, count=min(total, PAGE_SIZE * MAX_PAGES))
        try:
            number = min(int(page_number), MAX_PAGES)
        except (TypeError, ValueError):
            number = 1
        page = paginator.get_page(number)
        for entry in page:
            entry.highlighted = {
                "title": search.highlight(entry.title, query),
                "summary": search.highlight(entry.summary, query),
            }
    region_ids = {int(k) for k in counts["province"]} | {int(k) for k in counts.get("region", {})}
    regions = Region.objects.in_bulk(region_ids) if region_ids else {}
    return CataloguePage(query, page, total, counts, sdg_counts, sort, regions, broad)


def catalogue_innovation(pk: int) -> Innovation | None:
    """A published innovation with what its public page shows, or None."""
    return (
        Innovation.objects.filter(pk=pk, catalogue_entry__isnull=False)
        .select_related("agency", "region__parent", "catalogue_entry", "source_innovation")
        .prefetch_related(
            "sdgs",
            "awards",
            Prefetch(
                "evidence",
                queryset=EvidenceDocument.objects.filter(
                    is_public=True, status=EvidenceDocument.Status.VERIFIED
                ),
                to_attr="public_evidence",
            ),
        )
        .first()
    )


def public_evidence(pk: int) -> EvidenceDocument | None:
    return EvidenceDocument.objects.filter(
        pk=pk,
        is_public=True,
        status=EvidenceDocument.Status.VERIFIED,
        innovation__catalogue_entry__isnull=False,
    ).first()


def similar_entries(entry: CatalogueEntry, limit=4) -> list[CatalogueEntry]:
    """Published innovations of the same government affair (else form) whose texts share the
    telling words of this one's title, best first; remembered until the catalogue changes."""
    query = search.like(entry)
    if not query:
        return []
    key = f"catalogue:similar:{catalogue_version()}:{entry.pk}"
    shown = CatalogueEntry.objects.select_related("region").defer(*HEAVY)
    ids = cache.get(key)
    if ids is not None:
        found = shown.in_bulk(ids)
        return [found[i] for i in ids if i in found]
    pool = shown.exclude(pk=entry.pk)
    pool = pool.filter(urusan=entry.urusan) if entry.urusan else pool.filter(form=entry.form)
    with search.planned_for_search(query):
        similar = list(search.ranked(pool, query).order_by("-rank", "title")[:limit])
    cache.set(key, [e.pk for e in similar], SIMILAR_SECONDS)
    return similar


def replicas_of(innovation: Innovation) -> QuerySet[Innovation]:
    """Where the innovation has been replicated: by whom and where (names are public; a
    replica's own page only if it is published too)."""
    return (
        Innovation.objects.filter(source_innovation=innovation)
        .select_related("agency", "region", "catalogue_entry")
        .order_by("region__name", "agency__name")
    )


def replications_of_region(region) -> dict[str, QuerySet[Innovation]]:
    """A region's replication network: what its agencies replicated from others, and what others
    replicated from it."""
    base = Innovation.objects.select_related(
        "agency",
        "region",
        "source_innovation__agency",
        "source_innovation__region",
        "source_innovation__catalogue_entry",
    ).filter(source_innovation__isnull=False)
    return {
        "from_others": base.filter(region=region).exclude(source_innovation__region=region),
        "by_others": base.filter(source_innovation__region=region).exclude(region=region),
        "within": base.filter(region=region, source_innovation__region=region),
    }


def requests_for(user) -> QuerySet[ReplicationRequest]:
    """The replication requests a person takes part in: those of their agencies (asking) and
    those for their agencies' innovations (answering)."""
    from siwanda.accounts.models import Role
    from siwanda.accounts.roles import roles_of

    roles = roles_of(user)
    agencies = roles.agency_ids(Role.OPERATOR, Role.AGENCY_HEAD)
    qs = ReplicationRequest.objects.select_related(
        "source__agency", "source__region", "agency__region", "replica"
    )
    if roles.is_system_admin:
        return qs
    regions = roles.region_ids(Role.SECRETARIAT, Role.LEADERSHIP)
    return qs.filter(
        Q(agency_id__in=agencies)
        | Q(source__agency_id__in=agencies)
        | Q(agency__region_id__in=regions)
        | Q(source__region_id__in=regions)
    )


def open_request(*, source, agency) -> ReplicationRequest | None:
    return ReplicationRequest.objects.filter(
        source=source, agency=agency, status__in=OPEN_STATUSES
    ).first()
