use super::*;

// Running it.

pub(super) struct Run<'a> {
    pub(super) p: &'a Params,
    pub(super) first_year: i32,
    pub(super) last_year: i32,
    pub(super) hash: String,
    pub(super) width: usize,
    pub(super) timings: Vec<(String, Duration)>,
    pub(super) rows: BTreeMap<String, u64>,
    pub(super) table_time: BTreeMap<String, Duration>,
}

impl Run<'_> {
    pub(super) fn took(&mut self, part: &str, since: Instant) {
        let d = since.elapsed();
        match self.timings.iter_mut().find(|(p, _)| p == part) {
            Some((_, t)) => *t += d,
            None => self.timings.push((part.to_string(), d)),
        }
    }

    pub(super) fn count(&mut self, table: &str, n: u64) {
        *self.rows.entry(table.to_string()).or_insert(0) += n;
        self.table_time.entry(table.to_string()).or_default();
    }

    pub(super) fn spent(&mut self, table: &str, since: Instant) {
        *self.table_time.entry(table.to_string()).or_default() += since.elapsed();
    }

    /// `lpad(expr + 1, width)`: the 1-based, zero-padded number of unit `expr`.
    pub(super) fn num(&self, expr: &str) -> String {
        format!("lpad((({expr}) + 1)::text, {}, '0')", self.width)
    }

    pub(super) fn head_username(&self, i: u32) -> String {
        format!("thutruong.{}.{:0w$}", self.p.prefix, i + 1, w = self.width)
    }

    pub(super) fn officer_username(&self, i: u32) -> String {
        format!("canbo.{}.{:0w$}.1", self.p.prefix, i + 1, w = self.width)
    }
}

/// Generates everything `p` asks for into the migrated database `options` points at, connecting
/// as its owner (the role that ran the migrations), and returns the manifest.
pub async fn generate(options: &PgConnectOptions, p: &Params) -> Result<Manifest> {
    p.check()?;
    let started = Instant::now();
    let last_year = p.last_year.unwrap_or_else(|| {
        use chrono::Datelike;
        chrono::Utc::now()
            .with_timezone(&crate::web::vn::vn_offset())
            .year()
            - 1
    });
    let first_year = last_year - p.years as i32 + 1;
    ensure!(
        first_year >= 2000 && last_year <= 2099,
        "the years must lie within 2000–2099"
    );

    let t0 = Instant::now();
    let hash = crate::auth::password::hash(p.password.clone()).await?;
    let mut run = Run {
        p,
        first_year,
        last_year,
        hash,
        width: (p.units.to_string().len()).max(5),
        timings: Vec::new(),
        rows: BTreeMap::new(),
        table_time: BTreeMap::new(),
    };
    run.took("mật khẩu (một lần băm argon2)", t0);

    // Statements over millions of rows are slow by design; sqlx need not warn about each.
    let mut conn = PgConnection::connect_with(&options.clone().disable_statement_logging())
        .await
        .context("cannot connect to PostgreSQL")?;
    let tenants = plan(p);
    for t in &tenants {
        let taken: Option<i64> = sqlx::query_scalar("SELECT platform_tenant_id($1)")
            .bind(&t.code)
            .fetch_one(&mut conn)
            .await?;
        if taken.is_some() {
            bail!(
                "tenant code {} exists already: choose another --prefix",
                t.code
            );
        }
    }

    let mut sample = None;
    for t in &tenants {
        let tt = Instant::now();
        let mut tx = conn.begin().await?;
        let s = tenant(&mut run, &mut tx, t).await?;
        tx.commit().await?;
        if sample.is_none() {
            sample = Some(s);
        }
        if tenants.len() > 1 {
            println!(
                "  {} ({}): {:.1} s",
                t.code,
                t.name,
                tt.elapsed().as_secs_f64()
            );
        }
    }

    let ta = Instant::now();
    conn.execute("ANALYZE").await?;
    run.took("ANALYZE", ta);
    let database_bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;

    let s = sample.expect("at least one tenant");
    let pages = vec![
        "/".to_string(),
        format!("/years/{}", s.cluster_year_id),
        format!("/years/{}/scoring", s.cluster_year_id),
        format!("/years/{}/sheets/{}", s.cluster_year_id, s.unit_id),
        format!("/years/{}/pledge", s.cluster_year_id),
        format!("/years/{}/registrations", s.cluster_year_id),
        format!("/proposals/{}", s.proposal_id),
        format!("/units/{}/history", s.unit_id),
        format!("/council?year={}", s.year),
        "/units".to_string(),
        "/users".to_string(),
        "/clusters".to_string(),
    ];
    Ok(Manifest {
        prefix: p.prefix.clone(),
        password: p.password.clone(),
        tenant_codes: tenants.iter().map(|t| t.code.clone()).collect(),
        first_year,
        last_year,
        tenant_admin: format!("quantri.{}", tenants[0].code),
        leader_officer: run.officer_username(s.leader_i as u32),
        member_head: run.head_username(s.unit_i as u32),
        cluster_year_id: s.cluster_year_id,
        year: s.year,
        leader_unit_id: s.leader_unit_id,
        unit_id: s.unit_id,
        proposal_id: s.proposal_id,
        vote_id: s.vote_id,
        pages,
        rows: run.rows,
        table_ms: run
            .table_time
            .iter()
            .map(|(t, d)| (t.clone(), d.as_millis()))
            .collect(),
        timings: run
            .timings
            .iter()
            .map(|(part, d)| Timing {
                part: part.clone(),
                ms: d.as_millis(),
            })
            .collect(),
        total_ms: started.elapsed().as_millis(),
        database_bytes,
    })
}

