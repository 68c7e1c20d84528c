use super::*;

/// The criteria table: one in the library, a frozen copy per cluster year.
pub(super) async fn criteria_tables(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    cx: &Tenant<'_>,
) -> Result<()> {
    let p = run.p;
    let tid = cx.id;
    let specs = layout(p.criteria);
    // The shape, as a small table every later statement joins (never the big shared tables:
    // inside the tenant's transaction their statistics know nothing of the new rows).
    tx.execute(
        "CREATE TEMP TABLE gen_crit (code text PRIMARY KEY, section text NOT NULL, position int NOT NULL,
             text text NOT NULL, max int NOT NULL, evidence boolean NOT NULL, kind text NOT NULL,
             std_index int NOT NULL, bonus_index int NOT NULL, penalty_index int NOT NULL) ON COMMIT DROP",
    )
    .await?;
    let kind_of = |c: &CritSpec| {
        SECTIONS
            .iter()
            .find(|s| s.code == c.section)
            .map(|s| s.kind)
            .unwrap_or("standard")
    };
    exec!(
        run,
        tx,
        "gen_crit",
        "INSERT INTO gen_crit
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::int[], $6::bool[],
                              $7::text[], $8::int[], $9::int[], $10::int[])",
        specs.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
        specs.iter().map(|c| c.section).collect::<Vec<_>>(),
        specs.iter().map(|c| c.position).collect::<Vec<_>>(),
        specs.iter().map(|c| c.text.clone()).collect::<Vec<_>>(),
        specs.iter().map(|c| c.max).collect::<Vec<_>>(),
        specs.iter().map(|c| c.evidence).collect::<Vec<_>>(),
        specs.iter().map(kind_of).collect::<Vec<_>>(),
        specs.iter().map(|c| c.std_index).collect::<Vec<_>>(),
        specs.iter().map(|c| c.bonus_index).collect::<Vec<_>>(),
        specs.iter().map(|c| c.penalty_index).collect::<Vec<_>>()
    );
    // The library's table (no year) and each year's copy of it, with their ids.
    let lib: i64 =
        sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('criteria_tables', 'id'))")
            .fetch_one(&mut *tx)
            .await?;
    tx.execute(
        "CREATE TEMP TABLE gen_table (table_id bigint PRIMARY KEY, cy_id bigint, year int) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_table",
        "INSERT INTO gen_table SELECT $1, NULL, NULL UNION ALL SELECT table_id, cy_id, year FROM gen_cy",
        lib
    );
    exec!(
        run,
        tx,
        "criteria_tables",
        &format!(
            "INSERT INTO criteria_tables (tenant_id, id, name, description, bonus_cap, penalty_cap,
                                          tie_break_codes, cluster_year_id, copied_from, frozen_at)
             SELECT $1, t.table_id, $3, $4, 3, 3, ARRAY['II', 'I'], t.cy_id,
                    CASE WHEN t.cy_id IS NOT NULL THEN $2 END,
                    CASE WHEN t.cy_id IS NOT NULL THEN {} END
               FROM gen_table t ORDER BY t.cy_id NULLS FIRST",
            ts("t.year", 11, "20", "15", 0)
        ),
        tid,
        lib,
        format!("Bảng tiêu chí chấm điểm thi đua ({} tiêu chí)", p.criteria),
        "I + II = 100 điểm; điểm thưởng, điểm trừ tối đa 3 điểm mỗi phần. Phân định khi bằng điểm: II, I."
    );
    tx.execute(
        "CREATE TEMP TABLE gen_section (section_id bigint PRIMARY KEY, table_id bigint NOT NULL,
             code text NOT NULL, position int NOT NULL, title text NOT NULL, kind text NOT NULL)
             ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_section",
        "INSERT INTO gen_section
         SELECT nextval(pg_get_serial_sequence('criteria_sections', 'id')), t.table_id, x.code, x.n,
                x.title, x.kind
           FROM gen_table t
           CROSS JOIN unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(code, title, kind, n)",
        SECTIONS.iter().map(|s| s.code).collect::<Vec<_>>(),
        SECTIONS.iter().map(|s| s.title).collect::<Vec<_>>(),
        SECTIONS.iter().map(|s| s.kind).collect::<Vec<_>>()
    );
    exec!(
        run,
        tx,
        "criteria_sections",
        "INSERT INTO criteria_sections (tenant_id, id, table_id, position, code, title, kind)
         SELECT $1, section_id, table_id, position, code, title, kind FROM gen_section",
        tid
    );
    tx.execute(
        "CREATE TEMP TABLE gen_criterion (criterion_id bigint PRIMARY KEY, table_id bigint NOT NULL,
             section_id bigint NOT NULL, code text NOT NULL) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_criterion",
        "INSERT INTO gen_criterion
         SELECT nextval(pg_get_serial_sequence('criteria', 'id')), s.table_id, s.section_id, k.code
           FROM gen_section s JOIN gen_crit k ON k.section = s.code"
    );
    tx.execute("CREATE INDEX ON gen_criterion (table_id)")
        .await?;
    tx.execute("ANALYZE gen_criterion").await?;
    exec!(
        run,
        tx,
        "criteria",
        "INSERT INTO criteria (tenant_id, id, table_id, section_id, position, code, text, max_points,
                               step, guidance, evidence_required)
         SELECT $1, g.criterion_id, g.table_id, g.section_id, k.position, k.code, k.text, k.max, 0.5,
                'Chấm tối đa ' || k.max || ' điểm; mỗi nội dung chưa đạt trừ 0,5 điểm.', k.evidence
           FROM gen_criterion g JOIN gen_crit k ON k.code = g.code",
        tid
    );
    exec!(
        run,
        tx,
        "rating_bands",
        "INSERT INTO rating_bands (tenant_id, table_id, position, name, min_percent, requires_no_zero)
         SELECT $1, t.table_id, b.position, b.name, b.min_percent, b.requires_no_zero
           FROM gen_table t
           CROSS JOIN (VALUES (1, 'Xuất sắc', 95, true), (2, 'Tốt', 85, true), (3, 'Khá', 75, true),
                              (4, 'Hoàn thành nhiệm vụ', 0, false))
                AS b(position, name, min_percent, requires_no_zero)",
        tid
    );
    tx.execute(
        "UPDATE cluster_years y SET criteria_table_id = cy.table_id
           FROM gen_cy cy WHERE y.tenant_id = app_tenant() AND y.id = cy.cy_id",
    )
    .await?;
    Ok(())
}
