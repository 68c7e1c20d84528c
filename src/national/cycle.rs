use super::*;

/// Pledges (signed by every head, locked) and registrations (all submitted).
pub(super) async fn pledges_and_registrations(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    cx: &Tenant<'_>,
) -> Result<()> {
    let tid = cx.id;
    exec!(
        run,
        tx,
        "pledges",
        &format!(
            "INSERT INTO pledges (tenant_id, cluster_year_id, state, opened_at, locked_at, created_at)
             SELECT $1, cy_id, 'locked', {}, {}, {} FROM gen_cy",
            ts("year", 1, "8", "8", 0),
            ts("year", 1, "12", "16", 0),
            ts("year", 1, "5", "9", 0)
        ),
        tid
    );
    exec!(
        run,
        tx,
        "pledge_items",
        "INSERT INTO pledge_items (tenant_id, cluster_year_id, position, text)
         SELECT $1, cy.cy_id, k.n::int, replace(k.t, '{nam}', cy.year::text)
           FROM gen_cy cy CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS k(t, n)",
        tid,
        COMMITMENTS.to_vec()
    );
    exec!(
        run,
        tx,
        "pledge_signatures",
        &format!(
            "INSERT INTO pledge_signatures (tenant_id, cluster_year_id, unit_id, signed_by, signed_at)
             SELECT $1, cy_id, unit_id, head_id, {} FROM gen_member",
            ts("year", 1, "8 + pos % 4", "9 + pos % 7", 0)
        ),
        tid
    );
    exec!(
        run,
        tx,
        "registrations",
        &format!(
            "INSERT INTO registrations (tenant_id, cluster_year_id, unit_id, state, award_type_id,
                                        submitted_at, submitted_by, updated_at)
             SELECT $1, cy_id, unit_id, 'submitted',
                    CASE WHEN pos = 0 THEN $2 WHEN pos % 3 = 1 THEN $3 ELSE $4 END,
                    {at}, head_id, {at}
               FROM gen_member",
            at = ts("year", 1, "15 + pos % 10", "10", 0)
        ),
        tid,
        cx.award(FLAG)?,
        cx.award(LDXS)?,
        cx.award(LDTT)?
    );
    exec!(
        run,
        tx,
        "registration_counts",
        "INSERT INTO registration_counts (tenant_id, cluster_year_id, unit_id, award_type_id, people)
         SELECT $1, cy_id, unit_id, $2, 1 + (i + yi) % 5 FROM gen_member
         UNION ALL
         SELECT $1, cy_id, unit_id, $3, 10 + (i * 7 + yi) % 90 FROM gen_member",
        tid,
        cx.award(CSTD_CS)?,
        cx.award(LDTT_CN)?
    );
    let sql = format!(
        "INSERT INTO registration_initiatives (tenant_id, cluster_year_id, unit_id, position, kind,
                                               name, author)
         SELECT $1, cy_id, unit_id, 1, CASE WHEN i % 4 = 0 THEN 'de_tai' ELSE 'sang_kien' END,
                CASE WHEN i % 4 = 0 THEN 'Nâng cao chất lượng công tác chuyên môn năm ' || year
                     ELSE 'Số hóa quy trình tiếp nhận, xử lý văn bản năm ' || year END,
                {author}
           FROM gen_member WHERE (i + yi) % 2 = 0",
        author = person("i + yi")
    );
    exec!(run, tx, "registration_initiatives", &sql, tid);
    Ok(())
}
