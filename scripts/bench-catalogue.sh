#!/bin/sh
# make bench-catalogue: the project catalogue at ROWS generated projects
# (Chinese names and introductions) on each engine, next to GET /api/me and
# a static file of the same size, with wrk. For each engine it prints the
# time devplat-admin project reindex takes to build the search index, the
# catalogue's and the index's size on disk, and a table of requests/s, p50
# and p99 with each target's ratio to the static file:
#   page 1 without q; a two-character query matching 0.1 % (鲲鹏) and one
#   matching 15 % (电梯) of the projects; page 10000 without q.
# The 15 % query and page 10000 are also timed alone (one connection),
# whose p50 is the latency of a single request. Measures only; nothing
# here passes or fails on speed. PostgreSQL and MariaDB run as throwaway
# servers of the calling user (not root) in a temporary directory, on Unix
# sockets only.
#   ROWS=1000000 ENGINES="sqlite pgsql mysql" DURATION=10s CONNECTIONS=64 \
#   THREADS=2 PORT=8097 scripts/bench-catalogue.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${ROWS:-1000000}
ENGINES=${ENGINES:-sqlite pgsql mysql}
PORT=${PORT:-8097}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
cd "$ROOT"
. scripts/bench-lib.sh

command -v wrk >/dev/null || { echo "bench-catalogue: wrk is missing (apt-get install wrk)" >&2; exit 1; }
case " $ENGINES " in *" mysql "*)
    command -v mariadbd >/dev/null || { echo "bench-catalogue: mariadbd is not on PATH (add /usr/sbin)" >&2; exit 1; } ;;
esac
[ "$(id -u)" -ne 0 ] || { echo "bench-catalogue: run it as an unprivileged user (the database servers refuse root)" >&2; exit 1; }
[ -x "$ROOT/devplat-admin" ] || { echo "bench-catalogue: build first (make)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/devplat-catbench.XXXXXX)
SOCK=$WORK/sock
mkdir -p "$SOCK"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
cleanup() {
    [ -n "${VAR:-}" ] && [ -f "$VAR/httpd.conf" ] && "$HTTPD" -f "$VAR/httpd.conf" -k stop 2>/dev/null
    [ -d "$WORK/pg" ] && "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1
    [ -S "$SOCK/mysql.sock" ] && mariadb-admin -S "$SOCK/mysql.sock" -u root shutdown >/dev/null 2>&1
    sleep 1
    rm -rf "$WORK" "${VAR:-/nonexistent}"
}
trap cleanup EXIT

# ------------------------------------------------------------ the catalogue

# ROWS projects as tab-separated name, introduction, domain,
# research_direction, delivery_at, created_at, updated_at: 电梯 in 15 % of the introductions, 鲲鹏
# in 0.1 % of the names; no other text holds 电, 梯, 鲲 or 鹏.
generate() {
    python3 - "$ROWS" <<'PY'
import random, sys
random.seed(14)
n = int(sys.argv[1])
chars = [c for c in ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可"
                     "主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家"
                     "力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
                     "因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看"
                     "原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已"
                     "通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流"
                     "路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先"
                     "回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油"
                     "思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真"
                     "务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温"
                     "传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商"
                     "非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除"
                     "消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层"
                     "片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")
         if c not in "电梯鲲鹏"]
domains = ["智慧工地", "交通", "零售", "医疗", "园区", "农业", "能源", "教育"]
dirs = ["人脸识别", "车辆检测", "行为分析", "文字识别", "缺陷检测", "语音", "目标跟踪", "分割"]
out = sys.stdout
for i in range(n):
    name = "".join(random.choices(chars, k=random.randint(4, 12)))
    if i % 1000 == 7:
        name = name[:2] + "鲲鹏" + name[2:]
    intro = "".join(random.choices(chars, k=random.randint(30, 80)))
    if i % 100 < 15:
        p = random.randint(0, len(intro))
        intro = intro[:p] + "电梯" + intro[p:]
    created = "20%02d-%02d-%02d %02d:%02d:00" % (22 + i * 3 // n, 1 + i % 12, 1 + i % 28,
                                                 i % 24, i % 60)
    out.write("\t".join([name, intro, domains[i % 8], dirs[i % 7], "2030-01-01 00:00:00",
                         created, created]) + "\n")
PY
}

