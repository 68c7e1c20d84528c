#!/usr/bin/env bash
# Page benchmark for thidua: request rate and latency of every main page, logged in as the
# role that uses it, beside a yardstick (examples/yardstick.rs: TechEmpower "Fortunes" on the
# same axum + sqlx + askama versions and the same PostgreSQL), plus thidua's memory.
#
# Usage:  bash bench/pages.sh
# Env:    BENCH_DURATION      wrk run length per page (default 8s)
#         BENCH_THREADS / BENCH_CONNECTIONS  wrk -t / -c (default 2 / 64)
#         BENCH_WRK_TIMEOUT   wrk --timeout: slower answers count as errors (default 30s)
#         BENCH_PAIR_DURATION the yardstick's short run before each page, which that page's
#                             share is taken against (default 3s; 0: no such runs, every
#                             share is against the yardstick's first full run)
#         BENCH_PORT          first port to try (default 18080; the next free ones are used)
#         BENCH_OUT           where the markdown report goes
#                             (default bench/results/pages-<UTC date-time>.md)
#         BENCH_SKIP_BUILD=1  use the binaries that are there
#         BENCH_BUILD_TRIES   build attempts, a minute apart (default 10)
#         BENCH_QUIET_WAIT    seconds to wait, at most, for the load average to drop below
#                             half the cores before measuring (default 0: only warn)
#         BENCH_NATIONAL=1    also measure the national-scale dataset (see the hook below)
#         BENCH_OFFICE=1      also measure the council's office at 200 awards: drafting a
#                             decision, its print view and .docx, its certificates
#                             (bench/office_hook.sh)
#         BENCH_PAGES         an extended regular expression: only the pages whose label matches
#                             (default: every page; bench/pool.sh uses it)
#         THIDUA_DB_POOL      passed on to thidua: connections in its request pool
#
# All traffic goes to 127.0.0.1 only; every wait is bounded; thidua, its PostgreSQL and the
# yardstick are stopped on exit, failures included.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT_START="${BENCH_PORT:-18080}"
DURATION="${BENCH_DURATION:-8s}"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-64}"
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-30s}"
PAIR_DURATION="${BENCH_PAIR_DURATION:-3s}"
BUILD_TRIES="${BENCH_BUILD_TRIES:-10}"
QUIET_WAIT_S="${BENCH_QUIET_WAIT:-0}"
STAMP="$(date -u '+%Y%m%d-%H%M%S')"
OUT="${BENCH_OUT:-$ROOT/bench/results/pages-$STAMP.md}"
READY_TIMEOUT_S=180      # longest we wait for thidua's /readyz
YARD_TIMEOUT_S=60        # longest we wait for the yardstick to answer
STOP_TIMEOUT_S=60        # longest we wait for a server to exit after SIGINT/SIGTERM
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET/release/thidua"
YBIN="$TARGET/release/examples/yardstick"
# The private server's superuser is the role initdb was given (src/db/embedded.rs: SUPERUSER),
# its port number (only part of the socket's name) 5432, its main database "thidua".
PG_SUPERUSER=thidua
PG_PORT=5432
PG_DB=thidua
DEMO_PASSWORD=thidua-demo-2024   # src/demo.rs, DEMO_PASSWORD

log() { printf '[pages] %s\n' "$*" >&2; }
die() { printf '[pages] FAIL: %s\n' "$*" >&2; exit 1; }

# --- tools -----------------------------------------------------------------------------------
command -v curl >/dev/null || die "curl is required"
PSQL=/usr/lib/postgresql/15/bin/psql
[[ -x "$PSQL" ]] || PSQL="$(command -v psql || true)"
[[ -n "$PSQL" && -x "$PSQL" ]] || die "psql is required (the PostgreSQL client package)"
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

# --- scratch folder and process bookkeeping ---------------------------------------------------
# Under /tmp and world-enterable: as root, thidua runs PostgreSQL as the 'postgres' user, which
# must be able to reach the data folder.
TMP="$(mktemp -d /tmp/thidua-pages.XXXX)"
chmod 755 "$TMP"
SERVER_PID=""            # the running thidua, if any
YARD_PID=""              # the running yardstick, if any
PG_SEEN=()               # every postgres pid seen serving one of our data folders
DATA_DIRS=()             # every data folder we started thidua on

# The postgres processes of data folder $1: the postmaster (its command line names the folder)
# and its children (found through their parent, as they rename themselves).
pg_pids() {
    local dir="$1" p cmd master=()
    for p in /proc/[0-9]*; do
        p="${p#/proc/}"
        [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == postgres ]] || continue
        cmd="$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)" || continue
        [[ "$cmd" == *"$dir"* ]] && master+=("$p")
    done
    for m in "${master[@]+"${master[@]}"}"; do
        echo "$m"
        for p in /proc/[0-9]*; do
            p="${p#/proc/}"
            [[ "$(awk '/^PPid:/{print $2}' "/proc/$p/status" 2>/dev/null)" == "$m" ]] && echo "$p"
        done
    done
    return 0
}

