#!/bin/sh
# Print the path of a working Python >= 3.12 with venv support, or exit 1.
# Each candidate is *run*: a pyenv shim on PATH may exist and still fail.
ok() {
    "$1" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}
for c in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
    [ -n "$c" ] || continue
    p=$(command -v "$c" 2>/dev/null) || continue
    if ok "$p"; then echo "$p"; exit 0; fi
done
# pyenv and other per-user installs that are not on PATH, newest first.
for p in $(ls -d "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] \
              /opt/python*/bin/python3 2>/dev/null | sort -rV); do
    if ok "$p"; then echo "$p"; exit 0; fi
done
exit 1
