"""Building catalogue entries from the registry.

`catalogue_index` publishes (or rebuilds) many innovations at once, for the publish service and
for bulk loads such as `seed_scale`; `catalogue_refresh` rebuilds the entries of innovations that
are already published, after a change to the innovation, its awards or its replications. The
search vectors and the SQLite FTS table follow by themselves (database triggers).
"""

import itertools
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from siwanda.innovations.models import Award, Innovation
from siwanda.regions.models import Region

from .models import AwardLevel, CatalogueEntry, SearchWord
from .text import stems_of, words

BATCH = 1000
VERSION_KEY = "catalogue:version"
SUMMARY_CHARS = 320
LEVEL_ORDER = [AwardLevel.NONE, AwardLevel.REGENCY, AwardLevel.PROVINCE, AwardLevel.NATIONAL]


def summary_of(innovation: Innovation) -> str:
    text = " ".join((innovation.goals or innovation.design or innovation.benefits or "").split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def _province(region: Region):
    if region.kind == Region.Kind.PROVINCE:
        return region
    parent = region.parent
    return parent if parent is not None and parent.kind == Region.Kind.PROVINCE else None


def _year(innovation: Innovation):
    started = innovation.started_on or innovation.initiative_date
    return started.year if started else None


def _entry(
    innovation: Innovation, *, best_award, replications, published
) -> tuple[CatalogueEntry, list[str]]:
    """The entry of a published innovation, and the words of its text (for the vocabulary)."""
    agency, region = innovation.agency, innovation.region
    body = " ".join(
        part
        for part in (
            agency.name,
            region.name,
            innovation.goals,
            innovation.design,
            innovation.benefits,
            innovation.results,
        )
        if part
    )
    all_words = words(f"{innovation.title} {body}")
    entry = CatalogueEntry(
        innovation=innovation,
        title=innovation.title,
        summary=summary_of(innovation),
        body=body,
        stems=stems_of(all_words),
        agency=agency,
        agency_kind=agency.kind,
        region=region,
        province=_province(region),
        form=innovation.form,
        urusan=innovation.urusan,
        stage=innovation.stage,
        year=_year(innovation),
        is_digital=innovation.is_digital,
        best_award=best_award,
        replication_count=replications,
        sdg_mask=sum(1 << sdg.number for sdg in innovation.sdgs.all()),
        published_at=published[0],
        published_by_id=published[1],
    )
    return entry, all_words


def _write(ids: list[int], *, publish: bool, published_by=None) -> int:
    innovations = list(
        Innovation.objects.filter(pk__in=ids)
        .select_related("agency", "region__parent")
        .prefetch_related("sdgs")
    )
    existing = {
        row["innovation_id"]: (row["published_at"], row["published_by_id"])
        for row in CatalogueEntry.objects.filter(innovation_id__in=ids).values(
            "innovation_id", "published_at", "published_by_id"
        )
    }
    if not publish:
        innovations = [i for i in innovations if i.pk in existing]
    best: dict[int, str] = {}
    for innovation_id, level in Award.objects.filter(
        innovation_id__in=ids, is_top=True
    ).values_list("innovation_id", "level"):
        current = best.get(innovation_id, AwardLevel.NONE)
        if LEVEL_ORDER.index(level) > LEVEL_ORDER.index(current):
            best[innovation_id] = level
    replications = dict(
        Innovation.objects.filter(source_innovation_id__in=ids)
        .values("source_innovation_id")
        .annotate(n=Count("id"))
        .values_list("source_innovation_id", "n")
    )
    now = timezone.now()
    by = published_by.pk if published_by is not None else None
    entries, vocabulary = [], set()
    for innovation in innovations:
        entry, found = _entry(
            innovation,
            best_award=best.get(innovation.pk, AwardLevel.NONE),
            replications=replications.get(innovation.pk, 0),
            published=existing.get(innovation.pk, (now, by)),
        )
        entries.append(entry)
        vocabulary.update(w for w in found if len(w) >= 3)
        vocabulary.update(entry.stems.split())
    CatalogueEntry.objects.filter(innovation_id__in=[e.innovation_id for e in entries]).delete()
    CatalogueEntry.objects.bulk_create(entries, batch_size=BATCH)
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(vocabulary)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    catalogue_changed()
    return len(entries)


def catalogue_changed() -> None:
    """Forget the cached counts: now, and again once the change is committed (a request between
    the two may have cached counts from before it)."""
    cache.set(VERSION_KEY, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), None))


def catalogue_version() -> int:
    return cache.get_or_set(VERSION_KEY, 0, None)


def catalogue_index(*, innovation_ids: Iterable[int], published_by=None) -> int:
    """Publish the innovations (rebuilding those already published, which keep their date);
    returns how many entries were written. No audit entry: the publish service writes it."""
    written = 0
    for batch in itertools.batched(innovation_ids, BATCH):
        written += _write(list(batch), publish=True, published_by=published_by)
    return written


def catalogue_refresh(innovation_ids: Iterable[int]) -> int:
    """Rebuild the entries of those innovations that are published; the others are left out."""
    written = 0
    for batch in itertools.batched(set(innovation_ids), BATCH):
        written += _write(list(batch), publish=False)
    return written
