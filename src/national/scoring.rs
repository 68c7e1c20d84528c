use super::*;

/// Sheets, one line per criterion and member, verified; evidence where required.
pub(super) async fn scoring(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    cx: &Tenant<'_>,
) -> Result<()> {
    let p = run.p;
    let tid = cx.id;
    let (y0, y1) = (run.first_year, run.last_year);
    let n_std = layout(p.criteria)
        .iter()
        .filter(|c| c.std_index >= 0)
        .count();
    exec!(
        run,
        tx,
        "scoresheets",
        &format!(
            "INSERT INTO scoresheets (tenant_id, id, cluster_year_id, unit_id, status, version,
                                      submitted_at, submitted_by, finalised_at, finalised_by, updated_at)
             SELECT $1, m.sheet_id, m.cy_id, m.unit_id, 'finalised', 3, {sub}, m.head_id, {fin},
                    CASE WHEN m.unit_id = cy.leader_unit THEN cy.deputy_officer ELSE cy.leader_officer END,
                    {fin}
               FROM gen_member m JOIN gen_cy cy ON cy.cy_id = m.cy_id",
            sub = ts("m.year", 11, "20 + m.pos % 5", "15", 0),
            fin = ts("m.year", 12, "1", "10", 0)
        ),
        tid
    );
    // Standard criteria: the unit of quality q loses 2q (+1 in odd cluster years) half-point
    // steps, spread over the criteria so the sum is exact; q = 3 and 5 lose one more step on
    // verification, with the reason. Bonus: the two best earn 1 point; penalty: the last, 0.5.
    // The lines written come back through RETURNING and are summed per sheet on the way, so the
    // ranking later reads what was written without scanning the (shared, big) lines table.
    tx.execute(
        "CREATE TEMP TABLE gen_total (sheet_id bigint PRIMARY KEY, lines int NOT NULL,
             standard numeric NOT NULL, bonus numeric NOT NULL, penalty numeric NOT NULL,
             standard_max numeric NOT NULL) ON COMMIT DROP",
    )
    .await?;
    for y in y0..=y1 {
        let sql = format!(
            "WITH written AS (
               INSERT INTO sheet_entries (tenant_id, sheet_id, criterion_id, self_points, explanation,
                                          verified_points, verify_reason)
               SELECT $1, x.sheet_id, x.criterion_id, x.pts, x.expl,
                      CASE WHEN x.lowered THEN x.pts - 0.5 ELSE x.pts END,
                      CASE WHEN x.lowered THEN 'Minh chứng chưa thể hiện đủ kết quả như đơn vị tự chấm.' ELSE '' END
                 FROM (SELECT m.sheet_id, g.criterion_id, v.pts,
                              k.kind = 'standard' AND m.q IN (3, 5) AND k.std_index = 0 AND v.pts >= 1 AS lowered,
                              CASE WHEN k.kind = 'standard'
                                     THEN 'Đơn vị đã thực hiện theo kế hoạch năm ' || m.year || '; số liệu theo báo cáo tổng kết.'
                                   WHEN v.pts > 0 THEN 'Theo quyết định của cấp có thẩm quyền năm ' || m.year || '.'
                                   ELSE '' END AS expl
                         FROM gen_member m
                         JOIN gen_cy cy ON cy.cy_id = m.cy_id
                         JOIN gen_criterion g ON g.table_id = cy.table_id
                         JOIN gen_crit k ON k.code = g.code
                         CROSS JOIN LATERAL (SELECT CASE k.kind
                             WHEN 'standard' THEN greatest(0.5, k.max - 0.5 *
                                 floor((2 * m.q + (m.c + m.year) % 2 + k.std_index) / {n_std}::numeric))
                             WHEN 'bonus' THEN CASE WHEN k.bonus_index = 0 AND m.q <= 1 THEN 1 ELSE 0 END
                             ELSE CASE WHEN k.penalty_index = 0 AND m.q = m.m - 1 THEN 0.5 ELSE 0 END
                           END::numeric(6,2) AS pts) v
                        WHERE m.year = $2) x
               RETURNING sheet_id, criterion_id, verified_points)
             INSERT INTO gen_total (sheet_id, lines, standard, bonus, penalty, standard_max)
             SELECT w.sheet_id, count(*),
                    coalesce(sum(w.verified_points) FILTER (WHERE k.kind = 'standard'), 0),
                    coalesce(sum(w.verified_points) FILTER (WHERE k.kind = 'bonus'), 0),
                    coalesce(sum(w.verified_points) FILTER (WHERE k.kind = 'penalty'), 0),
                    coalesce(sum(k.max) FILTER (WHERE k.kind = 'standard'), 0)
               FROM written w
               JOIN gen_criterion g ON g.criterion_id = w.criterion_id
               JOIN gen_crit k ON k.code = g.code
              GROUP BY w.sheet_id"
        );
        let started = Instant::now();
        sqlx::query(&sql)
            .bind(tid)
            .bind(y)
            .execute(&mut *tx)
            .await
            .context("generating sheet_entries")?;
        run.spent("sheet_entries", started);
    }
    let lines: i64 = sqlx::query_scalar("SELECT coalesce(sum(lines), 0)::bigint FROM gen_total")
        .fetch_one(&mut *tx)
        .await?;
    run.count("sheet_entries", lines as u64);
    exec!(
        run,
        tx,
        "evidence",
        &format!(
            "INSERT INTO evidence (tenant_id, sheet_id, criterion_id, filename, content_type,
                                   size_bytes, sha256, data, uploaded_by, uploaded_at)
             SELECT $1, m.sheet_id, g.criterion_id,
                    'Minh-chung-' || g.code || '-dv' || {num} || '-' || m.year || '.pdf',
                    'application/pdf', length($2::bytea), $3, $2::bytea, m.officer_id, {at}
               FROM gen_member m
               JOIN gen_cy cy ON cy.cy_id = m.cy_id
               JOIN gen_criterion g ON g.table_id = cy.table_id
               JOIN gen_crit k ON k.code = g.code AND k.evidence",
            num = run.num("m.i"),
            at = ts("m.year", 11, "18", "14", 0)
        ),
        tid,
        EVIDENCE_PDF,
        <sha2::Sha256 as sha2::Digest>::digest(EVIDENCE_PDF).to_vec()
    );
    Ok(())
}