load_sqlite() { # db file, tsv
    python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f, db:
    db.executemany("INSERT INTO projects (name, introduction, domain, research_direction, "
                   "delivery_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (l.rstrip("\n").split("\t") for l in f))
db.execute("ANALYZE")
PY
}

# ------------------------------------------------------------ the engines

start_engine() {
    case "$1" in
        sqlite) ;;
        pgsql)
            "$PGBIN/initdb" -D "$WORK/pg" -A trust -U devplat --no-sync -E UTF8 >/dev/null
            "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -t 60 \
                -o "-k $SOCK -c listen_addresses= -c max_connections=200 -c shared_buffers=256MB" \
                start >/dev/null
            psql -X -q -h "$SOCK" -U devplat -d postgres -c 'CREATE DATABASE devplat'
            tools/devplat-migrate --sql-dir sql/postgresql pgsql "host=$SOCK dbname=devplat user=devplat" >/dev/null
            ;;
        mysql)
            mariadb-install-db --no-defaults --datadir="$WORK/my" \
                --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
            (mariadbd --no-defaults --datadir="$WORK/my" --socket="$SOCK/mysql.sock" \
                --skip-networking --pid-file="$WORK/my.pid" --log-error="$WORK/my.log" \
                --innodb-buffer-pool-size=1G --local-infile=1 --max-connections=300 \
                </dev/null >/dev/null 2>&1 &)
            for i in $(seq 100); do
                mariadb -S "$SOCK/mysql.sock" -u root -e 'SELECT 1' >/dev/null 2>&1 && break
                sleep 0.3
            done
            mariadb -S "$SOCK/mysql.sock" -u root -e 'SELECT 1' >/dev/null 2>&1 || {
                echo "bench-catalogue: MariaDB did not start (is mariadbd on PATH? it is in /usr/sbin)" >&2
                tail -n 20 "$WORK/my.log" >&2 2>/dev/null
                exit 1
            }
            mariadb -S "$SOCK/mysql.sock" -u root \
                -e 'CREATE DATABASE devplat CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'
            tools/devplat-migrate --sql-dir sql/mysql mysql -S "$SOCK/mysql.sock" -u root devplat >/dev/null
            ;;
    esac
}

load() { # engine, tsv
    case "$1" in
        sqlite) load_sqlite "$VAR/devplat.db" "$2" ;;
        pgsql)
            psql -X -q -h "$SOCK" -U devplat -d devplat -c "\\copy projects (name, introduction, domain, research_direction, delivery_at, created_at, updated_at) FROM '$2'"
            ;;
        mysql)
            mariadb --local-infile=1 -S "$SOCK/mysql.sock" -u root devplat -e "LOAD DATA LOCAL INFILE '$2' INTO TABLE projects CHARACTER SET utf8mb4 (name, introduction, domain, research_direction, delivery_at, created_at, updated_at)"
            ;;
    esac
}

reindex() { # engine: devplat-admin project reindex, as an operator runs it
    case "$1" in
        sqlite) "$ROOT/devplat-admin" --driver sqlite3 --params "$VAR/devplat.db" project reindex ;;
        pgsql) "$ROOT/devplat-admin" --driver pgsql --params "host=$SOCK dbname=devplat user=devplat" project reindex ;;
        mysql) "$ROOT/devplat-admin" --driver mysql --params "sock=$SOCK/mysql.sock dbname=devplat user=root" project reindex ;;
    esac
}

analyze() {
    case "$1" in
        sqlite) sqlite3 "$VAR/devplat.db" 'ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null ;;
        pgsql) psql -X -q -h "$SOCK" -U devplat -d devplat -c 'VACUUM ANALYZE' ;;
        mysql) mariadb -S "$SOCK/mysql.sock" -u root devplat -e 'ANALYZE TABLE projects, project_search' >/dev/null ;;
    esac
}

# "catalogue-bytes index-bytes" on disk
sizes() {
    case "$1" in
        sqlite)
            sqlite3 "$VAR/devplat.db" "SELECT SUM(CASE WHEN name LIKE 'project_search%' THEN 0 ELSE pgsize END), SUM(CASE WHEN name LIKE 'project_search%' THEN pgsize ELSE 0 END) FROM dbstat WHERE name LIKE 'project%' AND name NOT LIKE 'project_participations%' AND name NOT LIKE 'project_instances%'" | tr '|' ' ' ;;
        pgsql)
            psql -X -At -h "$SOCK" -U devplat -d devplat -F ' ' -c "SELECT pg_total_relation_size('projects'), pg_total_relation_size('project_search')" ;;
        mysql)
            mariadb -N -S "$SOCK/mysql.sock" -u root devplat -e "SELECT
                (SELECT data_length + index_length FROM information_schema.tables WHERE table_schema = 'devplat' AND table_name = 'projects'),
                (SELECT data_length + index_length FROM information_schema.tables WHERE table_schema = 'devplat' AND table_name = 'project_search')
                + (SELECT COALESCE(SUM(allocated_size), 0) FROM information_schema.innodb_sys_tablespaces WHERE name LIKE 'devplat/fts%')" | tr '\t' ' ' ;;
    esac
}

dbd_lines() {
    case "$1" in
        pgsql) printf '%s\n' "DBDriver pgsql" "DBDParams \"host=$SOCK dbname=devplat user=devplat\"" ;;
        mysql) printf '%s\n' "DBDriver mysql" "DBDParams \"sock=$SOCK/mysql.sock dbname=devplat user=root\"" ;;
    esac
}

run() { # name, connections, wrk arguments...
    name=$1; conns=$2; shift 2
    wrk -t"$THREADS" -c"$conns" -d"$DURATION" --latency "$@" > "$VAR/$name.out"
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$VAR/$name.out")
    p50=$(awk '$1=="50%" {print $2}' "$VAR/$name.out")
    p99=$(awk '$1=="99%" {print $2}' "$VAR/$name.out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$VAR/$name.out")
    echo "$name $rps $p50 $p99 ${non2xx:-0}" >> "$VAR/results"
}

