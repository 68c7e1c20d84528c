#!/usr/bin/env bash
# Request pool size by measurement (issue 9, item 7): runs bench/pages.sh on a few pages once
# per pool size, in one go on the same machine, and prints one table of rate, p99 and share of
# the yardstick per page and size, with thidua's memory after each run.
#
# Usage:  bash bench/pool.sh
# Env:    BENCH_POOL_SIZES  pool sizes to try (default "4 8 16 32")
#         BENCH_PAGES       pages to measure, as pages.sh takes it (default: the three homes,
#                           the leader's dashboard, a sheet, the dossier and the council dashboard)
#         and everything pages.sh takes (BENCH_DURATION, BENCH_CONNECTIONS, ...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SIZES="${BENCH_POOL_SIZES:-4 8 16 32}"
export BENCH_PAGES="${BENCH_PAGES:-^(home|scoring dashboard|score sheet|dossier|council dashboard)$}"
STAMP="$(date -u '+%Y%m%d-%H%M%S')"
DIR="$ROOT/bench/results/pool-$STAMP"
mkdir -p "$DIR"
first=1
for n in $SIZES; do
    echo "[pool] pool of $n connections" >&2
    if [[ $first == 1 ]]; then
        THIDUA_DB_POOL="$n" BENCH_OUT="$DIR/pool-$n.md" bash bench/pages.sh
        first=0
    else
        THIDUA_DB_POOL="$n" BENCH_OUT="$DIR/pool-$n.md" BENCH_SKIP_BUILD=1 bash bench/pages.sh
    fi
done
# One table: the rows of each report's page table, with the pool size in front.
{
    echo "# Request pool size, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "| pool | page | as | req/s | p50 | p99 | yardstick beside | % of yardstick | non-2xx | errors | bytes |"
    echo "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for n in $SIZES; do
        grep -E '^\| ' "$DIR/pool-$n.md" | grep -vE '^\| (page|---)' | grep -v healthz \
            | grep -E '`/' | sed "s/^| /| $n | /"
    done
    echo
    for n in $SIZES; do
        echo "pool $n: $(grep -iE 'RSS|memory' "$DIR/pool-$n.md" | head -3 | tr '\n' ' ')"
    done
} > "$DIR/summary.md"
cat "$DIR/summary.md"
echo "[pool] reports in $DIR" >&2
