"""National-size data for load tests and benchmarks: `manage.py seed_scale` and bench/.

Everything is written with bulk_create, never through the per-row services (a national data set
through the services would take hours), but every row is one the services could have written:
an innovation's region is its agency's region, dates follow each other and lie in the past, a
replication points to an earlier innovation of another region, every proposal has passed
screening within the competition's quotas, every juror's sheet is complete. The small parts
(the competition from its template, the stage, rubric, panel, automatic assignment, opening and
closing, moderation) go through the services, so that their audit entries and checks are real.

The judging half (`agency_staff`, `passed_proposals`, `desk_stage`, `seat_panel`,
`submitted_scores`, `close_and_moderate`) is shared with bench/ranking.py.
"""

import datetime
import json
import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

# --- Sizes ---------------------------------------------------------------------------------------

INNOVATIONS = 32_000  # the ministry's 2024 volume (31,719 innovations reported to the IID)
PROPOSALS = 3_500  # a national KIPP (3,478 registered in 2022)
JURORS_PER_PROPOSAL = 5
CRITERIA = 8
PANEL = 40  # jurors on the national desk stage at multiplier 1 (grows with it)
PUBLISHED_SHARE = 0.85  # innovations published into the public catalogue
AWARD_SHARE = 0.03
REPLICATION_SHARE = 0.04
SILENT_REGION_SHARE = 0.03  # 529 of 546 governments reported in 2024: a few report nothing
DEFAULT_SEED = 20241231
DOMAIN = "scale.siwanda.test"
MARKER_EMAIL = f"sekretariat@nasional.{DOMAIN}"
COMPETITION_TEMPLATE = "kipp-provinsi"  # five entries per agency, one replication

# --- Judging (shared with bench/ranking.py) -------------------------------------------------------

# The KIPP 2023 proposal sections (the weights 0/10/15/5/30/20/5/15, with the summary
# given 5 points out of significance so that all eight count).
KIPP_CRITERIA = [
    ("Ringkasan", "Summary", 5),
    ("Latar belakang dan tujuan", "Background and goals", 10),
    ("Kebaruan / nilai tambah", "Novelty / added value", 15),
    ("Implementasi", "Implementation", 5),
    ("Signifikansi", "Significance", 25),
    ("Adaptabilitas", "Adaptability", 20),
    ("Sumber daya", "Resources", 5),
    ("Strategi keberlanjutan", "Sustainability", 15),
]
LEVELS = [
    {"min": 81, "max": 100, "label": "Sangat baik", "label_en": "Very good"},
    {"min": 61, "max": 80, "label": "Baik", "label_en": "Good"},
    {"min": 41, "max": 60, "label": "Cukup", "label_en": "Fair"},
    {"min": 21, "max": 40, "label": "Kurang", "label_en": "Poor"},
    {"min": 0, "max": 20, "label": "Sangat kurang", "label_en": "Very poor"},
]


def criteria_spec(count: int) -> list[tuple[str, str, int]]:
    """(name, English name, weight) of `count` criteria: the KIPP sections for eight."""
    if count == len(KIPP_CRITERIA):
        return KIPP_CRITERIA
    base, extra = divmod(100, count)
    return [
        (f"Kriteria {n + 1}", f"Criterion {n + 1}", base + (1 if n < extra else 0))
        for n in range(count)
    ]


def people_bulk(specs, password):
    """Users and their role assignments, in two statements. `specs` holds
    (email, full name, position, role, region, agency)."""
    from siwanda.accounts.models import RoleAssignment, User

    specs = list(specs)
    users = User.objects.bulk_create(
        (
            User(email=email, full_name=name, position=position, password=password)
            for email, name, position, _role, _region, _agency in specs
        ),
        batch_size=2000,
    )
    RoleAssignment.objects.bulk_create(
        (
            RoleAssignment(user=user, role=role, region=region, agency=agency)
            for user, (_e, _n, _p, role, region, agency) in zip(users, specs, strict=True)
        ),
        batch_size=2000,
    )
    return users


def agency_staff(agencies, tag, password, domain="bench.test"):
    """An operator and a head for each agency: ({agency pk: operator}, {agency pk: head})."""
    from siwanda.accounts.models import Role

    specs = []
    for n, agency in enumerate(agencies):
        specs.append(
            (f"{tag}-op{n}@{domain}", f"Operator {n}", "", Role.OPERATOR, agency.region, agency)
        )
        specs.append(
            (f"{tag}-head{n}@{domain}", f"Kepala {n}", "", Role.AGENCY_HEAD, agency.region, agency)
        )
    staff = people_bulk(specs, password)
    operator = {a.pk: staff[2 * n] for n, a in enumerate(agencies)}
    head = {a.pk: staff[2 * n + 1] for n, a in enumerate(agencies)}
    return operator, head


