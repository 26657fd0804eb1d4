#!/bin/bash
# Builds mod_devplat and runs every test, as an unprivileged user, in the
# tree this script belongs to (scripts/test.sh calls it; so does
# `make test-httpd`). Steps:
#
#   1. autoreconf -fi && ./configure $CONFIGURE_ARGS && make -j2
#   2. make check                       (C unit tests, t/unit/test_*: TAP),
#      then each libFuzzer target t/unit/fuzz_* for FUZZ_TIME seconds
#   3. the Apache::Test suite (t/**/*.t) against .libs/mod_devplat.so:
#      fresh database and key in t/var, httpd started by t/TEST.PL with
#      only the modules listed below (Debian's /etc/apache2 is not read)
#   4. one closing line "N passed, N failed" counting every TAP ok / not ok;
#      a test file that dies, stops early or is skipped counts as failed.
#
# Exits 0 only when nothing failed and at least one test ran.
#
# Environment:
#   CONFIGURE_ARGS   extra ./configure arguments (e.g. --enable-sanitizers)
#   TEST_FILES       space-separated .t files to run (default: t/**/*.t)
#   NO_BUILD=1       skip step 1 (reuse the existing build)
#   DEVPLAT_TEST_MPM event|worker|prefork (default event)
#   TEST_TIMEOUT     seconds allowed per test file (default 600)
#   FUZZ_TIME        seconds each libFuzzer target runs (default 20)
#   DEVPLAT_TEST_ENGINES  engines to run the suite on (default "sqlite pgsql
#                    mysql"; each gets throwaway servers, see test-engines.sh)
#   DEVPLAT_EXTRA_RESULTS  result files (NAME\tPASSED\tFAILED lines, as
#                    t/lib/tally.pl writes them) counted in the closing line
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

if [ "$(id -u)" -eq 0 ]; then
    echo "run-tests.sh: Apache::Test cannot run as root; use scripts/test.sh" >&2
    exit 1
fi

export LC_ALL=C.UTF-8 LANG=C.UTF-8
export APACHE_TEST_NO_STICKY_PREFERENCES=1
export APACHE_TEST_COLOR=0
export PERL5LIB="$top/t/lib${PERL5LIB:+:$PERL5LIB}"

results=$(mktemp "${TMPDIR:-/tmp}/devplat-results.XXXXXX") || exit 1

note() { printf '### %s\n' "$*"; }

record_failure() {     # NAME: a step that failed outside any TAP stream
    printf '%s\t0\t1\n' "$1" >>"$results"
    printf 'not ok - %s\n' "$1"
}

finish() {
    # results of steps run before this script, e.g. the package test that
    # scripts/test.sh runs as root: files of "NAME\tPASSED\tFAILED" lines
    local extra
    for extra in ${DEVPLAT_EXTRA_RESULTS:-}; do
        if [ -r "$extra" ]; then cat "$extra" >>"$results"
        else printf '%s\t0\t1\n' "results file $extra missing" >>"$results"; fi
    done
    perl -e '
        my ($p, $f) = (0, 0);
        open my $fh, "<", $ARGV[0] or die "$ARGV[0]: $!";
        print "\n### summary\n";
        while (<$fh>) {
            chomp; my ($name, $ok, $nok) = split /\t/;
            printf "%-40s %5d ok %5d not ok\n", $name, $ok, $nok;
            $p += $ok; $f += $nok;
        }
        print "$p passed, $f failed\n";
        exit(($f == 0 && $p > 0) ? 0 : 1);
    ' "$results"
    rc=$?
    rm -f "$results"
    exit $rc
}

# ---------------------------------------------------------------- build
if [ "${NO_BUILD:-0}" != 1 ]; then
    note "build: autoreconf -fi && ./configure ${CONFIGURE_ARGS:-} && make -j2"
    mkdir -p m4
    # shellcheck disable=SC2086
    if ! { autoreconf -fi && ./configure ${CONFIGURE_ARGS:-} && make -j2; }; then
        record_failure "build (autoreconf/configure/make)"
        finish
    fi
fi

