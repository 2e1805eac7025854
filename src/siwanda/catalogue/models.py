"""The public catalogue: what the secretariat published of an innovation, found by search and
filters, and the requests of other regions to replicate it."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from siwanda.innovations.choices import Form, Stage, Urusan
from siwanda.regions.models import Agency


class AwardLevel(models.TextChoices):
    """The highest level at which an innovation won, for the "awards won" filter."""

    NONE = "none", _("No award yet")
    REGENCY = "regency", _("Regency / city")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class CatalogueEntry(models.Model):
    """One published innovation as the public sees it: its public text, its facets and its search
    data, in one narrow table so that search, filters and counts need no join.

    The row exists while the innovation is published: `innovation_publish` creates it,
    `innovation_unpublish` deletes it, and every change to a published innovation rebuilds it
    (`catalogue.indexing`).
    The search data are kept by the database itself (see migration 0002): a `search_vector`
    trigger on PostgreSQL, an FTS5 table kept in step by triggers on SQLite.
    """

    innovation = models.OneToOneField(
        "innovations.Innovation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="catalogue_entry",
    )
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The Indonesian stems (Sastrawi) of the title and body: "pengelolaan" and "dikelola" are
    # both "kelola", which PostgreSQL's own `indonesian` stemmer does not see.
    stems = models.TextField(blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    agency_kind = models.CharField(max_length=12, choices=Agency.Kind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    form = models.CharField(max_length=20, choices=Form.choices)
    urusan = models.CharField(max_length=40, choices=Urusan.choices, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_digital = models.BooleanField(default=False)
    best_award = models.CharField(
        max_length=10, choices=AwardLevel.choices, default=AwardLevel.NONE
    )
    replication_count = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The SDG goals as bits (1 << goal): counted and filtered in the same pass as the others.
    sdg_mask = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(null=True, editable=False)
    # PostgreSQL ranks on this small vector of the title and summary, kept inline in the row:
    # ranking on `search_vector` (several kB, out of line) would read it for every match.
    rank_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        indexes = [
            models.Index(fields=["title"]),
            models.Index(fields=["-published_at"]),
            models.Index(fields=["province", "title"]),
            models.Index(fields=["region", "title"]),
            models.Index(fields=["urusan", "title"]),
            models.Index(fields=["form", "title"]),
            models.Index(fields=["-replication_count", "title"]),
            models.Index(fields=["province", "-replication_count", "title"]),
        ]

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """Every word (and stem) of the published texts: the vocabulary that a misspelt search word
    is corrected against ("kependudukn" → "kependudukan")."""

    word = models.CharField(max_length=40, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class ReplicationRequest(models.Model):
    """An agency's request to replicate a published innovation of another agency."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        DISCUSSING = "discussing", _("In discussion")
        AGREED = "agreed", _("Agreed")
        REPLICATED = "replicated", _("Replicated")
        DECLINED = "declined", _("Declined")

    source = models.ForeignKey(
        "innovations.Innovation", on_delete=models.CASCADE, related_name="replication_requests"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="replication_requests",
        verbose_name=_("requesting agency"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("message"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    replica = models.ForeignKey(
        "innovations.Innovation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replica"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("replication request")
        verbose_name_plural = _("replication requests")
        constraints = [
            models.UniqueConstraint(
                "source",
                "agency",
                condition=models.Q(status__in=["requested", "discussing", "agreed"]),
                name="replication_one_open_request_per_agency",
            )
        ]

    def __str__(self):
        return f"{self.agency} ← {self.source}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


OPEN_STATUSES = (
    ReplicationRequest.Status.REQUESTED,
    ReplicationRequest.Status.DISCUSSING,
    ReplicationRequest.Status.AGREED,
)


class ReplicationMessage(models.Model):
    """The conversation of a request, each status change included, in order."""

    request = models.ForeignKey(ReplicationRequest, on_delete=models.CASCADE, related_name="thread")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ReplicationRequest.Status.choices, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]