# Any postgres still alive that serves (or served) one of our data folders.
leftover_pg() {
    local p d
    {
        for d in "${DATA_DIRS[@]+"${DATA_DIRS[@]}"}"; do pg_pids "$d"; done
        printf '%s\n' "${PG_SEEN[@]+"${PG_SEEN[@]}"}"
    } | sort -u | while read -r p; do
        [[ -n "$p" ]] || continue
        [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == postgres ]] && echo "$p"
    done
    return 0
}

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
kib_mib() { awk -v k="$1" 'BEGIN{printf "%.1f MiB", k/1024}'; }

# Signal $2 to pid $1, wait up to STOP_TIMEOUT_S for it to go, then SIGKILL.
stop_pid() {
    local pid="$1" sig="$2" _
    kill -0 "$pid" 2>/dev/null || return 0
    kill -"$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((STOP_TIMEOUT_S * 10))); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "pid $pid still running ${STOP_TIMEOUT_S}s after SIG$sig; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    return 1
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$YARD_PID" ]]; then stop_pid "$YARD_PID" TERM || true; fi
    if [[ -n "$SERVER_PID" ]]; then stop_pid "$SERVER_PID" INT || true; fi
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
    if [[ $rc -ne 0 ]]; then
        for f in "$TMP"/server-*.log "$TMP/yardstick.log"; do
            [[ -s "$f" ]] || continue
            log "last lines of $(basename "$f"):"
            tail -n 20 "$f" >&2 || true
        done
    fi
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. build ----------------------------------------------------------------------------------
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    # Two builds: thidua exactly as `cargo build --release` makes it (an example brings in the
    # dev-dependencies, whose features would otherwise be unified into thidua's), then the
    # yardstick.
    for try in $(seq 1 "$BUILD_TRIES"); do
        log "cargo build --release; cargo build --release --example yardstick (try $try/$BUILD_TRIES)"
        if cargo build --release >"$TMP/build.log" 2>&1 \
            && cargo build --release --example yardstick >>"$TMP/build.log" 2>&1; then
            break
        fi
        tail -n 15 "$TMP/build.log" >&2
        [[ $try -lt $BUILD_TRIES ]] || die "cargo build failed $BUILD_TRIES times"
        log "build failed; retrying in 60 s"
        sleep 60
    done
fi
[[ -x "$BIN" ]] || die "no binary at $BIN"
[[ -x "$YBIN" ]] || die "no yardstick at $YBIN"

# --- ports -------------------------------------------------------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local p="$1"
    while port_busy "$p"; do
        p=$((p + 1))
        [[ $p -lt $(($1 + 100)) ]] || die "no free port in $1..$p"
    done
    echo "$p"
}
PORT="$(free_port "$PORT_START")"
YPORT="$(free_port $((PORT + 1)))"
BASE="http://127.0.0.1:$PORT"
YBASE="http://127.0.0.1:$YPORT"

# --- a quiet machine -----------------------------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }
busy() { awk -v l="$(load1)" -v n="$(nproc)" 'BEGIN{exit !(l > n/2)}'; }
if busy && [[ "$QUIET_WAIT_S" -gt 0 ]]; then
    log "load average $(load1) on $(nproc) cores; waiting up to ${QUIET_WAIT_S}s for it to drop"
    deadline=$(( $(date +%s) + QUIET_WAIT_S ))
    while busy && [[ $(date +%s) -lt $deadline ]]; do sleep 5; done
fi
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if busy; then
    log "warning: load average is $LOAD_BEFORE on $(nproc) cores; other work will skew these figures"
fi