echo "bench-catalogue: $ROWS projects; wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores"
generate > "$WORK/projects.tsv"

for engine in $ENGINES; do
    echo
    echo "== $engine"
    start_engine "$engine"
    NO_DEMO=1 bench_serve "$PORT" "DevplatExposeCodes On
DevplatBcryptCost 4
CustomLog /dev/null short"
    trap cleanup EXIT           # bench_serve set its own
    if [ "$engine" != sqlite ]; then
        # the quick start's SQLite lines give way to the engine's
        "$HTTPD" -f "$VAR/httpd.conf" -k stop; sleep 1
        sed -i -e '/^DBDriver sqlite3/d' -e '/^DBDParams "/d' -e '/^DBDInitSQL "PRAGMA/d' "$VAR/httpd.conf"
        dbd_lines "$engine" >> "$VAR/httpd.conf"
    else
        "$HTTPD" -f "$VAR/httpd.conf" -k stop; sleep 1
    fi
    t0=$(date +%s)
    load "$engine" "$WORK/projects.tsv"
    t1=$(date +%s)
    reindex "$engine"
    t2=$(date +%s)
    analyze "$engine"
    set -- $(sizes "$engine")
    echo "loaded in $((t1 - t0)) s; devplat-admin project reindex: $((t2 - t1)) s"
    awk -v c="$1" -v i="$2" 'BEGIN { printf "on disk: catalogue %.1f MB, index %.1f MB (%.2f x)\n", c / 1048576, i / 1048576, i / c }'
    "$HTTPD" -f "$VAR/httpd.conf" -k start
    sleep 2
    MOBILE=13900001234
    CODE=$(curl -fs "$BASE/api/register-sms?mobile=$MOBILE" | json "['data']['verification_code']")
    curl -fs -X POST "$BASE/api/register" -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench\",\"mobile\":\"$MOBILE\",\"password\":\"bench12345\",\"verification_code\":\"$CODE\"}" >/dev/null
    TOKEN=$(curl -fs -X POST "$BASE/api/login" -H 'Content-Type: application/json' \
        -d '{"username":"bench","password":"bench12345"}' | json "['data']['token_info']['access_token']")
    H="Authorization: Bearer $TOKEN"
    curl -fs "$BASE/api/me" -H "$H" > "$VAR/htdocs/me.json"
    RARE=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("鲲鹏"))')
    COMMON=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("电梯"))')
    for q in "q=$RARE" "q=$COMMON"; do
        curl -fs "$BASE/api/project/paginate?per_page=10&$q" -H "$H" |
            json "['meta']['pagination']['total']" | sed "s/^/  total of $q: /"
    done
    : > "$VAR/results"
    run static "$CONNECTIONS" "$BASE/me.json"
    run me "$CONNECTIONS" -H "$H" "$BASE/api/me"
    run page1 "$CONNECTIONS" -H "$H" "$BASE/api/project/paginate?per_page=10"
    run q-0.1% "$CONNECTIONS" -H "$H" "$BASE/api/project/paginate?per_page=10&q=$RARE"
    run q-15% "$CONNECTIONS" -H "$H" "$BASE/api/project/paginate?per_page=10&q=$COMMON"
    THREADS=1 run q-15%-alone 1 -H "$H" "$BASE/api/project/paginate?per_page=10&q=$COMMON"
    run page10000 "$CONNECTIONS" -H "$H" "$BASE/api/project/paginate?per_page=10&page=10000"
    THREADS=1 run page10000-alone 1 -H "$H" "$BASE/api/project/paginate?per_page=10&page=10000"
    CEIL=$(awk '$1=="static" {print $2}' "$VAR/results")
    ME=$(awk '$1=="me" {print $2}' "$VAR/results")
    printf '| %-16s | %10s | %9s | %9s | %7s | %8s | %8s |\n' target req/s p50 p99 non-2xx vs-static vs-me
    printf '| --- | --- | --- | --- | --- | --- | --- |\n'
    while read -r name rps p50 p99 bad; do
        printf '| %-16s | %10s | %9s | %9s | %7s | %8s | %8s |\n' "$name" "$rps" "$p50" "$p99" "$bad" \
            "$(awk -v a="$rps" -v b="$CEIL" 'BEGIN { printf "%.3f", a / b }')" \
            "$(awk -v a="$rps" -v b="$ME" 'BEGIN { printf "%.3f", a / b }')"
    done < "$VAR/results"
    "$HTTPD" -f "$VAR/httpd.conf" -k stop
    sleep 1
    rm -rf "$VAR"
    VAR=
    case "$engine" in
        pgsql) "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null; rm -rf "$WORK/pg" ;;
        mysql) mariadb-admin -S "$SOCK/mysql.sock" -u root shutdown >/dev/null 2>&1; sleep 2; rm -rf "$WORK/my" ;;
    esac
done
