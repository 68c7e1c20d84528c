#!/usr/bin/env bash
# Losing the PostgreSQL primary, and then an app instance, under load — on this machine, over
# the loopback (issue 16, items 2 and 3).
#
# Starts, in a private folder and on 127.0.0.1 only: a pg_auto_failover monitor, a primary and
# a synchronous standby (replication quorum), two `thidua serve` instances whose DATABASE_URL
# lists both nodes, and HAProxy in front (deploy/haproxy.cfg). Several demo users log in, view
# pages and save their scoring sheets through HAProxy; every save HAProxy answers 303 is an
# acknowledged write, kept with its request id and value. The members' heads cast their ballots
# in an online peer vote the cluster's leader opened: one before the primary is lost, the others
# while and after it is; every acknowledged ballot must be recorded. Then it kills the primary machine
# (kill -9 of its pg_autoctl keeper and its postgres), waits until saves succeed again, brings
# the old primary back as a standby, kills one app instance (kill -9) under the same load, and
# prints, for each: time until writes succeed again, 5xx answers, requests that failed to
# connect, and the acknowledged writes missing afterwards (must be 0).
#
#   bash deploy/test/failover.sh            # takes about two minutes
#
# Needs pg_autoctl (Debian: postgresql-15-auto-failover), haproxy, curl, and a thidua binary
# (THIDUA_BIN, else $CARGO_TARGET_DIR/release/thidua, else …/debug/thidua). Exits 0 with a
# message when a program is missing and SKIP_MISSING=1 (CI without the packages); non-zero when
# an acknowledged write is lost or service does not come back.
set -euo pipefail
cd "$(dirname "$0")/../.."

BASE=${FAILOVER_DIR:-/tmp/thidua-failover}
USERS=${USERS:-4}
MON_PORT=${MON_PORT:-5710}
N1_PORT=${N1_PORT:-5711}
N2_PORT=${N2_PORT:-5712}
APP1=${APP1:-127.0.0.1:8181}
APP2=${APP2:-127.0.0.1:8182}
LB_PORT=${LB_PORT:-8180}
LB=http://127.0.0.1:$LB_PORT
# How long the monitor waits before it calls a node dead. pg_auto_failover's defaults (a check
# every 5 s, unhealthy after 20 s, 30 s for the old primary to demote itself) make a failover
# take about 30–50 s; the script uses the tighter settings below and prints what it used.
UNHEALTHY_MS=${UNHEALTHY_MS:-5000}
DEMOTE_TIMEOUT=${DEMOTE_TIMEOUT:-10s}

missing=()
for p in pg_autoctl haproxy curl psql; do
  command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || missing+=("$p")
done
target=${CARGO_TARGET_DIR:-target}
BIN=${THIDUA_BIN:-}
if [ -z "$BIN" ]; then
  for b in "$target/release/thidua" "$target/debug/thidua"; do
    if [ -x "$b" ]; then BIN=$b; break; fi
  done
fi
[ -n "$BIN" ] && [ -x "$BIN" ] || missing+=("thidua binary (cargo build)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "FAILOVER TEST DID NOT RUN: missing ${missing[*]}"
  [ "${SKIP_MISSING:-0}" = 1 ] && exit 0
  exit 2
fi
BIN=$(readlink -f "$BIN")
PGBIN=$(dirname "$(readlink -f "$(command -v pg_autoctl)")")
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && PGBIN_PG=$d; done

# pg_autoctl and PostgreSQL refuse to run as root: run them as postgres, with their state in
# the private folder rather than that user's home.
as_pg() {
  local env=(env "PATH=$PGBIN_PG:$PGBIN:/usr/bin:/bin" "XDG_CONFIG_HOME=$BASE/xdg/config"
             "XDG_DATA_HOME=$BASE/xdg/data" "XDG_RUNTIME_DIR=$BASE/xdg/run" "PGHOST=127.0.0.1")
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "${env[@]}" "$@"; else "${env[@]}" "$@"; fi
}

pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for n in node1 node2 monitor; do
    [ -d "$BASE/$n" ] && as_pg pg_autoctl stop --pgdata "$BASE/$n" --immediate >/dev/null 2>&1
  done
  pkill_group() { [ -n "${1:-}" ] && kill -9 -- "-$1" 2>/dev/null; }
  for g in "${groups[@]:-}"; do pkill_group "$g"; done
  wait 2>/dev/null
}
groups=()
trap cleanup EXIT

