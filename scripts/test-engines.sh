# Throwaway database servers for the test suite, sourced by run-tests.sh.
# Each engine runs as the unprivileged test user with its data directory
# under t/var/<engine>, Unix sockets only (no TCP port is opened), and is
# stopped by the suite; no system service is touched.
#
#   engine_start ENGINE     start the server (pgsql, mysql; sqlite: nothing)
#   engine_schema ENGINE    create the database with tools/devplat-migrate:
#                           the released schema (--to 040_mobile), the rows of
#                           t/sql/<engine>/premigration/*.sql, then the
#                           migrations after it (t/engine/migration.t), then
#                           the test-only fixtures t/sql/<engine>/*.sql
#   engine_migrate ENGINE [ARGS]  tools/devplat-migrate on the test database
#   engine_conf ENGINE      print the DBDriver/DBDParams/DBDInitSQL lines
#   engine_stop ENGINE      stop the server
#   engine_env ENGINE       export what Devplat::Test's db() needs
# shellcheck shell=bash

engine_sockdir() { echo "$top/t/var/sock"; }

# How the test PostgreSQL runs (t/engine/pgsql_faults.t restarts it so).
engine_pgopts() {
    echo "-p 5432 -k $(engine_sockdir) -c listen_addresses= -c fsync=off -c max_connections=200"
}

engine_pgbin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

engine_sqldir() {
    case "$1" in
        sqlite) echo sql/sqlite ;;
        pgsql) echo sql/postgresql ;;
        mysql) echo sql/mysql ;;
    esac
}

engine_start() {
    local sock
    sock=$(engine_sockdir)
    mkdir -p "$sock"
    case "$1" in
        sqlite) return 0 ;;
        pgsql)
            local pgbin
            pgbin=$(engine_pgbin)
            [ -x "$pgbin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)"; return 1; }
            "$pgbin/initdb" -D "$top/t/var/pgsql" -A trust -U devplat --no-sync -E UTF8 \
                >"$top/t/var/pgsql-initdb.log" 2>&1 || return 1
            "$pgbin/pg_ctl" -D "$top/t/var/pgsql" -l "$top/t/var/pgsql.log" -w -t 30 \
                -o "$(engine_pgopts)" start >/dev/null || return 1
            ;;
        mysql)
            command -v mariadbd >/dev/null || { echo "MariaDB is not installed (apt-get install mariadb-server)"; return 1; }
            mariadb-install-db --no-defaults --datadir="$top/t/var/mysql" \
                --auth-root-authentication-method=normal --skip-test-db \
                >"$top/t/var/mysql-install.log" 2>&1 || return 1
            (mariadbd --no-defaults --datadir="$top/t/var/mysql" --socket="$sock/mysql.sock" \
                --skip-networking --pid-file="$top/t/var/mysql.pid" \
                --log-error="$top/t/var/mysql.log" --innodb-flush-log-at-trx-commit=0 \
                --max-connections=300 </dev/null >/dev/null 2>&1 &)
            local i
            for i in $(seq 100); do
                mariadb -S "$sock/mysql.sock" -u root -e 'SELECT 1' >/dev/null 2>&1 && return 0
                sleep 0.2
            done
            echo "mariadbd did not come up: $(tail -n 5 "$top/t/var/mysql.log")"
            return 1
            ;;
    esac
}

engine_stop() {
    local sock
    sock=$(engine_sockdir)
    case "$1" in
        pgsql)
            [ -d "$top/t/var/pgsql" ] && "$(engine_pgbin)/pg_ctl" -D "$top/t/var/pgsql" \
                -m fast -w stop >/dev/null 2>&1
            ;;
        mysql)
            [ -S "$sock/mysql.sock" ] && mariadb-admin -S "$sock/mysql.sock" -u root \
                shutdown >/dev/null 2>&1
            ;;
    esac
    return 0
}

