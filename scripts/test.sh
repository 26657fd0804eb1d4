#!/bin/bash
# The project's test command:  scripts/test.sh
#
# Installs what is missing (scripts/install-deps.sh), then builds the module
# and runs every test (C unit tests + the Apache::Test suite) through
# scripts/run-tests.sh, which ends with one line "N passed, N failed".
#
# Apache::Test refuses to run as root (and then exits 0 having run nothing),
# so as root this script creates the unprivileged system user devplat-test,
# copies the source tree into a fresh directory owned by that user and runs
# the tests there with runuser. As any other user it runs them in place.
#
# Environment:
#   CONFIGURE_ARGS   passed to ./configure (e.g. --enable-sanitizers)
#   KEEP=1           (root) keep the copy (its path is printed) for inspection
#   DEVPLAT_TEST_USER  (root) the user to run as (default devplat-test)
#   TEST_FILES       space-separated t/**/*.t files to run (default: all)
#   DEVPLAT_TEST_PACKAGE  1: run the Debian package test (scripts/test-package.sh,
#                    root only), 0: do not; default: with the whole suite
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$src/scripts/install-deps.sh"

# The Debian package test (scripts/test-package.sh) installs into this
# machine's Apache, so it runs as root only, here, before the suite; its
# results count in the closing line (DEVPLAT_EXTRA_RESULTS). It runs with
# the whole suite, or with DEVPLAT_TEST_PACKAGE=1; never with =0.
package_test=${DEVPLAT_TEST_PACKAGE:-}
[ -n "$package_test" ] || { [ -z "${TEST_FILES:-}" ] && package_test=1 || package_test=0; }

if [ "$(id -u)" -ne 0 ]; then
    [ "$package_test" = 1 ] &&
        echo "test.sh: the Debian package test (scripts/test-package.sh) needs root: not run, not counted" >&2
    exec bash "$src/scripts/run-tests.sh"
fi

user=${DEVPLAT_TEST_USER:-devplat-test}
if ! id -u "$user" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$user"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/devplat-test.XXXXXX")
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo "test.sh: kept the test copy in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$work/src" "$work/home" "$work/tmp"

# Paths that are build or test outputs: never copied, so a tree that was
# built in place still gives a clean build in the copy.
is_output() {
    case "$1" in
        */.libs/*|.libs/*|*/.deps/*|.deps/*|autom4te.cache/*|*/autom4te.cache/*) return 0 ;;
        *.o|*.lo|*.la|*.so|*.a|*.log|*.trs) return 0 ;;
        t/logs/*|t/var/*|t/build/*|t/state/*|t/htdocs/index.html) return 0 ;;
        t/conf/httpd.conf|t/conf/extra.conf|t/conf/apache_test_config.pm|t/conf/mime.types) return 0 ;;
        config.status|config.h|devplat_config.h|devplat_config.h.in|stamp-h1|libtool) return 0 ;;
        Makefile|Makefile.in|configure|aclocal.m4|build-aux/*|m4/libtool.m4|m4/lt*.m4) return 0 ;;
        devplat-admin) return 0 ;;
        t/unit/*.c) return 1 ;;
        t/unit/test_*|t/unit/fuzz_*) return 0 ;;    # the unit test programs
        t/unit/fuzz-build/*|t/unit/fuzz-work/*|t/unit/fuzz-artifacts/*) return 0 ;;
    esac
    return 1
}

list_sources() {
    if command -v git >/dev/null 2>&1 &&
       git -c safe.directory="$src" -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -c safe.directory="$src" -C "$src" ls-files -z -co --exclude-standard
    else
        (cd "$src" && find . -path ./.git -prune -o \( -type f -o -type l \) -print0 | sed -z 's|^\./||')
    fi
}

list_sources | while IFS= read -r -d '' f; do
    { [ -e "$src/$f" ] || [ -L "$src/$f" ]; } || continue   # deleted, not yet staged
    is_output "$f" && continue
    printf '%s\0' "$f"
done | (cd "$src" && tar --null -T - -cf -) | tar -C "$work/src" -xf -

extra_results=""
if [ "$package_test" = 1 ]; then
    echo "test.sh: the Debian package (scripts/test-package.sh, as root)" >&2
    : >"$work/package-results"
    perl "$src/t/lib/tally.pl" --name "package (scripts/test-package.sh, root)" \
        --results "$work/package-results" --timeout 2400 -- bash "$src/scripts/test-package.sh" </dev/null || true
    extra_results="$work/package-results"
fi

chown -R "$user:" "$work"
chmod 0755 "$work"

echo "test.sh: running the tests as $user in $work/src" >&2
set +e
runuser -u "$user" -- env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$work/home" TMPDIR="$work/tmp" USER="$user" LOGNAME="$user" \
    DEVPLAT_EXTRA_RESULTS="$extra_results" \
    bash "$work/src/scripts/run-tests.sh" </dev/null
rc=$?
set -e
exit $rc