# --- thidua --------------------------------------------------------------------------------------
# start_thidua LABEL SUBCOMMAND DATA_DIR: runs `thidua SUBCOMMAND --data-dir DATA_DIR` on
# 127.0.0.1:$PORT and waits for /readyz. Sets SERVER_PID and SOCK (its PostgreSQL socket
# folder). Not run in a subshell, so that cleanup knows the pid.
start_thidua() {
    local label="$1" sub="$2" dir="$3" deadline p
    DATA_DIRS+=("$dir")
    SERVER_LOG="$TMP/server-$label.log"
    log "starting thidua $sub on $dir, port $PORT"
    "$BIN" "$sub" --data-dir "$dir" --bind "127.0.0.1:$PORT" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    deadline=$(( $(date +%s) + READY_TIMEOUT_S ))
    while ! curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" 2>/dev/null; do
        kill -0 "$SERVER_PID" 2>/dev/null || die "thidua exited before it was ready"
        [[ $(date +%s) -lt $deadline ]] || die "thidua not ready after ${READY_TIMEOUT_S}s"
        sleep 0.1
    done
    while read -r p; do [[ -n "$p" ]] && PG_SEEN+=("$p"); done < <(pg_pids "$dir")
    # src/db/embedded.rs: the socket folder is $TMPDIR/thidua-pg-<thidua's pid>-<random>.
    local socks=("${TMPDIR:-/tmp}"/thidua-pg-"$SERVER_PID"-*)
    [[ ${#socks[@]} -eq 1 && -d "${socks[0]}" ]] \
        || die "cannot find the PostgreSQL socket folder of thidua pid $SERVER_PID"
    SOCK="${socks[0]}"
    log "thidua ready (pid $SERVER_PID); PostgreSQL socket in $SOCK"
}

stop_thidua() {
    local rc=0 left
    stop_pid "$SERVER_PID" INT || die "thidua did not stop within ${STOP_TIMEOUT_S}s of SIGINT"
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=""
    [[ $rc -eq 0 ]] || log "warning: thidua exited with status $rc after SIGINT"
    left="$(leftover_pg | tr '\n' ' ')"
    [[ -z "${left// /}" ]] || die "postgres still running after thidua stopped: pids $left"
}

# psql DB SQL: one query as the superuser through the socket; unaligned, tuples only.
sql() {
    PGCONNECT_TIMEOUT=10 timeout 60 "$PSQL" -X -q -At -v ON_ERROR_STOP=1 \
        -h "$SOCK" -p "$PG_PORT" -U "$PG_SUPERUSER" -d "$1" -c "$2"
}

# One value from the thidua database; dies if the query finds nothing.
sql1() {
    local v
    v="$(sql "$PG_DB" "$2" | head -n 1)" || die "query for $1 failed"
    [[ -n "$v" ]] || die "found no $1 in the database"
    echo "$v"
}

# --- logging in ----------------------------------------------------------------------------------
# login USER PASSWORD: the login form's double-submit CSRF cookie, then the form POST; prints
# the session token.
login() {
    local user="$1" pass="$2" jar="$TMP/jar-$1" code tok session
    rm -f "$jar"
    code="$(curl -sS --max-time 10 -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
        "$BASE/login")" || die "GET /login failed"
    [[ "$code" == 200 ]] || die "GET /login answered $code"
    tok="$(awk '$6 == "thidua_csrf" {print $7}' "$jar")"
    [[ -n "$tok" ]] || die "GET /login set no thidua_csrf cookie"
    code="$(curl -sS --max-time 30 -c "$jar" -b "$jar" -o "$TMP/login-$user.html" \
        -w '%{http_code} %{redirect_url}' \
        --data-urlencode "csrf=$tok" --data-urlencode "username=$user" \
        --data-urlencode "password=$pass" --data-urlencode "next=/" \
        "$BASE/login")" || die "POST /login as $user failed"
    [[ "$code" == 30[23]\ "$BASE/" ]] \
        || die "logging in as $user answered '$code', expected a redirect to $BASE/"
    session="$(awk '$6 == "thidua_session" {print $7}' "$jar")"
    [[ -n "$session" ]] || die "logging in as $user set no thidua_session cookie"
    echo "$session"
}

# --- measuring -----------------------------------------------------------------------------------
# check_page URL COOKIE: the page must answer 200 itself (a redirect to /login measures
# nothing). Sets C_BYTES (body) and C_TOTAL (headers + body).
check_page() {
    local url="$1" cookie="$2" out code hdr loc h=()
    [[ -z "$cookie" ]] || h=(-H "Cookie: $cookie")
    out="$(curl -sS --max-time 60 "${h[@]}" -o "$TMP/page.body" \
        -w '%{http_code} %{size_download} %{size_header} %{redirect_url}' "$url")" \
        || die "GET $url failed"
    read -r code C_BYTES hdr loc <<<"$out"
    [[ "$code" == 200 ]] || die "GET $url answered $code${loc:+ (to $loc)}, expected 200"
    [[ "$C_BYTES" -gt 0 ]] || die "GET $url answered 200 with an empty body"
    # .docx and .xlsx are zip files.
    if [[ "$url" == *docx* || "$url" == *xlsx* ]] && [[ "$(head -c 2 "$TMP/page.body")" != PK ]]; then
        die "GET $url answered 200 but not with an office file"
    fi
    C_TOTAL=$((C_BYTES + hdr))
}

# wrk bytes figure ("45.67MB") to bytes.
to_bytes() {
    awk -v s="$1" 'BEGIN{
        n = s + 0; u = s; sub(/^[0-9.]+/, "", u)
        m = 1; if (u == "KB") m = 1024; else if (u == "MB") m = 1048576; else if (u == "GB") m = 1073741824
        printf "%.0f", n * m }'
}

# run_wrk URL COOKIE [DURATION]: sets W_RPS W_P50 W_P99 W_NON2XX W_ERR W_BPR (bytes per response).
run_wrk() {
    local url="$1" cookie="$2" d="${3:-$DURATION}" out="$TMP/wrk.txt" reqs read h=()
    [[ -z "$cookie" ]] || h=(-H "Cookie: $cookie")
    wrk -t"$THREADS" -c"$CONNS" -d"$d" --timeout "$WRK_TIMEOUT" --latency "${h[@]}" "$url" \
        >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $url"; }
    W_RPS="$(awk '/^Requests\/sec:/{print $2}' "$out")"
    W_P50="$(awk '$1=="50%"{print $2}' "$out")"
    W_P99="$(awk '$1=="99%"{print $2}' "$out")"
    W_NON2XX="$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$out")"
    W_ERR="$(awk '/Socket errors:/{sub(/.*Socket errors: /,""); gsub(/ /,""); print}' "$out")"
    reqs="$(awk '/requests in/{print $1}' "$out")"
    read="$(awk '/requests in/{print $NF}' "$out")"
    W_RPS="${W_RPS:--}" W_P50="${W_P50:--}" W_P99="${W_P99:--}"
    W_NON2XX="${W_NON2XX:-0}" W_ERR="${W_ERR:-0}"
    if [[ -n "$reqs" && "$reqs" -gt 0 && -n "$read" ]]; then
        W_BPR=$(( $(to_bytes "$read") / reqs ))
    else
        W_BPR=0
    fi
}

