#!/usr/bin/env bash
# What each statement of the main pages costs PostgreSQL itself (issue 9): starts `thidua demo`
# (release build), logs in as the leader unit's officer, then runs each statement of
# bench/statements/*.sql with pgbench — one client, prepared, as the application role with the
# tenant bound, as a page runs it — beside a statement that reads nothing (the floor every
# statement pays: parse of the message, executor start, the round trip). Prints the average
# latency of each, min–max over the repeats. The app's own work is not in these figures: see
# bench/pages.sh (whole pages) and bench/profile.sh (where the CPU goes).
#
# Usage:  bash bench/statements.sh
# Env:    STATEMENTS_SECONDS (3 per run), STATEMENTS_REPEATS (3), STATEMENTS_PORT (18281),
#         CARGO_TARGET_DIR (where the release build is), STATEMENTS_SKIP_BUILD=1
# Needs:  pgbench and psql (PostgreSQL's client programs), curl. A benchmark, not a test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECS="${STATEMENTS_SECONDS:-3}"
REPEATS="${STATEMENTS_REPEATS:-3}"
PORT="${STATEMENTS_PORT:-18281}"
for tool in pgbench psql curl; do
    command -v "$tool" >/dev/null || { echo "statements: $tool is needed" >&2; exit 1; }
done
NAME=statements SKIP_BUILD="${STATEMENTS_SKIP_BUILD:-0}"
# shellcheck source=bench/demo_session.sh
source "$ROOT/bench/demo_session.sh"

# The private server's socket folder and port are the 5th and 4th lines of its pid file.
SOCK="$(sed -n 5p "$TMP/pg/postmaster.pid")"
PGPORT="$(sed -n 4p "$TMP/pg/postmaster.pid")"
owner() { psql -X -q -At -h "$SOCK" -p "$PGPORT" -U thidua -d thidua -c "$1"; }
TENANT="$(owner "SELECT tenant_id FROM units WHERE code = 'thads-ls'")"
UNIT="$(owner "SELECT id FROM units WHERE code = 'thads-ls'")"
# The live year the unit leads (its dashboard's), and the session just made.
YEAR="$(owner "SELECT id FROM cluster_years WHERE leader_unit_id = $UNIT ORDER BY year DESC LIMIT 1")"
SHEET="$(owner "SELECT id FROM scoresheets WHERE cluster_year_id = $YEAR AND unit_id = $UNIT")"
HASH="$(owner "SELECT encode(token_hash, 'hex') FROM sessions s JOIN users u ON u.id = s.user_id
               WHERE u.username = 'canbo.thads-ls' ORDER BY s.created_at DESC LIMIT 1")"

echo "statements: PostgreSQL time of each statement, pgbench -c1 -M prepared, ${SECS}s x $REPEATS," \
     "tenant $TENANT, unit $UNIT, year $YEAR" >&2
echo "| statement | average latency, µs (min–max of $REPEATS runs) |"
echo "| --- | ---: |"
for f in bench/statements/*.sql; do
    name="$(basename "$f" .sql)"
    # The session's last touch goes back to now first, so the check takes its usual path.
    owner "UPDATE sessions SET last_seen_at = now()" >/dev/null
    {
        echo "SELECT set_config('app.tenant_id', '$TENANT', false);"
        sed -e "s/:TENANT/$TENANT/g" -e "s/:UNIT/$UNIT/g" -e "s/:YEAR/$YEAR/g" -e "s/:SHEET/$SHEET/g" \
            -e "s/:HASH/$HASH/g" "$f" | grep -v '^--'
    } >"$TMP/$name.sql"
    # Every script binds the tenant first, as a page's session check does; 00-floor is that
    # binding and a statement that reads nothing: compare each figure with it.
    runs=()
    for _ in $(seq 1 "$REPEATS"); do
        lat="$(pgbench -h "$SOCK" -p "$PGPORT" -U thidua_app -n -M prepared -c 1 -T "$SECS" \
                   -f "$TMP/$name.sql" thidua 2>&1 | awk -F'= ' '/latency average/ {print $2 + 0}')"
        [[ -n "$lat" ]] || { echo "statements: $name failed" >&2; pgbench -h "$SOCK" -p "$PGPORT" \
            -U thidua_app -n -M prepared -c 1 -T 1 -f "$TMP/$name.sql" thidua >&2 || true; exit 1; }
        runs+=("$(awk -v l="$lat" 'BEGIN {printf "%d", l * 1000}')")
    done
    sorted="$(printf '%s\n' "${runs[@]}" | sort -n)"
    avg="$(printf '%s\n' "${runs[@]}" | awk '{s += $1} END {printf "%d", s / NR}')"
    echo "| $name | $avg ($(head -n1 <<<"$sorted")–$(tail -n1 <<<"$sorted")) |"
done