# ---------------------------------------------------------------- unit tests
note "unit tests: make check"
make check
check_rc=$?
if [ -x t/unit/test_core ]; then
    note "unit tests: t/unit/test_core"
    perl t/lib/tally.pl --name t/unit/test_core --results "$results" \
        --timeout "${TEST_TIMEOUT:-600}" -- t/unit/test_core
    [ $check_rc -eq 0 ] || note "make check exited $check_rc"
else
    record_failure "make check (t/unit/test_core was not built)"
fi
# every other t/unit/test_<x>.c is a TAP program of its own
for src in t/unit/test_*.c; do
    prog=${src%.c}
    [ "$prog" = t/unit/test_core ] && continue
    if [ -x "$prog" ]; then
        note "unit tests: $prog"
        perl t/lib/tally.pl --name "$prog" --results "$results" \
            --timeout "${TEST_TIMEOUT:-600}" -- "$prog"
    else
        record_failure "make check ($prog was not built)"
    fi
done

# ---------------------------------------------------------------- fuzzing
# Every libFuzzer target (t/unit/fuzz_*.c, built with clang by `make
# fuzz-build`) runs FUZZ_TIME seconds as one TAP test (scripts/fuzz.sh; a
# crash fails it and prints the reproducer). `make fuzz` runs them longer.
if command -v clang >/dev/null 2>&1; then
    note "fuzz: make fuzz-build"
    if make fuzz-build; then
        for src in t/unit/fuzz_*.c; do
            prog=${src%.c}
            note "fuzz: $prog (${FUZZ_TIME:-20} s)"
            perl t/lib/tally.pl --name "$prog" --results "$results" \
                --timeout $(( ${FUZZ_TIME:-20} + 120 )) -- scripts/fuzz.sh "$prog" "${FUZZ_TIME:-20}"
        done
    else
        record_failure "fuzz targets (make fuzz-build)"
    fi
else
    note "fuzz: no clang, the libFuzzer targets are not run (scripts/install-deps.sh installs it)"
fi

# ---------------------------------------------------------------- OpenAPI
# The documents in openapi/: Redocly lint (the pinned CLI that
# scripts/install-openapi-tools.sh installs), route parity with
# modules/api/routes.c, and the contract checker's own tests. The contract
# check itself runs after each engine's Apache::Test files (run_engine).
note "openapi: redocly lint"
perl t/lib/tally.pl --name "openapi: redocly lint" --results "$results" \
    --timeout "${TEST_TIMEOUT:-600}" -- bash t/openapi/lint.sh
note "openapi: route parity"
perl t/lib/tally.pl --name "openapi: route parity" --results "$results" \
    --timeout "${TEST_TIMEOUT:-600}" -- python3 t/openapi/parity.py
note "openapi: contract checker self-test"
perl t/lib/tally.pl --name "openapi: contract checker self-test" --results "$results" \
    --timeout "${TEST_TIMEOUT:-600}" -- python3 t/openapi/test_contract.py

# ---------------------------------------------------------------- Apache::Test
module="$top/.libs/mod_devplat.so"
if [ ! -f "$module" ]; then
    record_failure "module not built: $module"
    finish
fi

apxs=$(command -v apxs || command -v apxs2 || echo /usr/bin/apxs)
httpd=${HTTPD:-$("$apxs" -q SBINDIR)/$("$apxs" -q TARGET)}
moddir=$("$apxs" -q LIBEXECDIR)

# The modules httpd loads, and nothing from /etc/apache2: -httpd_conf names a
# base file (MPM and core modules), -httpd_conf_extra the modules the suite
# needs; Apache::Test turns every LoadModule it finds in them into its own
# LoadModule line (so need_module sees them), and reads no other config.
mpm=${DEVPLAT_TEST_MPM:-event}
mkdir -p t/build
{
    echo "# generated by scripts/run-tests.sh"
    echo "LoadModule mpm_${mpm}_module $moddir/mod_mpm_${mpm}.so"
    for m in authz_core authn_core authz_host mime alias dir env headers setenvif; do
        echo "LoadModule ${m}_module $moddir/mod_${m}.so"
    done
} >t/build/httpd-base.conf
if [ "$mpm" = prefork ]; then cgi=cgi; else cgi=cgid; fi
{
    echo "# generated by scripts/run-tests.sh"
    echo "LoadModule dbd_module $moddir/mod_dbd.so"
    echo "LoadModule remoteip_module $moddir/mod_remoteip.so"
    echo "LoadModule ${cgi}_module $moddir/mod_${cgi}.so"
    echo "LoadModule devplat_module $module"
} >t/build/httpd-modules.conf

