#!/usr/bin/env bash
# Evidence in PostgreSQL beside evidence in an S3-compatible store (issue 16, item 5), in one
# run on one machine: two `thidua demo` instances, each with its own private PostgreSQL, one
# keeping evidence in the database (the default) and one in s3s-fs (a filesystem-backed S3
# server on 127.0.0.1). One officer (`canbo.csd2`, whose demo sheet is a draft) uploads files
# of 1 MB and 10 MB through the sheet's upload field and downloads them again; each figure is
# the range (min–median–max) of BENCH_ROUNDS timed requests (curl's time_total). Then the size
# of each database (pg_database_size) and of the evidence table with its TOAST, after them.
#
# The PostgreSQL backend is the yardstick: same binary, same machine, same moment.
# This is a benchmark, not a test: it prints figures and never fails on them.
#
# Usage:  bash bench/evidence.sh
# Env:    EVIDENCE_BIN   thidua binary (default $CARGO_TARGET_DIR/release/thidua, built with
#                        `cargo build --release` unless EVIDENCE_SKIP_BUILD=1)
#         BENCH_ROUNDS   uploads and downloads of each size per backend (default 5, at most 20)
#         S3S_FS         the s3s-fs binary (default: on PATH or in ~/.cargo/bin)
# Every request goes to 127.0.0.1; everything started is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${EVIDENCE_BIN:-$TARGET/release/thidua}"
ROUNDS="${BENCH_ROUNDS:-5}"
S3S="${S3S_FS:-$(command -v s3s-fs || echo "${CARGO_HOME:-$HOME/.cargo}/bin/s3s-fs")}"
PSQL=/usr/lib/postgresql/15/bin/psql
[[ -x "$PSQL" ]] || PSQL="$(command -v psql || true)"

log() { printf '[evidence] %s\n' "$*" >&2; }
die() { printf '[evidence] FAIL: %s\n' "$*" >&2; exit 1; }
command -v curl >/dev/null || die "curl is required"
[[ -x "$PSQL" ]] || die "psql is required"
[[ -x "$S3S" ]] || die "s3s-fs is required (cargo install s3s-fs --version 0.14.1 --features binary --locked)"
[[ "$ROUNDS" -le 20 ]] || die "refusing more than 20 rounds"
if [[ -z "${EVIDENCE_BIN:-}" && "${EVIDENCE_SKIP_BUILD:-0}" != 1 ]]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release) >&2 || die "build failed"
fi
[[ -x "$BIN" ]] || die "no binary at $BIN"

