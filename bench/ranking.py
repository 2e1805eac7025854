#!/usr/bin/env python
"""Benchmark: the ranking of a scored desk stage (issue 4, "Done when": 3,500 proposals × 5 jurors
× 8 criteria ranked in under 2 seconds on this machine).

    .venv/bin/python bench/ranking.py [--proposals 3500 --jurors-per-proposal 5 --criteria 8
        --panel 40] [--database-url postgres://postgres@127.0.0.1:5432/siwanda_bench]

1. Builds, once, on a dedicated database (created and migrated when absent), a competition of
   Luwu Utara with one desk stage whose rubric has N criteria, a panel, and every proposal
   assigned to k jurors who all submitted their sheets. The small parts go through the services
   (competition from its template, stage, rubric, criteria, panel, automatic assignment, opening
   and closing the stage, a few moderation decisions); the bulk (agencies, people, innovations,
   proposals, score sheets, scores and the audit entries of their submission) is written with
   bulk_create, with the rows the services would write. A second run finds the data and reuses it.
2. Times, after a warm-up, over several repetitions: `ranking.load(stage)` (the database reads,
   with their number of queries), `ranking.compute(data)` (the maths), and the ranking page's
   selector `selectors.ranking_view(stage, user)`; then the whole page (GET, informational).
   Peak memory comes from a separate pass under tracemalloc.
3. Prints a table, writes the figures to docs/benchmarks.md ("Judging: stage ranking") and exits
   with status 1 when the median of load + compute, or of the page's selector, is over the budget.
"""

import argparse
import datetime
import gc
import logging
import math
import os
import platform
import random
import re
import shlex
import sqlite3
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import benchdoc  # same directory: bench/

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/siwanda_bench"
REGION = "73.22"  # Kabupaten Luwu Utara
SECTION = "## Judging: stage ranking"
SEED = 20261101
DEFAULT_SIZE = (3500, 5, 8, 40)  # proposals, jurors per proposal, criteria, panel

TOP_KINDS = ["dinas"] * 18 + ["badan"] * 4 + ["bagian"] * 2 + ["kecamatan"] * 15
CHILD_KIND = {"kecamatan": "kelurahan", "badan": "upt", "bagian": "upt", "dinas": "upt"}
PER_AGENCY = 3  # the regency template lets an agency enter at most three proposals


# --- Arguments and database ----------------------------------------------------------------------


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    proposals, jurors, criteria, panel = DEFAULT_SIZE
    parser.add_argument("--proposals", type=int, default=proposals)
    parser.add_argument("--jurors-per-proposal", type=int, default=jurors)
    parser.add_argument("--criteria", type=int, default=criteria)
    parser.add_argument("--panel", type=int, default=panel, help="jurors on the stage's panel")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_URL,
        help="PostgreSQL (created when absent) or sqlite:////absolute/path.sqlite3",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions after a warm-up")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds, for the median")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build again")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args(argv)
    if args.panel < args.jurors_per_proposal:
        parser.error("the panel must have at least --jurors-per-proposal members")
    if not 1 <= args.criteria <= 100:
        parser.error("--criteria goes from 1 to 100")
    if min(args.proposals, args.jurors_per_proposal, args.repeat) < 1:
        parser.error("--proposals, --jurors-per-proposal and --repeat are at least 1")
    return args


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql")


