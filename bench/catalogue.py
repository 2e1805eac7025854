#!/usr/bin/env python
"""Benchmark: the public catalogue under load (issue 5, "Done when": with seed_scale data on
PostgreSQL, catalogue search and filtered listing answer in p95 ≤ 100 ms at 32,000 innovations
and ≤ 300 ms at 320,000; list pages keep a constant number of SQL queries).

    bench/catalogue.sh                       # what a newcomer runs (installs wrk when missing)
    .venv/bin/python bench/catalogue.py [--multipliers 1 10] [--duration 30] [--connections 8]

For each multiplier N:

1. a PostgreSQL database of its own (`siwanda_bench_x<N>`), created and migrated when absent,
   seeded once with `manage.py seed_scale --multiplier N` (32,000 × N innovations, 85 % of them
   published) and ANALYZEd; later runs reuse it (`--rebuild` starts again);
2. request paths for each URL group, read from the data (real region codes, published ids):
   catalogue search (`/katalog/?q=…`, typos included), filtered listing (`/katalog/?province=…
   &form=…&sort=…`, pages deep in the list), the detail page, and the public API
   (`/api/catalogue/?q=…`);
3. gunicorn as in production (docs/deploy.md: DEBUG off, manifest static files, Redis cache when
   it answers), `--workers` processes; every path is fetched once and must answer 200;
4. the SQL of a sample of each group's pages through Django's test client: the number of queries
   (constant across sizes, or the list is not scaling) and the slowest statement;
5. wrk with bench/catalogue.lua for each group: a warm-up, then `--duration` seconds with
   `--connections` connections (closed loop: each connection sends its next request when the last
   one is answered), then the same with one connection (the time of a request without queueing);
6. a table per size, written to docs/benchmarks.md ("Catalogue: search and listing under load"),
   with the machine, the date, the load and how much of the CPU other processes used.

Exit status 0 when the gated groups (search and filtered listing) are within the budget of their
size at p95 with `--connections` connections, 1 when one is over it.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import benchdoc  # same directory: bench/
from ranking import _memory, prepare_database, shown_url

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Catalogue: search and listing under load"
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA = ROOT / "bench" / "catalogue.lua"
WORK = ROOT / "var" / "bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/siwanda_bench_x{n}"
BUDGETS_MS = {1: 100.0, 10: 300.0}  # p95, by multiplier (the two sizes)
GATED = ("search", "filter")
GROUPS = ("search", "filter", "detail", "api")
LABELS = {
    "search": "catalogue search `/katalog/?q=…`",
    "filter": "filtered listing `/katalog/?province=…`",
    "detail": "detail page `/katalog/<id>/`",
    "api": "public API `/api/catalogue/?…`",
}
BUSY = 0.25
CHECKED = 20  # paths per group fetched once before timing

# Searches people type: common words, phrases, a typo ("kependudukn"), rare words.
SEARCHES = [
    "pelayanan kependudukan",
    "kelola sampah",
    "kependudukn",
    "stunting",
    "aplikasi perizinan",
    "bank sampah",
    "posyandu",
    "pajak daerah",
    "sekolah",
    "desa digital",
    "kesehatan ibu hamil",
    "pengaduan masyarakat",
    "izin usaha",
    "literasi",
    "air bersih",
    "nelayan",
    "bantuan sosial",
    "pelayanan",
    "umkm",
    "inovasi",
    "posyandu digital",
    "sampah plastik",
    "akta kelahiran",
    "puskesmas keliling",
    "jemput bola",
    "stuntng",
    "perpustakaan keliling",
    "pencegahan stunting",
    "retribusi",
    "tanda tangan elektronik",
]
URUSAN = ["kesehatan", "pendidikan", "adminduk", "lingkungan_hidup", "pmd", "keuangan", "sosial"]
FORMS = ["public_service", "governance", "other"]
KINDS = ["dinas", "puskesmas", "kecamatan", "sekolah", "badan"]
SORTS = ["title", "newest", "replicated"]


# --- Arguments -----------------------------------------------------------------------------------


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--multipliers", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--duration", type=int, default=30, help="seconds of wrk per group")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of wrk before measuring")
    parser.add_argument(
        "--single-duration", type=int, default=10, help="seconds with one connection (0: skip)"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--paths", type=int, default=120, help="request paths per group")
    parser.add_argument("--sample", type=int, default=12, help="pages per group whose SQL is read")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_URL,
        help="PostgreSQL URL; {n} is replaced by the multiplier (default: %(default)s)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--groups", nargs="+", choices=GROUPS, default=list(GROUPS))
    parser.add_argument("--rebuild", action="store_true", help="drop the databases and seed again")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args(argv)
    if "{n}" not in args.database_url and len(args.multipliers) > 1:
        parser.error("--database-url needs {n} when several multipliers are measured")
    return args


# --- Processes -----------------------------------------------------------------------------------


def _spawn(command, **kwargs) -> subprocess.CompletedProcess:
    """Every child process of the benchmark: commands built here from constants and paths of
    the project, never from outside input."""
    return subprocess.run(command, text=True, check=False, **kwargs)  # noqa: S603


def run(command, env, quiet=False):
    """Run a command of the project (manage.py, collectstatic), echoing its output."""
    result = _spawn(command, cwd=ROOT, env=env, capture_output=quiet)
    if result.returncode:
        if quiet:
            sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"Failed ({result.returncode}): {shlex.join(map(str, command))}")
    return result


def server_env(url, args, static_root):
    """The environment of a production app server (docs/deploy.md), on this machine."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "S3_", "MAIL_", "SECURE_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SIWANDA_BASE_URL=f"http://127.0.0.1:{args.port}",
        STATIC_ROOT=str(static_root),
        MAIL_BACKEND="locmem",
        PYTHONPATH=str(ROOT / "src"),
        # The API's limits (60 anonymous requests a minute per address, 600 for a person or,
        # unsigned, an address) would answer 429 to a load test from one address: switched
        # off, to measure the API's own work.
        API_RATE_ANONYMOUS="",
        API_RATE_USER="",
        # Connections kept for the whole run (production: 60 s), so that the CPU of each
        # worker's database backend can be told apart from other processes'.
        DATABASE_CONN_MAX_AGE="3600",
    )
    if args.redis_url and redis_answers(args.redis_url):
        env["REDIS_URL"] = args.redis_url
    return env