def passed_proposals(competition, entries, *, operator, head):
    """One proposal per (innovation, group) of `entries`, written by the agency's operator,
    approved by its head and passed by the screening, pinned to the group's latest form
    version; then the call is closed (the competition in screening, as its services leave
    it). Returns the proposals."""
    from siwanda.competitions.models import Competition
    from siwanda.proposals.models import Proposal

    now = timezone.now()
    versions = {}
    for _innovation, group in entries:
        if group.pk not in versions:
            versions[group.pk] = group.form.versions.order_by("-number").first()
    submitted = now - datetime.timedelta(days=20)
    proposals = Proposal.objects.bulk_create(
        (
            Proposal(
                competition=competition,
                agency_id=innovation.agency_id,
                innovation=innovation,
                group=group,
                form_version=versions[group.pk],
                title=innovation.title,
                implementation_start=innovation.started_on,
                status=Proposal.Status.PASSED,
                created_by=operator[innovation.agency_id],
                sent_at=submitted,
                submitted_at=submitted,
                approved_by=head[innovation.agency_id],
            )
            for innovation, group in entries
        ),
        batch_size=2000,
    )
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.SCREENING,
        deadline_at=now - datetime.timedelta(days=21),
        screening_ends_at=now - datetime.timedelta(days=1),
    )
    competition.refresh_from_db()
    return proposals


def desk_stage(secretariat, competition, *, criteria, jurors_per_proposal, top_n=99):
    """One desk stage, ranked by normalised means, with its rubric and criteria (services)."""
    from siwanda.judging import services
    from siwanda.judging.models import Stage

    today = timezone.localdate()
    stage = services.stage_save(
        actor=secretariat,
        competition=competition,
        kind=Stage.Kind.DESK,
        name="Penilaian proposal",
        name_en="Proposal evaluation",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=9),
        weight=Decimal(40),
        aggregation=Stage.Aggregation.MEAN,
        rank_by_normalised=True,
        advancement=Stage.Advancement.TOP_N,
        top_n=top_n,
        jurors_per_proposal=jurors_per_proposal,
        disagreement=Decimal(20),
        tie_breakers=["heaviest_criterion", "fewer_missing", "chair_vote"],
        reminder_days=[3, 1],
    )
    rubric = services.rubric_save(
        actor=secretariat,
        stage=stage,
        name="Penilaian proposal KIPP",
        name_en="KIPP proposal evaluation",
        scale_min=Decimal(0),
        scale_max=Decimal(100),
        step=Decimal(1),
        allow_na=True,
        comment_at_or_below=Decimal(20),
        comment_at_or_above=Decimal(95),
    )
    saved = [
        services.criterion_save(
            actor=secretariat,
            rubric=rubric,
            name=name,
            name_en=name_en,
            weight=Decimal(weight),
            levels=LEVELS,
        )
        for name, name_en, weight in criteria_spec(criteria)
    ]
    stage.refresh_from_db()
    return stage, saved


def seat_panel(secretariat, stage, agencies, *, size, tag, password, domain="bench.test"):
    """Jurors of the organising region seated through the service: a fifth also head one of the
    top-level `agencies` (a conflict with it and the units under it), a tenth were recorded by
    the secretariat as working in a kecamatan; the last one chairs."""
    from siwanda.accounts.models import Role, RoleAssignment
    from siwanda.judging import services

    region = stage.competition.region
    tops = [a for a in agencies if a.parent_id is None]
    kecamatan = [a for a in tops if a.kind == "kecamatan"] or tops
    heads, recorded = size // 5, size // 10
    jurors = people_bulk(
        [
            (f"{tag}-juri{n}@{domain}", f"Juri {n + 1:02d}", "Juri", Role.JUROR, region, None)
            for n in range(size)
        ],
        password,
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=jurors[n], role=Role.AGENCY_HEAD, region=tops[n].region, agency=tops[n])
        for n in range(min(heads, len(tops)))
    )
    for n, juror in enumerate(jurors):
        services.panel_add(
            actor=secretariat,
            stage=stage,
            juror=juror,
            is_chair=n == size - 1,
            agency=kecamatan[n % len(kecamatan)] if heads <= n < heads + recorded else None,
        )
    return jurors


def assign_and_open(secretariat, stage):
    """The automatic assignment, then scoring opened (services). Stops when the panel cannot
    give every proposal its k jurors."""
    from siwanda.judging import services

    plan = services.assign_automatic(actor=secretariat, stage=stage)
    if plan.short:
        raise RuntimeError(
            f"The panel cannot give every proposal k jurors: {len(plan.short)} short."
        )
    return services.stage_open(actor=secretariat, stage=stage)


