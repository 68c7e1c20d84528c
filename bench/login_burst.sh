#!/usr/bin/env bash
# Login-flood reproduction (issue 12, item 1): 40 clients POST /login with a wrong password and
# hang up after 0.25 s, for 15 s, against one `thidua demo` on 127.0.0.1. Reports thidua's
# memory (RSS) and threads before the burst, right after it and after a quiet pause, how the
# answers split (303/401/429/503/abandoned) and how many attempts were recorded.
#
# This is a benchmark, not a test: it prints figures and never fails on them.
#
# Usage:  bash bench/login_burst.sh
# Env:    BURST_BIN        thidua binary to measure (default $CARGO_TARGET_DIR/release/thidua,
#                          built with `cargo build --release` unless BURST_SKIP_BUILD=1)
#         BURST_CLIENTS    concurrent clients (default 40)
#         BURST_SECONDS    length of one burst (default 15)
#         BURST_HANGUP     seconds after which each client hangs up (default 0.25)
#         BURST_ROUNDS     bursts in a row (default 1)
#         BURST_PORT       port (default 18180)
#
# Every request goes to 127.0.0.1; the run is bounded (clients x rounds x seconds); thidua and
# its PostgreSQL are stopped on exit, failures included.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${BURST_BIN:-$TARGET/release/thidua}"
CLIENTS="${BURST_CLIENTS:-40}"
SECONDS_PER_BURST="${BURST_SECONDS:-15}"
HANGUP="${BURST_HANGUP:-0.25}"
ROUNDS="${BURST_ROUNDS:-1}"
PORT="${BURST_PORT:-18180}"
BASE="http://127.0.0.1:$PORT"
PSQL=/usr/lib/postgresql/15/bin/psql
[[ -x "$PSQL" ]] || PSQL="$(command -v psql || true)"

log() { printf '[login-burst] %s\n' "$*" >&2; }
die() { printf '[login-burst] FAIL: %s\n' "$*" >&2; exit 1; }
command -v curl >/dev/null || die "curl is required"
[[ "$CLIENTS" -le 200 && "$SECONDS_PER_BURST" -le 120 && "$ROUNDS" -le 5 ]] \
    || die "refusing a burst larger than 200 clients x 120 s x 5 rounds"

if [[ -z "${BURST_BIN:-}" && "${BURST_SKIP_BUILD:-0}" != 1 ]]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release) >&2 || die "build failed"
fi
[[ -x "$BIN" ]] || die "no binary at $BIN"

TMP="$(mktemp -d /tmp/thidua-burst.XXXX)"
chmod 755 "$TMP"
SERVER_PID=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -INT "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 600); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    [[ $rc -eq 0 ]] || tail -n 20 "$TMP/server.log" >&2 || true
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rss_mib() { awk '/^VmRSS:/{printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status"; }
hwm_mib() { awk '/^VmHWM:/{printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status"; }
threads() { awk '/^Threads:/{print $2}' "/proc/$SERVER_PID/status"; }

log "starting $BIN demo on 127.0.0.1:$PORT"
"$BIN" demo --data-dir "$TMP/pg" --bind "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 1800); do
    curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "thidua exited before it was ready"
    sleep 0.1
done
curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" || die "thidua not ready after 180 s"
SOCK="$(ls -d "${TMPDIR:-/tmp}"/thidua-pg-"$SERVER_PID"-* | head -n 1)"
attempts() {
    [[ -x "$PSQL" ]] || { echo "?"; return; }
    "$PSQL" -X -At -h "$SOCK" -p 5432 -U thidua -d thidua \
        -c "SELECT coalesce(sum(failures), 0) FROM login_throttle WHERE kind = 'address'" \
        2>/dev/null || echo "?"
}

# One client: its own anti-forgery cookie and token (as a browser has), then POSTs with a
# wrong password, hanging up after $HANGUP s, until its time is up. Prints one status per
# request (000 = hung up before an answer).
client() {
    local n="$1" end="$2" jar="$TMP/jar-$1" token
    token="$(curl -s --max-time 5 -c "$jar" "$BASE/login" \
        | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
    while [[ $(date +%s) -lt $end ]]; do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time "$HANGUP" -b "$jar" \
            --data-urlencode "csrf=$token" --data-urlencode "username=burst$n" \
            --data-urlencode "password=wrong-password-$RANDOM" "$BASE/login" || true
    done
}

before_rss="$(rss_mib)"; before_threads="$(threads)"; before_attempts="$(attempts)"
log "before: RSS $before_rss MiB, $before_threads threads, $before_attempts attempts recorded"
for round in $(seq 1 "$ROUNDS"); do
    end=$(( $(date +%s) + SECONDS_PER_BURST ))
    peak_threads=0
    for n in $(seq 1 "$CLIENTS"); do client "$n" "$end" >"$TMP/codes-$round-$n" & done
    while [[ $(date +%s) -lt $end ]]; do
        t="$(threads)"; [[ $t -gt $peak_threads ]] && peak_threads=$t
        sleep 0.5
    done
    wait $(jobs -p | grep -v "^$SERVER_PID$") 2>/dev/null || true
    log "round $round: RSS right after $(rss_mib) MiB (peak $(hwm_mib) MiB), peak threads $peak_threads"
done
sleep 5
after_rss="$(rss_mib)"; after_threads="$(threads)"
sleep 25
settled_rss="$(rss_mib)"; after_attempts="$(attempts)"

cat "$TMP"/codes-* | sort | uniq -c | sort -rn > "$TMP/codes"
total="$(cat "$TMP"/codes-* | wc -l)"
echo
echo "## Login burst: $CLIENTS clients, hang up after ${HANGUP}s, ${SECONDS_PER_BURST}s x $ROUNDS"
echo
echo "binary: $BIN"
echo "| | RSS (MiB) | threads |"
echo "| --- | --- | --- |"
echo "| before | $before_rss | $before_threads |"
echo "| 5 s after the burst | $after_rss | $after_threads |"
echo "| 30 s after the burst | $settled_rss | $(threads) |"
echo "| peak (VmHWM) | $(hwm_mib) | |"
echo
echo "requests sent: $total; answers (000 = client hung up first):"
sed 's/^/    /' "$TMP/codes"
echo "login attempts recorded: $before_attempts before, $after_attempts after"
