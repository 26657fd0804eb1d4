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

scripts/prepare-var.sh var "$PORT" "DevplatExposeCodes On"
HTTPD=$(apxs -q SBINDIR)/$(apxs -q TARGET)
"$HTTPD" -t -f "$ROOT/var/httpd.conf"
echo "quickstart: serving http://127.0.0.1:$PORT/api (Ctrl-C stops)"
echo "quickstart: the admin console is http://127.0.0.1:$PORT/console/ (an administrator: devplat-admin create-admin NAME)"
exec "$HTTPD" -f "$ROOT/var/httpd.conf" -DFOREGROUND
