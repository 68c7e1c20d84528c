use super::*;

/// Dossiers: the passed candidates with the vote's and the scores' figures, decided.
pub(super) async fn dossiers(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    cx: &Tenant<'_>,
) -> Result<()> {
    let tid = cx.id;
    tx.execute(
        "CREATE TEMP TABLE gen_nominee (cand_id bigint PRIMARY KEY, cy_id bigint NOT NULL,
             award_type_id bigint NOT NULL, unit_id bigint NOT NULL, q int NOT NULL,
             votes_for int NOT NULL, votes_against int NOT NULL, ballots int NOT NULL,
             members int NOT NULL, percent numeric(6,2) NOT NULL, score numeric(8,2),
             rank int, position int) ON COMMIT DROP",
    )
    .await?;
    // The count, from the ballots as written; passed: the threshold of all members.
    exec!(
        run,
        tx,
        "gen_nominee",
        "INSERT INTO gen_nominee (cand_id, cy_id, award_type_id, unit_id, q, votes_for, votes_against,
                                  ballots, members, percent)
         SELECT x.cand_id, x.cy_id, x.award_type_id, x.unit_id, x.q, x.vf, x.va, x.nb, x.m,
                round(x.vf * 100.0 / x.m, 2)
           FROM (SELECT k.cand_id, k.cy_id, k.award_type_id, k.unit_id, k.q, cy.m,
                        count(*) FILTER (WHERE (b.choices ->> k.cand_id::text)::boolean) AS vf,
                        count(*) FILTER (WHERE NOT (b.choices ->> k.cand_id::text)::boolean) AS va,
                        count(*) AS nb
                   FROM gen_cand k
                   JOIN gen_cy cy ON cy.cy_id = k.cy_id
                   JOIN gen_ballot b ON b.vote_id = k.vote_id
                  GROUP BY k.cand_id, k.cy_id, k.award_type_id, k.unit_id, k.q, cy.m) x
           JOIN award_types a ON a.tenant_id = $1 AND a.id = x.award_type_id
          WHERE x.vf * 100 >= a.vote_threshold * x.m",
        tid
    );
    // A Government-flag nominee must also have passed for the flag.
    exec!(
        run,
        tx,
        "gen_nominee",
        "DELETE FROM gen_nominee n USING award_types a
          WHERE a.tenant_id = $1 AND a.id = n.award_type_id AND a.prerequisite_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM gen_nominee f WHERE f.cy_id = n.cy_id
                             AND f.unit_id = n.unit_id AND f.award_type_id = a.prerequisite_id)",
        tid
    );
    // Verified totals and ranks, as the dashboard computes them (bonus and penalty capped at 3),
    // from the lines as they were written.
    exec!(
        run,
        tx,
        "gen_nominee",
        "UPDATE gen_nominee n SET score = r.total, rank = r.rank
           FROM (SELECT m.cy_id, m.unit_id, t.total,
                        rank() OVER (PARTITION BY m.cy_id ORDER BY t.total * 100 / t.standard_max DESC)::int AS rank
                   FROM (SELECT sheet_id, standard + least(bonus, 3) - least(penalty, 3) AS total,
                                standard_max
                           FROM gen_total) t
                   JOIN gen_member m ON m.sheet_id = t.sheet_id) r
          WHERE r.cy_id = n.cy_id AND r.unit_id = n.unit_id"
    );
    exec!(
        run,
        tx,
        "gen_nominee",
        "UPDATE gen_nominee n SET position = x.position
           FROM (SELECT cand_id, (row_number() OVER (PARTITION BY cy_id, award_type_id ORDER BY q) - 1)::int AS position
                   FROM gen_nominee) x
          WHERE x.cand_id = n.cand_id"
    );
    tx.execute("CREATE INDEX ON gen_nominee (cy_id)").await?;
    tx.execute("ANALYZE gen_nominee").await?;
    let sent = format!(
        "CASE WHEN cy.late THEN {} ELSE {} END",
        ts("cy.year", 12, "15", "9", 0),
        ts("cy.year", 12, "6", "9", 0)
    );
    let sql = format!(
        "INSERT INTO proposals (tenant_id, id, cluster_year_id, vote_id, election_vote_id, state,
                                cover_template_id, minutes_template_id, report_template_id,
                                list_template_id, number, letter_date, meeting_date, meeting_time,
                                meeting_place, chair, secretary, sent_at, created_at, updated_at)
         SELECT $1, cy.proposal_id, cy.cy_id, cy.vote_id, cy.election_id, 'decided', $2, $3, $4, $5,
                (10 + cy.c % 90) || '/TTr-CTĐ', make_date(cy.year, 12, CASE WHEN cy.late THEN 14 ELSE 5 END),
                make_date(cy.year, 12, 3), '08 giờ 30', 'hội trường ' || lu.name, lu.head_name,
                {secretary}, {sent}, {created}, {decided}
           FROM gen_cy cy JOIN units lu ON lu.tenant_id = $1 AND lu.id = cy.leader_unit",
        secretary = person("cy.c + cy.yi + 7"),
        created = ts("cy.year", 12, "3", "15", 0),
        decided = ts("cy.year + 1", 1, "20", "15", 0),
    );
    exec!(
        run,
        tx,
        "proposals",
        &sql,
        tid,
        cx.templates[0],
        cx.templates[1],
        cx.templates[2],
        cx.templates[3]
    );
    exec!(
        run,
        tx,
        "proposal_nominees",
        "INSERT INTO proposal_nominees (tenant_id, proposal_id, award_type_id, unit_id, position,
                                        votes_for, votes_against, ballots, members, percent, score, rank)
         SELECT $1, cy.proposal_id, n.award_type_id, n.unit_id, n.position, n.votes_for,
                n.votes_against, n.ballots, n.members, n.percent, n.score, n.rank
           FROM gen_nominee n JOIN gen_cy cy ON cy.cy_id = n.cy_id",
        tid
    );
    exec!(
        run,
        tx,
        "achievement_reports",
        &format!(
            "INSERT INTO achievement_reports (tenant_id, proposal_id, unit_id, award_type_id, sections, submitted_at, updated_at)
             SELECT $1, cy.proposal_id, n.unit_id, n.award_type_id,
                    jsonb_build_object(
                      'name', 'Tên tập thể đề nghị: {{don_vi}}',
                      'situation', '1. Đặc điểm, tình hình: {{don_vi}} có trụ sở làm việc ổn định; tổ chức bộ máy gồm các phòng, ban chuyên môn; có chi bộ Đảng, công đoàn và chi đoàn thanh niên hoạt động thường xuyên.',
                      'achievements', '1. Năm ' || cy.year || ', đơn vị hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ được giao; không có cán bộ, công chức vi phạm kỷ luật.' || chr(10) ||
                                      '2. Tham gia đầy đủ các phong trào thi đua do Cụm và Hội đồng phát động; thực hiện nghiêm các nội dung giao ước thi đua năm ' || cy.year || '.'),
                    {at}, {at}
               FROM gen_nominee n JOIN gen_cy cy ON cy.cy_id = n.cy_id",
            at = ts("cy.year", 12, "4", "16", 0)
        ),
        tid
    );
    let decision_number = "(100 + cy.c % 800) || '/QĐ-KT'";
    exec!(
        run,
        tx,
        "award_decisions",
        &format!(
            "INSERT INTO award_decisions (tenant_id, id, proposal_id, number, signed_on, issuer, created_at)
             SELECT $1, cy.decision_id, cy.proposal_id, {decision_number}, make_date(cy.year + 1, 1, 20),
                    $2, {at}
               FROM gen_cy cy",
            at = ts("cy.year + 1", 1, "20", "15", 0)
        ),
        tid,
        &cx.issuer
    );
    exec!(
        run,
        tx,
        "unit_awards",
        &format!(
            "INSERT INTO unit_awards (tenant_id, unit_id, year, award_name, award_type_id,
                                      decision_number, decision_date, issuer, decision_id, created_at)
             SELECT $1, n.unit_id, cy.year, a.name, a.id, {decision_number},
                    make_date(cy.year + 1, 1, 20), $2, cy.decision_id, {at}
               FROM gen_nominee n
               JOIN gen_cy cy ON cy.cy_id = n.cy_id
               JOIN award_types a ON a.tenant_id = $1 AND a.id = n.award_type_id",
            at = ts("cy.year + 1", 1, "20", "15", 0)
        ),
        tid,
        &cx.issuer
    );
    exec!(
        run,
        tx,
        "proposal_events",
        &format!(
            "INSERT INTO proposal_events (tenant_id, proposal_id, at, user_id, from_state, to_state, note)
             SELECT $1, cy.proposal_id, {created}, cy.leader_officer, NULL, 'draft', '' FROM gen_cy cy
             UNION ALL
             SELECT $1, cy.proposal_id, {sent}, cy.leader_head, 'draft', 'sent', '' FROM gen_cy cy
             UNION ALL
             SELECT $1, cy.proposal_id, {sent} + interval '1 day 1 hour', $2, 'sent', 'received', ''
               FROM gen_cy cy
             UNION ALL
             SELECT $1, cy.proposal_id, {decided}, $2, 'received', 'decided',
                    'Quyết định số ' || {decision_number} || ': ' ||
                    coalesce(x.awarded, 'không khen thưởng tập thể nào trong hồ sơ')
               FROM gen_cy cy
               LEFT JOIN (SELECT n.cy_id,
                                 string_agg(u.name || ': ' || a.name, '; ' ORDER BY a.position, n.position) AS awarded
                            FROM gen_nominee n
                            JOIN units u ON u.tenant_id = $1 AND u.id = n.unit_id
                            JOIN award_types a ON a.tenant_id = $1 AND a.id = n.award_type_id
                           GROUP BY n.cy_id) x ON x.cy_id = cy.cy_id",
            created = ts("cy.year", 12, "3", "15", 0),
            decided = ts("cy.year + 1", 1, "20", "15", 0),
        ),
        tid,
        cx.admin_id
    );
    Ok(())
}

