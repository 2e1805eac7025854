#!/bin/sh
# Create .venv with a suitable Python and install a locked requirements file into it.
# Usage: scripts/venv.sh requirements/base.txt
# Re-running is cheap: the install is skipped while the lock file is unchanged.
set -eu
lock="$1"
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    if ! py=$(scripts/find-python.sh); then
        echo "Siwanda needs Python 3.12 or newer (with the venv module): install it, or point PYTHON=/path/to/python3.12 at it, then run this again." >&2
        exit 1
    fi
    echo "Creating .venv with $py ($("$py" --version 2>&1))"
    rm -rf .venv
    "$py" -m venv .venv
fi

stamp=".venv/.installed-$(basename "$lock" .txt)"
want=$(sha256sum "$lock" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing locked dependencies from $lock"
    log=$(mktemp)
    # Some machines' pip.conf lists local indexes that lack most packages: drop that noise only.
    noise='is ignored: it is neither a file nor a directory'
    if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
            --no-deps -r "$lock" >"$log" 2>&1; then
        grep -v "$noise" "$log" >&2; rm -f "$log"; exit 1
    fi
    grep -v "$noise" "$log" >&2 || true
    rm -f "$log"
    echo "$want" > "$stamp"
fi
