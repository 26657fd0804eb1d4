#!/bin/sh
# Installs, with apt, what building, serving and testing mod_devplat needs on
# Debian 12 (clang and its runtime libraries for the libFuzzer targets).
# Packages already present are left alone; nothing else is touched.
set -eu

PACKAGES="build-essential autoconf automake libtool pkg-config
apache2 apache2-dev libaprutil1-dbd-sqlite3 libaprutil1-dbd-pgsql libaprutil1-dbd-mysql
libjson-c-dev libssl-dev libcurl4-openssl-dev libgd-dev sqlite3 curl
libapache2-mod-perl2 libcrypt-jwt-perl libjson-perl libwww-perl wrk
postgresql mariadb-server
python3-jsonschema python3-yaml libyaml-libyaml-perl
clang libclang-rt-dev"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
# the npm tools of the OpenAPI checks (the linter), in a fixed path
sh "$(dirname "$0")/install-openapi-tools.sh"

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing (run as root to install them)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
