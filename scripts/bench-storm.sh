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
cd "$ROOT"
. scripts/bench-lib.sh

# every client its own address, so the per-address code and login limits
# see 200 clients, not one
EXTRA="DevplatExposeCodes On
DevplatBcryptCost $COST
$(bench_remoteip)
CustomLog /dev/null short"
if [ -n "${BUSY_TIMEOUT:-}" ]; then
    EXTRA="$EXTRA
DBDInitSQL \"PRAGMA busy_timeout = $BUSY_TIMEOUT\""
fi
bench_serve "$PORT" "$EXTRA"
echo "write storm on $(nproc) cores, SQLite, bcrypt cost $COST${BUSY_TIMEOUT:+, busy_timeout $BUSY_TIMEOUT}"
BASE="http://127.0.0.1:$PORT" python3 scripts/bench-storm.py