def shown_url(url: str) -> str:
    """The URL without its password, for what is printed and written down."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def prepare_database(url: str, rebuild: bool) -> None:
    """Create the PostgreSQL database when absent (drop it first with --rebuild); for SQLite,
    remove the file on --rebuild (Django creates it)."""
    parts = urlsplit(url)
    if not is_postgres(url):
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and rebuild:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def start_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # Mail stays in memory and tasks run at once: nothing is sent, nothing is left queued.
    os.environ["MAIL_BACKEND"] = "locmem"
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["DEBUG"] = "false"
    # One connection for the whole run (its server process is measured with ours, see Others).
    os.environ["DATABASE_CONN_MAX_AGE"] = "86400"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siwanda.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    # Quiet: the immediate task backend logs every e-mail task; static files are not collected.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- The data ------------------------------------------------------------------------------------


def competition_name(args) -> str:
    return (
        f"Bench ranking {args.proposals}×{args.jurors_per_proposal}×{args.criteria}"
        f" panel {args.panel}"
    )


def tag_of(args) -> str:
    return f"b{args.proposals}-{args.jurors_per_proposal}-{args.criteria}-{args.panel}"


def find_stage(args):
    from siwanda.competitions.models import Competition
    from siwanda.judging.models import Stage

    competition = Competition.objects.filter(
        region__code=REGION, name=competition_name(args)
    ).first()
    if competition is None:
        return None
    stage = competition.stages.select_related("competition__region", "rubric").first()
    if stage is None or stage.status != Stage.Status.CLOSED:
        sys.exit(
            f"{competition.name} exists but its stage is not closed: run again with --rebuild."
        )
    return stage


def _agencies(region, count, tag):
    """A regency's agencies: dinas, badan, bagian and kecamatan, with their technical units and
    villages under them (conflicts of interest look up the tree)."""
    from siwanda.regions.models import Agency

    top_count = min(count, len(TOP_KINDS))
    top = Agency.objects.bulk_create(
        Agency(
            region=region,
            name=f"{kind.title()} {n + 1:02d} ({tag})",
            kind=kind,
            email=f"{tag}-agency{n}@bench.test",
        )
        for n, kind in enumerate(TOP_KINDS[:top_count])
    )
    children = Agency.objects.bulk_create(
        Agency(
            region=region,
            parent=top[n % top_count],
            name=f"{CHILD_KIND[top[n % top_count].kind].title()} {n + 1:04d} ({tag})",
            kind=CHILD_KIND[top[n % top_count].kind],
        )
        for n in range(count - top_count)
    )
    return top + children


def _open_competition(secretariat, region, args):
    """KIPP of the regency from its template, opened for proposals (services)."""
    from django.utils import timezone

    from siwanda.competitions import services as competitions
    from siwanda.competitions.deadlines import end_of_day

    today = timezone.localdate()
    competition = competitions.competition_create_from_template(
        actor=secretariat,
        region=region,
        template_key="kipp-kabupaten",
        year=today.year,
        name=competition_name(args),
        opens_on=today - datetime.timedelta(days=5),
    )
    competitions.competition_update(
        actor=secretariat,
        competition=competition,
        deadline_at=end_of_day(today + datetime.timedelta(days=30), region),
    )
    competitions.competition_open(actor=secretariat, competition=competition)
    return competition


def _passed_proposals(competition, agencies, args, password):
    """Each agency's operator and head, and up to three proposals per agency, written by the
    operator, approved by the head and passed by the screening; then the call is closed."""
    from siwanda.core import scale
    from siwanda.innovations.models import Innovation

    region = competition.region
    operator, head = scale.agency_staff(agencies, tag_of(args), password)
    groups = list(competition.groups.select_related("form").order_by("order"))
    owners = [agencies[n // PER_AGENCY] for n in range(args.proposals)]
    innovations = Innovation.objects.bulk_create(
        Innovation(
            agency=agency,
            region=region,
            title=f"Inovasi {n + 1:04d} {agency.name}",
            form="public_service",
            urusan="kesehatan" if n % 3 else "pendidikan",
            initiator="civil_servant",
            stage="implementation",
            implementation_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 300),
            goals="Layanan lebih cepat dan dekat dengan warga.",
            created_by=operator[agency.pk],
        )
        for n, agency in enumerate(owners)
    )
    # An agency's third proposal is a replication (that group takes one per agency).
    entries = [
        (innovation, groups[1 if n % PER_AGENCY == 2 and len(groups) > 1 else 0])
        for n, innovation in enumerate(innovations)
    ]
    return scale.passed_proposals(competition, entries, operator=operator, head=head)


def build(args):
    """The scored stage, as the services would have left it, in one transaction (an interrupted
    build leaves nothing behind). The judging part is siwanda.core.scale's, which seed_scale
    uses too."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from siwanda.accounts.models import Role
    from siwanda.core import scale
    from siwanda.regions.models import Region

    rng = random.Random(SEED)
    password = make_password(None)  # unusable: the page is fetched with force_login
    region = Region.objects.get(code=REGION)
    steps = []

    def step(name, started):
        steps.append((name, time.perf_counter() - started))
        print(f"  {name:<52} {steps[-1][1]:6.1f} s", flush=True)

    with transaction.atomic():
        t = time.perf_counter()
        agencies = _agencies(region, math.ceil(args.proposals / PER_AGENCY), tag_of(args))
        email = f"{tag_of(args)}-sekretariat@bench.test"
        (secretariat,) = scale.people_bulk(
            [(email, "Sekretariat Bench", "", Role.SECRETARIAT, region, None)], password
        )
        competition = _open_competition(secretariat, region, args)
        step(f"{len(agencies)} agencies; competition opened (services)", t)

        t = time.perf_counter()
        proposals = _passed_proposals(competition, agencies, args, password)
        step(f"{len(proposals)} proposals passed screening, their authors", t)

        t = time.perf_counter()
        stage, criteria = scale.desk_stage(
            secretariat,
            competition,
            criteria=args.criteria,
            jurors_per_proposal=args.jurors_per_proposal,
        )
        jurors = scale.seat_panel(
            secretariat, stage, agencies, size=args.panel, tag=tag_of(args), password=password
        )
        step(f"stage, rubric of {len(criteria)}, panel of {len(jurors)} (services)", t)

        t = time.perf_counter()
        try:
            stage = scale.assign_and_open(secretariat, stage)
        except RuntimeError as error:
            sys.exit(str(error))
        step("automatic assignment; stage opened (services)", t)

        t = time.perf_counter()
        sheets, scores = scale.submitted_scores(stage, criteria, jurors, rng)
        step(f"{sheets} submitted sheets, {scores} scores, audit entries", t)

        t = time.perf_counter()
        stage, flagged = scale.close_and_moderate(secretariat, stage, jurors[-1])
        step(f"stage closed, {flagged} flagged, 5 moderated (services)", t)
    return find_stage(args), steps


