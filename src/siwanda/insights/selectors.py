"""Permission-aware reads behind the dashboards.

Every dataset is computed in SQL (grouped counts) with a fixed number of queries whatever the
number of agencies, innovations or proposals, and comes out as a small plain structure (a title,
column headers and rows) from which one renderer draws the chart, the table and the CSV.

When an innovation counts in a year: the year it began, i.e. its initiative date, else the start
of its trial, else the start of its implementation (the registry keeps these in that order), and
only when it has none of them the day it was registered in Siwanda (in the region's time zone).
Registering an old innovation today therefore does not make an agency compliant this year, and
innovations entered afterwards for earlier years count in those years.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from siwanda.accounts.roles import roles_of
from siwanda.innovations.choices import SDGS, Form, Stage, Urusan
from siwanda.innovations.models import Award, Innovation
from siwanda.proposals.models import Proposal
from siwanda.regions.models import Agency, Region

from .models import ComplianceReminder
from .rules import DASHBOARD_ROLES

# --- The plain structures -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    # The name written beside each bar when the chart draws several columns ("2026").
    short: str = ""

    @property
    def series_name(self) -> str:
        return self.short or self.header


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple
    # The text badge of a highlighted row (empty: not highlighted).
    flag: str = ""


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    label_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # The columns the chart draws (indexes into `columns`); the table and the CSV show them all.
    series: tuple[int, ...] = (0,)

    def header(self) -> list[str]:
        return [self.label_header, *(c.header for c in self.columns)]


@dataclass(frozen=True)
class AgencyCount:
    pk: int
    name: str
    last_year: int
    this_year: int
    entries: int

    @property
    def compliant(self) -> bool:
        return self.this_year > 0


@dataclass(frozen=True)
class Compliance:
    """One Agency, One Innovation in a region for a year."""

    year: int
    agencies: list[AgencyCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.agencies)

    @property
    def compliant(self) -> int:
        return sum(1 for a in self.agencies if a.compliant)

    @property
    def missing(self) -> list[AgencyCount]:
        return [a for a in self.agencies if not a.compliant]

    @property
    def percent(self) -> int:
        return percent(self.compliant, self.total)


def percent(part: int, whole: int) -> int:
    """A whole percentage, halves rounded up (0 of 0 is 0 %)."""
    if not whole:
        return 0
    return int((Decimal(100 * part) / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- Who sees which region ----------------------------------------------------------------------


def dashboard_regions(user) -> QuerySet[Region]:
    """The regions whose dashboard `user` may read: where they are the secretariat or the
    leadership; every region for a system administrator."""
    roles = roles_of(user)
    if roles.is_system_admin:
        return Region.objects.order_by("code")
    return Region.objects.filter(pk__in=roles.region_ids(*DASHBOARD_ROLES)).order_by("code")


def province_regions(user) -> QuerySet[Region]:
    """The provinces whose regencies and cities `user` may compare."""
    return dashboard_regions(user).filter(kind=Region.Kind.PROVINCE)


def default_region(user) -> Region | None:
    """The region a dashboard opens on: the person's first secretariat or leadership role; for a
    system administrator the first province."""
    roles = roles_of(user)
    mine = roles.regions(*DASHBOARD_ROLES)
    if mine:
        return mine[0]
    if roles.is_system_admin:
        return Region.objects.filter(kind=Region.Kind.PROVINCE).order_by("code").first()
    return None


def current_year(region: Region) -> int:
    return timezone.localdate(timezone=region.zone).year


def last_reminder(region: Region) -> ComplianceReminder | None:
    return (
        ComplianceReminder.objects.filter(region=region)
        .select_related("sent_by")
        .order_by("-sent_at", "-id")
        .first()
    )


# --- One Agency, One Innovation -----------------------------------------------------------------


def _began(zone) -> Coalesce:
    """The day an innovation began (see the module's docstring)."""
    return Coalesce(
        "initiative_date",
        "trial_date",
        "implementation_date",
        TruncDate("created_at", tzinfo=zone),
        output_field=DateField(),
    )


def _in_year(year: int, prefix: str = "began") -> Q:
    return Q(
        **{
            f"{prefix}__gte": datetime.date(year, 1, 1),
            f"{prefix}__lte": datetime.date(year, 12, 31),
        }
    )


def counted_agencies(region: Region) -> QuerySet[Agency]:
    """The agencies that owe an innovation: active, and not members of the public."""
    return Agency.objects.filter(region=region, is_active=True).exclude(kind=Agency.Kind.PUBLIC)


def compliance(*, region: Region, year: int) -> Compliance:
    """Each agency of `region` with its innovations begun in `year` - 1 and in `year`, and the
    proposals it submitted to competitions of `year` (any organiser). Three queries."""
    agencies = counted_agencies(region).order_by("name").values_list("pk", "name")
    innovations = {
        row["agency_id"]: row
        for row in Innovation.objects.filter(region=region)
        .annotate(began=_began(region.zone))
        .filter(_in_year(year - 1) | _in_year(year))
        .values("agency_id")
        .annotate(
            last_year=Count("pk", filter=_in_year(year - 1)),
            this_year=Count("pk", filter=_in_year(year)),
        )
        .order_by()
    }
    entries = dict(
        Proposal.objects.filter(
            agency__region=region, competition__year=year, status__in=Proposal.IN_COMPETITION
        )
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Compliance(
        year=year,
        agencies=[
            AgencyCount(
                pk=pk,
                name=name,
                last_year=innovations.get(pk, {}).get("last_year", 0),
                this_year=innovations.get(pk, {}).get("this_year", 0),
                entries=entries.get(pk, 0),
            )
            for pk, name in agencies
        ],
    )


def compliance_dataset(result: Compliance) -> Dataset:
    year = result.year
    flag = _("No innovation in %(year)s") % {"year": year}
    return Dataset(
        key="oaoi",
        title=_("One Agency, One Innovation %(year)s") % {"year": year},
        description=_(
            "Each agency's innovations begun in %(last)s and in %(year)s, and its proposals "
            "submitted to competitions of %(year)s. An agency complies when it has at least one "
            "innovation in %(year)s."
        )
        % {"last": year - 1, "year": year},
        label_header=_("Agency"),
        columns=(
            Column(_("Innovations %(year)s") % {"year": year - 1}, str(year - 1)),
            Column(_("Innovations %(year)s") % {"year": year}, str(year)),
            Column(_("Competition entries %(year)s") % {"year": year}),
            Column(_("Complies")),
        ),
        rows=tuple(
            Row(
                a.name,
                (a.last_year, a.this_year, a.entries, _("Yes") if a.compliant else _("No")),
                "" if a.compliant else flag,
            )
            for a in result.agencies
        ),
        series=(0, 1),
    )


# --- The registry by its vocabularies -----------------------------------------------------------


def _counts_by(region: Region, name: str) -> dict:
    return dict(
        Innovation.objects.filter(region=region)
        .values_list(name)
        .annotate(n=Count("pk"))
        .order_by()
    )


def _breakdown(key, title, description, header, rows) -> Dataset:
    return Dataset(
        key=key,
        title=title,
        description=description,
        label_header=header,
        columns=(Column(_("Innovations")),),
        rows=tuple(Row(str(label), (n,)) for label, n in rows),
    )


def by_stage(*, region: Region) -> Dataset:
    counts = _counts_by(region, "stage")
    return _breakdown(
        "stage",
        _("Innovations by lifecycle stage"),
        _("Every innovation registered for %(region)s, by its current lifecycle stage.")
        % {"region": region.name},
        _("Lifecycle stage"),
        [(label, counts.get(value, 0)) for value, label in Stage.choices],
    )


def by_form(*, region: Region) -> Dataset:
    counts = _counts_by(region, "form")
    return _breakdown(
        "form",
        _("Innovations by form"),
        _("Every innovation registered for %(region)s, by its form (PP 38/2017).")
        % {"region": region.name},
        _("Form of innovation"),
        [(label, counts.get(value, 0)) for value, label in Form.choices],
    )


def by_urusan(*, region: Region) -> Dataset:
    """Only the government affairs that have innovations, the most first."""
    counts = _counts_by(region, "urusan")
    labels = dict(Urusan.choices) | {"": _("Not given")}
    rows = sorted(
        ((str(labels.get(value, value)), n) for value, n in counts.items()),
        key=lambda row: (-row[1], row[0]),
    )
    return _breakdown(
        "urusan",
        _("Innovations by urusan"),
        _(
            "Every innovation registered for %(region)s, by government affair (urusan); "
            "affairs without any innovation are left out."
        )
        % {"region": region.name},
        _("Government affair (urusan)"),
        rows,
    )


def by_sdg(*, region: Region) -> Dataset:
    counts = dict(
        Innovation.sdgs.through.objects.filter(innovation__region=region)
        .values_list("sdg_id")
        .annotate(n=Count("innovation_id"))
        .order_by()
    )
    return _breakdown(
        "sdg",
        _("Innovations by SDG"),
        _(
            "Every innovation registered for %(region)s, by the Sustainable Development Goals "
            "it serves (an innovation can serve several)."
        )
        % {"region": region.name},
        _("SDG goal"),
        [(f"{number}. {label}", counts.get(number, 0)) for number, label in SDGS.items()],
    )


# --- Competitions and awards --------------------------------------------------------------------


def funnel(*, region: Region) -> Dataset:
    """Year over year, the proposals to the competitions `region` organised: started (every
    proposal ever begun, withdrawn ones included), submitted (in the competition now), passed
    screening, and the awards of their published results (Top N and special categories)."""
    years = set(region.competitions.values_list("year", flat=True).order_by())
    proposals = {
        row["competition__year"]: row
        for row in Proposal.objects.filter(competition__region=region)
        .values("competition__year")
        .annotate(
            started=Count("pk"),
            submitted=Count("pk", filter=Q(status__in=Proposal.IN_COMPETITION)),
            passed=Count("pk", filter=Q(status=Proposal.Status.PASSED)),
        )
        .order_by()
    }
    awards = {
        row["competition__year"]: row
        for row in Award.objects.filter(competition__region=region)
        .values("competition__year")
        .annotate(
            top=Count("pk", filter=Q(is_top=True)), special=Count("pk", filter=Q(is_top=False))
        )
        .order_by()
    }
    names = ("started", "submitted", "passed")
    return Dataset(
        key="funnel",
        title=_("Competition funnel, year over year"),
        description=_(
            "Proposals to the competitions organised by %(region)s, by year: started, submitted, "
            "passed administrative screening, and the winners and special categories of the "
            "published results."
        )
        % {"region": region.name},
        label_header=_("Year"),
        columns=(
            Column(_("Proposals started"), _("Started")),
            Column(_("Submitted"), _("Submitted")),
            Column(_("Passed screening"), _("Passed")),
            Column(_("Winners"), _("Winners")),
            Column(_("Special categories"), _("Special")),
        ),
        rows=tuple(
            Row(
                str(year),
                (
                    *(proposals.get(year, {}).get(name, 0) for name in names),
                    awards.get(year, {}).get("top", 0),
                    awards.get(year, {}).get("special", 0),
                ),
            )
            for year in sorted(years | set(proposals))
        ),
        series=(0, 1, 2, 3, 4),
    )


def awards_by_level(*, region: Region) -> Dataset:
    """Every award (Top N and special categories) won by the region's innovations, per year
    and level."""
    counts = {}
    for row in (
        Award.objects.filter(innovation__region=region)
        .values("year", "level")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(row["year"], {})[row["level"]] = row["n"]
    levels = Award.Level.choices
    return Dataset(
        key="awards",
        title=_("Awards won at each level"),
        description=_(
            "Awards won by the innovations of %(region)s (winners and special categories), by "
            "year and level."
        )
        % {"region": region.name},
        label_header=_("Year"),
        columns=tuple(Column(str(label)) for _value, label in levels),
        rows=tuple(
            Row(str(year), tuple(counts[year].get(value, 0) for value, _label in levels))
            for year in sorted(counts)
        ),
        series=tuple(range(len(levels))),
    )


# --- A province's regencies and cities side by side ---------------------------------------------


def province_comparison(*, province: Region, year: int) -> Dataset:
    """Each regency and city of `province`: its agencies, innovations, innovations per agency,
    agencies with an innovation begun in `year`, submitted competition entries of `year` and
    awards of `year`. Five queries. (An innovation's registration day, the last resort for its
    year, is read in the province's time zone.)"""
    children = list(province.children.order_by("code").values_list("pk", "name"))
    counted = Q(agency__is_active=True) & ~Q(agency__kind=Agency.Kind.PUBLIC)
    agencies = dict(
        Agency.objects.filter(region__parent=province, is_active=True)
        .exclude(kind=Agency.Kind.PUBLIC)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    innovations = {
        row["region_id"]: row
        for row in Innovation.objects.filter(region__parent=province)
        .annotate(began=_began(province.zone))
        .values("region_id")
        .annotate(
            total=Count("pk"),
            complying=Count("agency", distinct=True, filter=counted & _in_year(year)),
        )
        .order_by()
    }
    entries = dict(
        Proposal.objects.filter(
            agency__region__parent=province,
            competition__year=year,
            status__in=Proposal.IN_COMPETITION,
        )
        .values_list("agency__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    awards = dict(
        Award.objects.filter(innovation__region__parent=province, year=year)
        .values_list("innovation__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )

    def row(pk, name):
        count = agencies.get(pk, 0)
        total = innovations.get(pk, {}).get("total", 0)
        complying = innovations.get(pk, {}).get("complying", 0)
        per_agency = (
            (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if count
            else None
        )
        return Row(
            name,
            (
                count,
                total,
                per_agency,
                complying,
                percent(complying, count),
                entries.get(pk, 0),
                awards.get(pk, 0),
            ),
        )

    return Dataset(
        key="comparison",
        title=_("Regencies and cities of %(province)s, %(year)s")
        % {"province": province.name, "year": year},
        description=_(
            "For each regency and city: its agencies, every innovation registered, innovations "
            "per agency, agencies with an innovation begun in %(year)s (One Agency, One "
            "Innovation), proposals submitted to competitions of %(year)s and awards won in "
            "%(year)s. The chart shows innovations per agency."
        )
        % {"year": year},
        label_header=_("Regency or city"),
        columns=(
            Column(_("Agencies")),
            Column(_("Innovations")),
            Column(_("Innovations per agency")),
            Column(_("Agencies with an innovation in %(year)s") % {"year": year}),
            Column(_("Agencies complying (%)")),
            Column(_("Competition entries %(year)s") % {"year": year}),
            Column(_("Awards %(year)s") % {"year": year}),
        ),
        rows=tuple(row(pk, name) for pk, name in children),
        series=(2,),
    )


def _registry_and_competitions(region: Region) -> dict:
    return {
        "stage": lambda: by_stage(region=region),
        "form": lambda: by_form(region=region),
        "urusan": lambda: by_urusan(region=region),
        "sdg": lambda: by_sdg(region=region),
        "funnel": lambda: funnel(region=region),
        "awards": lambda: awards_by_level(region=region),
    }


def region_datasets(*, region: Region, result: Compliance) -> list[Dataset]:
    """Every chart of a region's dashboard: the compliance of `result` first."""
    return [
        compliance_dataset(result),
        *(build() for build in _registry_and_competitions(region).values()),
    ]


def region_dataset(*, region: Region, year: int, key: str) -> Dataset | None:
    """One chart of a region's dashboard (for its CSV), computing only that one."""
    if key == "oaoi":
        return compliance_dataset(compliance(region=region, year=year))
    build = _registry_and_competitions(region).get(key)
    return build() if build else None