def submitted_scores(stage, criteria, jurors, rng):
    """Every juror's sheet, filled in and submitted, with the audit entry `sheet_submit` writes
    (a publication is recomputed from those). A score is the proposal's quality, plus the
    juror's severity or leniency, the criterion's difficulty and noise; one in 200 is "not
    applicable"; extreme scores carry the comment the rubric requires. Returns (sheets,
    scores)."""
    from django.contrib.contenttypes.models import ContentType

    from siwanda.activity.models import ActivityEntry
    from siwanda.judging.models import Assignment, Score, Sheet
    from siwanda.proposals.models import Proposal

    now = timezone.now()
    rubric = stage.rubric
    assignments = list(
        Assignment.objects.filter(stage=stage, calibration=False)
        .order_by("pk")
        .values_list("pk", "juror_id", "proposal_id", "proposal__title")
    )
    quality = {p: rng.gauss(68, 9) for p in sorted({a[2] for a in assignments})}
    bias = {j.pk: rng.gauss(0, 6) for j in jurors}
    effect = {c.pk: rng.gauss(0, 4) for c in criteria}
    emails = {j.pk: j.email for j in jurors}
    sheets = Sheet.objects.bulk_create(
        (
            Sheet(
                assignment_id=pk,
                status=Sheet.Status.SUBMITTED,
                comment="Proposal dinilai sesuai rubrik.",
                submitted_at=now,
            )
            for pk, *_rest in assignments
        ),
        batch_size=5000,
    )
    scores, entries = [], []
    proposal_type = ContentType.objects.get_for_model(Proposal)
    for sheet, (pk, juror, proposal, title) in zip(sheets, assignments, strict=True):
        logged = {}
        for criterion in criteria:
            value = None
            if rng.random() >= 0.005:
                raw = quality[proposal] + bias[juror] + effect[criterion.pk] + rng.gauss(0, 7)
                value = Decimal(min(100, max(0, round(raw)))).quantize(Decimal("0.01"))
            extreme = value is not None and (
                value <= rubric.comment_at_or_below or value >= rubric.comment_at_or_above
            )
            scores.append(
                Score(
                    sheet=sheet,
                    criterion=criterion,
                    value=value,
                    not_applicable=value is None,
                    comment="Nilai ekstrem: lihat bukti pada lampiran." if extreme else "",
                )
            )
            logged[str(criterion.pk)] = None if value is None else str(value)
        entries.append(
            ActivityEntry(
                actor_id=juror,
                actor_label=emails[juror],
                action="judging.sheet_submitted",
                target_type=proposal_type,
                target_id=str(proposal),
                target_label=title[:255],
                region=stage.competition.region,
                data={"stage": stage.pk, "assignment": pk, "calibration": False, "scores": logged},
            )
        )
    Score.objects.bulk_create(scores, batch_size=5000)
    ActivityEntry.objects.bulk_create(entries, batch_size=2000)
    return len(sheets), len(scores)


def close_and_moderate(secretariat, stage, chair, decisions=5):
    """Close scoring (the disagreement flags become moderation items), then the chair decides
    the first few, alternately with and without a consensus score (services). Returns the stage
    and the number of flagged proposals."""
    from siwanda.judging import services

    stage = services.stage_close(actor=secretariat, stage=stage)
    moderations = list(stage.moderations.order_by("proposal_id"))
    for n, moderation in enumerate(moderations[:decisions]):
        services.moderation_decide(
            actor=chair,
            moderation=moderation,
            consensus=None if n % 2 else Decimal("75.50"),
            justification="Panel sepakat setelah membaca ulang proposal.",
        )
    return stage, len(moderations)


# --- Vocabulary ----------------------------------------------------------------------------------

# Themes of public-service innovation (their urusan, SDGs, title words, text words and the
# agencies that usually own them), title and sentence patterns, place names, and the agencies of
# a region: data, in data/scale_vocabulary.json. Titles and texts are drawn from these, so that a
# search for "stunting", "sampah" or "pelayanan kependudukan" hits a realistic share.
VOCABULARY = json.loads(
    (Path(__file__).with_name("data") / "scale_vocabulary.json").read_text(encoding="utf-8")
)
THEMES = VOCABULARY["themes"]
TITLE_PATTERNS = VOCABULARY["title_patterns"]
PREFIXES = VOCABULARY["prefixes"]
BASES = VOCABULARY["bases"]
ACRONYM_HEADS = VOCABULARY["acronym_heads"]
ACRONYM_TAILS = VOCABULARY["acronym_tails"]
DIGITAL_WORDS = VOCABULARY["digital_words"]
GENERIC_SENTENCES = VOCABULARY["generic_sentences"]
DIGITAL_SENTENCES = VOCABULARY["digital_sentences"]
PROBLEMS = VOCABULARY["problems"]
GOAL_SENTENCES = VOCABULARY["goal_sentences"]
BENEFIT_SENTENCES = VOCABULARY["benefit_sentences"]
RESULT_SENTENCES = VOCABULARY["result_sentences"]
PLACE_HEADS = VOCABULARY["place_heads"]
PLACE_TAILS = VOCABULARY["place_tails"]

# --- Agencies ------------------------------------------------------------------------------------

