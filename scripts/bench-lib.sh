# Shared by the benchmarks (sourced): a local httpd on the quick-start
# configuration in a fresh directory, stopped and removed on exit.
#
#   . scripts/bench-lib.sh
#   bench_serve PORT "extra directive lines"     # sets VAR, BASE, HTTPD
#
# Every client of a benchmark may send X-Forwarded-For: the extra lines
# from bench_remoteip make httpd take it from loopback, so per-address
# limits see many clients instead of one.

bench_remoteip() {
    printf '%s\n' "LoadModule remoteip_module $(apxs -q LIBEXECDIR)/mod_remoteip.so" \
        "RemoteIPHeader X-Forwarded-For" "RemoteIPInternalProxy 127.0.0.1"
}

bench_serve() { # port, extra directives
    VAR=$(mktemp -d /tmp/devplat-bench.XXXXXX)
    BASE=http://127.0.0.1:$1
    HTTPD=$(apxs -q SBINDIR)/$(apxs -q TARGET)
    NO_DEMO=${NO_DEMO:-1} scripts/prepare-var.sh "$VAR" "$1" "$2" >/dev/null
    # BENCH_DBD=1: the extra lines bring their own DBDriver/DBDParams (another
    # engine than the quick start's SQLite)
    if [ -n "${BENCH_DBD:-}" ]; then
        sed -i -e '/^DBDriver sqlite3$/d' -e "\\|^DBDParams \"$VAR/devplat.db\"\$|d" \
            -e '/^DBDInitSQL "PRAGMA/d' "$VAR/httpd.conf"
    fi
    "$HTTPD" -f "$VAR/httpd.conf" -k start 2>"$VAR/start.log" ||
        { cat "$VAR/start.log" >&2; rm -rf "$VAR"; exit 1; }
    trap '"$HTTPD" -f "$VAR/httpd.conf" -k stop; sleep 1; rm -rf "$VAR"' EXIT
    for i in 1 2 3 4 5 6 7 8 9 10; do
        curl -fs "$BASE/api/nope" >/dev/null 2>&1 || [ $? -eq 22 ] && break
        sleep 0.3
    done
}

# json '["data"]["id"]' < body: one value of a JSON document
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d'+sys.argv[1]))" "$1"; }