# A module built with --enable-sanitizers needs the ASan runtime preloaded
# into httpd (which is not instrumented itself).
preload=""
if ldd "$module" 2>/dev/null | grep -q libasan; then
    preload=$(gcc -print-file-name=libasan.so)
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:log_path=$top/t/logs/asan}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:log_path=$top/t/logs/ubsan}"
fi

# shellcheck source=scripts/test-engines.sh
. "$top/scripts/test-engines.sh"

# Waits (up to 15 s) for a process to be gone, so the next run can bind.
wait_gone() {
    local i
    for i in $(seq 150); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$1" 2>/dev/null
}

stop_httpd() {
    local pid
    if [ -f t/logs/node2.pid ]; then
        pid=$(cat t/logs/node2.pid)
        kill "$pid" 2>/dev/null
        wait_gone "$pid"
        rm -f t/logs/node2.pid
    fi
    if [ -f t/logs/httpd.pid ]; then
        pid=$(cat t/logs/httpd.pid)
        perl t/TEST.PL -stop-httpd </dev/null >/dev/null 2>&1 || true
        wait_gone "$pid"
    fi
}
stop_all() {
    stop_httpd
    engine_stop pgsql
    engine_stop mysql
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    perl -MIO::Socket::INET -e \
        'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0)->sockport'
}

# The loopback SMTP server of t/ops/smtp.t listens on this port, which the
# SMTP virtual hosts of t/conf/extra.conf.in name (${DEVPLAT_TEST_SMTP_PORT}).
export DEVPLAT_TEST_SMTP_PORT=${DEVPLAT_TEST_SMTP_PORT:-$(free_port)}

# A second node: the same generated configuration on another port, sharing
# the database, the key and the storage directory with the first.
start_node2() {
    local port=$1
    sed -e "s|^Listen .*|Listen 127.0.0.1:$port|" \
        -e "s|^ServerName .*|ServerName 127.0.0.1:$port|" \
        -e "s|^PidFile .*|PidFile $top/t/logs/node2.pid|" \
        -e "s|^ErrorLog .*|ErrorLog $top/t/logs/node2_error_log|" \
        -e "s|^\( *\)TransferLog .*|\1TransferLog $top/t/logs/node2_access_log|" \
        -e "s|^\( *\)ScriptSock .*|\1ScriptSock $top/t/logs/node2_cgisock|" \
        -e "s|^Include \"$top/t/conf/extra.conf\"|Include \"$top/t/var/node2-extra.conf\"|" \
        t/conf/httpd.conf >t/var/node2.conf
    # the virtual hosts of extra.conf.in (SMTP) listen on the first node only
    sed -e '/^Listen /d' t/conf/extra.conf >t/var/node2-extra.conf
    LD_PRELOAD="$preload" "$httpd" -f "$top/t/var/node2.conf" -k start
    local i
    for i in $(seq 50); do
        [ -f t/logs/node2.pid ] && return 0
        sleep 0.1
    done
    return 1
}