human_bytes() {
    awk -v b="$1" 'BEGIN{ if (b >= 1048576) printf "%.1f MiB", b/1048576;
        else if (b >= 1024) printf "%.1f KiB", b/1024; else printf "%d B", b }'
}

share() { awk -v r="$1" -v y="$2" 'BEGIN{ if (y > 0 && r + 0 > 0) printf "%.1f", 100 * r / y; else print "-" }'; }

TABLE_HEAD='| page | as | req/s | p50 | p99 | yardstick req/s beside it | % of yardstick | non-2xx/3xx | socket errors | size |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |'
ROWS=""                  # markdown rows of the dataset being measured
WARNINGS=()

# yardstick_beside: the yardstick's rate right now (a short run), or its first full run's when
# BENCH_PAIR_DURATION is 0. Sets BESIDE.
yardstick_beside() {
    if [[ "$PAIR_DURATION" == 0 || "$PAIR_DURATION" == 0s ]]; then
        BESIDE="$YARD_RPS"
        return
    fi
    run_wrk "$YBASE/fortunes" "" "$PAIR_DURATION"
    [[ "$W_NON2XX" == 0 && "$W_ERR" == 0 ]] \
        || die "the yardstick had errors: non-2xx $W_NON2XX, socket $W_ERR"
    BESIDE="$W_RPS"
    sleep 1
}

# measure LABEL WHO URL COOKIE: checks the page, runs the yardstick briefly, runs wrk on the
# page, checks the page again (a session that ended mid-run would turn the run into
# redirects), appends one table row.
measure() {
    local label="$1" who="$2" url="$3" cookie="$4" pct note=""
    check_page "$url" "$cookie"
    local before="$C_TOTAL"
    yardstick_beside
    log "wrk $label  ($who)  $url"
    run_wrk "$url" "$cookie"
    check_page "$url" "$cookie"
    # wrk's bytes per response should match the page (documents may differ a little run to
    # run); far fewer bytes means wrk got something else, such as error pages.
    if [[ "$W_BPR" -gt 0 ]] && awk -v w="$W_BPR" -v c="$before" 'BEGIN{exit !(w < c / 2)}'; then
        note=" (!)"
        WARNINGS+=("$label: wrk read $W_BPR bytes per response, the page is $before bytes")
    fi
    pct="$(share "$W_RPS" "$BESIDE")"
    ROWS+="| $label | $who | $W_RPS | $W_P50 | $W_P99 | $BESIDE | $pct | $W_NON2XX$note | $W_ERR | $(human_bytes "$C_BYTES") |"$'\n'
    [[ "$W_NON2XX" == 0 ]] || WARNINGS+=("$label: $W_NON2XX non-2xx/3xx answers under load")
    [[ "$W_ERR" == 0 ]] || WARNINGS+=("$label: socket errors $W_ERR")
    sleep 1
}

# --- the pages -------------------------------------------------------------------------------------
# The dataset's users and ids. demo_ids sets them for the demo data; the national hook sets them
# from its manifest. Users: U_ADMIN (council admin), U_HEAD (a member unit's head), U_OFFICER
# (the emulation officer of the year's leader unit). Ids: YEAR (a year being scored, with its
# pledge and registrations), SHEET_UNIT (a unit with a sheet that year), REG_UNIT (U_HEAD's
# unit, registered that year), VOTE_YEAR and VOTE (a year with a closed vote, and that vote),
# PROPOSAL (a dossier), REPORT_UNIT (a nominee with an achievement report in it), HISTORY_UNIT;
# Q_UNITS / Q_USERS (search words, URL-encoded).