def redis_answers(url) -> bool:
    import socket

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Server:
    """gunicorn as docs/deploy.md starts it (sync workers, no access log: nginx writes it)."""

    def __init__(self, env, args):
        self.env, self.args = env, args
        self.log = WORK / "gunicorn.log"

    def __enter__(self):
        command = [
            GUNICORN,
            "siwanda.wsgi:application",
            "--pythonpath",
            "src",
            "--bind",
            f"127.0.0.1:{self.args.port}",
            "--workers",
            str(self.args.workers),
            "--timeout",
            "60",
        ]
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (see _spawn)
            command, cwd=ROOT, env=self.env, stdout=self.handle, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped; see {self.log}")
            try:
                fetch(self.args.port, "/healthz")
                return self
            except urllib.error.HTTPError:
                # It answers: /healthz may still call the task queue unhealthy (the seed's
                # notices wait for a worker that this benchmark does not run).
                return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        sys.exit(f"gunicorn did not answer within 60 s; see {self.log}")

    def pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        found = children.read_text().split() if children.exists() else []
        return [self.process.pid, *map(int, found)]

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.handle.close()


def fetch(port, path) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        response.read()
        return response.status


# --- CPU of other processes ----------------------------------------------------------------------


def _ticks(path, first, count):
    try:
        fields = Path(path).read_text().split("\n", 1)[0].rsplit(")", 1)[-1].split()
    except OSError:
        return 0
    return sum(int(value) for value in fields[first : first + count])


def postgres_pids(url) -> list[int]:
    """The server processes of this database's connections (their titles name it)."""
    name = urlsplit(url).path.lstrip("/")
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {name} " in title:
                found.append(int(entry.name))
    return found


class Others:
    """The share of the machine's CPU used by other processes while wrk ran: all busy time
    (/proc/stat) less gunicorn's, its PostgreSQL backends' and wrk's. None without /proc."""

    def __init__(self, pids):
        self.pids = pids

    def _sample(self):
        busy = _ticks("/proc/stat", 1, 3) + _ticks("/proc/stat", 6, 3)
        ours = sum(_ticks(f"/proc/{pid}/stat", 11, 4) for pid in self.pids())
        return time.perf_counter(), busy - ours

    def __enter__(self):
        self.start = self._sample()
        return self

    def __exit__(self, *exc):
        end = self._sample()
        seconds = (end[1] - self.start[1]) / os.sysconf("SC_CLK_TCK")
        wall = end[0] - self.start[0]
        self.share = max(0.0, seconds / (wall * (os.cpu_count() or 1))) if wall else 0.0
        if not Path("/proc/stat").exists():
            self.share = None