/// The first tenant's sample: a cluster year of the last year, its leader unit and a member that
/// is neither leader nor deputy (the best ranked one), with their unit numbers.
#[derive(sqlx::FromRow)]
pub(super) struct Sample {
    pub(super) cluster_year_id: i64,
    pub(super) year: i32,
    pub(super) proposal_id: i64,
    pub(super) vote_id: i64,
    pub(super) leader_unit_id: i64,
    pub(super) leader_i: i32,
    pub(super) unit_id: i64,
    pub(super) unit_i: i32,
}

/// What every phase of one tenant needs.
pub(super) struct Tenant<'p> {
    pub(super) plan: &'p TenantPlan,
    pub(super) id: i64,
    pub(super) actor: Actor,
    pub(super) admin_id: i64,
    pub(super) awards: BTreeMap<String, i64>,
    /// The latest template of each kind, in the order of `proposals::templates::KINDS`.
    pub(super) templates: Vec<i64>,
    /// Who signs the council's decisions.
    pub(super) issuer: String,
}

impl Tenant<'_> {
    pub(super) fn award(&self, name: &str) -> Result<i64> {
        self.awards
            .get(name)
            .copied()
            .with_context(|| format!("award type {name}"))
    }
}

/// One tenant, in the caller's transaction, as `thidua_app` bound to the tenant.
pub(super) async fn tenant(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    t: &TenantPlan,
) -> Result<Sample> {
    let t0 = Instant::now();
    let cx = setup(run, tx, t).await?;
    run.took("đơn vị tổ chức, danh hiệu, mẫu văn bản", t0);
    let t0 = Instant::now();
    units_and_users(run, tx, &cx).await?;
    run.took("đơn vị, người dùng", t0);
    let t0 = Instant::now();
    clusters(run, tx, &cx).await?;
    run.took("cụm, năm thi đua, thành viên", t0);
    let t0 = Instant::now();
    criteria_tables(run, tx, &cx).await?;
    run.took("bảng tiêu chí (thư viện và bản sao)", t0);
    let t0 = Instant::now();
    pledges_and_registrations(run, tx, &cx).await?;
    run.took("giao ước, đăng ký thi đua", t0);
    let t0 = Instant::now();
    scoring(run, tx, &cx).await?;
    run.took("phiếu chấm điểm, minh chứng", t0);
    let t0 = Instant::now();
    votes(run, tx, &cx).await?;
    run.took("bình xét, bầu cử, phiếu bầu", t0);
    let t0 = Instant::now();
    dossiers(run, tx, &cx).await?;
    run.took("hồ sơ đề nghị, quyết định, khen thưởng", t0);
    finish(run, tx, &cx).await
}

/// The tenant, its admin, award types and document templates.
pub(super) async fn setup<'p>(
    run: &mut Run<'_>,
    tx: &mut PgConnection,
    t: &'p TenantPlan,
) -> Result<Tenant<'p>> {
    tx.execute("SET LOCAL ROLE thidua_app").await?;
    tx.execute("SET LOCAL synchronous_commit = off").await?;
    tx.execute("SET LOCAL work_mem = '128MB'").await?;
    let tid: i64 = sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('tenants', 'id'))")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tid.to_string())
        .execute(&mut *tx)
        .await?;
    exec!(
        run,
        tx,
        "tenants",
        "INSERT INTO tenants (id, code, name, place_name) VALUES ($1, $2, $3, $4)",
        tid,
        &t.code,
        &t.name,
        &t.place
    );
    let actor = Actor::cli(tid, "generate");
    crate::cycle::seed_award_types(tx, &actor).await?;
    crate::proposals::store::ensure_templates(tx, &actor).await?;
    let awards: BTreeMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT name, id FROM award_types WHERE tenant_id = $1")
            .bind(tid)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    let mut templates = Vec::new();
    for kind in crate::proposals::templates::KINDS {
        // The latest version of each kind, as proposals::store::latest_template reads it; the
        // generator writes on a raw connection, not a request's tenant transaction.
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM document_templates WHERE tenant_id = $1 AND kind = $2
              ORDER BY version DESC LIMIT 1",
        )
        .bind(tid)
        .bind(kind)
        .fetch_optional(&mut *tx)
        .await?;
        templates.push(id.context("template")?);
    }
    let admin_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (tenant_id, username, full_name, role, password_hash, must_change_password)
         VALUES ($1, $2, $3, 'tenant_admin', $4, false) RETURNING id",
    )
    .bind(tid)
    .bind(format!("quantri.{}", t.code))
    .bind(format!("Cán bộ Hội đồng TĐKT ({})", t.place))
    .bind(&run.hash)
    .fetch_one(&mut *tx)
    .await?;
    run.count("users", 1);
    let issuer = match t.province {
        Some(i) => format!("Chủ tịch Ủy ban nhân dân {}", province_full(i)),
        None => "Chủ tịch Hội đồng Thi đua - Khen thưởng Trung ương".to_string(),
    };
    Ok(Tenant {
        plan: t,
        id: tid,
        actor,
        admin_id,
        awards,
        templates,
        issuer,
    })
}