TMP="$(mktemp -d /tmp/thidua-evidence.XXXX)"
chmod 755 "$TMP"
PIDS=()
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    [[ $rc -eq 0 ]] || tail -n 20 "$TMP"/*.log >&2 || true
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

S3_PORT=18291
mkdir -p "$TMP/s3/thidua-evidence"
"$S3S" --host 127.0.0.1 --port "$S3_PORT" --access-key bench --secret-key bench-secret-key \
    "$TMP/s3" >"$TMP/s3s-fs.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$S3_PORT) 2>/dev/null && break; sleep 0.1; done

# start NAME PORT [extra env…]: a demo instance with its own data folder; its pid in STARTED.
start() {
    local name=$1 port=$2
    shift 2
    env "$@" "$BIN" demo --data-dir "$TMP/$name/pg" --bind "127.0.0.1:$port" \
        >"$TMP/$name.log" 2>&1 &
    PIDS+=($!)
    local pid=$!
    for _ in $(seq 1 1800); do
        curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/readyz" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || die "$name exited before it was ready"
        sleep 0.1
    done
    STARTED=$pid
}
log "starting two thidua demo instances"
start db 18292
DB_PID=$STARTED
start s3 18293 THIDUA_EVIDENCE_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" \
    THIDUA_EVIDENCE_S3_ACCESS_KEY_ID=bench THIDUA_EVIDENCE_S3_SECRET_ACCESS_KEY=bench-secret-key
S3_PID=$STARTED

sql() { # sql PID STATEMENT
    local sock
    sock="$(ls -d "${TMPDIR:-/tmp}"/thidua-pg-"$1"-* | head -n 1)"
    "$PSQL" -X -At -h "$sock" -p 5432 -U thidua -d thidua -c "$2"
}

# sizes FILE: "min–median–max" of the numbers in FILE, in ms.
range() { sort -n "$1" | awk '{v[NR]=$1*1000} END {printf "%.0f–%.0f–%.0f", v[1], v[int((NR+1)/2)], v[NR]}'; }

# bench NAME PID PORT: uploads and downloads of each size; prints a table row per size.
bench() {
    local name=$1 pid=$2 base="http://127.0.0.1:$3" jar="$TMP/$1.jar"
    sql "$pid" "INSERT INTO tenant_settings (tenant_id, evidence_quota_mb) SELECT id, 0 FROM tenants
                ON CONFLICT (tenant_id) DO UPDATE SET evidence_quota_mb = 0" >/dev/null
    read -r year unit crit < <(sql "$pid" "SELECT y.id, u.id, (SELECT c.id FROM criteria c
          WHERE c.table_id = y.criteria_table_id ORDER BY c.id LIMIT 1)
        FROM cluster_years y JOIN clusters cl ON cl.id = y.cluster_id, units u
       WHERE cl.name = 'Cụm thi đua các cơ quan Nội chính tỉnh'
         AND y.year = (SELECT max(year) FROM cluster_years WHERE cluster_id = cl.id)
         AND u.code = 'csd2'" | tr '|' ' ')
    local token
    token="$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
    curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$token" \
        --data-urlencode "username=canbo.csd2" --data-urlencode "password=thidua-demo-2024" "$base/login"
    local sheet="$base/years/$year/sheets/$unit" csrf
    csrf="$(curl -s -b "$jar" "$sheet" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
    [[ -n "$csrf" ]] || die "$name: could not log in"
    local db_before
    db_before="$(sql "$pid" "SELECT pg_database_size('thidua')")"
    for mb in 1 10; do
        : >"$TMP/up-$name-$mb"; : >"$TMP/down-$name-$mb"
        for r in $(seq 1 "$ROUNDS"); do
            # Each file different, as real evidence is (the S3 store keeps one object per hash).
            { printf '%%PDF-1.4\n'; head -c $((mb * 1000 * 1000 - 9)) /dev/urandom; } >"$TMP/f.pdf"
            curl -s -o /dev/null -w '%{time_total}\n' -b "$jar" -F "csrf=$csrf" -F "criterion_id=$crit" \
                -F "file=@$TMP/f.pdf;filename=bench-$mb-$r.pdf;type=application/pdf" \
                "$sheet/evidence" >>"$TMP/up-$name-$mb"
            local id
            id="$(sql "$pid" "SELECT max(id) FROM evidence")"
            curl -s -o "$TMP/back.pdf" -w '%{time_total}\n' -b "$jar" "$base/evidence/$id" >>"$TMP/down-$name-$mb"
            cmp -s "$TMP/f.pdf" "$TMP/back.pdf" || die "$name: download $id differs from its upload"
        done
        printf '| %s | %s MB | %s | %s |\n' "$name" "$mb" "$(range "$TMP/up-$name-$mb")" "$(range "$TMP/down-$name-$mb")"
    done
    local db_after table
    db_after="$(sql "$pid" "SELECT pg_database_size('thidua')")"
    table="$(sql "$pid" "SELECT pg_total_relation_size('evidence')")"
    echo "$name $db_before $db_after $table" >>"$TMP/sizes"
}

echo
echo "## Evidence: PostgreSQL beside an S3-compatible store (s3s-fs), $ROUNDS of each"
echo
echo "binary: $BIN; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| backend | file | upload ms (min–median–max) | download ms (min–median–max) |"
echo "| --- | --- | --- | --- |"
bench postgresql "$DB_PID" 18292
bench s3 "$S3_PID" 18293
echo
echo "| backend | database before (MB) | after $((ROUNDS * 11)) MB of uploads (MB) | evidence table with TOAST (MB) |"
echo "| --- | ---: | ---: | ---: |"
while read -r name before after table; do
    awk -v n="$name" -v b="$before" -v a="$after" -v t="$table" \
        'BEGIN {printf "| %s | %.1f | %.1f | %.1f |\n", n, b/1e6, a/1e6, t/1e6}'
done <"$TMP/sizes"
echo
objects="$(find "$TMP/s3/thidua-evidence" -mindepth 2 -path '*/t[0-9]*/*' -type f)"
echo "objects in the bucket: $(echo "$objects" | grep -c . || true), \
$(echo "$objects" | xargs -r stat -c %s | awk '{s += $1} END {printf "%.1f", s/1e6}') MB \
(s3s-fs's whole folder, with its own bookkeeping: $(du -sm "$TMP/s3" | cut -f1) MB)"