# --- Paths ---------------------------------------------------------------------------------------


def request_paths(url, count, seed) -> dict[str, list[str]]:
    """Paths of each group, from the data: the provinces and regencies with published entries
    (weighted by their size, as visitors are), published ids, the years present."""
    import psycopg

    rng = random.Random(seed)
    with psycopg.connect(url) as connection:
        provinces = connection.execute(
            "SELECT r.code, count(*) FROM catalogue_catalogueentry e"
            " JOIN regions_region r ON r.id = e.province_id GROUP BY r.code ORDER BY r.code"
        ).fetchall()
        regions = connection.execute(
            "SELECT r.code, count(*) FROM catalogue_catalogueentry e"
            " JOIN regions_region r ON r.id = e.region_id WHERE r.kind <> 'province'"
            " GROUP BY r.code ORDER BY r.code"
        ).fetchall()
        ids = [
            pk
            for (pk,) in connection.execute(
                "SELECT innovation_id FROM catalogue_catalogueentry ORDER BY innovation_id"
            )
        ]
        years = [
            y
            for (y,) in connection.execute(
                "SELECT DISTINCT year FROM catalogue_catalogueentry WHERE year IS NOT NULL"
                " ORDER BY year"
            )
        ]
    if not ids:
        sys.exit("The catalogue is empty: was seed_scale able to publish (catalogue_index)?")

    def province():
        return rng.choices([c for c, _n in provinces], weights=[n for _c, n in provinces])[0]

    def region():
        return rng.choices([c for c, _n in regions], weights=[n for _c, n in regions])[0]

    def query(params):
        return "&".join(f"{k}={quote_plus(str(v))}" for k, v in params.items())

    search, listing, api = [], [], []
    for n in range(count):
        q = SEARCHES[n % len(SEARCHES)]
        params = {"q": q}
        if n % 5 == 1:
            params["province"] = province()
        if n % 7 == 2:
            params["digital"] = "1"
        if n % 6 == 3:
            params["page"] = rng.randint(2, 4)
        search.append(f"/katalog/?{query(params)}")

        shape = n % 8
        if shape == 0:
            params = {"province": province(), "form": "public_service", "sort": "title"}
        elif shape == 1:
            params = {"urusan": rng.choice(URUSAN), "digital": "1", "page": rng.randint(1, 5)}
        elif shape == 2:
            # The form offers a province's regencies once the province is chosen.
            code = region()
            params = {"province": code.split(".")[0], "region": code, "sort": rng.choice(SORTS)}
        elif shape == 3:
            params = {"agency_kind": rng.choice(KINDS), "sort": "newest"}
        elif shape == 4:
            params = {"sdg": rng.choice([3, 4, 11, 16]), "stage": "implementation"}
        elif shape == 5:
            params = {"year": rng.choice(years), "award": rng.choice(["regency", "none"])}
        elif shape == 6:
            params = {"province": province(), "urusan": rng.choice(URUSAN), "sort": "newest"}
        else:
            params = {"form": rng.choice(FORMS), "page": rng.choice([1, 2, 10, 50])}
        listing.append(f"/katalog/?{query(params)}")

        if n % 3 == 0:
            api.append(f"/api/catalogue/?{query({'q': SEARCHES[(n // 3) % len(SEARCHES)]})}")
        elif n % 3 == 1:
            params = {"province": province(), "form": rng.choice(FORMS), "sort": "title"}
            api.append(f"/api/catalogue/?{query(params)}")
        else:
            params = {"urusan": rng.choice(URUSAN), "digital": rng.choice("01")}
            api.append(f"/api/catalogue/?{query(params)}")
    details = [f"/katalog/{pk}/" for pk in rng.sample(ids, min(count, len(ids)))]
    return {"search": search, "filter": listing, "detail": details, "api": api}


# --- SQL per page --------------------------------------------------------------------------------

