#!/bin/sh
# Serve the demo on the embedded SQLite database: migrate, load the demo once, start a
# background task worker, then the development server. Ctrl-C stops both.
set -eu
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PY=.venv/bin/python
PORT="${PORT:-8000}"

$PY manage.py migrate --no-input --verbosity 0
$PY manage.py seed_demo --if-missing
$PY manage.py db_worker --verbosity 0 >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null' EXIT INT TERM
echo "Siwanda is at http://127.0.0.1:$PORT/ (Ctrl-C to stop; background tasks log to var/worker.log)"
$PY manage.py runserver "127.0.0.1:$PORT"
