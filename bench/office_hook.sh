# Sourced by bench/pages.sh: the council's office at 200 awards (issue 15), BENCH_OFFICE=1.
#
# A small generated dataset (`thidua generate`, one tenant, OFFICE_CLUSTERS clusters, one year)
# whose decided dossiers are turned back into the council's outcome alone (proposal_outcomes,
# no decision yet), as the council records it before a decision is drafted. Through the pages,
# as the council's staff would: the first dossiers that hold OFFICE_AWARDS awards are drafted
# into one decision OFFICE_DRAFTS times (each draft deleted again) — the time of each draft is
# the figure — then drafted once more and issued; the draft's print view and .docx and the
# certificates of all its awards (one print view, one page each) are measured with wrk like
# every other page, beside the yardstick.
#
# Env: OFFICE_AWARDS (default 200), OFFICE_CLUSTERS (default 120), OFFICE_DRAFTS (default 20).

OFFICE_AWARDS="${OFFICE_AWARDS:-200}"
OFFICE_CLUSTERS="${OFFICE_CLUSTERS:-120}"
OFFICE_DRAFTS="${OFFICE_DRAFTS:-20}"

office_generate() {
    OFFICE_DATA="$TMP/office/pg"
    OFFICE_MANIFEST="$TMP/office/manifest.json"
    mkdir -p "$TMP/office"
    chmod 755 "$TMP/office"
    log "office: generating $OFFICE_CLUSTERS clusters, one year"
    local t0=$SECONDS
    timeout 1800 "$BIN" generate --data-dir "$OFFICE_DATA" --manifest "$OFFICE_MANIFEST" \
        --tenants 1 --clusters "$OFFICE_CLUSTERS" --units $((OFFICE_CLUSTERS * 8)) \
        --users $((OFFICE_CLUSTERS * 16)) --years 1 --criteria 8 --prefix office \
        >"$TMP/office/generate.log" 2>&1 \
        || { tail -n 20 "$TMP/office/generate.log" >&2; die "office: the generator failed"; }
    log "office: generated in $((SECONDS - t0)) s"
}