SQL_PROBE = r"""
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

paths = json.load(sys.stdin)
result = {}
client = Client()
with override_settings(ALLOWED_HOSTS=["*"]):
    for group, sample in paths.items():
        counts, slowest = [], (0.0, "", "", [])
        for path in sample:
            client.get(path)  # warm: the later figures are those of a served page
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
            counts.append(len(captured))
            settings_ = []  # SET LOCAL … the page sent before a statement: its plan needs them
            for query in captured.captured_queries:
                if query["sql"].upper().startswith("SET "):
                    settings_.append(query["sql"])
                    continue
                seconds = float(query["time"])
                if seconds > slowest[0]:
                    slowest = (seconds, path, query["sql"], list(settings_))
        result[group] = {"queries": counts, "slowest": slowest}
json.dump(result, sys.stdout)
"""


def sql_probe(env, paths, sample) -> dict:
    """Each group's number of queries per page and its slowest statement, for the first
    `sample` paths (Django's test client in a child process, the server's settings)."""
    chosen = {group: p[:sample] for group, p in paths.items()}
    result = _spawn(
        [PY, "-c", SQL_PROBE],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "siwanda.settings"},
        input=json.dumps(chosen),
        capture_output=True,
    )
    if result.returncode:
        sys.exit(f"Reading the SQL of the pages failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def explain(url, sql, settings=()) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a statement Django sent (its parameters inlined), in a
    transaction with the settings the page set before it (e.g. SET LOCAL enable_seqscan)."""
    import psycopg

    with psycopg.connect(url) as connection:
        for statement in settings:
            connection.execute(statement)
        rows = connection.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}").fetchall()
        connection.rollback()
    return "\n".join([*settings, *(row[0] for row in rows)])


# --- wrk -----------------------------------------------------------------------------------------


def wrk(args, paths_file, seconds, connections) -> dict:
    threads = min(args.threads, connections)
    command = [
        shutil.which("wrk"),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{args.port}",
        "--",
        str(paths_file),
    ]
    result = _spawn(command, capture_output=True)
    found = re.search(r"^RESULT (\{.*\})$", result.stdout, re.M)
    if result.returncode or not found:
        sys.exit(f"wrk failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(found.group(1))


def measure(args, url, server, paths) -> dict:
    figures = {}
    for group in args.groups:
        paths_file = WORK / f"paths-{group}.txt"
        paths_file.write_text("\n".join(paths[group]) + "\n")
        if args.warmup:
            wrk(args, paths_file, args.warmup, args.connections)
        load_before = os.getloadavg()
        with Others(lambda: ["self", *server.pids(), *postgres_pids(url)]) as others:
            loaded = wrk(args, paths_file, args.duration, args.connections)
        loaded["others"] = others.share
        loaded["load"] = (load_before, os.getloadavg())
        single = None
        if args.single_duration:
            single = wrk(args, paths_file, args.single_duration, 1)
        figures[group] = {"loaded": loaded, "single": single}
        print(
            f"  {group:<7} p50 {loaded['p50']:7.1f} ms  p95 {loaded['p95']:7.1f} ms"
            f"  p99 {loaded['p99']:7.1f} ms  {loaded['rps']:6.1f} req/s"
            + (f"  (one connection: p95 {single['p95']:.1f} ms)" if single else "")
            + (f"  others {others.share:.0%}" if others.share is not None else ""),
            flush=True,
        )
    return figures


# --- One size ------------------------------------------------------------------------------------


def database_facts(url) -> dict:
    import psycopg

    with psycopg.connect(url) as connection:

        def one(sql):
            return connection.execute(sql).fetchone()[0]

        return {
            "innovations": one("SELECT count(*) FROM innovations_innovation"),
            "published": one("SELECT count(*) FROM catalogue_catalogueentry"),
            "regions": one("SELECT count(DISTINCT region_id) FROM catalogue_catalogueentry"),
            "agencies": one("SELECT count(*) FROM regions_agency"),
            "proposals": one("SELECT count(*) FROM proposals_proposal"),
            "scores": one("SELECT count(*) FROM judging_score"),
            "server": one("SHOW server_version").split()[0],
            "size": one("SELECT pg_size_pretty(pg_database_size(current_database()))"),
        }


def prepare(args, n, url, static_root) -> dict:
    """Database created, migrated, seeded (once) and analysed; returns the server's env."""
    print(f"\n== Multiplier {n}: {shown_url(url)}", flush=True)
    prepare_database(url, args.rebuild)
    env = server_env(url, args, static_root)
    run([PY, "manage.py", "migrate", "--no-input", "--verbosity", "0"], env)
    started = time.perf_counter()
    run([PY, "manage.py", "seed_scale", "--multiplier", str(n), "--if-missing"], env)
    seeded = time.perf_counter() - started
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")
    env["_seed_seconds"] = f"{seeded:.0f}"
    return env


def one_size(args, n, static_root) -> dict:
    url = args.database_url.format(n=n)
    env = prepare(args, n, url, static_root)
    seeded = env.pop("_seed_seconds")
    facts = database_facts(url)
    paths = request_paths(url, args.paths, seed=n)
    print(
        f"  {facts['published']} published innovations of {facts['innovations']};"
        f" reading the SQL of {args.sample} pages per group…",
        flush=True,
    )
    probe = sql_probe(env, {g: paths[g] for g in args.groups}, args.sample)
    for group in args.groups:
        seconds, path, sql, settings = probe[group]["slowest"]
        is_select = sql.lstrip().upper().startswith(("SELECT", "WITH"))
        probe[group]["plan"] = explain(url, sql, settings) if is_select else ""
        (WORK / f"slowest-x{n}-{group}.txt").write_text(
            f"-- {path}: {seconds * 1000:.1f} ms\n{sql}\n\n{probe[group]['plan']}\n"
        )
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with Server(env, args) as server:
        for group in args.groups:
            # The first few must answer 200 before anything is timed; wrk counts the others'
            # errors (the table's "errors" column).
            failures = [p for p in paths[group][:CHECKED] if fetch(args.port, p) != 200]
            if failures:
                sys.exit(f"{len(failures)} paths of {group} do not answer 200, e.g. {failures[0]}")
        print(
            f"  gunicorn: {args.workers} workers; wrk {args.connections} connections,"
            f" {args.duration} s per group",
            flush=True,
        )
        figures = measure(args, url, server, paths)
    return {
        "n": n,
        "date": started,
        "url": url,
        "facts": facts,
        "probe": probe,
        "figures": figures,
        "seeded": seeded,
        "redis": "REDIS_URL" in env,
    }


# --- Reporting -----------------------------------------------------------------------------------


def budget_of(n) -> float | None:
    return BUDGETS_MS.get(n)


def within(figures, budget) -> bool:
    loaded = figures["loaded"]
    return loaded["p95"] <= budget and not loaded["non2xx"] and not loaded["socket_errors"]


def report(args, result, env) -> list[str]:
    n, facts, figures, probe = result["n"], result["facts"], result["figures"], result["probe"]
    budget = budget_of(n)
    gated = [g for g in GATED if g in figures]
    passed = budget is None or all(within(figures[g], budget) for g in gated)
    verdict = "no budget for this size" if budget is None else ("PASS" if passed else "FAIL")
    shares = [f["loaded"]["others"] for f in figures.values() if f["loaded"]["others"] is not None]
    loads = [f["loaded"]["load"] for f in figures.values()]
    lines = [
        f"### PostgreSQL {facts['server']}: {facts['published']:,} published innovations"
        f" (seed_scale --multiplier {n})",
        "",
        f"- {verdict}"
        + (
            f" (budget: p95 ≤ {budget:g} ms for search and filtered listing with"
            f" {args.connections} connections): "
            + ", ".join(f"{g} p95 {figures[g]['loaded']['p95']:.0f} ms" for g in gated)
            + "."
            if budget is not None
            else "."
        ),
        f"- Date: {result['date']}; load average (1, 5, 15 min) before the first group"
        f" {'{:.2f} {:.2f} {:.2f}'.format(*loads[0][0])}, after the last"
        f" {'{:.2f} {:.2f} {:.2f}'.format(*loads[-1][1])}.",
        f"- Machine: {env['machine']}.",
        f"- {env['python']}; PostgreSQL {facts['server']}; gunicorn {env['gunicorn']}"
        f" ({args.workers} sync workers, DEBUG off, manifest static files,"
        f" {'Redis' if result['redis'] else 'local-memory'} cache); {env['wrk']}, "
        f"{args.threads} threads, all on the same machine.",
        f"- Command: `{env['command']}`.",
        f"- Data: {facts['innovations']:,} innovations ({facts['published']:,} published, from"
        f" {facts['regions']} regions), {facts['agencies']:,} agencies, {facts['proposals']:,}"
        f" proposals, {facts['scores']:,} scores; database {facts['size']}"
        + (f"; seeded in this run in {result['seeded']} s" if int(result["seeded"]) > 5 else "")
        + ".",
    ]
    if shares:
        lines.append(
            f"- Other processes used {max(shares):.0%} of the machine's CPU at most during the"
            " measured runs (gunicorn, its database backends and wrk left out)."
        )
        if max(shares) > BUSY:
            lines.append(
                "- The machine was busy: latencies are inflated; compare with a quieter run."
            )
    for group in args.groups:
        loaded = figures[group]["loaded"]
        if loaded["non2xx"] or loaded["socket_errors"]:
            lines.append(
                f"- {group}: {loaded['non2xx']} answers were not 2xx/3xx and"
                f" {loaded['socket_errors']} requests failed or timed out (see"
                f" {(WORK / 'gunicorn.log').relative_to(ROOT)})."
            )
    lines += [
        "",
        "| URL group | p50 ms | p90 ms | p95 ms | p99 ms | req/s | errors"
        " | p50 / p95 ms, 1 connection | SQL queries per page |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group in args.groups:
        loaded, single = figures[group]["loaded"], figures[group]["single"]
        counts = probe[group]["queries"]
        queries = str(counts[0]) if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}"
        one = ""
        if single:
            one = f"{single['p50']:.1f} / {single['p95']:.1f}" if single["requests"] else "none"
        errors = loaded["non2xx"] + loaded["socket_errors"]
        lines.append(
            f"| {LABELS[group]} | {loaded['p50']:.1f} | {loaded['p90']:.1f}"
            f" | {loaded['p95']:.1f} | {loaded['p99']:.1f} | {loaded['rps']:.1f} | {errors}"
            f" | {one} | {queries} |"
        )
    lines += ["", "Slowest SQL statement seen per group (one execution, warm):", ""]
    for group in args.groups:
        seconds, path, sql, _settings = probe[group]["slowest"]
        head = " ".join(sql.split())[:160]
        lines.append(f"- {group}: {seconds * 1000:.1f} ms on `{path}`: `{head}…`")
    return lines


def environment(args) -> dict:
    import django

    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1).strip() if found else ""
    gunicorn = _spawn([GUNICORN, "--version"], capture_output=True).stdout.split()
    wrk_version = _spawn([shutil.which("wrk"), "-v"], capture_output=True)
    return {
        "machine": (
            f"python-svc (/work/.library/env/machines/python-svc.md): {os.cpu_count()} cores"
            f"{', ' + cpu if cpu else ''}, {_memory()}"
        ),
        "python": f"Python {platform.python_version()}, Django {django.get_version()}",
        "gunicorn": gunicorn[-1].strip("()") if gunicorn else "?",
        "wrk": " ".join((wrk_version.stdout + wrk_version.stderr).split()[:2]),
        "command": " ".join(
            ["bench/catalogue.sh"] + [shlex.quote(shown_url(a)) for a in sys.argv[1:]]
        ),
    }