# (name, short name, kind) of a regency or city's agencies; the names a region's government
# uses. A region gets the core ones, a random part of the optional ones, and a few kecamatan,
# puskesmas, schools and villages, to reach about 20 to 40 agencies.
CORE_AGENCIES = [tuple(row) for row in VOCABULARY["core_agencies"]]
OPTIONAL_AGENCIES = [tuple(row) for row in VOCABULARY["optional_agencies"]]
# Kinds that own more innovations than others (a dinas writes more than a village office).
KIND_WEIGHT = VOCABULARY["kind_weight"]
# Themes an agency of each kind writes about, when its name says nothing more precise.
KIND_THEMES = VOCABULARY["kind_themes"]


def _place_names(rng, count, taken=()):
    names, seen = [], set(taken)
    while len(names) < count:
        name = f"{rng.choice(PLACE_HEADS)} {rng.choice(PLACE_TAILS)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _themes_of(name: str, kind: str) -> list[str]:
    named = [key for key, theme in THEMES.items() if any(a == name for a in theme["agencies"])]
    return named or KIND_THEMES.get(kind) or list(THEMES)


@dataclass(eq=False)
class AgencyPlan:
    """An agency to create: its parent is another plan of the same region (or none)."""

    region_id: int
    name: str
    short_name: str
    kind: str
    parent: "AgencyPlan | None" = None
    themes: list = field(default_factory=list)
    obj: object = None


