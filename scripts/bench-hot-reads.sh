#!/bin/bash
# make bench-hot-reads: the hot authenticated reads on each engine, next to
# a static file of the same size served by the same httpd (the ceiling):
# GET /api/me, GET /api/user/base and the mobile get_user_details, with
# wrk on loopback. SQLite is the quick start's file; PostgreSQL and MariaDB
# are throwaway servers in a temporary directory, run as the suite runs
# them (Unix sockets only, fsync off), with the user's credit records of
# both kinds. Prints, per engine: target, req/s, p50, p99, the ratio of
# req/s to the static file's and of p99 to the static file's. Measures
# only; nothing here passes or fails on speed.
#   ENGINES="sqlite pgsql mysql" DURATION=10s CONNECTIONS=64 THREADS=2 \
#   PORT=8099 RECORDS=200 WARMUP=5s scripts/bench-hot-reads.sh
# POOL overrides the process and pool lines; the default is the README's
# recommendation for PostgreSQL and MariaDB: a fixed set of children, each
# with its connections open from its start, one per thread (POOL= gives
# httpd's and mod_dbd's defaults, for comparison).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-8099}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ENGINES=${ENGINES:-sqlite pgsql mysql}
RECORDS=${RECORDS:-200}
WARMUP=${WARMUP:-5s}
POOL=${POOL-"StartServers 3
ServerLimit 3
ThreadsPerChild 25
MaxRequestWorkers 75
MinSpareThreads 25
MaxSpareThreads 75
DBDMin 25
DBDKeep 25
DBDMax 25"}
cd "$ROOT"
. scripts/bench-lib.sh

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

# The database servers run as the user httpd serves as.
RUN_AS=""
[ "$(id -u)" -eq 0 ] && RUN_AS="runuser -u www-data --"

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# db_start ENGINE DIR: a throwaway server and an empty database devplat;
# prints the DBD lines for httpd
db_start() {
    local dir=$2
    mkdir -p "$dir/sock"
    [ -n "$RUN_AS" ] && chown -R www-data:www-data "$dir"
    case "$1" in
        pgsql)
            $RUN_AS "$(pgbin)/initdb" -D "$dir/pg" -A trust -U devplat --no-sync -E UTF8 \
                >"$dir/initdb.log" 2>&1
            $RUN_AS "$(pgbin)/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 30 \
                -o "-p 5432 -k $dir/sock -c listen_addresses= -c fsync=off -c max_connections=200" \
                start >/dev/null
            psql -X -q -h "$dir/sock" -U devplat -d postgres -c 'CREATE DATABASE devplat'
            tools/devplat-migrate --sql-dir sql/postgresql pgsql \
                "host=$dir/sock port=5432 dbname=devplat user=devplat" >/dev/null
            printf '%s\n' "DBDriver pgsql" \
                "DBDParams \"host=$dir/sock port=5432 dbname=devplat user=devplat\""
            ;;
        mysql)
            $RUN_AS mariadb-install-db --no-defaults --datadir="$dir/my" \
                --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
            ($RUN_AS mariadbd --no-defaults --datadir="$dir/my" --socket="$dir/sock/mysql.sock" \
                --skip-networking --pid-file="$dir/my.pid" --log-error="$dir/my.log" \
                --innodb-flush-log-at-trx-commit=0 --max-connections=300 </dev/null >/dev/null 2>&1 &)
            for _ in $(seq 100); do
                mariadb -S "$dir/sock/mysql.sock" -u root -e 'SELECT 1' >/dev/null 2>&1 && break
                sleep 0.2
            done
            mariadb -S "$dir/sock/mysql.sock" -u root \
                -e 'CREATE DATABASE devplat CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'
            tools/devplat-migrate --sql-dir sql/mysql mysql -S "$dir/sock/mysql.sock" -u root \
                devplat >/dev/null
            printf '%s\n' "DBDriver mysql" \
                "DBDParams \"sock=$dir/sock/mysql.sock dbname=devplat user=root\""
            ;;
    esac
}

db_stop() {
    case "$1" in
        pgsql) $RUN_AS "$(pgbin)/pg_ctl" -D "$2/pg" -m fast -w stop >/dev/null 2>&1 || true ;;
        mysql) mariadb-admin -S "$2/sock/mysql.sock" -u root shutdown >/dev/null 2>&1 || true ;;
    esac
}

# the user's credit history: RECORDS records of both kinds, written as
# another service of the platform would (with the totals beside them)
credit_history() { # engine dbdir user-id
    local i values="" signed
    for i in $(seq "$RECORDS"); do
        values="$values${values:+,}($3, $((i % 7 + 1)), 1, $((i % 2)), 'bench $i', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
    done
    signed='CASE WHEN c.is_positive_growth = 1 THEN c.amount ELSE -c.amount END'
    sql "$1" "$2" "INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at) VALUES $values;"
    # (a schema before 058 has no totals: the script measures it too)
    sql "$1" "$2" "SELECT general_integral FROM users WHERE id = $3" >/dev/null 2>&1 || return 0
    sql "$1" "$2" "UPDATE users SET
  general_integral = (SELECT COALESCE(SUM($signed), 0) FROM credit_records c WHERE c.user_id = users.id AND c.dedicated = 0),
  dedicated_integral = (SELECT COALESCE(SUM($signed), 0) FROM credit_records c WHERE c.user_id = users.id AND c.dedicated <> 0)
WHERE id = $3;"
}

