#!/bin/sh
# Installs the npm tools of the OpenAPI checks (the Redocly linter, pinned by
# t/openapi/package.json and its package-lock.json) with `npm ci` into one
# fixed, root-owned directory readable by everyone:
#
#   ${DEVPLAT_OPENAPI_TOOLS:-/usr/local/lib/mod_devplat/openapi-tools}
#
# The suite runs as an unprivileged user in a copy of the tree
# (scripts/test.sh), which can neither write to a system path nor should
# install packages of its own: it runs $dir/node_modules/.bin/redocly from
# here. The directory is replaced whole (built beside it, then renamed) only
# when the lock file differs from the one it was installed from, so the pin
# is what runs and a half-finished install is never used. scripts/install-deps.sh
# calls this script.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
dest=${DEVPLAT_OPENAPI_TOOLS:-/usr/local/lib/mod_devplat/openapi-tools}
lock="$src/t/openapi/package-lock.json"

if [ -x "$dest/node_modules/.bin/redocly" ] && cmp -s "$lock" "$dest/package-lock.json"; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-openapi-tools: $dest is missing or not from $lock (run scripts/install-deps.sh as root)" >&2
    exit 0          # the lint test then fails and says so
fi
if ! command -v npm >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm
fi

mkdir -p "$(dirname "$dest")"
tmp=$(mktemp -d "$dest.new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$src/t/openapi/package.json" "$lock" "$tmp/"
# no install scripts: the linter needs none (core-js only prints a banner)
(cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
chmod -R a+rX "$tmp"
chmod 0755 "$tmp"
rm -rf "$dest.old"
[ -e "$dest" ] && mv "$dest" "$dest.old"
mv "$tmp" "$dest"
rm -rf "$dest.old"
trap - EXIT
echo "install-openapi-tools: installed $(cd "$dest" && node_modules/.bin/redocly --version 2>/dev/null | head -n 1) in $dest"
