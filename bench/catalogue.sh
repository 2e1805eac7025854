#!/usr/bin/env bash
# The catalogue load benchmark in one command (see bench/README.md): installs wrk when it is
# missing (a fresh CI machine has none), starts PostgreSQL and Redis when they are down, then
# runs bench/catalogue.py with the arguments given, e.g.
#
#     bench/catalogue.sh                                  # 32,000 and 320,000 innovations
#     bench/catalogue.sh --multipliers 1 --duration 10    # a quick look at the smaller size
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! command -v wrk >/dev/null 2>&1; then
    echo "Installing wrk (apt-get)…"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
if command -v redis-cli >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    $SUDO redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
[ -x .venv/bin/python ] || scripts/venv.sh requirements/base.txt
exec .venv/bin/python bench/catalogue.py "$@"