log() { printf '%s %s\n' "$(date +%T)" "$*"; }
now_ms() { date +%s%3N; }

rm -rf "$BASE"
mkdir -p "$BASE/xdg/config" "$BASE/xdg/data" "$BASE/xdg/run" "$BASE/load"
chmod 700 "$BASE/xdg/run"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$BASE"
chmod 755 "$BASE"

# Starts a command in a process group of its own (so a kill -9 of "the machine" takes all of
# it) and prints the group id.
start_group() {
  local logf=$1; shift
  setsid "$@" >"$logf" 2>&1 < /dev/null &
  echo $!
}

state() { as_pg pg_autoctl show state --pgdata "$BASE/monitor" 2>/dev/null; }
wait_for() { # seconds, description, command…
  local limit=$1 what=$2; shift 2
  local t0; t0=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if [ $(( $(date +%s) - t0 )) -ge "$limit" ]; then
      log "gave up waiting for $what"; state || true; exit 1
    fi
    sleep 0.5
  done
}
node_is() { state | grep -E "^ *$1 " | grep -qE "\| *$2 *\| *$2 *\|?"; }

log "monitor on 127.0.0.1:$MON_PORT"
mon=$(start_group "$BASE/monitor.log" bash -c "$(declare -f as_pg); PGBIN=$PGBIN PGBIN_PG=$PGBIN_PG BASE=$BASE; as_pg pg_autoctl create monitor --pgdata $BASE/monitor --pgport $MON_PORT --hostname 127.0.0.1 --auth trust --no-ssl --run")
groups+=("$mon")
wait_for 60 "the monitor" as_pg pg_autoctl show uri --pgdata "$BASE/monitor" --formation monitor
MONITOR=$(as_pg pg_autoctl show uri --pgdata "$BASE/monitor" --formation monitor)
wait_for 60 "the monitor's database" psql "$MONITOR" -Atc "SELECT 1"
as_pg psql -h 127.0.0.1 -p "$MON_PORT" -U postgres -d pg_auto_failover -Atq <<SQL
ALTER SYSTEM SET pgautofailover.health_check_period = 1000;
ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;
ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;
ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;
ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = $UNHEALTHY_MS;
ALTER SYSTEM SET pgautofailover.primary_demote_timeout = '$DEMOTE_TIMEOUT';
SELECT pg_reload_conf();
SQL

create_node() { # name port
  local g
  g=$(start_group "$BASE/$1.log" bash -c "$(declare -f as_pg); PGBIN=$PGBIN PGBIN_PG=$PGBIN_PG BASE=$BASE; as_pg pg_autoctl create postgres --pgdata $BASE/$1 --pgport $2 --hostname 127.0.0.1 --name $1 --auth trust --no-ssl --dbname thidua --monitor '$MONITOR' --replication-quorum true --run")
  echo "$g"
}
log "node1 (primary) on 127.0.0.1:$N1_PORT"
g1=$(create_node node1 "$N1_PORT"); groups+=("$g1")
wait_for 120 "node1 as single" node_is node1 single
# The application connects over TCP from this machine: trust on loopback only.
echo "host all all 127.0.0.1/32 trust" >> "$BASE/node1/pg_hba.conf"
as_pg psql -h 127.0.0.1 -p "$N1_PORT" -U postgres -d thidua -Atqc "SELECT pg_reload_conf()"
log "node2 (synchronous standby) on 127.0.0.1:$N2_PORT"
g2=$(create_node node2 "$N2_PORT"); groups+=("$g2")
wait_for 180 "node2 as secondary" node_is node2 secondary
wait_for 60 "node1 as primary" node_is node1 primary
state
sync=$(as_pg psql -h 127.0.0.1 -p "$N1_PORT" -U postgres -d thidua -Atc "SHOW synchronous_standby_names")
log "synchronous_standby_names on the primary: $sync"

NODES="127.0.0.1:$N1_PORT,127.0.0.1:$N2_PORT"
export DATABASE_URL="postgres://postgres@$NODES/thidua?target_session_attrs=read-write"
export THIDUA_APP_DATABASE_URL="postgres://thidua_app@$NODES/thidua?target_session_attrs=read-write"
export THIDUA_SHUTDOWN_GRACE_SECS=10 RUST_LOG=info,sqlx=warn,tower_http=warn NO_COLOR=1
log "app instances on $APP1 and $APP2 ($BIN)"
"$BIN" demo --bind "$APP1" >"$BASE/app1.log" 2>&1 & app1=$!; pids+=("$app1")
wait_for 300 "app1" curl -fsS "http://$APP1/readyz"
"$BIN" serve --bind "$APP2" >"$BASE/app2.log" 2>&1 & app2=$!; pids+=("$app2")
wait_for 120 "app2" curl -fsS "http://$APP2/readyz"