def write_doc(key: str, lines: list[str]) -> None:
    """This run's block (catalogue:<key>) in its section of docs/benchmarks.md."""
    benchdoc.write_block(SECTION, f"catalogue:{key}", lines)


def main(argv=None) -> int:
    args = arguments(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: run bench/catalogue.sh, which installs it (apt-get install wrk).")
    sys.path.insert(0, str(ROOT / "src"))
    WORK.mkdir(parents=True, exist_ok=True)
    env = environment(args)
    static_root = Path(tempfile.mkdtemp(prefix="static-", dir=WORK))
    collect = server_env(args.database_url.format(n=args.multipliers[0]), args, static_root)
    run([PY, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], collect)
    passed = True
    try:
        for n in args.multipliers:
            result = one_size(args, n, static_root)
            lines = report(args, result, env)
            print("\n" + "\n".join(lines), flush=True)
            budget = budget_of(n)
            if budget is not None:
                passed &= all(
                    within(result["figures"][g], budget) for g in GATED if g in result["figures"]
                )
            if not args.no_write:
                write_doc(f"x{n}", lines)
                print(f"\nWritten to {DOC.relative_to(ROOT)}.")
            print(
                f"Slowest statements with their plans: {WORK.relative_to(ROOT)}/slowest-x{n}-*.txt"
            )
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
