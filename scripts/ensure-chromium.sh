#!/bin/sh
# Browser tests drive Debian's Chromium (never a downloaded browser). Install it when it is
# missing and we can; otherwise say so loudly: the browser tests will then be reported as skipped.
command -v chromium >/dev/null 2>&1 && exit 0
[ -x /usr/bin/chromium ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
if command -v apt-get >/dev/null 2>&1 && $SUDO true 2>/dev/null; then
    echo "Installing Debian's chromium for the browser tests (apt-get)..."
    if $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 \
        || { $SUDO apt-get update -qq >/dev/null 2>&1 && $SUDO apt-get install -y -qq chromium >/dev/null 2>&1; }; then
        exit 0
    fi
fi
cat >&2 <<'MSG'
************************************************************************************
*  CHROMIUM IS NOT INSTALLED and could not be installed here (needs apt and root).  *
*  The browser (end-to-end) tests will be SKIPPED. Install it with:                 *
*      sudo apt-get install chromium                                                *
************************************************************************************
MSG
exit 0