demo_ids() {
    local t c
    t="$(sql1 "tenant langson" "SELECT id FROM tenants WHERE code = 'langson'")"
    c="$(sql1 "the Lạng Sơn cluster" "SELECT id FROM clusters WHERE tenant_id = $t
        AND name = 'Cụm thi đua các cơ quan Nội chính tỉnh'")"
    unit() { sql1 "unit $1" "SELECT id FROM units WHERE tenant_id = $t AND code = '$1'"; }
    U_ADMIN=quantri.langson
    U_HEAD=thutruong.ca-ls
    U_OFFICER=canbo.thads-ls
    PASSWORD="$DEMO_PASSWORD"
    # The demo moves with the date (issue 11, item 9): its live year is the cluster's newest,
    # the year with the vote and the dossier the one before.
    YEAR="$(sql1 "the live year" "SELECT id FROM cluster_years WHERE cluster_id = $c
        ORDER BY year DESC LIMIT 1")"
    SHEET_UNIT="$(unit tand-ls)"
    REG_UNIT="$(unit ca-ls)"
    VOTE_YEAR="$(sql1 "the year before" "SELECT id FROM cluster_years WHERE cluster_id = $c
        ORDER BY year DESC OFFSET 1 LIMIT 1")"
    VOTE="$(sql1 "the year before's award vote" "SELECT id FROM votes WHERE cluster_year_id = $VOTE_YEAR
        AND kind = 'award' ORDER BY id LIMIT 1")"
    PROPOSAL="$(sql1 "the year before's dossier" "SELECT id FROM proposals WHERE cluster_year_id = $VOTE_YEAR")"
    REPORT_UNIT="$(sql1 "an achievement report" "SELECT r.unit_id FROM achievement_reports r
        JOIN units u ON u.id = r.unit_id WHERE r.proposal_id = $PROPOSAL
        ORDER BY u.code = 'tand-ls' DESC, r.unit_id LIMIT 1")"
    HISTORY_UNIT="$(unit tand-ls)"
    Q_UNITS="lang%20son"
    Q_USERS="can%20bo"
    # The demo's issued decision (the Lạng Sơn dossier of the year before), three awards.
    DECISION="$(sql1 "the issued decision" "SELECT id FROM decisions WHERE tenant_id = $t
        AND state = 'issued' ORDER BY id LIMIT 1")"
}

# One line per page: label|role|path. Every print view and download is here.
page_list() {
    cat <<EOF
home|admin|/
home|head|/
home|officer|/
year page|officer|/years/$YEAR
scoring dashboard|officer|/years/$YEAR/scoring
scoring print|officer|/years/$YEAR/scoring/print
scoring .docx|officer|/years/$YEAR/scoring/print.docx
scoring .xlsx|officer|/years/$YEAR/scoring/export.xlsx
score sheet|officer|/years/$YEAR/sheets/$SHEET_UNIT
pledge|officer|/years/$YEAR/pledge
pledge print|officer|/years/$YEAR/pledge/print
pledge .docx|officer|/years/$YEAR/pledge/print.docx
registrations|officer|/years/$YEAR/registrations
registrations print|officer|/years/$YEAR/registrations/print
registration of a unit|head|/years/$YEAR/registrations/$REG_UNIT
registration print|head|/years/$YEAR/registrations/$REG_UNIT/print
votes of a year|head|/years/$VOTE_YEAR/votes
vote|head|/votes/$VOTE
dossier|admin|/proposals/$PROPOSAL
dossier print tờ trình|admin|/proposals/$PROPOSAL/print/to-trinh
dossier print biên bản|admin|/proposals/$PROPOSAL/print/bien-ban
dossier print danh sách|admin|/proposals/$PROPOSAL/print/danh-sach
dossier .docx tờ trình|admin|/proposals/$PROPOSAL/docx/to-trinh
dossier .docx biên bản|admin|/proposals/$PROPOSAL/docx/bien-ban
dossier .docx danh sách|admin|/proposals/$PROPOSAL/docx/danh-sach
achievement report|admin|/proposals/$PROPOSAL/reports/$REPORT_UNIT
report print báo cáo|admin|/proposals/$PROPOSAL/reports/$REPORT_UNIT/print
report .docx báo cáo|admin|/proposals/$PROPOSAL/reports/$REPORT_UNIT/docx
council dashboard|admin|/council
council .xlsx|admin|/council/export.xlsx
council inbox|admin|/council/proposals
unit history|admin|/units/$HISTORY_UNIT/history
unit search|admin|/units?q=$Q_UNITS
user search|admin|/users?q=$Q_USERS
EOF
    if [[ -n "${DECISION:-}" ]]; then
        cat <<EOF
decision print|admin|/council/decisions/$DECISION/print
decision .docx|admin|/council/decisions/$DECISION/docx
certificates of a decision|admin|/council/decisions/$DECISION/certificates
EOF
    fi
}

