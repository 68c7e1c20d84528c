use super::*;

/// Clusters, their years, members, leader and deputy; one movement for all.
pub(super) async fn clusters(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    cx: &Tenant<'_>,
) -> Result<()> {
    let tid = cx.id;
    let (y0, y1) = (run.first_year, run.last_year);
    tx.execute(
        "CREATE TEMP TABLE gen_cluster (c int PRIMARY KEY, cluster_id bigint NOT NULL,
             kind text NOT NULL, m int NOT NULL) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_cluster",
        "INSERT INTO gen_cluster (c, cluster_id, kind, m)
         SELECT c, nextval(pg_get_serial_sequence('clusters', 'id')),
                CASE WHEN c % 5 = 4 THEN 'khoi' ELSE 'cum' END, count(*)
           FROM gen_unit GROUP BY c"
    );
    exec!(
        run,
        tx,
        "clusters",
        "INSERT INTO clusters (tenant_id, id, name, kind, decision_number, decision_date,
                               decision_issuer, description)
         SELECT $1, cluster_id,
                CASE kind WHEN 'cum' THEN 'Cụm' ELSE 'Khối' END || ' thi đua số ' || (c + 1),
                kind, (100 + c % 800) || '/QĐ-HĐTĐKT', make_date($2 - 1, 12, 1 + c % 28), $3,
                m || ' đơn vị thành viên; cụm trưởng, cụm phó luân phiên hằng năm.'
           FROM gen_cluster",
        tid,
        y0,
        &cx.issuer
    );
    tx.execute(
        "CREATE TEMP TABLE gen_cy (cy_id bigint PRIMARY KEY, cluster_id bigint NOT NULL, c int NOT NULL,
             kind text NOT NULL, year int NOT NULL, yi int NOT NULL, m int NOT NULL,
             leader_unit bigint NOT NULL, deputy_unit bigint NOT NULL, table_id bigint NOT NULL,
             vote_id bigint NOT NULL, election_id bigint NOT NULL, proposal_id bigint NOT NULL,
             decision_id bigint NOT NULL, late boolean NOT NULL, leader_officer bigint,
             leader_head bigint, deputy_officer bigint) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_cy",
        "INSERT INTO gen_cy (cy_id, cluster_id, c, kind, year, yi, m, leader_unit, deputy_unit,
                             table_id, vote_id, election_id, proposal_id, decision_id, late)
         SELECT nextval(pg_get_serial_sequence('cluster_years', 'id')), gc.cluster_id, gc.c, gc.kind,
                y, y - $1, gc.m, l.unit_id, d.unit_id,
                nextval(pg_get_serial_sequence('criteria_tables', 'id')),
                nextval(pg_get_serial_sequence('votes', 'id')),
                nextval(pg_get_serial_sequence('votes', 'id')),
                nextval(pg_get_serial_sequence('proposals', 'id')),
                nextval(pg_get_serial_sequence('award_decisions', 'id')),
                (gc.c + y) % 7 = 3
           FROM gen_cluster gc
           CROSS JOIN generate_series($1::int, $2::int) AS y
           JOIN gen_unit l ON l.c = gc.c AND l.pos = (y - $1) % gc.m
           JOIN gen_unit d ON d.c = gc.c AND d.pos = (y - $1 + 1) % gc.m",
        y0,
        y1
    );
    // q: the member's place in the year's ranking, 0 the best; it rotates with the years.
    tx.execute(
        "CREATE TEMP TABLE gen_member (cy_id bigint NOT NULL, unit_id bigint NOT NULL, i int NOT NULL,
             c int NOT NULL, pos int NOT NULL, m int NOT NULL, q int NOT NULL, year int NOT NULL,
             yi int NOT NULL, head_id bigint NOT NULL, officer_id bigint NOT NULL,
             sheet_id bigint NOT NULL, PRIMARY KEY (cy_id, unit_id)) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_member",
        "INSERT INTO gen_member (cy_id, unit_id, i, c, pos, m, q, year, yi, head_id, officer_id, sheet_id)
         SELECT cy.cy_id, u.unit_id, u.i, u.c, u.pos, cy.m, (u.pos + cy.yi) % cy.m, cy.year, cy.yi,
                u.head_id, u.officer_id, nextval(pg_get_serial_sequence('scoresheets', 'id'))
           FROM gen_cy cy JOIN gen_unit u ON u.c = cy.c"
    );
    tx.execute("CREATE INDEX ON gen_member (cy_id, pos)")
        .await?;
    tx.execute("CREATE INDEX ON gen_member (year)").await?;
    tx.execute(
        "UPDATE gen_cy cy SET leader_officer = l.officer_id, leader_head = l.head_id,
                deputy_officer = d.officer_id
           FROM gen_member l, gen_member d
          WHERE l.cy_id = cy.cy_id AND l.unit_id = cy.leader_unit
            AND d.cy_id = cy.cy_id AND d.unit_id = cy.deputy_unit",
    )
    .await?;
    tx.execute("ANALYZE gen_cy").await?;
    tx.execute("ANALYZE gen_member").await?;
    exec!(
        run,
        tx,
        "cluster_years",
        "INSERT INTO cluster_years (tenant_id, id, cluster_id, year, phase, leader_unit_id,
                                    deputy_unit_id, scoring_deadline, registration_deadline)
         SELECT $1, cy_id, cluster_id, year, 'closed', leader_unit, deputy_unit,
                make_date(year, 11, 30), make_date(year, 1, 31)
           FROM gen_cy",
        tid
    );
    exec!(
        run,
        tx,
        "cluster_members",
        &format!(
            "INSERT INTO cluster_members (tenant_id, cluster_year_id, unit_id, kind, year, added_at)
             SELECT $1, m.cy_id, m.unit_id, cy.kind, m.year, {}
               FROM gen_member m JOIN gen_cy cy ON cy.cy_id = m.cy_id",
            ts("m.year", 1, "2", "8", 0)
        ),
        tid
    );
    let movement: i64 = sqlx::query_scalar(
        "INSERT INTO movements (tenant_id, name, kind, starts_on, content, created_by)
         VALUES ($1, 'Phong trào thi đua “Thi đua ái quốc” giai đoạn ' || $2 || '–' || $3,
                 'thuong_xuyen', make_date($2, 1, 1),
                 'Thực hiện Lời kêu gọi thi đua ái quốc của Chủ tịch Hồ Chí Minh; các đơn vị trong cụm, khối thi đua hoàn thành xuất sắc nhiệm vụ chính trị được giao.',
                 $4)
         RETURNING id",
    )
    .bind(tid)
    .bind(y0)
    .bind(y1)
    .bind(cx.admin_id)
    .fetch_one(&mut *tx)
    .await?;
    run.count("movements", 1);
    exec!(
        run,
        tx,
        "movement_clusters",
        "INSERT INTO movement_clusters (tenant_id, movement_id, cluster_id)
         SELECT $1, $2, cluster_id FROM gen_cluster",
        tid,
        movement
    );
    Ok(())
}