# Fresh state for one engine's run: database (schema files in lexical
# order), JWT key, upload storage, webhook sink log.
prepare_var() {
    rm -rf t/var
    mkdir -p t/var/storage
    # what a child killed mid-upload two hours ago left: httpd's startup
    # sweep removes it (t/hardening/35_upload_sweep.t)
    : >t/var/storage/.upload-startup-seed
    touch -d '2 hours ago' t/var/storage/.upload-startup-seed
    : >t/var/notify.log
    (umask 077 && head -c 48 /dev/urandom >t/var/jwt.key)
    chmod 0600 t/var/jwt.key
    chmod 0755 t/cgi-bin/* 2>/dev/null
    engine_start "$1" && engine_schema "$1" && engine_conf "$1" >t/var/engine.conf
}

# Test files of an engine's run: all of them, or TEST_FILES; t/engine/pgsql_*
# files only in the pgsql run.
engine_files() {
    local f
    # shellcheck disable=SC2086
    for f in ${TEST_FILES:-$(find t -name '*.t' -not -path 't/unit/*' | LC_ALL=C sort)}; do
        case "$f" in
            t/engine/pgsql_*) [ "$1" = pgsql ] || continue ;;
        esac
        echo "$f"
    done
}

run_engine() {
    local engine=$1 f files up=0
    note "[$engine] fresh database"
    if ! out=$(prepare_var "$engine" 2>&1); then
        echo "$out"
        record_failure "[$engine] database setup"
        engine_stop "$engine"
        return
    fi
    engine_env "$engine"

    # configured right before each start with a freshly selected port, and
    # tried again when another server took the port in between
    local attempt
    for attempt in 1 2 3; do
        note "[$engine] Apache::Test: start httpd ($httpd, mpm $mpm)"
        configure_httpd || break
        LD_PRELOAD="$preload" perl t/TEST.PL -start-httpd </dev/null
        if [ -f t/logs/httpd.pid ] && kill -0 "$(cat t/logs/httpd.pid)" 2>/dev/null; then
            up=1
            break
        fi
    done
    if [ $up = 1 ]; then
        port2=$(free_port)
        if start_node2 "$port2"; then
            export DEVPLAT_NODE2_URL="http://127.0.0.1:$port2"
        else
            tail -n 20 t/logs/node2_error_log 2>/dev/null
            record_failure "[$engine] second httpd node start"
        fi
        files=$(engine_files "$engine")
        rm -f t/logs/exchanges.jsonl   # Devplat::Test appends every exchange
        for f in $files; do
            note "[$engine] $f"
            perl t/lib/tally.pl --name "[$engine] $f" --results "$results" \
                --timeout "${TEST_TIMEOUT:-600}" -- perl "$f"
        done
        # every response those files received, against the OpenAPI documents
        note "[$engine] openapi: contract check of t/logs/exchanges.jsonl"
        touch t/logs/exchanges.jsonl
        cp t/logs/exchanges.jsonl "t/logs/exchanges-$engine.jsonl"
        perl t/lib/tally.pl --name "[$engine] openapi: contract" --results "$results" \
            --timeout "${TEST_TIMEOUT:-600}" -- python3 t/openapi/contract.py "t/logs/exchanges-$engine.jsonl"
        if [ -z "$files" ]; then
            record_failure "no Apache::Test files found (t/**/*.t)"
        fi
    else
        note "[$engine] httpd did not start; end of t/logs/error_log:"
        tail -n 40 t/logs/error_log 2>/dev/null
        record_failure "[$engine] httpd start (Apache::Test)"
    fi
    stop_httpd
    engine_stop "$engine"
}

configure_httpd() {
    perl t/TEST.PL -clean </dev/null >/dev/null 2>&1
    perl t/TEST.PL -apxs "$apxs" -httpd "$httpd" \
        -httpd_conf "$top/t/build/httpd-base.conf" \
        -httpd_conf_extra "$top/t/build/httpd-modules.conf" \
        -port select -maxclients 16 -configure </dev/null >t/build/configure.log 2>&1 \
        || { cat t/build/configure.log; return 1; }
}

for engine in ${DEVPLAT_TEST_ENGINES:-sqlite pgsql mysql}; do
    run_engine "$engine"
done
trap - EXIT

if ls t/logs/asan.* t/logs/ubsan.* >/dev/null 2>&1; then
    note "sanitizer reports from httpd:"
    cat t/logs/asan.* t/logs/ubsan.* 2>/dev/null | head -n 200
    record_failure "httpd sanitizer reports (t/logs/asan.*, t/logs/ubsan.*)"
fi

finish