# The pages to measure: page_list, or those of its lines whose label matches BENCH_PAGES.
chosen_pages() {
    if [[ -n "${BENCH_PAGES:-}" ]]; then
        page_list | awk -F'|' -v re="$BENCH_PAGES" '$1 ~ re'
    else
        page_list
    fi
}

# measure_dataset: logs the three roles in and measures every page; thidua must be running and
# the dataset's variables set. Sets RSS_IDLE, RSS_AFTER, RSS_PEAK; fills ROWS.
measure_dataset() {
    local label role path user cookie
    sleep 3
    RSS_IDLE="$(rss_kb "$SERVER_PID")"
    declare -gA COOKIE=()
    declare -gA WHO=([admin]="$U_ADMIN" [head]="$U_HEAD" [officer]="$U_OFFICER")
    for role in admin head officer; do
        log "logging in as ${WHO[$role]}"
        COOKIE[$role]="thidua_session=$(login "${WHO[$role]}" "$PASSWORD")"
    done
    # Every page first, so that a wrong id fails the run before minutes of load.
    while IFS='|' read -r label role path; do
        check_page "$BASE$path" "${COOKIE[$role]}"
    done < <(chosen_pages)
    log "all $(chosen_pages | wc -l) pages answer 200; measuring"
    measure "/healthz (no session, no database)" "-" "$BASE/healthz" ""
    while IFS='|' read -r label role path; do
        measure "$label \`$path\`" "${WHO[$role]}" "$BASE$path" "${COOKIE[$role]}"
    done < <(chosen_pages)
    RSS_AFTER="$(rss_kb "$SERVER_PID")"
    RSS_PEAK="$(hwm_kb "$SERVER_PID")"
}

# scan_server_log LABEL: thidua's warnings and errors while it was measured, as report warnings
# (wrk ends each run by closing its connections mid-request, so cancelled requests show here).
scan_server_log() {
    local f="$TMP/server-$1.log" n line
    n="$(grep -c ' WARN \| ERROR ' <(sed 's/\x1b\[[0-9;]*m//g' "$f") || true)"
    [[ "$n" -gt 0 ]] || return 0
    WARNINGS+=("$1: thidua logged $n WARN/ERROR lines; the most frequent:")
    while read -r line; do
        WARNINGS+=("  $line")
    done < <(sed 's/\x1b\[[0-9;]*m//g' "$f" | grep ' WARN \| ERROR ' \
        | sed -E 's/^[^ ]+ +//; s/request\{id="[^"]*" /request{/' | sort | uniq -c | sort -rn | head -n 5)
}

# --- the yardstick -----------------------------------------------------------------------------------
# Its own database on thidua's PostgreSQL, as the superuser through the socket; it makes and fills
# its table itself.
start_yardstick() {
    local deadline
    if [[ -z "$(sql postgres "SELECT 1 FROM pg_database WHERE datname = 'bench_yardstick'")" ]]; then
        sql postgres "CREATE DATABASE bench_yardstick" >/dev/null
    fi
    log "starting the yardstick on port $YPORT"
    DATABASE_URL="postgres://$PG_SUPERUSER@localhost:$PG_PORT/bench_yardstick?host=$SOCK" \
        "$YBIN" "127.0.0.1:$YPORT" >"$TMP/yardstick.log" 2>&1 &
    YARD_PID=$!
    deadline=$(( $(date +%s) + YARD_TIMEOUT_S ))
    while ! curl -fsS -o /dev/null --max-time 2 "$YBASE/fortunes" 2>/dev/null; do
        kill -0 "$YARD_PID" 2>/dev/null || die "the yardstick exited before it answered"
        [[ $(date +%s) -lt $deadline ]] || die "the yardstick did not answer within ${YARD_TIMEOUT_S}s"
        sleep 0.1
    done
    # Thirteen rows, the script tag escaped (askama writes < as &#60;).
    curl -fsS --max-time 5 -o "$TMP/fortunes.html" "$YBASE/fortunes" || die "GET /fortunes failed"
    if ! { [[ "$(grep -o '<tr>' "$TMP/fortunes.html" | wc -l)" == 14 ]] \
        && grep -q 'Additional fortune added at request time' "$TMP/fortunes.html" \
        && ! grep -q '<script>' "$TMP/fortunes.html"; }; then
        die "the yardstick's page is not Fortunes: $(head -c 300 "$TMP/fortunes.html")"
    fi
}

