#!/usr/bin/env bash
# Where a page's time goes (issue 9: "the profile that shows it"). Starts `thidua demo` (release
# build), logs in as the leader unit's officer, runs wrk on one page and records every CPU of
# the machine with `perf record -a` meanwhile; prints the CPU split by program (thidua,
# PostgreSQL backends, wrk, the kernel) and the hottest functions of thidua and of PostgreSQL.
#
# Usage:  bash bench/profile.sh [PATH]        (default PATH: the live year's leader's dashboard)
# Env:    PROFILE_SECONDS (8), PROFILE_CONNECTIONS (64), PROFILE_PORT (18280),
#         CARGO_TARGET_DIR (where the release build is), PROFILE_SKIP_BUILD=1
# Needs:  perf (linux-perf), wrk, curl, the PostgreSQL server programs. A benchmark, not a test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECS="${PROFILE_SECONDS:-8}"
CONNS="${PROFILE_CONNECTIONS:-64}"
PORT="${PROFILE_PORT:-18280}"
for tool in perf wrk curl; do
    command -v "$tool" >/dev/null || { echo "profile: $tool is needed" >&2; exit 1; }
done
NAME=profile SKIP_BUILD="${PROFILE_SKIP_BUILD:-0}"
# shellcheck source=bench/demo_session.sh
source "$ROOT/bench/demo_session.sh"
PAGE="${1:-}"
if [[ -z "$PAGE" ]]; then
    # The live year of the Lạng Sơn cluster, whose leader canbo.thads-ls works for.
    PAGE="$(curl -sS -b "$JAR" "$BASE/" | grep -o '/years/[0-9]*/scoring' | head -n 1)"
fi
CODE="$(curl -sS -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE$PAGE")"
[[ "$CODE" == 200 ]] || { echo "profile: $PAGE answered $CODE" >&2; exit 1; }
echo "profile: $PAGE, wrk -t2 -c$CONNS -d${SECS}s, perf record -a -g at 499 Hz" >&2
wrk -t2 -c"$CONNS" -d"$((SECS + 2))s" -H "Cookie: thidua_session=$SESSION" "$BASE$PAGE" \
    >"$TMP/wrk.txt" &
WRK=$!
sleep 1
perf record -q -a -g -F 499 -o "$TMP/perf.data" -- sleep "$SECS" 2>/dev/null
wait "$WRK"
echo "## $PAGE"
grep -E 'Requests/sec|Latency' "$TMP/wrk.txt"
echo
echo "### CPU by program (all CPUs, samples while wrk ran)"
perf report -i "$TMP/perf.data" -g none --no-children --sort comm --stdio 2>/dev/null \
    | grep -E '^ +[0-9]' | head -n 12 || true
echo
# thidua's work runs on tokio's worker threads, which carry that name rather than the program's.
echo "### Hottest functions of thidua (self time, share of all samples)"
perf report -i "$TMP/perf.data" -g none --no-children --comm tokio-rt-worker --sort dso,symbol --stdio \
    2>/dev/null | grep -E '^ +[0-9]' | head -n 20 || true
echo
echo "### Hottest functions of PostgreSQL (self time, share of all samples)"
perf report -i "$TMP/perf.data" -g none --no-children --comm postgres --sort dso,symbol --stdio 2>/dev/null \
    | grep -E '^ +[0-9]' | head -n 20 || true