# post_form USER PATH name=value…: a form sent as USER (logged in by `login`, whose cookie jar
# holds the session), with the anti-forgery token a page of the session carries (the council's
# decisions page; its fetch is not timed); prints "status redirect-url time-in-seconds".
post_form() {
    local user="$1" path="$2" jar="$TMP/jar-$1" tok kv args=()
    shift 2
    tok="$(curl -sS --max-time 60 -b "$jar" -c "$jar" "$BASE/council/decisions" \
        | grep -o 'name="csrf" value="[^"]*"' | head -n 1 | cut -d'"' -f4)"
    [[ -n "$tok" ]] || die "office: no anti-forgery token on /council/decisions"
    for kv in "$@"; do args+=(--data-urlencode "$kv"); done
    curl -sS --max-time 120 -b "$jar" -c "$jar" -o /dev/null \
        -w '%{http_code} %{redirect_url} %{time_total}' \
        --data-urlencode "csrf=$tok" "${args[@]}" "$BASE$path"
}

# office_prepare: thidua is running on the office dataset. Sets DECISION (an issued decision of
# OFFICE_AWARDS awards) and OFFICE_SECTION (the drafting figures).
office_prepare() {
    local t year dossiers=() ids awards out code loc secs times=() id i
    t="$(sql1 "the tenant" "SELECT id FROM tenants WHERE code LIKE 'office-%' ORDER BY id LIMIT 1")"
    year="$(sql1 "the year" "SELECT max(year) FROM cluster_years WHERE tenant_id = $t")"
    # The first dossiers (by id) whose awards add up to OFFICE_AWARDS or just over.
    ids="$(sql "$PG_DB" "SELECT string_agg(id::text, ' ' ORDER BY id) FROM (
            SELECT p.id, count(*) AS n, sum(count(*)) OVER (ORDER BY p.id) AS running
              FROM proposals p JOIN award_decisions d ON d.tenant_id = p.tenant_id AND d.proposal_id = p.id
              JOIN unit_awards a ON a.tenant_id = d.tenant_id AND a.decision_id = d.id
              JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
             WHERE p.tenant_id = $t AND y.year = $year AND p.state = 'decided'
             GROUP BY p.id) x
          WHERE running - n < $OFFICE_AWARDS")"
    read -r -a dossiers <<<"$ids"
    [[ ${#dossiers[@]} -gt 0 ]] || die "office: no decided dossier in $year"
    # Back to the council's outcome: the awards as decided, without their decision.
    sql "$PG_DB" "BEGIN;
        SELECT set_config('app.tenant_id', '$t', true);
        INSERT INTO proposal_outcomes (tenant_id, proposal_id, award_type_id, unit_id, award_name, position)
        SELECT a.tenant_id, d.proposal_id, a.award_type_id, a.unit_id, a.award_name,
               row_number() OVER (PARTITION BY d.proposal_id ORDER BY a.id)
          FROM unit_awards a JOIN award_decisions d ON d.tenant_id = a.tenant_id AND d.id = a.decision_id
         WHERE a.tenant_id = $t AND d.proposal_id IN (${ids// /,});
        DELETE FROM unit_awards a USING award_decisions d
         WHERE d.tenant_id = a.tenant_id AND d.id = a.decision_id AND a.tenant_id = $t
           AND d.proposal_id IN (${ids// /,});
        DELETE FROM award_decisions WHERE tenant_id = $t AND proposal_id IN (${ids// /,});
        COMMIT;" >/dev/null
    awards="$(sql1 "the outcomes" "SELECT count(*) FROM proposal_outcomes
        WHERE tenant_id = $t AND proposal_id IN (${ids// /,})")"
    log "office: ${#dossiers[@]} dossiers of $year hold $awards awards, now without a decision"
    login "$U_ADMIN" "$PASSWORD" >/dev/null
    local fields=("year=$year")
    for id in "${dossiers[@]}"; do fields+=("dossier=$id"); done
    for ((i = 0; i <= OFFICE_DRAFTS; i++)); do
        read -r code loc secs <<<"$(post_form "$U_ADMIN" /council/decisions "${fields[@]}")"
        [[ "$code" == 303 && "$loc" == */council/decisions/* ]] \
            || die "office: drafting answered $code ${loc:-}"
        id="${loc##*/}"
        if [[ $i -lt $OFFICE_DRAFTS ]]; then
            times+=("$secs")
            read -r code loc secs <<<"$(post_form "$U_ADMIN" "/council/decisions/$id/delete")"
            [[ "$code" == 303 ]] || die "office: deleting draft $id answered $code"
        fi
    done
    # The last draft is issued: its awards enter the histories and have certificates.
    read -r code loc secs <<<"$(post_form "$U_ADMIN" "/council/decisions/$id/issue" \
        "number=999/QĐ-BENCH" "signed_on=$(date +%d/%m/%Y)")"
    [[ "$code" == 303 ]] || die "office: issuing decision $id answered $code"
    DECISION="$id"
    local sorted p50 p90 max
    sorted="$(printf '%s\n' "${times[@]}" | sort -n)"
    p50="$(awk -v n="${#times[@]}" 'NR == int((n + 1) / 2) {printf "%.0f", $1 * 1000}' <<<"$sorted")"
    p90="$(awk -v n="${#times[@]}" 'NR == int(n * 0.9 + 0.5) {printf "%.0f", $1 * 1000}' <<<"$sorted")"
    max="$(tail -n 1 <<<"$sorted" | awk '{printf "%.0f", $1 * 1000}')"
    OFFICE_SECTION="Drafting one decision of $awards awards from ${#dossiers[@]} dossiers through \`POST /council/decisions\` (one at a time, each draft deleted again): $OFFICE_DRAFTS drafts, p50 $p50 ms, p90 $p90 ms, max $max ms (curl's total time, the redirect not followed). The decision measured in the table is the last draft, issued."
    log "office: $OFFICE_SECTION"
}
