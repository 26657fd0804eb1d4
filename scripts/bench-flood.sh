#!/bin/sh
# make bench-flood: a wrong-password login flood (wrk, 64 connections)
# against a local httpd on the quick-start configuration at bcrypt cost 12,
# while GET /api/me is measured (wrk, 4 connections) and a legitimate login
# is timed. Two floods: from one client address (the throttles stop it
# before bcrypt), and from a new address per request (only the bcrypt gate,
# DevplatHashLimit, bounds it). Measures only; nothing passes or fails.
#   DURATION=15s FLOOD=64 PORT=8099 BCRYPT_COST=12 scripts/bench-flood.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-8099}
DURATION=${DURATION:-15s}
FLOOD=${FLOOD:-64}
COST=${BCRYPT_COST:-12}
cd "$ROOT"
. scripts/bench-lib.sh

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
bench_serve "$PORT" "DevplatExposeCodes On
DevplatBcryptCost $COST
$(bench_remoteip)
CustomLog /dev/null short"

register() { # name mobile
    code=$(curl -fs -H "X-Forwarded-For: 10.9.0.$3" "$BASE/api/register-sms?mobile=$2" |
           json "['data']['verification_code']")
    curl -fs -X POST "$BASE/api/register" -H 'Content-Type: application/json' \
        -H "X-Forwarded-For: 10.9.0.$3" \
        -d "{\"username\":\"$1\",\"mobile\":\"$2\",\"password\":\"right12345\",\"verification_code\":\"$code\"}" >/dev/null
}
register victim 13900001001 1
register legit 13900001002 2
TOKEN=$(curl -fs -X POST "$BASE/api/login" -H 'Content-Type: application/json' \
    -H 'X-Forwarded-For: 10.9.0.2' -d '{"username":"legit","password":"right12345"}' |
    json "['data']['token_info']['access_token']")

cat > "$VAR/one-address.lua" <<'LUA'
-- wrong passwords for one account and for names of no account, one address
local n = 0
request = function()
  n = n + 1
  local name = (n % 2 == 0) and "victim" or ("nobody" .. n)
  return wrk.format("POST", "/api/login",
    {["Content-Type"] = "application/json", ["X-Forwarded-For"] = "10.8.0.1"},
    '{"username":"' .. name .. '","password":"wrong12345"}')
end
LUA
cat > "$VAR/many-addresses.lua" <<'LUA'
-- wrong passwords for one account, each request from an address of its own
local n = 0
request = function()
  n = n + 1
  local addr = string.format("10.%d.%d.%d", 10 + math.floor(n / 62500) % 200, math.floor(n / 250) % 250, n % 250 + 1)
  return wrk.format("POST", "/api/login",
    {["Content-Type"] = "application/json", ["X-Forwarded-For"] = addr},
    '{"username":"victim","password":"wrong12345"}')
end
LUA

me() { # label: wrk on /api/me, prints p99 and req/s
    wrk -t1 -c4 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" \
        -H 'X-Forwarded-For: 10.9.0.2' "$BASE/api/me" > "$VAR/me.out"
    printf '%-34s /api/me p50 %8s  p99 %8s  %10s req/s\n' "$1" \
        "$(awk '$1=="50%" {print $2}' "$VAR/me.out")" "$(awk '$1=="99%" {print $2}' "$VAR/me.out")" \
        "$(awk '/^Requests\/sec:/ {print $2}' "$VAR/me.out")"
}
legit_logins() { # five logins of another account from its own address, timed
    for i in 1 2 3 4 5; do
        sleep 1
        curl -s -o /dev/null -w '%{http_code}:%{time_total}s ' -X POST "$BASE/api/login" \
            -H 'Content-Type: application/json' -H "X-Forwarded-For: 10.9.1.$i" \
            -d '{"username":"legit","password":"right12345"}'
    done
}

echo "login flood on $(nproc) cores: wrk -c$FLOOD wrong passwords, bcrypt cost $COST, $DURATION each"
me "unloaded"
for f in one-address many-addresses; do
    wrk -t2 -c"$FLOOD" -d"$DURATION" -s "$VAR/$f.lua" "$BASE/api/login" > "$VAR/flood.out" &
    pid=$!
    sleep 1
    ( legit_logins > "$VAR/logins.out" ) &
    lpid=$!
    me "during the flood ($f)"
    wait $pid $lpid
    printf '%-34s flood answered %s/s (non-2xx %s); legitimate logins: %s\n' "" \
        "$(awk '/^Requests\/sec:/ {print $2}' "$VAR/flood.out")" \
        "$(awk '/Non-2xx/ {print $NF}' "$VAR/flood.out")" "$(cat "$VAR/logins.out")"
done
