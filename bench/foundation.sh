#!/usr/bin/env bash
# Foundation benchmark for thidua: binary size, start-to-ready time (fresh and
# existing data folder), idle memory, and request throughput of two pages.
#
# Usage:  bash bench/foundation.sh
# Env:    BENCH_PORT     first port to try (default 18080; the next free one is used)
#         BENCH_DURATION wrk run length per URL (default 10s)
#         BENCH_THREADS / BENCH_CONNECTIONS  wrk -t / -c (default 2 / 16)
#         BENCH_SKIP_BUILD=1  use the existing target/release/thidua as is
#
# All traffic goes to 127.0.0.1 only; every wait is bounded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT_START="${BENCH_PORT:-18080}"
DURATION="${BENCH_DURATION:-10s}"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-16}"
READY_TIMEOUT_S=180      # longest we wait for /readyz
STOP_TIMEOUT_S=60        # longest we wait for thidua to exit after SIGINT
BUILD_TRIES=10
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/thidua"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] FAIL: %s\n' "$*" >&2; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# --- tools -------------------------------------------------------------------
command -v curl >/dev/null || die "curl is required"
if ! command -v wrk >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "wrk not found; installing it with apt-get"
        apt-get install -y wrk >/dev/null 2>&1 \
            || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; } \
            || die "could not install wrk"
    else
        die "wrk is not installed; install it (Debian/Ubuntu: sudo apt-get install wrk) and rerun"
    fi
fi

# --- scratch folder ------------------------------------------------------------
# Under /tmp and world-enterable: as root, thidua runs PostgreSQL as the 'postgres'
# user, which must be able to reach the data folder.
TMP="$(mktemp -d /tmp/thidua-bench.XXXX)"
chmod 755 "$TMP"
DATA="$TMP/pg"
SERVER_PID=""
PG_SEEN=()               # every postgres pid we saw serving $DATA

# postgres processes of our data folder: the postmaster (its cmdline names $DATA)
# plus its children (they rename themselves "postgres: checkpointer" etc., so they
# are found through their parent).
pg_pids() {
    local p cmd comm master=()
    for p in /proc/[0-9]*; do
        p="${p#/proc/}"
        [[ -r /proc/$p/cmdline ]] || continue
        comm="$(cat "/proc/$p/comm" 2>/dev/null)" || continue
        [[ "$comm" == postgres ]] || continue
        cmd="$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)" || continue
        [[ "$cmd" == *"$DATA"* ]] && master+=("$p")
    done
    for m in "${master[@]}"; do
        echo "$m"
        for p in /proc/[0-9]*; do
            p="${p#/proc/}"
            [[ "$(awk '/^PPid:/{print $2}' "/proc/$p/status" 2>/dev/null)" == "$m" ]] && echo "$p"
        done
    done
    return 0
}