stop_yardstick() {
    stop_pid "$YARD_PID" TERM || die "the yardstick did not stop within ${STOP_TIMEOUT_S}s"
    wait "$YARD_PID" || true
    YARD_PID=""
}

yardstick_row() {
    ROWS+="| **yardstick: Fortunes** ($1) \`/fortunes\` | - | $W_RPS | $W_P50 | $W_P99 | $YARD_RPS | $(share "$W_RPS" "$YARD_RPS") | $W_NON2XX | $W_ERR | $(human_bytes "$YARD_BYTES") |"$'\n'
}

# run_dataset NAME TITLE: thidua is running and the dataset's ids are set. Starts the
# yardstick on thidua's PostgreSQL, measures it, every page, and it again; stops both; adds the
# dataset's section to the report and writes the report.
run_dataset() {
    local name="$1" title="$2" yard_rps2 yard_rss
    start_yardstick
    check_page "$YBASE/fortunes" ""
    YARD_BYTES="$C_BYTES"
    log "wrk yardstick $YBASE/fortunes"
    run_wrk "$YBASE/fortunes" ""
    [[ "$W_NON2XX" == 0 && "$W_ERR" == 0 ]] \
        || die "the yardstick had errors: non-2xx $W_NON2XX, socket $W_ERR"
    YARD_RPS="$W_RPS"
    ROWS=""
    yardstick_row "first"
    sleep 1

    measure_dataset

    # The yardstick again: how much the machine drifted over the run.
    log "wrk yardstick again $YBASE/fortunes"
    run_wrk "$YBASE/fortunes" ""
    yardstick_row "again, after the pages"
    yard_rps2="$W_RPS"
    yard_rss="$(rss_kb "$YARD_PID")"
    stop_yardstick
    stop_thidua
    scan_server_log "$name"

    SECTIONS+="
## $title

Yardstick: $YARD_RPS req/s at the start, $yard_rps2 req/s at the end. thidua RSS: idle $RSS_IDLE KiB ($(kib_mib "$RSS_IDLE")) before the load, $RSS_AFTER KiB ($(kib_mib "$RSS_AFTER")) after it, peak $RSS_PEAK KiB ($(kib_mib "$RSS_PEAK")). Yardstick RSS after its runs: $yard_rss KiB ($(kib_mib "$yard_rss")).

$TABLE_HEAD
$ROWS"
    write_report
}

# --- the report -----------------------------------------------------------------------------------------
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' +uncommitted changes')"
SECTIONS=""

