#!/bin/bash
# Runs one libFuzzer target (built by `make fuzz-build`) for a bounded time
# and reports it as one TAP test, so that scripts/run-tests.sh can count it
# (through t/lib/tally.pl) and `make fuzz` can run every target longer.
#
#   scripts/fuzz.sh t/unit/fuzz_body 20
#
# Seeds come from t/unit/corpus/<target>/ (committed, read only); what the
# fuzzer finds goes to t/unit/fuzz-work/<target>/ and crashing inputs to
# t/unit/fuzz-artifacts/. A crash, a leak, a sanitizer report or a hang
# (-timeout, 10 s for one input) prints the reproducer's path and its bytes
# in base64 (the test copy of scripts/test.sh is removed afterwards), and
# fails. Replay one with: t/unit/fuzz_body t/unit/fuzz-artifacts/<file>
set -uo pipefail

prog=${1:?usage: fuzz.sh TARGET SECONDS}
seconds=${2:-20}
name=$(basename "$prog")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

echo "1..1"
if [ ! -x "$prog" ]; then
    echo "not ok 1 - $name: not built (make fuzz-build)"
    exit 1
fi

work=t/unit/fuzz-work/$name
artifacts=t/unit/fuzz-artifacts
log=t/unit/fuzz-work/$name.log
mkdir -p "$work" "$artifacts"
seeds=()
[ -d "$top/t/unit/corpus/$name" ] && seeds=("$top/t/unit/corpus/$name")

# one job, no fork: the machine is shared; leaks count (pools are freed)
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$prog" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
    "$work" "${seeds[@]}" >"$log" 2>&1
rc=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
if [ $rc -eq 0 ]; then
    echo "ok 1 - $name: ${runs:-?} inputs in $seconds s, no crash"
    exit 0
fi

echo "not ok 1 - $name: libFuzzer exited $rc"
grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 | sed 's/^/# /'
repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
if [ -n "$repro" ] && [ -f "$repro" ]; then
    echo "# reproducer: $(cd "$(dirname "$repro")" && pwd)/$(basename "$repro")"
    echo "# replay: $prog $repro"
    echo "# its bytes (base64):"
    head -c 4096 "$repro" | base64 | sed 's/^/#   /'
else
    echo "# no reproducer written; the end of $log:"
    tail -n 20 "$log" | sed 's/^/#   /'
fi
exit 1
