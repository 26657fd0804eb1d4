#!/bin/sh
# Quick start, command 1: installs what is missing, builds mod_devplat,
# prepares ./var (SQLite database, 0600 JWT key, storage) and runs httpd in
# the foreground on http://127.0.0.1:8080 with DevplatExposeCodes On.
# PORT=8081 scripts/quickstart.sh picks another port. Ctrl-C stops it.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-8080}
cd "$ROOT"

scripts/install-deps.sh

if [ ! -x configure ]; then autoreconf -fi; fi
if [ ! -f Makefile ]; then ./configure; fi
make -j"$(nproc)"

HTTPD=$(apxs -q SBINDIR)/$(apxs -q TARGET)
MODULES=$(apxs -q LIBEXECDIR)

mkdir -p var/storage var/htdocs
if [ ! -f var/devplat.db ]; then
    for f in sql/sqlite/0*.sql; do sqlite3 var/devplat.db < "$f" >/dev/null; done
    echo "quickstart: created var/devplat.db from sql/sqlite/"
fi
if [ ! -f var/jwt.key ]; then
    (umask 077 && head -c 48 /dev/urandom > var/jwt.key)
    echo "quickstart: generated var/jwt.key (0600)"
fi

# As root, httpd reads the key first and then serves as www-data, which must
# be able to write the database, its WAL files and the storage directory.
USER_GROUP=""
if [ "$(id -u)" -eq 0 ]; then
    USER_GROUP="User www-data
Group www-data"
    chown www-data:www-data var var/storage var/devplat.db*
    chmod 0600 var/jwt.key
fi

sed -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$PORT|g" -e "s|@HTTPD_MODULES@|$MODULES|g" \
    conf/quickstart.conf.in > var/httpd.conf
printf '%s\n' "$USER_GROUP" > var/user.conf
sed -i -e "/^@USER_GROUP@$/r var/user.conf" -e "/^@USER_GROUP@$/d" var/httpd.conf

"$HTTPD" -t -f "$ROOT/var/httpd.conf"
echo "quickstart: serving http://127.0.0.1:$PORT/api (Ctrl-C stops)"
exec "$HTTPD" -f "$ROOT/var/httpd.conf" -DFOREGROUND
