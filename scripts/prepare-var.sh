#!/bin/sh
# Prepares a runtime directory for a local httpd serving the build tree's
# module: SQLite database from sql/sqlite/ (created when missing, else
# migrated, both by tools/devplat-migrate), a 0600 JWT key
# (when missing), storage, and DIR/httpd.conf from conf/quickstart.conf.in.
#   scripts/prepare-var.sh DIR PORT [extra directive lines]
# A new database also gets the demo data of sql/sqlite/demo.sql (user demo,
# password demo123456) unless NO_DEMO=1.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$1
PORT=$2
EXTRA=${3:-}
MODULES=$(apxs -q LIBEXECDIR)

mkdir -p "$DIR/storage" "$DIR/htdocs"
DIR=$(cd "$DIR" && pwd)
if [ ! -f "$DIR/devplat.db" ]; then
    "$ROOT/tools/devplat-migrate" --sql-dir "$ROOT/sql/sqlite" sqlite "$DIR/devplat.db" >/dev/null
    echo "created $DIR/devplat.db from sql/sqlite/ (tools/devplat-migrate)"
    # the demo dataset (user demo, password demo123456); NO_DEMO=1 skips it
    if [ "${NO_DEMO:-0}" != 1 ] && [ -f "$ROOT/sql/sqlite/demo.sql" ]; then
        sqlite3 -bail "$DIR/devplat.db" < "$ROOT/sql/sqlite/demo.sql" >/dev/null
        # the demo projects' search terms, by the module's own rules
        "$ROOT/devplat-admin" --driver sqlite3 --params "$DIR/devplat.db" project reindex >/dev/null
        echo "loaded sql/sqlite/demo.sql: user demo, password demo123456"
    fi
else
    # a database of an earlier quick start: bring it to the current schema
    out=$("$ROOT/tools/devplat-migrate" --sql-dir "$ROOT/sql/sqlite" sqlite "$DIR/devplat.db") ||
        { printf '%s\n' "$out" >&2; exit 1; }
    case "$out" in "nothing to apply"*) ;; *) printf '%s\n' "$out" ;; esac
fi
if [ ! -f "$DIR/jwt.key" ]; then
    (umask 077 && head -c 48 /dev/urandom > "$DIR/jwt.key")
    echo "generated $DIR/jwt.key (0600)"
fi

# As root, httpd reads the key first and then serves as www-data, which must
# be able to write the database, its WAL files and the storage directory.
USER_GROUP=""
if [ "$(id -u)" -eq 0 ]; then
    USER_GROUP="User www-data
Group www-data"
    chown www-data:www-data "$DIR" "$DIR/storage" "$DIR"/devplat.db*
    chmod 0600 "$DIR/jwt.key"
fi

sed -e "s|@ROOT@|$ROOT|g" -e "s|@VAR@|$DIR|g" -e "s|@PORT@|$PORT|g" \
    -e "s|@HTTPD_MODULES@|$MODULES|g" "$ROOT/conf/quickstart.conf.in" > "$DIR/httpd.conf"
printf '%s\n%s\n' "$USER_GROUP" "$EXTRA" > "$DIR/.local.conf"
sed -i -e "/^@LOCAL@$/r $DIR/.local.conf" -e "/^@LOCAL@$/d" "$DIR/httpd.conf"
rm -f "$DIR/.local.conf"
