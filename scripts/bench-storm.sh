#!/bin/sh
# make bench-storm: the SQLite write storm (scripts/bench-storm.py) against a
# local httpd on the quick-start configuration: 200 concurrent
# registrations, 200 concurrent logins, then 64 clients writing for 60 s
# while GET /api/me is timed. Measures only; nothing here passes or fails.
#   STORM_ACCOUNTS=200 STORM_CONNECTIONS=64 STORM_SECONDS=60 BCRYPT_COST=4
#   BUSY_TIMEOUT=<ms>  (only to show what a sleeping busy handler does)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-8099}
COST=${BCRYPT_COST:-4}
VAR=$(mktemp -d /tmp/devplat-storm.XXXXXX)
MODULES=$(apxs -q LIBEXECDIR)
cd "$ROOT"

HTTPD=$(apxs -q SBINDIR)/$(apxs -q TARGET)
# every client its own address (X-Forwarded-For from loopback), so the
# per-address code and login limits see 200 clients, not one
EXTRA="DevplatExposeCodes On
DevplatBcryptCost $COST
LoadModule remoteip_module $MODULES/mod_remoteip.so
RemoteIPHeader X-Forwarded-For
RemoteIPInternalProxy 127.0.0.1
CustomLog /dev/null short"
if [ -n "${BUSY_TIMEOUT:-}" ]; then
    EXTRA="$EXTRA
DBDInitSQL \"PRAGMA busy_timeout = $BUSY_TIMEOUT\""
fi
NO_DEMO=1 scripts/prepare-var.sh "$VAR" "$PORT" "$EXTRA" >/dev/null
"$HTTPD" -f "$VAR/httpd.conf" -k start 2>"$VAR/error_log" ||
    { cat "$VAR/error_log" >&2; rm -rf "$VAR"; exit 1; }
trap '"$HTTPD" -f "$VAR/httpd.conf" -k stop; sleep 1; rm -rf "$VAR"' EXIT
for i in 1 2 3 4 5 6 7 8 9 10; do
    curl -fs "http://127.0.0.1:$PORT/api/nope" >/dev/null 2>&1 || [ $? -eq 22 ] && break
    sleep 0.3
done
echo "write storm on $(nproc) cores, SQLite, bcrypt cost $COST${BUSY_TIMEOUT:+, busy_timeout $BUSY_TIMEOUT}"
BASE="http://127.0.0.1:$PORT" python3 scripts/bench-storm.py
