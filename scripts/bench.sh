#!/bin/sh
# make bench: wrk against GET /api/me, POST /api/login and, as the ceiling,
# a static file of the same size served by the same httpd. Prints requests/s,
# latency percentiles and each endpoint's ratio to the ceiling. Measures
# only; nothing here passes or fails on speed.
#   DURATION=10s CONNECTIONS=32 THREADS=2 PORT=8099 scripts/bench.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-8099}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
COST=${BCRYPT_COST:-12}
cd "$ROOT"
. scripts/bench-lib.sh

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
NO_DEMO=0 bench_serve "$PORT" "DevplatExposeCodes On
DevplatBcryptCost $COST
CustomLog /dev/null short"

MOBILE=13900001234
CODE=$(curl -fs "$BASE/api/register-sms?mobile=$MOBILE" | json "['data']['verification_code']")
curl -fs -X POST "$BASE/api/register" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"mobile\":\"$MOBILE\",\"password\":\"bench12345\",\"verification_code\":\"$CODE\"}" >/dev/null
TOKEN=$(curl -fs -X POST "$BASE/api/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"bench12345"}' | json "['data']['token_info']['access_token']")

# the ceiling: a static file as large as the /api/me answer
curl -fs "$BASE/api/me" -H "Authorization: Bearer $TOKEN" > "$VAR/htdocs/me.json"
SIZE=$(wc -c < "$VAR/htdocs/me.json")

cat > "$VAR/login.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"username":"bench","password":"bench12345"}'
wrk.headers["Content-Type"] = "application/json"
LUA

run() { # name, wrk arguments...
    name=$1; shift
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" > "$VAR/$name.out"
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$VAR/$name.out")
    p50=$(awk '$1=="50%" {print $2}' "$VAR/$name.out")
    p90=$(awk '$1=="90%" {print $2}' "$VAR/$name.out")
    p99=$(awk '$1=="99%" {print $2}' "$VAR/$name.out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$VAR/$name.out")
    echo "$name $rps $p50 $p90 $p99 ${non2xx:-0}" >> "$VAR/results"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores; bcrypt cost $COST; body $SIZE bytes"
run static "$BASE/me.json"
run me -H "Authorization: Bearer $TOKEN" "$BASE/api/me"
LOGIN_CONNECTIONS=${LOGIN_CONNECTIONS:-4}
CONNECTIONS=$LOGIN_CONNECTIONS run login -s "$VAR/login.lua" "$BASE/api/login"

CEIL=$(awk '$1=="static" {print $2}' "$VAR/results")
printf '%-8s %12s %10s %10s %10s %8s %9s\n' endpoint req/s p50 p90 p99 non-2xx vs-static
while read -r name rps p50 p90 p99 bad; do
    ratio=$(awk -v a="$rps" -v b="$CEIL" 'BEGIN { printf "%.2f", a / b }')
    printf '%-8s %12s %10s %10s %10s %8s %9s\n' "$name" "$rps" "$p50" "$p90" "$p99" "$bad" "$ratio"
done < "$VAR/results"
