#!/bin/bash
# Lints the OpenAPI documents (openapi/*.yaml) with the pinned Redocly CLI
# (t/openapi/package.json, installed by scripts/install-openapi-tools.sh)
# and the rules of t/openapi/redocly.yaml. TAP: one test for the tool, one
# per document (clean: no error and no warning).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools=${DEVPLAT_OPENAPI_TOOLS:-/usr/local/lib/mod_devplat/openapi-tools}
redocly=$tools/node_modules/.bin/redocly
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1

want=$(sed -n 's/.*"@redocly\/cli": *"\([^"]*\)".*/\1/p' "$here/package.json")
apis=$(sed -n 's/^  \([a-z]*@[0-9.]*\):$/\1/p' "$here/redocly.yaml")
echo "1..$(( 1 + $(echo "$apis" | wc -w) ))"

got=$("$redocly" --version 2>/dev/null | head -n 1)
if [ -n "$want" ] && [ "$got" = "$want" ]; then
    echo "ok 1 - Redocly CLI $want (the pinned version) in $tools"
else
    echo "not ok 1 - Redocly CLI $want in $tools (found: ${got:-none}; run scripts/install-deps.sh as root)"
    for api in $apis; do echo "not ok - lint $api (no linter)"; done
    exit 1
fi

n=1
rc=0
for api in $apis; do
    n=$((n + 1))
    if out=$(cd "$here" && "$redocly" lint --config redocly.yaml "$api" 2>&1); then
        echo "ok $n - redocly lint $api: clean"
    else
        echo "not ok $n - redocly lint $api"
        printf '%s\n' "$out" | sed 's/^/# /'
        rc=1
    fi
done
exit $rc