def plan_agencies(region, rng) -> list[AgencyPlan]:
    """About 20 to 40 agencies of a region: the core dinas and badan, some optional ones, and
    (regencies and cities) a few kecamatan with puskesmas, schools and villages under them.
    A province has a Biro Organisasi and provincial names."""
    province = region.kind == "province"
    suffix = f" Provinsi {region.name}" if province else ""
    plans = []
    wanted = rng.randint(20, 40)
    optional = rng.sample(OPTIONAL_AGENCIES, rng.randint(8, len(OPTIONAL_AGENCIES)))
    for name, short, kind in CORE_AGENCIES + optional:
        if province and name == "Bagian Organisasi":
            name, kind = "Biro Organisasi", "bagian"
        full = name if name == "Bagian Organisasi" else f"{name}{suffix}"
        if name == "Bagian Organisasi":
            full = "Bagian Organisasi Sekretariat Daerah"
        elif name == "Biro Organisasi":
            full = f"Biro Organisasi Sekretariat Daerah{suffix}"
        plans.append(AgencyPlan(region.pk, full, short, kind, themes=_themes_of(name, kind)))
    by_name = {p.short_name: p for p in plans}
    room = max(0, wanted - len(plans))
    if province:
        for n in range(min(room, 8)):
            kind = "sekolah" if n % 2 else "upt"
            name = f"SMA Negeri {n + 1} {region.name}" if kind == "sekolah" else ""
            if kind == "upt":
                name = f"UPT Pelayanan {rng.choice(['Pajak', 'Pendidikan', 'Kesehatan'])} {n + 1}"
            parent = by_name.get("Disdik") if kind == "sekolah" else None
            plans.append(AgencyPlan(region.pk, name, "", kind, parent, _themes_of(name, kind)))
        return plans
    places = _place_names(rng, max(1, room // 3))
    for place in places:
        kecamatan = AgencyPlan(region.pk, f"Kecamatan {place}", "", "kecamatan")
        kecamatan.themes = _themes_of(kecamatan.name, "kecamatan")
        plans.append(kecamatan)
    extras = []
    villages = _place_names(rng, room, taken=places)
    for n in range(max(0, room - len(places))):
        # Each kind goes round the kecamatan in turn: the k-th unit of a kind is in place k.
        k = n // 3
        place, rounds = places[k % len(places)], k // len(places)
        kind = ("puskesmas", "sekolah", "kelurahan")[n % 3]
        if kind == "puskesmas":
            name = f"Puskesmas {place}" + (f" {rounds + 1}" if rounds else "")
            parent = by_name["Dinkes"]
        elif kind == "sekolah":
            level = ("SD", "SMP")[k % 2]
            name, parent = f"{level} Negeri {k + 1} {place}", by_name["Disdik"]
        else:
            name = f"Kelurahan {villages.pop()}"
            parent = next(p for p in plans if p.name == f"Kecamatan {place}")
        extras.append(AgencyPlan(region.pk, name, "", kind, parent, _themes_of(name, kind)))
    return plans + extras


def create_agencies(regions, rng, say) -> dict[int, list[AgencyPlan]]:
    """Every region's agencies, in two statements per level (parents first). Names already
    taken in a region (e.g. by the demo) are left out."""
    from django.db.models.functions import Lower

    from siwanda.regions.models import Agency

    taken = set(Agency.objects.values_list("region_id", Lower("name")))
    by_region = {}
    for region in regions:
        plans, skipped = [], set()
        for plan in plan_agencies(region, rng):
            key = (plan.region_id, plan.name.lower())
            if key in taken:
                skipped.add(id(plan))
                continue
            taken.add(key)
            if plan.parent is not None and id(plan.parent) in skipped:
                plan.parent = None
            plans.append(plan)
        by_region[region.pk] = plans
    every = [p for plans in by_region.values() for p in plans]
    top = [p for p in every if p.parent is None]
    children = [p for p in every if p.parent is not None]
    for level in (top, children):
        created = Agency.objects.bulk_create(
            (
                Agency(
                    region_id=p.region_id,
                    parent=p.parent.obj if p.parent else None,
                    name=p.name,
                    short_name=p.short_name,
                    kind=p.kind,
                )
                for p in level
            ),
            batch_size=2000,
        )
        for plan, agency in zip(level, created, strict=True):
            plan.obj = agency
    say(f"{len(top) + len(children)} agencies in {len(by_region)} regions")
    return by_region


# --- Innovations ---------------------------------------------------------------------------------


def _acronym(rng):
    return f"{rng.choice(ACRONYM_HEADS)}{rng.choice(ACRONYM_TAILS)}".replace("--", "-")


def _title(rng, theme, place):
    pattern = rng.choice(TITLE_PATTERNS)
    return pattern.format(
        acronym=_acronym(rng),
        expansion=f"{rng.choice(PREFIXES)} {rng.choice(theme['objects'])}",
        prefix=rng.choice(PREFIXES),
        object=rng.choice(theme["objects"]),
        place=place,
        base=rng.choice(BASES),
    )[:255]


def _sentence(rng, pattern, theme, place, agency_name):
    low = rng.randint(10, 55)
    before = rng.randint(3, 21)
    return pattern.format(
        place=place,
        word=rng.choice(theme["words"]),
        problem=rng.choice(PROBLEMS),
        agency=agency_name,
        before=before,
        after=max(1, before // rng.randint(2, 6)),
        percent=rng.randint(76, 96),
        low=low,
        high=min(99, low + rng.randint(10, 40)),
        count=rng.randint(120, 25000),
    )


def _texts(rng, theme, place, agency_name, digital, source=None):
    """The design (rancang bangun, 12 to 24 sentences, about 150 to 300 words), goals, benefits
    and results, from the theme's words and the public-service sentences."""
    pool = GENERIC_SENTENCES + (DIGITAL_SENTENCES * 2 if digital else [])
    design = [
        _sentence(rng, rng.choice(pool), theme, place, agency_name)
        for _ in range(rng.randint(12, 24))
    ]
    if source is not None:
        design.insert(
            0, f"Inovasi ini mereplikasi {source[0]} dari {source[1]}, disesuaikan dengan daerah."
        )
    if digital:
        design.append(f"Warga memakai {rng.choice(DIGITAL_WORDS)} untuk mengakses layanan ini.")

    def few(sentences, low, high):
        count = rng.randint(low, high)
        return " ".join(
            _sentence(rng, rng.choice(sentences), theme, place, agency_name) for _ in range(count)
        )

    return (
        " ".join(design),
        few(GOAL_SENTENCES, 2, 3),
        few(BENEFIT_SENTENCES, 2, 3),
        few(RESULT_SENTENCES, 2, 3),
    )


def _dates(rng, today):
    """(stage, initiative, trial, implementation): 92 % implemented, the rest on trial or an
    initiative; every date in the past and in order."""
    start = datetime.date(2014, 1, 1)
    span = (today - start).days - 60
    initiative = start + datetime.timedelta(days=rng.randrange(span))
    trial = min(today, initiative + datetime.timedelta(days=rng.randint(20, 200)))
    implementation = min(today, trial + datetime.timedelta(days=rng.randint(30, 240)))
    draw = rng.random()
    if draw < 0.92:
        return "implementation", initiative, trial, implementation
    if draw < 0.97:
        return "trial", initiative, trial, None
    return "initiative", initiative, None, None


def _region_weights(regions, rng):
    """How many innovations each region reports, relative to the others: lognormal (a few very
    active regions, many with a handful), cities a little more, 3 % reporting nothing."""
    weights = []
    for region in regions:
        if rng.random() < SILENT_REGION_SHARE:
            weights.append(0.0)
            continue
        weight = rng.lognormvariate(0, 0.9)
        weights.append(weight * (1.3 if region.kind == "city" else 1.0))
    return weights


def _initiator(rng):
    draw = rng.random()
    if draw < 0.55:
        return "agency"
    if draw < 0.85:
        return "civil_servant"
    if draw < 0.93:
        return "regional_head"
    if draw < 0.98:
        return "public"
    return "dprd"


def _form(rng, theme_key):
    if theme_key in ("kepegawaian", "perencanaan", "pajak"):
        return "governance"
    draw = rng.random()
    return "public_service" if draw < 0.72 else ("governance" if draw < 0.87 else "other")


@dataclass
class InnovationRow:
    """What the seed remembers of an innovation after writing it (for awards, proposals)."""

    pk: int
    agency_id: int
    region_id: int
    title: str
    theme: str
    stage: str
    implementation_date: datetime.date | None
    replication: bool
    region_name: str = ""


def create_innovations(count, regions, agencies, rng, say, batch=2000) -> list[InnovationRow]:
    """`count` innovations spread over the regions (skewed), each owned by an agency of the
    region (weighted by its kind) on one of the agency's themes (four in five) or any theme;
    their SDGs; a few replications of an earlier innovation from another region."""
    from siwanda.innovations.models import Innovation

    today = timezone.localdate()
    region_list = [r for r in regions if agencies.get(r.pk)]
    weights = _region_weights(region_list, rng)
    if not any(weights):
        weights = [1.0] * len(region_list)
    chosen = rng.choices(region_list, weights=weights, k=count)
    agency_weights = {
        r.pk: [KIND_WEIGHT.get(p.kind, 1.0) for p in agencies[r.pk]] for r in region_list
    }
    theme_keys = list(THEMES)
    theme_weights = [THEMES[k]["weight"] for k in theme_keys]
    replications = round(count * REPLICATION_SHARE)
    originals = count - replications
    rows: list[InnovationRow] = []
    by_theme = defaultdict(list)

    def plan(region, source=None):
        agency = rng.choices(agencies[region.pk], weights=agency_weights[region.pk])[0]
        if source is not None:
            theme_key = source.theme
        elif rng.random() < 0.8:
            theme_key = rng.choice(agency.themes)
        else:
            theme_key = rng.choices(theme_keys, weights=theme_weights)[0]
        theme = THEMES[theme_key]
        digital = theme_key == "digital" or rng.random() < 0.45
        stage, initiative, trial, implementation = _dates(rng, today)
        if source is not None:
            # A replication starts after its source did.
            floor = source.implementation_date or initiative
            initiative = max(initiative, floor)
            trial = trial and max(trial, initiative)
            implementation = implementation and max(implementation, trial or initiative)
        place = region.name.removeprefix("Kabupaten ").removeprefix("Kota ")
        title = _title(rng, theme, place if rng.random() < 0.4 else "")
        title = " ".join(title.split())
        texts = _texts(
            rng,
            theme,
            place,
            agency.short_name or agency.name,
            digital,
            (source.title, source.region_name) if source is not None else None,
        )
        innovation = Innovation(
            agency_id=agency.obj.pk,
            region_id=region.pk,
            title=title,
            form=_form(rng, theme_key),
            urusan=theme["urusan"],
            initiator=_initiator(rng),
            is_digital=digital,
            stage=stage,
            initiative_date=initiative,
            trial_date=trial,
            implementation_date=implementation,
            design=texts[0],
            goals=texts[1],
            benefits=texts[2],
            results=texts[3],
            budget=Decimal(rng.randrange(5, 2000) * 1_000_000) if rng.random() < 0.6 else None,
            budget_source="APBD" if rng.random() < 0.8 else "APBDes",
            is_team=rng.random() < 0.6,
            source_innovation_id=source.pk if source is not None else None,
        )
        sdgs = {theme["sdgs"][0]} | set(
            rng.sample(theme["sdgs"], rng.randint(0, min(2, len(theme["sdgs"]))))
        )
        if rng.random() < 0.2:
            sdgs.add(rng.choice([9, 16, 17]))
        return innovation, theme_key, sorted(sdgs)

    def write(planned, sources):
        created = Innovation.objects.bulk_create([p[0] for p in planned], batch_size=batch)
        links = [
            Innovation.sdgs.through(innovation_id=obj.pk, sdg_id=number)
            for obj, (_i, _t, sdgs) in zip(created, planned, strict=True)
            for number in sdgs
        ]
        Innovation.sdgs.through.objects.bulk_create(links, batch_size=10000)
        for obj, (_i, theme_key, _s), source in zip(created, planned, sources, strict=True):
            row = InnovationRow(
                obj.pk,
                obj.agency_id,
                obj.region_id,
                obj.title,
                theme_key,
                obj.stage,
                obj.implementation_date,
                source is not None,
                names[obj.region_id],
            )
            rows.append(row)
            if source is None:
                by_theme[theme_key].append(row)
        return len(links)

    names = {r.pk: r.name for r in regions}
    started, links = time.perf_counter(), 0
    for offset in range(0, originals, 10 * batch):
        chunk = chosen[offset : min(originals, offset + 10 * batch)]
        links += write([plan(region) for region in chunk], [None] * len(chunk))
        say(f"  {len(rows)} innovations", started)
    planned, sources = [], []
    for region in chosen[originals:]:
        pool = by_theme[rng.choice(list(by_theme))]
        source = rng.choice(pool)
        for _attempt in range(5):
            if source.region_id != region.pk:
                break
            source = rng.choice(pool)
        planned.append(plan(region, source))
        sources.append(source)
    if planned:
        links += write(planned, sources)
    say(f"{len(rows)} innovations ({replications} replications), {links} SDG links", started)
    return rows


def create_awards(rows, regions, rng, say) -> int:
    """An award for about 3 % of the implemented innovations: mostly at the regency level,
    some at the province's, a few national."""
    from siwanda.innovations.models import Award

    by_pk = {r.pk: r for r in regions}
    eligible = [r for r in rows if r.stage == "implementation"]
    winners = rng.sample(eligible, min(len(eligible), round(len(rows) * AWARD_SHARE)))
    awards = []
    this_year = timezone.localdate().year
    for row in winners:
        region = by_pk[row.region_id]
        first = row.implementation_date.year + 1
        year = rng.randint(min(first, this_year), this_year)
        draw = rng.random()
        if region.kind == "province" or draw > 0.7:
            level = "national" if draw > 0.92 else "province"
        else:
            level = "regency"
        if level == "regency":
            title, top = f"Top 7 KIPP {region.name} {year}", True
        elif level == "province":
            province = region if region.kind == "province" else by_pk[region.parent_id]
            title, top = f"Top 30 KIPP Provinsi {province.name} {year}", rng.random() < 0.8
        else:
            title, top = f"Top 45 KIPP Nasional {year}", rng.random() < 0.6
        awards.append(Award(innovation_id=row.pk, year=year, level=level, title=title, is_top=top))
    Award.objects.bulk_create(awards, batch_size=5000)
    say(f"{len(awards)} awards")
    return len(awards)


# --- The national competition --------------------------------------------------------------------


def national_competition(secretariat, nation, year=None):
    """The national KIPP of the year, created from its template through the service, its forms
    published through the service. Level national: the templates only know regency and
    province, and Siwanda has no national call yet (the service invites the organising region's
    own agencies), so the level is set and the call's recipients are written directly."""
    from siwanda.competitions import services as competitions
    from siwanda.competitions.models import Competition

    today = timezone.localdate()
    year = year or today.year
    competition = competitions.competition_create_from_template(
        actor=secretariat,
        region=nation,
        template_key=COMPETITION_TEMPLATE,
        year=year,
        name=f"Kompetisi Inovasi Pelayanan Publik Nasional {year}",
        opens_on=today - datetime.timedelta(days=80),
    )
    Competition.objects.filter(pk=competition.pk).update(level=Competition.Level.NATIONAL)
    competition.refresh_from_db()
    for group in competition.groups.select_related("form"):
        version = group.form.versions.order_by("-number").first()
        if not version.is_published:
            competitions.form_version_publish(actor=secretariat, version=version)
    return competition


def choose_entries(competition, rows, count, awarded_national, rng):
    """`count` innovations entered in the competition: implemented at least the competition's
    minimum months before its deadline, never a national top winner, titles distinct, within
    the quotas (five per agency, one in the replication group). Returns [(row, group)]."""
    groups = list(competition.groups.select_related("form").order_by("order"))
    general, replication = groups[0], groups[-1]
    limit = competition.max_entries_per_agency or 5
    deadline = competition.deadline_at.date()
    months = competition.min_implementation_months
    latest = deadline - datetime.timedelta(days=math.ceil(months * 30.5))
    candidates = [
        r
        for r in rows
        if r.stage == "implementation"
        and r.implementation_date <= latest
        and r.pk not in awarded_national
    ]
    rng.shuffle(candidates)
    taken, per_agency, replicated, titles = [], Counter(), set(), set()
    for row in candidates:
        if len(taken) == count:
            break
        key = row.title.casefold()
        if per_agency[row.agency_id] >= limit or key in titles:
            continue
        group = general
        if row.replication:
            if row.agency_id in replicated:
                continue
            replicated.add(row.agency_id)
            group = replication
        per_agency[row.agency_id] += 1
        titles.add(key)
        taken.append((row, group))
    if len(taken) < count:
        raise RuntimeError(
            f"Only {len(taken)} innovations can enter the national competition ({count} wanted):"
            " seed more innovations or fewer proposals."
        )
    return taken


# --- The whole seed ------------------------------------------------------------------------------


@dataclass
class Sizes:
    innovations: int
    proposals: int
    panel: int
    jurors_per_proposal: int = JURORS_PER_PROPOSAL
    criteria: int = CRITERIA

    @classmethod
    def of(cls, multiplier=1.0, innovations=None, proposals=None, panel=None):
        innovations = innovations if innovations is not None else round(INNOVATIONS * multiplier)
        proposals = proposals if proposals is not None else round(PROPOSALS * multiplier)
        if panel is None:
            # 40 jurors for 3,500 proposals (about 440 sheets each), never fewer than k + 3.
            panel = max(JURORS_PER_PROPOSAL + 3, round(PANEL * proposals / PROPOSALS))
        return cls(innovations, proposals, panel)


def already_seeded() -> bool:
    from siwanda.accounts.models import User

    return User.objects.filter(email=MARKER_EMAIL).exists()


def publish(innovation_ids, say) -> int | None:
    """Publish into the public catalogue through its bulk service; None when the catalogue
    app has no such service (yet)."""
    try:
        from siwanda.catalogue.services import catalogue_index
    except ImportError:
        say("the catalogue has no catalogue_index service: nothing published")
        return None
    started = time.perf_counter()
    written = catalogue_index(innovation_ids=innovation_ids)
    say(f"{written} innovations published in the catalogue", started)
    return written


def _seed_registry(sizes, regions, rng, say, summary):
    """Agencies, innovations and awards; returns (agencies by region, innovation rows)."""
    started = time.perf_counter()
    agencies = create_agencies(regions, rng, say)
    summary["regions"] = len(regions)
    summary["agencies"] = sum(len(p) for p in agencies.values())
    say("agencies written", started)
    rows = create_innovations(sizes.innovations, regions, agencies, rng, say)
    summary["innovations"] = len(rows)
    summary["replications"] = sum(1 for r in rows if r.replication)
    summary["awards"] = create_awards(rows, regions, rng, say)
    return agencies, rows


def _seed_competition(sizes, secretariat, nation, agencies, rows, rng, password, say, summary):
    """The national competition, its proposals and their scored desk stage."""
    from siwanda.competitions.models import CallRecipient
    from siwanda.innovations.models import Award, Innovation

    started = time.perf_counter()
    national_winners = set(
        Award.objects.filter(level="national", is_top=True).values_list("innovation_id", flat=True)
    )
    competition = national_competition(secretariat, nation)
    entries = choose_entries(competition, rows, sizes.proposals, national_winners, rng)
    by_pk = {p.obj.pk: p.obj for plans in agencies.values() for p in plans}
    entering = [by_pk[pk] for pk in sorted({row.agency_id for row, _group in entries})]
    CallRecipient.objects.bulk_create(
        (CallRecipient(competition=competition, agency=a) for a in entering), batch_size=5000
    )
    operator, head = agency_staff(entering, "scale", password, domain=DOMAIN)
    innovations = Innovation.objects.in_bulk([row.pk for row, _group in entries])
    proposals = passed_proposals(
        competition,
        [(innovations[row.pk], group) for row, group in entries],
        operator=operator,
        head=head,
    )
    summary["proposals"] = len(proposals)
    summary["competition"] = competition.pk
    say(
        f"national competition: {len(entering)} agencies invited, {len(proposals)} proposals"
        " passed screening, their authors",
        started,
    )

    started = time.perf_counter()
    stage, criteria = desk_stage(
        secretariat,
        competition,
        criteria=sizes.criteria,
        jurors_per_proposal=sizes.jurors_per_proposal,
    )
    jurors = seat_panel(
        secretariat,
        stage,
        entering,
        size=sizes.panel,
        tag="scale",
        password=password,
        domain=DOMAIN,
    )
    summary["panel"] = len(jurors)
    say(f"desk stage, rubric of {len(criteria)}, panel of {len(jurors)} (services)", started)

    started = time.perf_counter()
    stage = assign_and_open(secretariat, stage)
    say("automatic assignment; stage opened (services)", started)

    started = time.perf_counter()
    summary["sheets"], summary["scores"] = submitted_scores(stage, criteria, jurors, rng)
    say(f"{summary['sheets']} submitted sheets, {summary['scores']} scores", started)

    started = time.perf_counter()
    stage, flagged = close_and_moderate(secretariat, stage, jurors[-1])
    summary["flagged"] = flagged
    summary["stage"] = stage.pk
    say(f"stage closed, {flagged} flagged, up to 5 moderated (services)", started)


def seed_scale(sizes: Sizes, *, seed=DEFAULT_SEED, out=print) -> dict:
    """Fill the database with national-size data (see the module's docstring), in one
    transaction: an interrupted run leaves nothing behind. Returns what was written, by kind.
    Refuses a database it has already seeded."""
    from siwanda.accounts.models import Role
    from siwanda.regions.models import Region

    if already_seeded():
        raise RuntimeError(
            f"seed_scale has already run on this database ({MARKER_EMAIL} exists). It adds data"
            " and never replaces it: seed a fresh database (e.g. dropdb, createdb, migrate)."
        )
    rng = random.Random(seed)
    password = make_password(None)  # unusable: nobody signs in with these accounts
    began = time.perf_counter()

    def say(text, started=None):
        took = f" ({time.perf_counter() - started:.1f} s)" if started is not None else ""
        out(f"[{time.perf_counter() - began:7.1f} s] {text}{took}")

    summary = {}
    regions = list(Region.objects.exclude(kind=Region.Kind.NATION).order_by("code"))
    nation = Region.objects.get(kind=Region.Kind.NATION)
    with transaction.atomic():
        (secretariat,) = people_bulk(
            [(MARKER_EMAIL, "Sekretariat KIPP Nasional", "", Role.SECRETARIAT, nation, None)],
            password,
        )
        agencies, rows = _seed_registry(sizes, regions, rng, say, summary)
        _seed_competition(sizes, secretariat, nation, agencies, rows, rng, password, say, summary)
        ids = sorted(row.pk for row in rows)
        published = sorted(rng.sample(ids, round(len(ids) * PUBLISHED_SHARE)))
        summary["published"] = publish(published, say)
    say("done")
    summary["seconds"] = time.perf_counter() - began
    return summary
