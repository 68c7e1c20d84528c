#!/usr/bin/env bash
# Memory under concurrent evidence uploads (issue 12, item 5): one officer (`canbo.csd2`, whose
# demo sheet is a draft) sends N evidence files of 10 MB at once with curl, against one
# `thidua demo` on 127.0.0.1. Reports thidua's memory (RSS) before, its peak while the uploads
# run (VmHWM, reset just before them), right after and 10 s after, and how the answers split
# (303 = stored, 503 = "Hệ thống đang bận nhận tệp", the upload gate).
#
# This is a benchmark, not a test: it prints figures and never fails on them.
#
# Usage:  bash bench/uploads.sh
# Env:    UPLOADS_BIN      thidua binary to measure (default $CARGO_TARGET_DIR/release/thidua,
#                          built with `cargo build --release` unless UPLOADS_SKIP_BUILD=1)
#         UPLOADS_N        concurrent uploads (default 4; the issue's figure was for 32)
#         UPLOADS_ROUNDS   rounds of N in a row (default 3)
#         UPLOADS_GATE     --max-uploads of the server (default: the server's, 4)
#         UPLOADS_PORT     port (default 18190)
#
# The council's evidence quota is set to 0 (none) first where the binary has one, so that every
# round stores its files; on a binary without the setting that statement fails and is ignored.
# Every request goes to 127.0.0.1; thidua and its PostgreSQL are stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${UPLOADS_BIN:-$TARGET/release/thidua}"
N="${UPLOADS_N:-4}"
ROUNDS="${UPLOADS_ROUNDS:-3}"
PORT="${UPLOADS_PORT:-18190}"
BASE="http://127.0.0.1:$PORT"
PSQL=/usr/lib/postgresql/15/bin/psql
[[ -x "$PSQL" ]] || PSQL="$(command -v psql || true)"

log() { printf '[uploads] %s\n' "$*" >&2; }
die() { printf '[uploads] FAIL: %s\n' "$*" >&2; exit 1; }
command -v curl >/dev/null || die "curl is required"
[[ -x "$PSQL" ]] || die "psql is required (to find the sheet)"
[[ "$N" -le 64 && "$ROUNDS" -le 10 ]] || die "refusing more than 64 uploads x 10 rounds"

if [[ -z "${UPLOADS_BIN:-}" && "${UPLOADS_SKIP_BUILD:-0}" != 1 ]]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release) >&2 || die "build failed"
fi
[[ -x "$BIN" ]] || die "no binary at $BIN"

TMP="$(mktemp -d /tmp/thidua-uploads.XXXX)"
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

GATE_ARGS=()
[[ -n "${UPLOADS_GATE:-}" ]] && GATE_ARGS=(--max-uploads "$UPLOADS_GATE")
log "starting $BIN demo on 127.0.0.1:$PORT ${GATE_ARGS[*]}"
"$BIN" demo --data-dir "$TMP/pg" --bind "127.0.0.1:$PORT" "${GATE_ARGS[@]}" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 1800); do
    curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "thidua exited before it was ready"
    sleep 0.1
done
curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" || die "thidua not ready after 180 s"
SOCK="$(ls -d "${TMPDIR:-/tmp}"/thidua-pg-"$SERVER_PID"-* | head -n 1)"
sql() { "$PSQL" -X -At -h "$SOCK" -p 5432 -U thidua -d thidua -c "$1"; }

read -r YEAR UNIT CRIT < <(sql "SELECT y.id, u.id, (SELECT c.id FROM criteria c
      WHERE c.table_id = y.criteria_table_id ORDER BY c.id LIMIT 1)
    FROM cluster_years y JOIN clusters cl ON cl.id = y.cluster_id, units u
   WHERE cl.name = 'Cụm thi đua các cơ quan Nội chính tỉnh'
     AND y.year = (SELECT max(year) FROM cluster_years WHERE cluster_id = cl.id)
     AND u.code = 'csd2'" | tr '|' ' ')
[[ -n "${CRIT:-}" ]] || die "the demo's draft sheet of csd2 was not found"
sql "INSERT INTO tenant_settings (tenant_id, evidence_quota_mb) SELECT id, 0 FROM tenants
     ON CONFLICT (tenant_id) DO UPDATE SET evidence_quota_mb = 0" >/dev/null 2>&1 \
    && log "evidence quota set to none" || log "this binary has no evidence quota"

# Log in as a browser does: the login form's cookie-bound token, then the session's token from
# the sheet page (the upload form carries it).
JAR="$TMP/jar"
token="$(curl -s --max-time 5 -c "$JAR" "$BASE/login" \
    | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
curl -s -o /dev/null --max-time 30 -b "$JAR" -c "$JAR" --data-urlencode "csrf=$token" \
    --data-urlencode "username=canbo.csd2" --data-urlencode "password=thidua-demo-2024" \
    "$BASE/login"
SHEET="$BASE/years/$YEAR/sheets/$UNIT"
CSRF="$(curl -s --max-time 30 -b "$JAR" "$SHEET" \
    | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
[[ -n "$CSRF" ]] || die "could not log in as canbo.csd2"

# 10 MB that a PDF reader would refuse, but that is a PDF by its first bytes, as the check is.
{ printf '%%PDF-1.4\n'; head -c $((10 * 1000 * 1000 - 9)) /dev/urandom; } >"$TMP/ten.pdf"

before_rss="$(rss_mib)"
log "before: RSS $before_rss MiB"
# Peak of this run only: the demo's loading had its own.
echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || log "cannot reset VmHWM (not root?)"
for round in $(seq 1 "$ROUNDS"); do
    for n in $(seq 1 "$N"); do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 -b "$JAR" \
            -F "csrf=$CSRF" -F "criterion_id=$CRIT" -F "file=@$TMP/ten.pdf;filename=bao-cao-$n.pdf;type=application/pdf" \
            "$SHEET/evidence" >"$TMP/codes-$round-$n" &
    done
    wait $(jobs -p | grep -v "^$SERVER_PID$") 2>/dev/null || true
    log "round $round: RSS $(rss_mib) MiB, peak so far $(hwm_mib) MiB"
done
after_rss="$(rss_mib)"
sleep 10
settled_rss="$(rss_mib)"
stored="$(sql "SELECT count(*) FROM evidence WHERE size_bytes > 9000000")"

cat "$TMP"/codes-* | sort | uniq -c | sort -rn >"$TMP/codes"
echo
echo "## Evidence uploads: $N at once x $ROUNDS rounds, 10 MB each, gate ${UPLOADS_GATE:-default}"
echo
echo "binary: $BIN"
echo "| | RSS (MiB) |"
echo "| --- | --- |"
echo "| before | $before_rss |"
echo "| peak while uploading (VmHWM) | $(hwm_mib) |"
echo "| right after | $after_rss |"
echo "| 10 s after | $settled_rss |"
echo
echo "answers:"
sed 's/^/    /' "$TMP/codes"
echo "10 MB files stored on the sheet: $stored"