awk '/^defaults/,/^    server /' deploy/haproxy.cfg | grep -vE '^    (server|log) ' \
  | sed "s/bind :80/bind 127.0.0.1:$LB_PORT/" > "$BASE/haproxy.cfg.body"
{ printf 'global\n    maxconn 1000\n\n'; cat "$BASE/haproxy.cfg.body"
  printf '    server app1 %s check\n    server app2 %s check\n' "$APP1" "$APP2"; } > "$BASE/haproxy.cfg"
haproxy -f "$BASE/haproxy.cfg" -db >"$BASE/haproxy.log" 2>&1 & pids+=($!)
wait_for 30 "haproxy" curl -fsS "$LB/readyz"

# The users: unit officers whose sheets are drafts in a year being scored. The demo's year has
# one draft, one returned and two submitted sheets; the submitted ones go back to draft so that
# four officers have a sheet to save.
PRIMARY_PSQL=(psql "postgres://postgres@$NODES/thidua?target_session_attrs=read-write" -Atq)
"${PRIMARY_PSQL[@]}" -c "UPDATE scoresheets s SET status = 'draft' FROM cluster_years y
  WHERE y.id = s.cluster_year_id AND y.phase = 'scoring' AND s.status = 'submitted'"
mapfile -t who < <("${PRIMARY_PSQL[@]}" -F ' ' -c "
  SELECT DISTINCT ON (s.unit_id) u.username, s.cluster_year_id, s.unit_id,
         (SELECT min(c.id) FROM criteria c WHERE c.table_id = y.criteria_table_id
            AND c.max_points >= 2 AND c.step IN (0.5, 1))
    FROM scoresheets s JOIN cluster_years y ON y.id = s.cluster_year_id
    JOIN users u ON u.unit_id = s.unit_id AND u.role = 'unit_officer'
   WHERE s.status IN ('draft', 'returned') AND y.phase = 'scoring'
   ORDER BY s.unit_id, u.username LIMIT $USERS")
[ ${#who[@]} -gt 0 ] || { log "no draft sheet in the demo to save"; exit 1; }
log "${#who[@]} users: ${who[*]}"

# A vote in the same load: the leader of the Nội chính cluster's current year opens an online
# peer vote through the first instance, as in the browser (candidates, a counting committee of
# three officers who set their passphrases, open); the members' heads then cast their ballots
# through HAProxy — one before the primary is lost, the others while and after it is.
PW=${DEMO_PASSWORD:-thidua-demo-2024}
mkdir -p "$BASE/setup"
# form USER PAGE ACTION name=value…: the page's anti-forgery token, then the form; prints the
# status and where it redirects to.
form() {
  local who=$1 page=$2 action=$3 html csrf kv; shift 3
  local jar=$BASE/setup/$who.jar args=()
  html=$(curl -s -b "$jar" -c "$jar" "http://$APP1$page")
  csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$html" | head -1 | cut -d'"' -f4)
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  curl -s -o /dev/null -b "$jar" -c "$jar" -w '%{http_code} %{redirect_url}\n' \
    --data-urlencode "csrf=$csrf" "${args[@]}" "http://$APP1$action"
}
expect() { # status, what, output of form
  [ "${3%% *}" = "$1" ] || { log "vote set-up failed at $2: $3"; exit 1; }
}
sql() { "${PRIMARY_PSQL[@]}" -F ' ' -c "$1"; }
read -r vyear leader_code < <(sql "SELECT y.id, l.code FROM cluster_years y
  JOIN clusters c ON c.id = y.cluster_id JOIN units l ON l.id = y.leader_unit_id
  WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.phase <> 'closed'
  ORDER BY y.year DESC LIMIT 1")
leader=canbo.$leader_code
expect 303 "the leader's login" "$(form "$leader" /login /login "username=$leader" "password=$PW")"
out=$(form "$leader" "/years/$vyear/votes" "/years/$vyear/votes" kind=award title= mode=online)
expect 303 "creating the vote" "$out"
VOTE=${out##*/votes/}
award=$(sql "SELECT a.id FROM award_types a JOIN cluster_years y ON y.tenant_id = a.tenant_id
  WHERE y.id = $vyear AND a.name = 'Tập thể lao động xuất sắc'")
for u in $(sql "SELECT unit_id FROM cluster_members WHERE cluster_year_id = $vyear
                ORDER BY unit_id LIMIT 2"); do
  expect 303 "a candidate" "$(form "$leader" "/votes/$VOTE" "/votes/$VOTE/candidates" \
    "award_type_id=$award" "unit_id=$u")"
done
committee=(canbo.qs-ls canbo.vks-ls canbo.bp-ls)
seats=()
for m in "${committee[@]}"; do
  seats+=("user_id=$(sql "SELECT id FROM users WHERE username = '$m'")")
done
expect 303 "the committee" "$(form "$leader" "/votes/$VOTE" "/votes/$VOTE/committee" \
  "${seats[@]}" threshold=2)"
for m in "${committee[@]}"; do
  expect 303 "$m's login" "$(form "$m" /login /login "username=$m" "password=$PW")"
  expect 303 "$m's passphrase" "$(form "$m" "/votes/$VOTE" "/votes/$VOTE/committee/passphrase" \
    "passphrase=cụm mật khẩu kiểm thử" "confirm=cụm mật khẩu kiểm thử")"
done
expect 303 "opening the vote" "$(form "$leader" "/votes/$VOTE" "/votes/$VOTE/open")"
mapfile -t CANDIDATES < <(sql "SELECT id FROM vote_candidates WHERE vote_id = $VOTE")
mapfile -t heads < <(sql "SELECT u.username FROM users u JOIN cluster_members m
    ON m.unit_id = u.unit_id AND m.cluster_year_id = $vyear
   WHERE u.role = 'unit_head' AND NOT u.disabled ORDER BY u.username LIMIT $USERS")
log "vote $VOTE open with ${#CANDIDATES[@]} candidates; voters: ${heads[*]}"

# One user's loop until the stop file appears: log in, then view the home page, the sheet
# (its anti-forgery token and version) and save a new figure; every 10th round log in again.
# Each line of the user's file: ms status kind request-id value.
user_loop() {
  local name=$1 year=$2 unit=$3 crit=$4 out=$BASE/load/$1.tsv jar=$BASE/load/$1.jar
  # A failed request is data here, not a reason to stop.
  set +e +o pipefail
  local i=0 v page code rid csrf version
  login() {
    page=$(curl -s -c "$jar" -b "$jar" "$LB/login") || true
    csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -1 | cut -d'"' -f4)
    read -r code rid < <(curl -s -o /dev/null -c "$jar" -b "$jar" -D - \
      --data-urlencode "csrf=$csrf" --data-urlencode "username=$name" \
      --data-urlencode "password=${DEMO_PASSWORD:-thidua-demo-2024}" "$LB/login" \
      | awk 'NR==1{c=$2} tolower($1)=="x-request-id:"{r=$2} END{print c+0, r}' | tr -d '\r')
    echo "$(now_ms) $code login ${rid:--} -" >>"$out"
  }
  login
  while [ ! -e "$BASE/load/stop" ]; do
    i=$((i + 1))
    [ $((i % 10)) -eq 0 ] && login
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$LB/") || code=0
    echo "$(now_ms) $code view - -" >>"$out"
    page=$(curl -s -w '\n%{http_code}' -b "$jar" "$LB/years/$year/sheets/$unit") || page=0
    code=${page##*$'\n'}
    echo "$(now_ms) $code sheet - -" >>"$out"
    [ "$code" = 200 ] || { sleep 0.2; continue; }
    csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -1 | cut -d'"' -f4)
    version=$(grep -o 'name="version" value="[^"]*"' <<<"$page" | head -1 | cut -d'"' -f4)
    # A figure other than the one shown, so that every save changes the sheet (an unchanged
    # save writes no audit row to find it by).
    v=$(grep -o "name=\"p_$crit\"[^>]*" <<<"$page" | grep -o 'value="[^"]*"' | cut -d'"' -f2)
    if [ "$v" = 1 ]; then v=2; else v=1; fi
    read -r code rid < <(curl -s -o /dev/null -b "$jar" -D - --data-urlencode "csrf=$csrf" \
      --data-urlencode "version=$version" --data-urlencode "p_$crit=$v" \
      "$LB/years/$year/sheets/$unit/save" \
      | awk 'NR==1{c=$2} tolower($1)=="x-request-id:"{r=$2} END{print c+0, r}' | tr -d '\r')
    echo "$(now_ms) $code save ${rid:--} $v $year $unit $crit" >>"$out"
  done
}

# One head's loop until the stop file appears: log in, view the vote; cast the unit's ballot
# once ($2 = now, or after the primary is killed), sending it again after a failed attempt until
# it is acknowledged (200 with its receipt) or refused as already cast (an earlier attempt was
# kept). Each line: ms status ballot request-id unit-head.
voter_loop() {
  local name=$1 when=$2 out=$BASE/load/$1.tsv jar=$BASE/load/$1.jar
  set +e +o pipefail
  local page csrf code rid cast=0 args c
  page=$(curl -s -c "$jar" -b "$jar" "$LB/login")
  csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -1 | cut -d'"' -f4)
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" \
    --data-urlencode "username=$name" --data-urlencode "password=$PW" "$LB/login")
  echo "$(now_ms) $code login - -" >>"$out"
  while [ ! -e "$BASE/load/stop" ]; do
    page=$(curl -s -w '\n%{http_code}' -b "$jar" "$LB/votes/$VOTE") || page=0
    code=${page##*$'\n'}
    echo "$(now_ms) $code view - -" >>"$out"
    if [ "$cast" = 0 ] && [ "$code" = 200 ] && { [ "$when" = now ] || [ -e "$BASE/load/killed" ]; }; then
      csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -1 | cut -d'"' -f4)
      args=(--data-urlencode "csrf=$csrf")
      for c in "${CANDIDATES[@]}"; do args+=(--data-urlencode "c$c=for"); done
      page=$(curl -s -D "$BASE/load/$name.headers" -w '\n%{http_code}' -b "$jar" "${args[@]}" \
        "$LB/votes/$VOTE/ballot") || page=0
      code=${page##*$'\n'}
      rid=$(awk 'tolower($1)=="x-request-id:"{print $2}' "$BASE/load/$name.headers" | tr -d '\r')
      if [ "$code" = 200 ] && grep -q 'Mã phiếu' <<<"$page"; then
        cast=1; echo "$(now_ms) $code ballot ${rid:--} $name" >>"$out"
      elif grep -q 'mỗi đơn vị chỉ có một phiếu' <<<"$page"; then
        cast=1; echo "$(now_ms) $code ballot-kept-before ${rid:--} $name" >>"$out"
      else
        echo "$(now_ms) $code ballot-failed ${rid:--} $name" >>"$out"
      fi
    fi
    sleep 0.2
  done
}

start_load() { # with_voters
  rm -f "$BASE/load/stop"
  loaders=()
  for w in "${who[@]}"; do
    # shellcheck disable=SC2086
    user_loop $w & loaders+=($!)
  done
  if [ "${1:-}" = with_voters ]; then
    local i=0
    for h in "${heads[@]}"; do
      if [ $i -eq 0 ]; then voter_loop "$h" now & else voter_loop "$h" after_kill & fi
      loaders+=($!); i=$((i + 1))
    done
  fi
}
stop_load() {
  touch "$BASE/load/stop"
  for p in "${loaders[@]}"; do wait "$p" || true; done
}

# Figures for one event at $1 (ms): the first acknowledged save after it, 5xx and failed
# connections from it to the end of the load.
report() { # label t_event
  local label=$1 t=$2
  cat "$BASE"/load/*.tsv | sort -n > "$BASE/load/all.tsv"
  # "Again": the first acknowledged save after the first failed request that followed the kill.
  awk -v t="$t" -v label="$label" '
    $1 >= t && ($2 >= 500 || $2 == 0) && !failed_at { failed_at = $1 }
    failed_at && $3 == "save" && $2 == 303 && !back { back = $1 - t }
    $1 >= t && $2 >= 500 { e5++ }
    $1 >= t && $2 == 0 { e0++ }
    $1 >= t { n++ }
    $1 >= t && $3 == "save" && $2 == 303 { acked++ }
    END {
      if (failed_at)
        printf "%s: writes succeed again after %.1f s;", label, back / 1000
      else
        printf "%s: no request failed;", label
      printf " %d requests after the kill, %d answered 5xx, %d failed to connect; %d saves acknowledged\n",
        n, e5, e0, acked
    }' "$BASE/load/all.tsv"
}

# Every acknowledged save is in the audit trail with its request id, and each sheet holds the
# value of its last acknowledged save.
check_writes() {
  local acked missing lastbad
  awk '$3 == "save" && $2 == 303 { print $4 }' "$BASE/load/all.tsv" | sort -u > "$BASE/load/acked.txt"
  acked=$(wc -l < "$BASE/load/acked.txt")
  "${PRIMARY_PSQL[@]}" -c "SELECT request_id FROM audit_log WHERE request_id IS NOT NULL" \
    | sort -u > "$BASE/load/audited.txt"
  missing=$(comm -23 "$BASE/load/acked.txt" "$BASE/load/audited.txt" | wc -l)
  lastbad=0
  while read -r year unit crit v; do
    got=$("${PRIMARY_PSQL[@]}" -c "SELECT e.self_points FROM sheet_entries e JOIN scoresheets s
            ON s.tenant_id = e.tenant_id AND s.id = e.sheet_id
           WHERE s.cluster_year_id = $year AND s.unit_id = $unit AND e.criterion_id = $crit")
    awk -v a="$got" -v b="$v" 'BEGIN { exit !(a + 0 == b + 0) }' || lastbad=$((lastbad + 1))
  done < <(awk '$3 == "save" && $2 == 303 { last[$6" "$7" "$8] = $5 } END { for (k in last) print k, last[k] }' "$BASE/load/all.tsv")
  echo "acknowledged writes: $acked; missing from the database: $missing; sheets not holding their last acknowledged value: $lastbad"
  [ "$missing" -eq 0 ] && [ "$lastbad" -eq 0 ]
}

# Every head whose ballot was acknowledged (or refused as already cast) has its unit recorded
# as having voted, and the vote holds exactly one encrypted ballot per unit that voted.
check_ballots() {
  local acked voted stored heads_missing=0 h
  acked=$(awk '$3 == "ballot" || $3 == "ballot-kept-before" { print $5 }' "$BASE/load/all.tsv" | sort -u)
  for h in $acked; do
    [ "$(sql "SELECT count(*) FROM vote_participation p JOIN users u ON u.unit_id = p.unit_id
              WHERE p.vote_id = $VOTE AND u.username = '$h'")" = 1 ] || heads_missing=$((heads_missing + 1))
  done
  voted=$(sql "SELECT count(*) FROM vote_participation WHERE vote_id = $VOTE")
  stored=$(sql "SELECT count(*) FROM encrypted_ballots WHERE vote_id = $VOTE")
  echo "ballots acknowledged: $(wc -w <<<"$acked") of ${#heads[@]} heads; acknowledged but not recorded: $heads_missing; units recorded as voted: $voted; encrypted ballots stored: $stored"
  [ "$heads_missing" -eq 0 ] && [ "$voted" -eq "$stored" ]
}

lost=0
log "load: ${#who[@]} users and ${#heads[@]} voters through HAProxy"
start_load with_voters
sleep 10
primary_pid=$(head -1 "$BASE/node1/postmaster.pid")
t_kill=$(now_ms)
log "kill -9 of node1 (the primary): its pg_autoctl keeper and postgres $primary_pid"
kill -9 -- "-$g1" 2>/dev/null || true
kill -9 "$primary_pid" 2>/dev/null || true
touch "$BASE/load/killed"
wait_for 180 "node2 as primary" node_is node2 '(primary|wait_primary|single)'
log "node2 promoted"
sleep 10
stop_load
report "primary killed" "$t_kill" | tee "$BASE/figures.txt"
check_writes | tee -a "$BASE/figures.txt" || lost=1
check_ballots | tee -a "$BASE/figures.txt" || lost=1

log "node1 comes back as a standby"
g1=$(start_group "$BASE/node1-again.log" bash -c "$(declare -f as_pg); PGBIN=$PGBIN PGBIN_PG=$PGBIN_PG BASE=$BASE; as_pg pg_autoctl run --pgdata $BASE/node1"); groups+=("$g1")
wait_for 180 "node1 as secondary" node_is node1 secondary
state

rm -f "$BASE"/load/*.tsv
start_load
sleep 5
t_kill=$(now_ms)
log "kill -9 of app instance 1 under load"
kill -9 "$app1"
sleep 10
stop_load
report "app instance killed" "$t_kill" | tee -a "$BASE/figures.txt"
check_writes | tee -a "$BASE/figures.txt" || lost=1

echo "settings: node unhealthy after ${UNHEALTHY_MS} ms, primary demote timeout ${DEMOTE_TIMEOUT}; thidua: $BIN"
[ "$lost" -eq 0 ] || { echo "FAILOVER TEST FAILED: acknowledged writes lost"; exit 1; }
echo "FAILOVER TEST PASSED"