/// The record of the run, the deferred checks, and the sample for the manifest.
pub(super) async fn finish(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    cx: &Tenant<'_>,
) -> Result<Sample> {
    let p = run.p;
    let (t, tid) = (cx.plan, cx.id);
    let (y0, y1) = (run.first_year, run.last_year);
    let summary = serde_json::json!({
        "prefix": p.prefix, "tenant": t.index + 1, "tenants": p.tenants,
        "units": t.units.1 - t.units.0, "clusters": t.clusters.1 - t.clusters.0,
        "years": [y0, y1], "criteria": p.criteria,
    });
    audit::record(
        tx,
        &cx.actor,
        "tenant",
        &tid.to_string(),
        "generated",
        None,
        Some(summary),
    )
    .await?;
    run.count("audit_log", 1);
    // Constraint triggers deferred to the commit run now, while the tenant is still set.
    tx.execute("SET CONSTRAINTS ALL IMMEDIATE").await?;
    Ok(sqlx::query_as(
        "SELECT cy.cy_id AS cluster_year_id, cy.year, cy.proposal_id, cy.vote_id,
                cy.leader_unit AS leader_unit_id,
                l.i AS leader_i, m.unit_id, m.i AS unit_i
           FROM gen_cy cy
           JOIN gen_member l ON l.cy_id = cy.cy_id AND l.unit_id = cy.leader_unit
           JOIN gen_member m ON m.cy_id = cy.cy_id
                            AND m.unit_id NOT IN (cy.leader_unit, cy.deputy_unit)
          WHERE cy.year = $1
          ORDER BY cy.c, m.q
          LIMIT 1",
    )
    .bind(y1)
    .fetch_one(&mut *tx)
    .await?)
}
