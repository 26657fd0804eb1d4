#!/bin/sh
# make bench-timing: how long a failed login takes for each kind of account,
# the timing an attacker reads to tell whether a name exists. Prints
# min/median/p90/max in ms over N wrong-password logins each (a guesser
# does not know the password) for: a name that matches no account, an
# account registered through the API, one made by devplat-admin (its
# default cost), and an imported Laravel hash ($2y$10$), the last two
# before and after their first successful login (which makes the hash
# again at DevplatBcryptCost). SQLite, the quick-start configuration.
# Measures only; nothing here passes or fails on speed.
#   N=30 BCRYPT_COST=12 IMPORT_COST=10 PORT=8098 scripts/bench-login-timing.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-8098}
N=${N:-30}
COST=${BCRYPT_COST:-12}
IMPORT_COST=${IMPORT_COST:-10}
ADMIN_TOOL=${DEVPLAT_ADMIN:-$ROOT/devplat-admin}
cd "$ROOT"
. scripts/bench-lib.sh

command -v htpasswd >/dev/null || { echo "bench: htpasswd is missing (apt-get install apache2-utils)" >&2; exit 1; }
[ -x "$ADMIN_TOOL" ] || { echo "bench: $ADMIN_TOOL is not built (make)" >&2; exit 1; }
# every request from an address of its own (X-Forwarded-For), so per-address
# limits never answer in place of the password check; the account throttle
# is opened wide for the same reason (error_log: below the ServerRoot, VAR)
bench_serve "$PORT" "DevplatExposeCodes On
DevplatBcryptCost $COST
DevplatDummyCostRefresh 1
DevplatLoginThrottle 1000 900 1
$(bench_remoteip)
ErrorLog error_log
LogLevel info
CustomLog /dev/null short"

# as root, httpd serves as www-data: write the database as that user too,
# so the -wal and -shm files stay httpd's
AS=""
[ "$(id -u)" -ne 0 ] || AS="runuser -u www-data --"

SEQ=0
next_ip() { SEQ=$((SEQ + 1)); IP="10.9.$((SEQ / 250 % 250)).$((SEQ % 250 + 1))"; }
login() { # name password: the answer's status and time in ms
    next_ip
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST "$BASE/api/login" \
        -H 'Content-Type: application/json' -H "X-Forwarded-For: $IP" \
        -d "{\"username\":\"$1\",\"password\":\"$2\"}" | awk '{ printf "%s %.1f\n", $1, $2 * 1000 }'
}
register() { # name mobile
    next_ip
    code=$(curl -fs -H "X-Forwarded-For: $IP" "$BASE/api/register-sms?mobile=$2" \
           | json "['data']['verification_code']")
    next_ip
    curl -fs -X POST "$BASE/api/register" -H 'Content-Type: application/json' \
        -H "X-Forwarded-For: $IP" \
        -d "{\"username\":\"$1\",\"mobile\":\"$2\",\"password\":\"bench12345\",\"verification_code\":\"$code\"}" >/dev/null
}
cost_of() { sqlite3 "$VAR/devplat.db" "SELECT substr(password, 5, 2) FROM users WHERE username = '$1'"; }
series() { # label name: N wrong-password logins, one line: cost, times, answers
    label=$1; name=$2; i=0
    : > "$VAR/times"
    while [ $i -lt "$N" ]; do
        login "$name" wrong-pass-$i >> "$VAR/times"
        i=$((i + 1))
    done
    hash=$([ "$name" = "-" ] && echo "-" || cost_of "$name")
    sort -k2,2n "$VAR/times" | awk -v l="$label" -v c="${hash:--}" '
        { v[NR] = $2; n[$1]++ }
        END { m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.9 + 0.999)];
              a = ""; for (k in n) a = a (a == "" ? "" : ",") k "x" n[k];
              printf "%-34s %5s %8.1f %8.1f %8.1f %8.1f  %s\n", l, c, v[1], m, p, v[NR], a }'
}

# accounts: three registered (the commonest kind), one by devplat-admin at
# its default cost, one imported from Laravel with its own hash
for i in 1 2 3; do register "bench$i" "1390000123$i"; done
printf 'bench-admin-pw\n' | $AS "$ADMIN_TOOL" --driver sqlite3 --params "$VAR/devplat.db" \
    create-admin benchadmin >/dev/null
LARAVEL=$(htpasswd -nbB -C "$IMPORT_COST" x bench12345 | cut -d: -f2)
$AS sqlite3 "$VAR/devplat.db" "INSERT INTO users (username, password, status, is_admin, created_at,
    updated_at) VALUES ('benchlaravel', '$LARAVEL', 0, 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"

echo "$N wrong-password logins each, one at a time; DevplatBcryptCost $COST; $(nproc) cores; SQLite"
printf '%-34s %5s %8s %8s %8s %8s  %s\n' "login name" cost "min ms" "median" "p90" "max" answers
series "unknown name" nobody
series "registered account" bench1
series "devplat-admin account" benchadmin
series "imported Laravel hash" benchlaravel
# the first successful logins make both hashes again at DevplatBcryptCost
login benchadmin bench-admin-pw >/dev/null
login benchlaravel bench12345 >/dev/null
sleep 1.2        # past DevplatDummyCostRefresh: the children read the costs again
series "unknown name (after)" nobody
series "devplat-admin, after first login" benchadmin
series "imported, after first login" benchlaravel
echo "dummy cost as the children chose it:"
grep -o 'unknown login names now cost.*' "$VAR/error_log" | sort | uniq -c | sed 's/^/  /'