# Runs one SQL file against the engine's test database.
engine_apply() {
    local sock
    sock=$(engine_sockdir)
    case "$1" in
        sqlite) sqlite3 -bail "$top/t/var/devplat.db" <"$2" >/dev/null ;;
        pgsql) psql -X -q -v ON_ERROR_STOP=1 -h "$sock" -p 5432 -U devplat -d devplat \
                   -f "$2" >/dev/null ;;
        mysql) mariadb -S "$sock/mysql.sock" -u root devplat <"$2" ;;
    esac
}

# Runs tools/devplat-migrate (ARGS: --to VERSION ...) on the engine's test
# database.
engine_migrate() {
    local engine=$1 sock
    shift
    sock=$(engine_sockdir)
    case "$engine" in
        sqlite) "$top/tools/devplat-migrate" --sql-dir "$top/sql/sqlite" "$@" \
                    sqlite "$top/t/var/devplat.db" ;;
        pgsql) "$top/tools/devplat-migrate" --sql-dir "$top/sql/postgresql" "$@" \
                   pgsql "host=$sock port=5432 dbname=devplat user=devplat" ;;
        mysql) "$top/tools/devplat-migrate" --sql-dir "$top/sql/mysql" "$@" \
                   mysql -S "$sock/mysql.sock" -u root devplat ;;
    esac
}

# The version the premigration fixtures are written for: the last release
# before migrations were recorded.
ENGINE_PREMIGRATION_VERSION=040_mobile

engine_schema() {
    local sock sql
    sock=$(engine_sockdir)
    case "$1" in
        pgsql) psql -X -q -h "$sock" -p 5432 -U devplat -d postgres \
                   -c 'CREATE DATABASE devplat' || return 1 ;;
        mysql) mariadb -S "$sock/mysql.sock" -u root \
                   -e 'CREATE DATABASE devplat CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' || return 1 ;;
    esac
    # the released schema, rows as that release wrote them, then the
    # migrations after it: the suite runs on a database migrated with data
    engine_migrate "$1" --to "$ENGINE_PREMIGRATION_VERSION" ||
        { echo "schema (devplat-migrate --to $ENGINE_PREMIGRATION_VERSION) failed"; return 1; }
    for sql in t/"$(engine_sqldir "$1")"/premigration/*.sql; do
        [ -e "$sql" ] || continue
        engine_apply "$1" "$sql" || { echo "premigration fixture failed: $sql"; return 1; }
    done
    engine_migrate "$1" || { echo "schema (devplat-migrate) failed"; return 1; }
    # test-only fixtures on top (fault injection, see t/sql/README)
    for sql in t/"$(engine_sqldir "$1")"/*.sql; do
        [ -e "$sql" ] || continue
        engine_apply "$1" "$sql" || { echo "test fixture failed: $sql"; return 1; }
    done
}

engine_conf() {
    local sock
    sock=$(engine_sockdir)
    echo "# generated by scripts/run-tests.sh for the $1 run"
    case "$1" in
        sqlite)
            echo "DBDriver sqlite3"
            echo "DBDParams \"$top/t/var/devplat.db\""
            echo 'DBDInitSQL "PRAGMA busy_timeout = 0"'
            echo 'DBDInitSQL "PRAGMA foreign_keys = ON"'
            ;;
        pgsql)
            echo "DBDriver pgsql"
            echo "DBDParams \"host=$sock port=5432 dbname=devplat user=devplat connect_timeout=5\""
            ;;
        mysql)
            echo "DBDriver mysql"
            echo "DBDParams \"sock=$sock/mysql.sock dbname=devplat user=root\""
            ;;
    esac
    echo "DBDPersist On"
}

engine_env() {
    export DEVPLAT_TEST_ENGINE=$1
    export DEVPLAT_TEST_SOCKDIR
    DEVPLAT_TEST_SOCKDIR=$(engine_sockdir)
    export DEVPLAT_TEST_PGBIN DEVPLAT_TEST_PGDATA DEVPLAT_TEST_PGOPTS
    DEVPLAT_TEST_PGBIN=$(engine_pgbin)
    DEVPLAT_TEST_PGDATA=$top/t/var/pgsql
    DEVPLAT_TEST_PGOPTS=$(engine_pgopts)
}