# Any postgres still alive that serves (or served) our data folder.
leftover_pg() {
    local p
    { pg_pids; printf '%s\n' "${PG_SEEN[@]+"${PG_SEEN[@]}"}"; } | sort -u | while read -r p; do
        [[ -n "$p" ]] || continue
        [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == postgres ]] && echo "$p"
    done
    return 0
}

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
pss_kb() { awk '/^Pss:/{print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

cleanup() {
    local rc=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -INT "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    local left
    left="$(leftover_pg | tr '\n' ' ')"
    if [[ -n "${left// /}" ]]; then
        log "cleanup: stopping leftover postgres pids: $left"
        # shellcheck disable=SC2086
        kill -INT $left 2>/dev/null || true
        sleep 3
        # shellcheck disable=SC2086
        kill -KILL $left 2>/dev/null || true
    fi
    if [[ $rc -ne 0 && -f "$TMP/server.log" ]]; then
        log "last lines of the server log:"
        tail -n 20 "$TMP/server.log" >&2 || true
    fi
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT

# --- 1. build ------------------------------------------------------------------
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    for try in $(seq 1 "$BUILD_TRIES"); do
        log "cargo build --release (try $try/$BUILD_TRIES)"
        if cargo build --release >"$TMP/build.log" 2>&1; then break; fi
        tail -n 15 "$TMP/build.log" >&2
        [[ $try -lt $BUILD_TRIES ]] || die "cargo build --release failed $BUILD_TRIES times"
        log "build failed; retrying in 60 s"
        sleep 60
    done
fi
[[ -x "$BIN" ]] || die "no binary at $BIN"
BIN_BYTES="$(stat -c %s "$BIN")"
BIN_MIB="$(awk -v b="$BIN_BYTES" 'BEGIN{printf "%.2f", b/1048576}')"

# --- helpers for the server ------------------------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="$PORT_START"
while port_busy "$PORT"; do
    PORT=$((PORT + 1))
    [[ $PORT -lt $((PORT_START + 100)) ]] || die "no free port in $PORT_START..$PORT"
done
BASE="http://127.0.0.1:$PORT"

# Starts thidua, waits for /readyz to answer 200; sets READY_MS to the milliseconds
# taken. (Not run in a subshell, so that SERVER_PID stays known to cleanup.)
READY_MS=""
start_server() {
    local t0 t1 deadline
    : >"$TMP/server.log"
    t0="$(now_ms)"
    "$BIN" demo --data-dir "$DATA" --bind "127.0.0.1:$PORT" >>"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    deadline=$(( t0 + READY_TIMEOUT_S * 1000 ))
    while ! curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" 2>/dev/null; do
        kill -0 "$SERVER_PID" 2>/dev/null || die "thidua exited before it was ready"
        [[ $(now_ms) -lt $deadline ]] || die "thidua not ready after ${READY_TIMEOUT_S}s"
        sleep 0.05
    done
    t1="$(now_ms)"
    local p
    while read -r p; do [[ -n "$p" ]] && PG_SEEN+=("$p"); done < <(pg_pids)
    READY_MS=$(( t1 - t0 ))
}

# The server's own "ready after N ms" figure from its log (or "-").
self_reported_ms() {
    grep -o 'sẵn sàng sau [0-9]* ms' "$TMP/server.log" | grep -o '[0-9]\+' | tail -n 1 || echo "-"
}

# SIGINT, wait for exit, then insist no postgres of ours survived.
stop_server() {
    local rc=0 i
    kill -INT "$SERVER_PID"
    for i in $(seq 1 $((STOP_TIMEOUT_S * 10))); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$SERVER_PID" 2>/dev/null && die "thidua still running ${STOP_TIMEOUT_S}s after SIGINT"
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=""
    [[ $rc -eq 0 ]] || log "warning: thidua exited with status $rc after SIGINT"
    local left
    left="$(leftover_pg | tr '\n' ' ')"
    [[ -z "${left// /}" ]] || die "postgres still running for $DATA after thidua stopped: pids $left"
}

# wrk run; sets W_RPS W_P50 W_P99 W_NON2XX W_ERR.
run_wrk() {
    local url="$1" out
    out="$TMP/wrk-$(basename "$url").txt"
    log "wrk -t$THREADS -c$CONNS -d$DURATION --latency $url"
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url" >"$out" || die "wrk failed on $url"
    cat "$out" >&2
    W_RPS="$(awk '/^Requests\/sec:/{print $2}' "$out")"
    W_P50="$(awk '$1=="50%"{print $2}' "$out")"
    W_P99="$(awk '$1=="99%"{print $2}' "$out")"
    W_NON2XX="$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$out")"
    W_ERR="$(awk '/Socket errors:/{sub(/.*Socket errors: /,""); gsub(/ /,""); print}' "$out")"
    W_RPS="${W_RPS:--}" W_P50="${W_P50:--}" W_P99="${W_P99:--}"
    W_NON2XX="${W_NON2XX:-0}" W_ERR="${W_ERR:-none}"
}

# --- 2. fresh data folder ----------------------------------------------------------
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN{exit !(l > n/2)}'; then
    log "warning: load average is $LOAD_BEFORE on $(nproc) cores; other work will skew these figures"
fi
log "start 1: fresh data folder $DATA, port $PORT"
start_server
FRESH_MS="$READY_MS"
FRESH_SELF="$(self_reported_ms)"
log "ready after $FRESH_MS ms (server says $FRESH_SELF ms); stopping with SIGINT"
stop_server

# --- 3. existing data folder -------------------------------------------------------
log "start 2: existing data folder"
start_server
WARM_MS="$READY_MS"
WARM_SELF="$(self_reported_ms)"
log "ready after $WARM_MS ms (server says $WARM_SELF ms)"

# --- 4. idle memory ------------------------------------------------------------------
sleep 3
THIDUA_RSS="$(rss_kb "$SERVER_PID")"
PG_RSS=0; PG_PSS=0; PG_N=0
while read -r p; do
    [[ -n "$p" ]] || continue
    PG_RSS=$(( PG_RSS + $(rss_kb "$p") ))
    PG_PSS=$(( PG_PSS + $(pss_kb "$p") ))
    PG_N=$(( PG_N + 1 ))
done < <(pg_pids)
[[ $PG_N -gt 0 ]] || die "found no postgres process for $DATA while thidua was running"
log "idle RSS: thidua $THIDUA_RSS KiB; postgres $PG_RSS KiB over $PG_N processes (PSS $PG_PSS KiB)"

# --- 5. throughput -------------------------------------------------------------------
code="$(curl -s -o /dev/null -w '%{http_code}' "$BASE/login")"
[[ "$code" == 200 ]] || die "GET /login answered $code, expected 200"
run_wrk "$BASE/healthz"
HZ_RPS=$W_RPS HZ_P50=$W_P50 HZ_P99=$W_P99 HZ_NON2XX=$W_NON2XX HZ_ERR=$W_ERR
run_wrk "$BASE/login"
LG_RPS=$W_RPS LG_P50=$W_P50 LG_P99=$W_P99 LG_NON2XX=$W_NON2XX LG_ERR=$W_ERR
THIDUA_RSS_LOADED="$(rss_kb "$SERVER_PID")"

# --- 6. stop ---------------------------------------------------------------------------
log "stopping with SIGINT"
stop_server
log "no postgres left for $DATA"

kib_mib() { awk -v k="$1" 'BEGIN{printf "%.1f MiB", k/1024}'; }
row() { printf '%-38s %s\n' "$1" "$2"; }

echo
echo "thidua foundation benchmark  ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' +uncommitted changes'))"
echo "load average before the runs: $LOAD_BEFORE"
echo "------------------------------------------------------------------------------------"
row "release binary size"                 "$BIN_BYTES bytes ($BIN_MIB MiB)"
row "start to ready, fresh data folder"   "$FRESH_MS ms  (server's own figure: $FRESH_SELF ms)"
row "start to ready, existing folder"     "$WARM_MS ms  (server's own figure: $WARM_SELF ms)"
row "idle RSS, thidua"                    "$THIDUA_RSS KiB ($(kib_mib "$THIDUA_RSS"))"
row "idle RSS, postgres ($PG_N processes)" "$PG_RSS KiB ($(kib_mib "$PG_RSS")); PSS $PG_PSS KiB ($(kib_mib "$PG_PSS"))"
row "RSS, thidua after the wrk runs"      "$THIDUA_RSS_LOADED KiB ($(kib_mib "$THIDUA_RSS_LOADED"))"
row "GET /healthz (wrk -t$THREADS -c$CONNS -d$DURATION)" "$HZ_RPS req/s  p50 $HZ_P50  p99 $HZ_P99  non-2xx $HZ_NON2XX  socket errors $HZ_ERR"
row "GET /login   (wrk -t$THREADS -c$CONNS -d$DURATION)" "$LG_RPS req/s  p50 $LG_P50  p99 $LG_P99  non-2xx $LG_NON2XX  socket errors $LG_ERR"
