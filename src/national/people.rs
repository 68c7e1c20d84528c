use super::*;

/// Units, their heads and officers.
pub(super) async fn units_and_users(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    cx: &Tenant<'_>,
) -> Result<()> {
    let p = run.p;
    let (t, tid) = (cx.plan, cx.id);
    let (u_all, c_all) = (p.units as i64, p.clusters as i64);
    tx.execute(
        "CREATE TEMP TABLE gen_unit (i int PRIMARY KEY, unit_id bigint NOT NULL, c int NOT NULL,
             pos int, head_id bigint NOT NULL, officer_id bigint) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_unit",
        "INSERT INTO gen_unit (i, unit_id, c, head_id)
         SELECT i, nextval(pg_get_serial_sequence('units', 'id')), (i::bigint * $3 / $4)::int,
                nextval(pg_get_serial_sequence('users', 'id'))
           FROM generate_series($1::int, $2::int - 1) AS i",
        t.units.0 as i32,
        t.units.1 as i32,
        c_all,
        u_all
    );
    tx.execute(
        "UPDATE gen_unit g SET pos = x.pos FROM
           (SELECT i, (row_number() OVER (PARTITION BY c ORDER BY i) - 1)::int AS pos FROM gen_unit) x
          WHERE x.i = g.i",
    )
    .await?;
    let provinces: Vec<String> = (0..PROVINCES.len()).map(province_full).collect();
    let kinds = |k: usize| -> Vec<&str> {
        UNIT_KINDS
            .iter()
            .map(|u| match k {
                0 => u.0,
                1 => u.1,
                2 => u.2,
                _ => u.3,
            })
            .collect()
    };
    let nk = UNIT_KINDS.len();
    let sql = format!(
        "INSERT INTO units (tenant_id, id, code, name, short_name, kind, head_name, head_title,
                            place_name, address, phone, email)
         SELECT $1, g.unit_id, 'dv' || {num},
                ({k0})[1 + g.i % {nk}] || ' ' || x.prov || ' – đơn vị ' || {num},
                ({k2})[1 + g.i % {nk}] || ' ' || {num},
                ({k1})[1 + g.i % {nk}],
                {head},
                ({k3})[1 + g.i % {nk}],
                x.place,
                'Số ' || (1 + g.i % 300) || ', đường Trần Hưng Đạo, ' || x.prov,
                '0' || (200 + g.i % 99) || ' ' || lpad((g.i * 7919 % 10000000)::text, 7, '0'),
                'dv' || {num} || '@thidua.gov.vn'
           FROM gen_unit g
           CROSS JOIN LATERAL (SELECT ({provs})[1 + CASE WHEN $2 >= 0 THEN $2 ELSE g.c % 63 END] AS prov,
                                      ({places})[1 + CASE WHEN $2 >= 0 THEN $2 ELSE g.c % 63 END] AS place) x",
        num = run.num("g.i"),
        k0 = sql_array(&kinds(0)),
        k1 = sql_array(&kinds(1)),
        k2 = sql_array(&kinds(2)),
        k3 = sql_array(&kinds(3)),
        head = person("g.i"),
        provs = sql_array(&provinces),
        places = sql_array(&PROVINCES.iter().map(|p| p.0).collect::<Vec<_>>()),
    );
    exec!(
        run,
        tx,
        "units",
        &sql,
        tid,
        t.province.map(|i| i as i32).unwrap_or(-1)
    );
    let sql = format!(
        "INSERT INTO users (tenant_id, id, username, full_name, role, unit_id, password_hash,
                            must_change_password)
         SELECT $1, g.head_id, 'thutruong.' || $2 || '.' || {num}, {name}, 'unit_head', g.unit_id,
                $3, false
           FROM gen_unit g",
        num = run.num("g.i"),
        name = person("g.i"),
    );
    exec!(run, tx, "users", &sql, tid, &p.prefix, &run.hash);
    // Officer k of unit i is user number units + k * units + i (0-based), while there are users.
    tx.execute(
        "CREATE TEMP TABLE gen_officer (i int NOT NULL, k int NOT NULL, user_id bigint NOT NULL,
             PRIMARY KEY (i, k)) ON COMMIT DROP",
    )
    .await?;
    let per_unit = (p.users - p.units).div_ceil(p.units) as i32;
    exec!(
        run,
        tx,
        "gen_officer",
        "INSERT INTO gen_officer (i, k, user_id)
         SELECT g.i, k, nextval(pg_get_serial_sequence('users', 'id'))
           FROM gen_unit g CROSS JOIN generate_series(0, $1::int - 1) AS k
          WHERE $2::bigint * (k + 1) + g.i < $3::bigint",
        per_unit,
        u_all,
        p.users as i64
    );
    let sql = format!(
        "INSERT INTO users (tenant_id, id, username, full_name, role, unit_id, password_hash,
                            must_change_password)
         SELECT $1, o.user_id, 'canbo.' || $2 || '.' || {num} || '.' || (o.k + 1),
                {name}, 'unit_officer', g.unit_id, $3, false
           FROM gen_officer o JOIN gen_unit g ON g.i = o.i",
        num = run.num("g.i"),
        name = person(&format!("{u_all} + o.k * {u_all} + o.i")),
    );
    exec!(run, tx, "users", &sql, tid, &p.prefix, &run.hash);
    tx.execute(
        "UPDATE gen_unit g SET officer_id = o.user_id FROM gen_officer o WHERE o.i = g.i AND o.k = 0",
    )
    .await?;
    tx.execute("ANALYZE gen_unit").await?;
    Ok(())
}
