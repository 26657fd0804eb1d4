#!/bin/sh
# Installs, with apt, what building, serving and testing mod_devplat needs on
# Debian 12 (clang and its runtime libraries for the libFuzzer targets).
# Packages already present are left alone; nothing else is touched.
set -eu

PACKAGES="build-essential autoconf automake libtool pkg-config
apache2 apache2-dev libaprutil1-dbd-sqlite3 libaprutil1-dbd-pgsql libaprutil1-dbd-mysql
libjson-c-dev libssl-dev libcurl4-openssl-dev libgd-dev sqlite3 curl
libapache2-mod-perl2 libcrypt-jwt-perl libjson-perl libwww-perl wrk
openssl python3-jwt python3-cryptography
postgresql mariadb-server
clang libclang-rt-dev
chromium fonts-noto-cjk nodejs
python3-jsonschema python3-yaml libyaml-libyaml-perl
python3-aiosmtpd
debhelper devscripts lintian"
# promtool (check metrics) for the metrics tests (t/ops/)
PACKAGES="$PACKAGES prometheus"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
# npm: Debian's package, unless the installed nodejs brings its own
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: missing packages:$missing (run as root to install them)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
fi

# The console's browser tests (t/console/*.t): playwright-core, pinned by
# t/browser/package-lock.json, in a fixed root-owned directory every user
# can read (the suite runs as an unprivileged user in a copy of the tree;
# t/browser/lib.mjs looks here, or in DEVPLAT_BROWSER_MODULES). It drives
# Debian's chromium: playwright-core downloads no browser.
src=$(cd "$(dirname "$0")/.." && pwd)
browser=${DEVPLAT_BROWSER_MODULES:-/usr/local/lib/devplat-browser}
if ! cmp -s "$src/t/browser/package-lock.json" "$browser/package-lock.json" ||
   [ ! -f "$browser/node_modules/playwright-core/package.json" ]; then
    if [ "$(id -u)" -ne 0 ] && [ ! -w "$(dirname "$browser")" ]; then
        echo "install-deps: $browser is missing or stale (run as root to install it)" >&2
        exit 1
    fi
    mkdir -p "$browser"
    cp "$src/t/browser/package.json" "$src/t/browser/package-lock.json" "$browser/"
    (cd "$browser" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    chmod -R a+rX "$browser"
fi

# the npm tools of the OpenAPI checks (the linter), in a fixed path
sh "$src/scripts/install-openapi-tools.sh"