# write_report: the report so far to $OUT (after each dataset, so that a failure in the second
# keeps the figures of the first).
write_report() {
    {
        echo "# thidua page benchmark"
        echo
        echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT, $(nproc) cores, load average before: $LOAD_BEFORE."
        echo "Each page: \`wrk -t$THREADS -c$CONNS -d$DURATION --timeout $WRK_TIMEOUT --latency\`, logged in as the user in \"as\"."
        echo "thidua's request pool: ${THIDUA_DB_POOL:-8 (the default)} connections."
        echo "The yardstick is examples/yardstick.rs: TechEmpower Fortunes on the same axum/sqlx/askama and the same PostgreSQL."
        if [[ "$PAIR_DURATION" == 0 || "$PAIR_DURATION" == 0s ]]; then
            echo "\"% of yardstick\" divides a page's rate by the yardstick's first run."
        else
            echo "\"% of yardstick\" divides a page's rate by the yardstick's, measured for $PAIR_DURATION just before that page (\"beside it\"),"
            echo "so that a machine that slows down during the run does not skew the shares."
        fi
        printf '%s' "$SECTIONS"
        if [[ ${#WARNINGS[@]} -gt 0 ]]; then
            echo
            echo "Warnings:"
            printf -- '- %s\n' "${WARNINGS[@]}"
        fi
    } >"$TMP/report.md"
    mkdir -p "$(dirname "$OUT")"
    cp "$TMP/report.md" "$OUT"
}

# ======================================================================================================
# HOOK: the national-scale dataset (BENCH_NATIONAL=1).
#
# national_generate runs `thidua generate` (src/national.rs; its defaults are the national scale:
# 10,000 units, 100,000 users, 1,000 clusters, 10 years) into a data folder of its own and writes
# its manifest; national_load_manifest reads the manifest's sampled cluster year, accounts and ids
# into the variables demo_ids sets; the main flow then starts `thidua serve` on that folder and
# measures the same page list. Needs jq.
#
# Overrides:
#   BENCH_NATIONAL_CMD       the generating command, run with bash -c; $NAT_DATA and
#                            $NAT_MANIFEST are exported to it
#                            (default: "$BIN" generate --data-dir "$NAT_DATA" --manifest "$NAT_MANIFEST")
#   BENCH_NATIONAL_DATA / BENCH_NATIONAL_MANIFEST   an already generated folder and manifest:
#                            nothing is generated (the folder is served as it is, and not removed)
# ======================================================================================================
national_generate() {
    if [[ -n "${BENCH_NATIONAL_DATA:-}" || -n "${BENCH_NATIONAL_MANIFEST:-}" ]]; then
        NAT_DATA="${BENCH_NATIONAL_DATA:?set BENCH_NATIONAL_DATA with BENCH_NATIONAL_MANIFEST}"
        NAT_MANIFEST="${BENCH_NATIONAL_MANIFEST:?set BENCH_NATIONAL_MANIFEST with BENCH_NATIONAL_DATA}"
        log "national: using $NAT_DATA and $NAT_MANIFEST as they are"
        return
    fi
    NAT_DATA="$TMP/national/pg"
    NAT_MANIFEST="$TMP/national/manifest.json"
    mkdir -p "$TMP/national"
    chmod 755 "$TMP/national"
    export NAT_DATA NAT_MANIFEST BIN
    local cmd="${BENCH_NATIONAL_CMD:-\"\$BIN\" generate --data-dir \"\$NAT_DATA\" --manifest \"\$NAT_MANIFEST\"}"
    log "national: generating with: $cmd"
    local t0=$SECONDS
    # Bounded like every other wait: a national dataset may take a while, not forever.
    timeout "${BENCH_NATIONAL_TIMEOUT:-3600}" bash -c "$cmd" >"$TMP/national/generate.log" 2>&1 \
        || { tail -n 20 "$TMP/national/generate.log" >&2; die "national: the generator failed"; }
    log "national: generated in $((SECONDS - t0)) s"
    [[ -s "$NAT_MANIFEST" ]] || die "national: the generator wrote no manifest at $NAT_MANIFEST"
}

national_load_manifest() {
    local m="$1"
    command -v jq >/dev/null || die "national: jq is needed to read the manifest"
    get() {
        local v
        v="$(jq -er "$1" "$m")" || die "national: the manifest has no $1"
        echo "$v"
    }
    enc() { jq -rn --arg s "$1" '$s|@uri'; }
    # The fields of `thidua generate --manifest` (src/national.rs, Manifest): one sampled cluster
    # year of the first tenant, its leader's officer, one member's head, its dossier and vote.
    PASSWORD="$(get .password)"
    U_ADMIN="$(get .tenant_admin)"
    U_HEAD="$(get .member_head)"
    U_OFFICER="$(get .leader_officer)"
    YEAR="$(get .cluster_year_id)"
    SHEET_UNIT="$(get .unit_id)"
    REG_UNIT="$(get .unit_id)"
    VOTE_YEAR="$(get .cluster_year_id)"
    VOTE="$(get .vote_id)"
    PROPOSAL="$(get .proposal_id)"
    REPORT_UNIT="$(get .unit_id)"
    HISTORY_UNIT="$(get .unit_id)"
    DECISION=""
    Q_UNITS="$(enc "$(jq -r '.queries.units // "lang son"' "$m")")"
    Q_USERS="$(enc "$(jq -r '.queries.users // "can bo"' "$m")")"
}
# ====================================================================================== end of hook ===

source "$ROOT/bench/office_hook.sh"

# --- 2. the demo dataset ---------------------------------------------------------------------------------
start_thidua demo demo "$TMP/demo/pg"
demo_ids
log "ids: year $YEAR, sheet unit $SHEET_UNIT, registration unit $REG_UNIT, vote year $VOTE_YEAR," \
    "vote $VOTE, dossier $PROPOSAL, report unit $REPORT_UNIT, history unit $HISTORY_UNIT"
run_dataset demo "Demo dataset (\`thidua demo\`, Lạng Sơn)"

# --- 3. the national dataset (optional) ----------------------------------------------------------------------
if [[ "${BENCH_NATIONAL:-0}" == 1 ]]; then
    national_generate
    national_load_manifest "$NAT_MANIFEST"
    start_thidua national serve "$NAT_DATA"
    run_dataset national "National dataset ($NAT_MANIFEST)"
fi

# --- 4. the council's office at 200 awards (optional) ----------------------------------------------------------
if [[ "${BENCH_OFFICE:-0}" == 1 ]]; then
    office_generate
    national_load_manifest "$OFFICE_MANIFEST"
    start_thidua office serve "$OFFICE_DATA"
    office_prepare
    BENCH_PAGES='^(decision|certificates)'
    run_dataset office "The council's office at $OFFICE_AWARDS awards (\`thidua generate\`, $OFFICE_CLUSTERS clusters, one year)"
    SECTIONS+="

$OFFICE_SECTION
"
    write_report
fi

echo
cat "$TMP/report.md"
echo
log "report written to $OUT"
