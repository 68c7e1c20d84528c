use super::*;

/// What to generate. The defaults are the national scale of the benchmarks.
#[derive(clap::Args, Debug, Clone)]
pub struct Params {
    /// Tenants (organising bodies): 1 puts everything in one; 63 gives one per province.
    #[arg(long, default_value_t = 1)]
    pub tenants: u32,
    /// Member units in all, spread evenly over the clusters (at least 3 per cluster).
    #[arg(long, default_value_t = 10_000)]
    pub units: u32,
    /// Unit accounts in all: one head per unit, the rest officers spread over the units (at
    /// least 2 per unit). Each tenant gets one tenant admin besides.
    #[arg(long, default_value_t = 100_000)]
    pub users: u32,
    /// Clusters and blocs in all, spread evenly over the tenants.
    #[arg(long, default_value_t = 1_000)]
    pub clusters: u32,
    /// Years of every cluster, each with the whole cycle done; the last is --last-year.
    #[arg(long, default_value_t = 10)]
    pub years: u32,
    /// Criteria per table (4 to 100), in two scored sections, a bonus and a penalty section.
    #[arg(long, default_value_t = 40)]
    pub criteria: u32,
    /// Keeps generated data apart: tenant codes `<prefix>-01`…, usernames `thutruong.<prefix>.…`.
    #[arg(long, default_value = "nat")]
    pub prefix: String,
    /// The last generated year (default: last year).
    #[arg(long)]
    pub last_year: Option<i32>,
    /// The password of every generated account (hashed once).
    #[arg(long, default_value = crate::demo::DEMO_PASSWORD)]
    pub password: String,
}

impl Params {
    /// Tiny figures, for tests.
    pub fn small(prefix: &str) -> Params {
        Params {
            tenants: 2,
            units: 40,
            users: 200,
            clusters: 4,
            years: 2,
            criteria: 5,
            prefix: prefix.to_string(),
            last_year: None,
            password: crate::demo::DEMO_PASSWORD.to_string(),
        }
    }

    pub(super) fn check(&self) -> Result<()> {
        let p = &self.prefix;
        ensure!(
            !p.is_empty()
                && p.len() <= 30
                && p.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "--prefix: 1 to 30 characters a-z, 0-9 and '-', starting with a letter or digit"
        );
        ensure!((1..=999).contains(&self.tenants), "--tenants: 1 to 999");
        ensure!(
            self.clusters >= self.tenants,
            "--clusters: at least one cluster per tenant"
        );
        ensure!(
            self.units >= 3 * self.clusters,
            "--units: at least 3 per cluster (a leader, a deputy and a member)"
        );
        ensure!(self.units <= 9_999_999, "--units: at most 9,999,999");
        ensure!(
            self.users >= 2 * self.units,
            "--users: at least 2 per unit (a head and an officer)"
        );
        ensure!((1..=50).contains(&self.years), "--years: 1 to 50");
        ensure!((4..=100).contains(&self.criteria), "--criteria: 4 to 100");
        ensure!(!self.password.is_empty(), "--password must not be empty");
        Ok(())
    }
}

/// The command line: what to generate, and where to write the manifest.
#[derive(clap::Args, Debug, Clone)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub params: Params,
    /// Also write the manifest (accounts, ids, pages, timings) to this JSON file.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
}

/// How long one part took, over all tenants.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub part: String,
    pub ms: u128,
}

/// What a benchmark needs to log in and find pages, and what the run cost.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub prefix: String,
    pub password: String,
    pub tenant_codes: Vec<String>,
    pub first_year: i32,
    pub last_year: i32,
    /// The tenant admin of the first tenant.
    pub tenant_admin: String,
    /// An officer of the leader unit of `cluster_year_id`.
    pub leader_officer: String,
    /// The head of `unit_id`, a member (neither leader nor deputy) of `cluster_year_id`.
    pub member_head: String,
    pub cluster_year_id: i64,
    pub year: i32,
    pub leader_unit_id: i64,
    pub unit_id: i64,
    pub proposal_id: i64,
    /// The award vote of `cluster_year_id`.
    pub vote_id: i64,
    /// Pages of the sample above, for a benchmark to fetch.
    pub pages: Vec<String>,
    /// Rows written, by table.
    pub rows: BTreeMap<String, u64>,
    /// Time spent in the statements that wrote each table (temporary `gen_*` tables included).
    pub table_ms: BTreeMap<String, u128>,
    pub timings: Vec<Timing>,
    pub total_ms: u128,
    pub database_bytes: i64,
}

/// `thidua generate`: opens the database (private server or DATABASE_URL), migrates, generates,
/// prints the figures and writes the manifest.
pub async fn run(db: &DbArgs, args: GenerateArgs) -> Result<()> {
    args.params.check()?;
    let mut database = Database::open(db).await?;
    let result = async {
        database.migrate().await?;
        generate(&database.options, &args.params).await
    }
    .await;
    database.stop();
    let m = result?;
    println!("{}", describe(&m));
    if let Some(path) = &args.manifest {
        std::fs::write(path, serde_json::to_string_pretty(&m)? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("Manifest: {}", path.display());
    }
    Ok(())
}

/// The run's figures and accounts, as `thidua generate` prints them.
pub fn describe(m: &Manifest) -> String {
    let mut s = String::from("Thời gian sinh dữ liệu:\n");
    for t in &m.timings {
        s.push_str(&format!(
            "  {:<40} {:>10.1} s\n",
            t.part,
            t.ms as f64 / 1000.0
        ));
    }
    s.push_str(&format!(
        "  {:<40} {:>10.1} s\n",
        "TỔNG",
        m.total_ms as f64 / 1000.0
    ));
    s.push_str("Số dòng đã ghi và thời gian ghi, theo bảng:\n");
    for (table, ms) in &m.table_ms {
        let n = m.rows.get(table).map(u64::to_string).unwrap_or_default();
        s.push_str(&format!(
            "  {table:<40} {n:>10} {:>10.1} s\n",
            *ms as f64 / 1000.0
        ));
    }
    s.push_str(&format!(
        "Dung lượng cơ sở dữ liệu: {:.1} MiB\n",
        m.database_bytes as f64 / 1024.0 / 1024.0
    ));
    s.push_str(&format!(
        "Đơn vị tổ chức: {} ({} đơn vị tổ chức), năm {}–{}; mật khẩu chung: {}\n",
        m.tenant_codes.first().map(String::as_str).unwrap_or(""),
        m.tenant_codes.len(),
        m.first_year,
        m.last_year,
        m.password
    ));
    s.push_str(&format!(
        "  quản trị: {}\n  cán bộ đơn vị cụm trưởng: {}\n  thủ trưởng đơn vị thành viên: {}\n",
        m.tenant_admin, m.leader_officer, m.member_head
    ));
    s.push_str(&format!(
        "  năm thi đua {} (năm {}), đơn vị cụm trưởng {}, đơn vị {}, hồ sơ {}\n",
        m.cluster_year_id, m.year, m.leader_unit_id, m.unit_id, m.proposal_id
    ));
    for p in &m.pages {
        s.push_str(&format!("  {p}\n"));
    }
    s
}