sql() { # engine dbdir statements
    case "$1" in
        sqlite) $RUN_AS sqlite3 -bail "$VAR/devplat.db" "$3" ;;
        pgsql) psql -X -q -v ON_ERROR_STOP=1 -h "$2/sock" -U devplat -d devplat -c "$3" >/dev/null ;;
        mysql) mariadb -S "$2/sock/mysql.sock" -u root devplat -e "$3" ;;
    esac
}

run() { # name, wrk arguments...
    local name=$1 out
    shift
    out="$VAR/$name.out"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" > "$out"
    echo "$name $(awk '/^Requests\/sec:/ {print $2}' "$out") \
$(awk '$1=="50%" {print $2}' "$out") $(awk '$1=="99%" {print $2}' "$out") \
$(awk '/Non-2xx/ {print $NF}' "$out" | grep . || echo 0)" >> "$VAR/results"
}

# wrk's "1.23ms" / "456.00us" / "1.02s" as milliseconds
ms() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /ms$/) v += 0;
                              else if (t ~ /s$/) v *= 1000; printf "%.3f", v }'; }

bench_engine() { # engine
    local engine=$1 dbdir dbd="" token id body
    dbdir=$(mktemp -d /tmp/devplat-bench-db.XXXXXX)
    [ "$engine" = sqlite ] || dbd=$(db_start "$engine" "$dbdir")
    BENCH_DBD=$dbd bench_serve "$PORT" "DevplatExposeCodes On
DevplatBcryptCost 4
$dbd
$POOL
CustomLog /dev/null short"
    trap '"$HTTPD" -f "$VAR/httpd.conf" -k stop; sleep 1; rm -rf "$VAR"; db_stop '"$engine $dbdir"'; rm -rf '"$dbdir" EXIT

    local mobile=13900001234
    code=$(curl -fs "$BASE/api/register-sms?mobile=$mobile" | json "['data']['verification_code']")
    curl -fs -X POST "$BASE/api/register" -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench\",\"mobile\":\"$mobile\",\"password\":\"bench12345\",\"verification_code\":\"$code\"}" >/dev/null
    token=$(curl -fs -X POST "$BASE/api/login" -H 'Content-Type: application/json' \
        -d '{"username":"bench","password":"bench12345"}' | json "['data']['token_info']['access_token']")
    id=$(curl -fs "$BASE/api/me" -H "Authorization: Bearer $token" | json "['data']['id']")
    credit_history "$engine" "$dbdir" "$id"

    # each target and, as its ceiling, a static file of the same size
    for t in me:/api/me base:/api/user/base details:/Api/User/get_user_details; do
        curl -fs "$BASE${t#*:}" -H "Authorization: Bearer $token" > "$VAR/htdocs/${t%%:*}.json"
    done
    body=$(wc -c < "$VAR/htdocs/me.json")
    echo "== $engine: wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores; /api/me $body bytes;" \
         "$(curl -fs "$BASE/api/user/level-credit" -H "Authorization: Bearer $token" |
            json "['data']['integral_record'].__len__()") records shown of $((RECORDS + 1))"
    # a warm-up of WARMUP seconds (every child opens its pooled connections
    # and prepares the statements on each), not measured
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $token" \
        "$BASE/api/me" >/dev/null
    for t in me:/api/me base:/api/user/base details:/Api/User/get_user_details; do
        run "static-${t%%:*}" "$BASE/${t%%:*}.json"
        run "${t%%:*}" -H "Authorization: Bearer $token" "$BASE${t#*:}"
    done
    printf '%-16s %10s %10s %10s %8s %10s %10s\n' target req/s p50 p99 non-2xx req/s-ratio p99-ratio
    while read -r name rps p50 p99 bad; do
        local ceil cp99 ratio pr
        ceil=$(awk -v n="static-${name#static-}" '$1==n {print $2}' "$VAR/results")
        cp99=$(awk -v n="static-${name#static-}" '$1==n {print $4}' "$VAR/results")
        ratio=$(awk -v a="$rps" -v b="$ceil" 'BEGIN { printf "%.2f", a / b }')
        pr=$(awk -v a="$(ms "$p99")" -v b="$(ms "$cp99")" 'BEGIN { printf "%.2f", a / b }')
        printf '%-16s %10s %10s %10s %8s %10s %10s\n' "$name" "$rps" "$p50" "$p99" "$bad" "$ratio" "$pr"
    done < "$VAR/results"
}

echo "pool: $(echo "${POOL:-httpd and mod_dbd defaults}" | paste -sd ' ')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for engine in $ENGINES; do
    (bench_engine "$engine")
done