def verify(stage, args) -> list[str]:
    """Check that the data is what the services would have produced: k conflict-free jurors per
    proposal, every sheet submitted and acceptable to `sheet_submit`, and an audit trail that
    gives back the stored scores (a publication is recomputed from it)."""
    from django.db.models import Count
    from django.utils import timezone

    from siwanda.judging import services
    from siwanda.judging.models import Assignment, Score, Sheet
    from siwanda.judging.ranking import load
    from siwanda.results.services import _from_log

    problems = []
    assignments = Assignment.objects.filter(stage=stage, calibration=False)
    counts = dict(
        assignments.values("proposal_id").annotate(n=Count("id")).values_list("proposal_id", "n")
    )
    if len(counts) != args.proposals or set(counts.values()) != {args.jurors_per_proposal}:
        problems.append("not every proposal has exactly k jurors")
    conflicted = set(services.stage_conflicts(stage))
    if not conflicted:
        problems.append("no conflict of interest in the panel (some were meant to be)")
    if conflicted & set(assignments.values_list("juror_id", "proposal_id")):
        problems.append("a conflicted pair is assigned")
    expected = args.proposals * args.jurors_per_proposal
    sheets = Sheet.objects.filter(assignment__stage=stage, assignment__calibration=False)
    if sheets.filter(status=Sheet.Status.SUBMITTED).count() != expected:
        problems.append("not every sheet is submitted")
    if Score.objects.filter(sheet__in=sheets).count() != expected * args.criteria:
        problems.append("not every sheet has a score for every criterion")
    for sheet in sheets.order_by("pk")[:: max(1, expected // 50)]:
        refused = services.sheet_problems(sheet, stage.rubric)
        if refused:
            problems.append(f"sheet {sheet.pk} would be refused by sheet_submit: {refused}")
            break
    data = load(stage)
    logged = _from_log({"id": stage.pk, "input": data.as_json()}, timezone.now())
    if logged.sheets != data.sheets or logged.consensus != data.consensus:
        problems.append("the audit trail does not give back the stored scores and decisions")
    return problems


# --- Measuring -----------------------------------------------------------------------------------


def _user(email):
    """A fresh person object, as each request has (permission checks cache on it)."""
    from siwanda.accounts.models import User

    return User.objects.get(email=email)


def _page_settings():
    from django.conf import settings
    from django.test.utils import override_settings

    return override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )


def _fetch_page(client, stage):
    from django.urls import reverse

    response = client.get(reverse("judging:ranking", args=[stage.pk]))
    if response.status_code != 200:
        sys.exit(f"The ranking page answered {response.status_code}.")
    return response


class Others:
    """How much of the machine other processes used while the benchmark ran: all the CPU time
    the machine spent (/proc/stat) less this process's and, for PostgreSQL, its server process's.
    None where /proc is missing."""

    def __init__(self, connection):
        self.connection = connection
        self.backend = self._backend()

    def _backend(self):
        self.connection.ensure_connection()
        info = getattr(self.connection.connection, "info", None)
        return getattr(info, "backend_pid", None)

    @staticmethod
    def _ticks(path, first, count):
        try:
            fields = Path(path).read_text().split("\n", 1)[0].rsplit(")", 1)[-1].split()
        except OSError:
            return 0
        return sum(int(value) for value in fields[first : first + count])

    def _sample(self):
        busy = self._ticks("/proc/stat", 1, 3) + self._ticks("/proc/stat", 6, 3)
        mine = self._ticks("/proc/self/stat", 11, 2)
        server = self._ticks(f"/proc/{self.backend}/stat", 11, 2) if self.backend else 0
        return time.perf_counter(), busy - mine - server

    def __enter__(self):
        self.start = self._sample()
        return self

    def __exit__(self, *exc):
        end = self._sample()
        seconds = (end[1] - self.start[1]) / os.sysconf("SC_CLK_TCK")
        wall = end[0] - self.start[0]
        self.share = max(0.0, seconds / (wall * (os.cpu_count() or 1))) if wall else 0.0
        if not Path("/proc/stat").exists() or self._backend() != self.backend:
            self.share = None  # no /proc, or the server process changed: cannot tell


def _clock(call, *args):
    """Run `call(*args)`: (wall seconds, this process's CPU seconds, its result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _repeat(times, phases, context, wall, cpu):
    """Time each phase in turn as a request would run it: the settings' connection policy applies
    first (SQLite: a new connection per request, with a cold page cache; PostgreSQL: a
    persistent one), and no result is kept longer than the next phase needs it (only compute
    reads load's): a request holds nothing else, and live objects slow the collector."""
    from django.db import close_old_connections

    for _ in range(times):
        ctx = context()
        for name, call in phases.items():
            close_old_connections()
            gc.collect()
            seconds, processor, result = _clock(call, ctx)
            ctx.pop("load", None)
            if name == "load":
                ctx["load"] = result
            del result
            wall[name].append(seconds)
            cpu[name].append(processor)
        wall["load+compute"].append(wall["load"][-1] + wall["compute"][-1])
        cpu["load+compute"].append(cpu["load"][-1] + cpu["compute"][-1])


def measure(stage, args):
    """A warm-up (counting each phase's queries), `--repeat` timed repetitions, then one pass
    under tracemalloc for the peaks (tracemalloc slows everything: never timed). Each repetition
    fetches the stage and the people afresh, as a request does (permission checks cache on
    them). Returns {phase: figures} and facts about the ranking."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from siwanda.judging import selectors
    from siwanda.judging.ranking import compute, load

    tag = tag_of(args)
    secretariat_email = f"{tag}-sekretariat@bench.test"
    member_email = f"{tag}-juri0@bench.test"  # heads an agency: some proposals are hidden
    phases = {
        "load": lambda ctx: load(ctx["stage"]),
        "compute": lambda ctx: compute(ctx["load"]),
        "ranking_view": lambda ctx: selectors.ranking_view(ctx["stage"], ctx["secretariat"]),
        "ranking_view_member": lambda ctx: selectors.ranking_view(ctx["stage"], ctx["member"]),
        "page": lambda ctx: _fetch_page(ctx["client"], ctx["stage"]),
    }
    client = Client()

    def context():
        secretariat = _user(secretariat_email)
        return {
            "stage": selectors.stage_for(secretariat, stage.pk, "judging.view_ranking"),
            "secretariat": secretariat,
            "member": _user(member_email),
            "client": client,
        }

    wall = {name: [] for name in [*phases, "load+compute"]}
    cpu = {name: [] for name in wall}
    queries, peaks = {}, {}
    with _page_settings():
        client.force_login(_user(secretariat_email))
        ctx = context()
        for name, call in phases.items():
            with CaptureQueriesContext(connection) as captured:
                ctx[name] = call(ctx)
            queries[name] = len(captured)
        facts = _facts(ctx["load"], ctx["compute"], ctx["ranking_view_member"])
        # Nothing of the warm-up stays alive: a server process holds no earlier request's
        # objects, and the collector would walk them over and over.
        del ctx
        gc.collect()

        others = Others(connection)
        with others:
            _repeat(args.repeat, phases, context, wall, cpu)
        facts["others"] = others.share

        ctx = context()
        gc.collect()
        tracemalloc.start()
        for name, call in phases.items():
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            result = call(ctx)
            peaks[name] = tracemalloc.get_traced_memory()[1] - before
            ctx.pop("load", None)
            if name == "load":
                ctx["load"] = result
            del result
        tracemalloc.stop()

    figures = {
        name: {
            "min": min(values),
            "median": statistics.median(values),
            "max": max(values),
            "cpu": statistics.median(cpu[name]),
            "queries": queries.get(name),
            "peak": peaks.get(name),
        }
        for name, values in wall.items()
    }
    return figures, facts


def _facts(data, result, member_view) -> dict:
    """What the ranking found, to show the data is realistic."""
    return {
        "rows": len(result.rows),
        "sheets": len(data.sheets),
        "flagged": sum(1 for r in result.rows if r.flagged),
        "consensus": len(data.consensus),
        "icc": result.icc.average,
        "alpha": result.alpha,
        "hidden_for_member": member_view.hidden,
    }


# --- Reporting -----------------------------------------------------------------------------------

LABELS = {
    "load": "ranking.load(stage)",
    "compute": "ranking.compute(data)",
    "load+compute": "load + compute (the ranking)",
    "ranking_view": "selectors.ranking_view, secretariat",
    "ranking_view_member": "selectors.ranking_view, panel member",
    "page": "GET ranking page (100 rows), info",
}
ORDER = ["load", "compute", "load+compute", "ranking_view", "ranking_view_member", "page"]
GATED = ("load+compute", "ranking_view")
BUSY = 0.25  # other processes' share of the machine's CPU above which a run is called busy


def environment(args) -> dict:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    else:
        database = f"SQLite {sqlite3.sqlite_version}"
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1).strip() if found else ""
    import django

    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": (
            f"python-svc (/work/.library/env/machines/python-svc.md): {os.cpu_count()} cores"
            f"{', ' + cpu if cpu else ''}, {_memory()}"
        ),
        "python": f"Python {platform.python_version()}, Django {django.get_version()}",
        "database": database,
        "vendor": connection.vendor,
        "command": " ".join(
            [".venv/bin/python", "bench/ranking.py"]
            + [shlex.quote(shown_url(a)) for a in sys.argv[1:]]
        ),
    }


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _memory() -> str:
    meminfo = Path("/proc/meminfo")
    if not meminfo.exists():
        return "memory unknown"
    kb = int(re.search(r"^MemTotal:\s*(\d+)", meminfo.read_text(), re.M).group(1))
    return f"{kb / 1024 / 1024:.0f} GiB"


def table(figures) -> list[str]:
    lines = [
        "| phase | min s | median s | max s | median CPU s | SQL queries | peak memory |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ORDER:
        f = figures[name]
        peak = "" if f["peak"] is None else f"{f['peak'] / 2**20:.1f} MiB"
        queries = "" if f["queries"] is None else str(f["queries"])
        lines.append(
            f"| {LABELS[name]} | {f['min']:.3f} | {f['median']:.3f} | {f['max']:.3f}"
            f" | {f['cpu']:.3f} | {queries} | {peak} |"
        )
    return lines


def report(args, env, figures, facts, build_steps, passed) -> list[str]:
    size = (
        f"{args.proposals} proposals × {args.jurors_per_proposal} jurors × {args.criteria}"
        f" criteria, panel of {args.panel}"
    )
    verdict = "PASS" if passed else "FAIL"
    medians = ", ".join(f"{LABELS[n]} {figures[n]['median']:.3f} s" for n in GATED)
    icc = "n/a" if facts["icc"] is None else f"{facts['icc']:.3f}"
    alpha = "n/a" if facts["alpha"] is None else f"{facts['alpha']:.3f}"
    lines = [
        f"### {env['database']}: {size}",
        "",
        f"- {verdict} (budget {args.budget:g} s for the median): {medians}.",
        f"- Date: {env['date']}; load average (1, 5, 15 min) before the timing"
        f" {env['load']}, after {facts['load_after']}.",
        f"- Machine: {env['machine']}.",
        f"- {env['python']}; {env['database']}.",
        f"- Command: `{env['command']}` ({args.repeat} timed repetitions after one warm-up).",
        f"- Data: {facts['rows']} entries, {facts['sheets']} submitted sheets,"
        f" {facts['flagged']} flagged by disagreement, {facts['consensus']} consensus"
        f" decisions; ICC(1,k) {icc}, Krippendorff's α {alpha}; the panel member's view hides"
        f" {facts['hidden_for_member']} proposals (conflicts).",
    ]
    if facts["others"] is not None:
        lines.append(
            f"- Other processes used {facts['others']:.0%} of the machine's CPU during the timed"
            " repetitions (this process and its database server left out)."
        )
        if facts["others"] > BUSY:
            lines.append(
                "- The machine was busy: wall-clock figures are inflated (CPU figures much"
                " less); compare with a quieter run before concluding."
            )
    if build_steps:
        total = sum(seconds for _n, seconds in build_steps)
        lines.append(f"- Built in this run in {total:.0f} s (reused by later runs).")
    return [*lines, "", *table(figures)]


def write_doc(key: str, lines: list[str]) -> None:
    """This run's block (ranking:<key>) in its section of docs/benchmarks.md."""
    benchdoc.write_block(SECTION, f"ranking:{key}", lines)


def main(argv=None) -> int:
    args = arguments(argv)
    print(f"Database: {shown_url(args.database_url)}", flush=True)
    prepare_database(args.database_url, args.rebuild)
    start_django(args.database_url)
    env = environment(args)

    build_steps = []
    stage = find_stage(args)
    if stage is None:
        print(f"Building {competition_name(args)} (once):", flush=True)
        stage, build_steps = build(args)
        problems = verify(stage, args)
        if problems:
            print("The data is not what the services would produce:", *problems, sep="\n  ")
            return 2
        print("  checked: k conflict-free jurors each, sheets acceptable, audit trail consistent")
    else:
        print(f"Reusing {competition_name(args)} (stage {stage.pk}).", flush=True)

    print(f"Timing: 1 warm-up and {args.repeat} repetitions…", flush=True)
    env["load"] = load_average()
    figures, facts = measure(stage, args)
    facts["load_after"] = load_average()
    passed = all(figures[name]["median"] <= args.budget for name in GATED)
    lines = report(args, env, figures, facts, build_steps, passed)
    print()
    print("\n".join(lines))
    if not args.no_write:
        size = (args.proposals, args.jurors_per_proposal, args.criteria, args.panel)
        key = env["vendor"] if size == DEFAULT_SIZE else f"{env['vendor']}-{tag_of(args)}"
        write_doc(key, lines)
        print(f"\nWritten to {DOC.relative_to(ROOT)}.")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
