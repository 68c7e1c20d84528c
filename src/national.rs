//! A national-scale data generator for benchmarks (`thidua generate`): tenants, units, users,
//! clusters and, for every cluster and year, the whole cycle as the pages read it — members,
//! leader and deputy, a frozen criteria table, scored and verified sheets with some evidence, a
//! locked pledge with every signature, registrations, closed award and election votes with their
//! ballots, a decided dossier with nominees, the council's decision and the units' awards.
//!
//! Everything is written with set-based SQL (`INSERT … SELECT` over `generate_series` and small
//! temporary tables), one transaction per tenant, on the owner's connection. Each tenant's
//! transaction runs as `thidua_app` with `app.tenant_id` set, exactly like a request: row-level
//! security checks every row written, foreign keys and the deferred leader/deputy trigger run as
//! usual, and audit rows are only appended. No row makes a round trip of its own: ids are drawn
//! from the tables' own sequences inside the statements, and one argon2 hash serves every account.
//!
//! The figures are made so that results are unambiguous: in every cluster year the members have
//! distinct verified totals (the unit with quality `q` loses `q` points, one step more for two of
//! them on verification), so ranks, ratings, vote outcomes and nominees follow without ties.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde::Serialize;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor, PgConnection};

use crate::audit::{self, Actor};
use crate::config::DbArgs;
use crate::db::Database;

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

    fn check(&self) -> Result<()> {
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

// ---------------------------------------------------------------------------------------------
// Fixed vocabulary.

/// The 63 provinces and centrally-run cities (before the 2025 mergers): (name, is a city).
const PROVINCES: [(&str, bool); 63] = [
    ("An Giang", false),
    ("Bà Rịa - Vũng Tàu", false),
    ("Bắc Giang", false),
    ("Bắc Kạn", false),
    ("Bạc Liêu", false),
    ("Bắc Ninh", false),
    ("Bến Tre", false),
    ("Bình Định", false),
    ("Bình Dương", false),
    ("Bình Phước", false),
    ("Bình Thuận", false),
    ("Cà Mau", false),
    ("Cần Thơ", true),
    ("Cao Bằng", false),
    ("Đà Nẵng", true),
    ("Đắk Lắk", false),
    ("Đắk Nông", false),
    ("Điện Biên", false),
    ("Đồng Nai", false),
    ("Đồng Tháp", false),
    ("Gia Lai", false),
    ("Hà Giang", false),
    ("Hà Nam", false),
    ("Hà Nội", true),
    ("Hà Tĩnh", false),
    ("Hải Dương", false),
    ("Hải Phòng", true),
    ("Hậu Giang", false),
    ("Hòa Bình", false),
    ("Hưng Yên", false),
    ("Khánh Hòa", false),
    ("Kiên Giang", false),
    ("Kon Tum", false),
    ("Lai Châu", false),
    ("Lâm Đồng", false),
    ("Lạng Sơn", false),
    ("Lào Cai", false),
    ("Long An", false),
    ("Nam Định", false),
    ("Nghệ An", false),
    ("Ninh Bình", false),
    ("Ninh Thuận", false),
    ("Phú Thọ", false),
    ("Phú Yên", false),
    ("Quảng Bình", false),
    ("Quảng Nam", false),
    ("Quảng Ngãi", false),
    ("Quảng Ninh", false),
    ("Quảng Trị", false),
    ("Sóc Trăng", false),
    ("Sơn La", false),
    ("Tây Ninh", false),
    ("Thái Bình", false),
    ("Thái Nguyên", false),
    ("Thanh Hóa", false),
    ("Thừa Thiên Huế", false),
    ("Tiền Giang", false),
    ("Hồ Chí Minh", true),
    ("Trà Vinh", false),
    ("Tuyên Quang", false),
    ("Vĩnh Long", false),
    ("Vĩnh Phúc", false),
    ("Yên Bái", false),
];

fn province_full(i: usize) -> String {
    let (name, city) = PROVINCES[i % PROVINCES.len()];
    if city {
        format!("thành phố {name}")
    } else {
        format!("tỉnh {name}")
    }
}

/// Kinds of member unit: (name before the place, kind, short name, head's title).
const UNIT_KINDS: [(&str, &str, &str, &str); 14] = [
    ("Tòa án nhân dân", "Tòa án", "TAND", "Chánh án"),
    (
        "Viện kiểm sát nhân dân",
        "Viện kiểm sát",
        "VKSND",
        "Viện trưởng",
    ),
    ("Công an", "Công an", "CA", "Giám đốc"),
    (
        "Cục Thi hành án dân sự",
        "Thi hành án dân sự",
        "Cục THADS",
        "Cục trưởng",
    ),
    ("Bộ Chỉ huy Quân sự", "Quân sự", "Bộ CHQS", "Chỉ huy trưởng"),
    ("Sở Tư pháp", "Sở, ngành", "Sở TP", "Giám đốc"),
    ("Sở Nội vụ", "Sở, ngành", "Sở NV", "Giám đốc"),
    ("Sở Tài chính", "Sở, ngành", "Sở TC", "Giám đốc"),
    ("Sở Y tế", "Sở, ngành", "Sở YT", "Giám đốc"),
    (
        "Sở Giáo dục và Đào tạo",
        "Sở, ngành",
        "Sở GD&ĐT",
        "Giám đốc",
    ),
    ("Kho bạc Nhà nước", "Kho bạc", "KBNN", "Giám đốc"),
    ("Cục Thuế", "Thuế", "Cục Thuế", "Cục trưởng"),
    ("Bảo hiểm xã hội", "Bảo hiểm xã hội", "BHXH", "Giám đốc"),
    (
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân",
        "Văn phòng",
        "VP ĐĐBQH&HĐND",
        "Chánh Văn phòng",
    ),
];

const SURNAMES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLES: [&str; 10] = [
    "Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Hữu", "Ngọc", "Thu", "Xuân",
];
const GIVENS: [&str; 28] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Trang", "Tuấn", "Việt", "Yến",
];

/// The eight common commitments of a pledge; `{nam}` is the year.
const COMMITMENTS: [&str; 8] = [
    "Kịp thời phổ biến, quán triệt chủ trương của Đảng, chính sách, pháp luật của Nhà nước và các văn bản hướng dẫn về công tác thi đua, khen thưởng năm {nam} đến toàn thể cán bộ, công chức, người lao động của đơn vị.",
    "Đẩy mạnh giáo dục chính trị, tư tưởng, quán triệt tư tưởng “Thi đua ái quốc” của Chủ tịch Hồ Chí Minh; nâng cao tinh thần trách nhiệm, đạo đức công vụ và ý thức kỷ luật.",
    "Mỗi đơn vị xây dựng kế hoạch, phát động phong trào thi đua năm {nam} phù hợp với chức năng, nhiệm vụ, gắn với nhiệm vụ chính trị trọng tâm.",
    "Tổ chức cho tập thể, cá nhân đăng ký danh hiệu thi đua, đề tài, sáng kiến ngay từ đầu năm; phát hiện, bồi dưỡng và nhân rộng điển hình tiên tiến.",
    "Tham gia góp ý xây dựng văn bản quy phạm pháp luật về thi đua, khen thưởng; kiện toàn bộ phận làm công tác thi đua, khen thưởng.",
    "Nâng cao chất lượng kiểm tra, giám sát phong trào thi đua; tăng cường giao lưu, trao đổi kinh nghiệm giữa các đơn vị trong cụm.",
    "Đổi mới nội dung, hình thức tuyên truyền về thi đua yêu nước; khen thưởng kịp thời, đúng người, đúng việc.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong công tác thi đua, khen thưởng, góp phần hoàn thành xuất sắc nhiệm vụ năm {nam}.",
];

const TEXTS_I: [&str; 5] = [
    "Ban hành kế hoạch tổ chức phong trào thi đua năm và các đợt thi đua theo chuyên đề",
    "Tổ chức ký kết giao ước thi đua, đăng ký danh hiệu thi đua đúng thời hạn",
    "Sơ kết, tổng kết phong trào thi đua; phát hiện, nhân rộng điển hình tiên tiến",
    "Thực hiện chế độ thông tin, báo cáo về công tác thi đua, khen thưởng",
    "Tuyên truyền về thi đua yêu nước và gương người tốt, việc tốt",
];
const TEXTS_II: [&str; 8] = [
    "Hoàn thành các chỉ tiêu nhiệm vụ chuyên môn được giao trong năm",
    "Chất lượng giải quyết công việc, thủ tục hành chính đúng hạn",
    "Cải cách hành chính, ứng dụng công nghệ thông tin, chuyển đổi số",
    "Công tác tổ chức cán bộ, đào tạo, bồi dưỡng",
    "Quản lý tài chính, tài sản công đúng quy định; thực hành tiết kiệm, chống lãng phí",
    "Công tác phòng, chống tham nhũng, tiêu cực",
    "Xây dựng tổ chức Đảng, đoàn thể trong sạch, vững mạnh",
    "Thực hiện quy chế dân chủ ở cơ sở",
];
const TEXTS_BONUS: [&str; 2] = [
    "Có sáng kiến, mô hình mới được cấp có thẩm quyền công nhận",
    "Được cấp trên khen thưởng đột xuất",
];
const TEXTS_PENALTY: [&str; 2] = [
    "Chậm gửi báo cáo, hồ sơ theo yêu cầu của Cụm",
    "Có cán bộ, công chức bị xử lý kỷ luật",
];

const FLAG: &str = "Cờ thi đua của Bộ, ban, ngành, tỉnh";
const GOV_FLAG: &str = "Cờ thi đua của Chính phủ";
const MERIT: &str = "Bằng khen của Bộ, ban, ngành, tỉnh";
const LDXS: &str = "Tập thể lao động xuất sắc";
const LDTT: &str = "Tập thể lao động tiên tiến";
const CSTD_CS: &str = "Chiến sĩ thi đua cơ sở";
const LDTT_CN: &str = "Lao động tiên tiến";

/// The evidence file every generated sheet carries: a tiny PDF.
const EVIDENCE_PDF: &[u8] = b"%PDF-1.4\n% minh chung (du lieu sinh)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// `ARRAY['a', 'b']::text[]` from constants (never from input).
fn sql_array<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("'{}'", s.as_ref().replace('\'', "''")))
        .collect();
    format!("ARRAY[{}]::text[]", quoted.join(", "))
}

/// A moment in Viet Nam time; `y` is an SQL expression for the year.
fn ts(y: &str, m: u32, d: &str, h: &str, min: u32) -> String {
    format!("make_timestamptz({y}, {m}, {d}, {h}, {min}, 0, 'Asia/Ho_Chi_Minh')")
}

/// A person's name for number `j` (an SQL expression).
fn person(j: &str) -> String {
    format!(
        "({s})[1 + ({j}) % {ns}] || ' ' || ({m})[1 + (({j}) / {ns}) % {nm}] || ' ' || ({g})[1 + (({j}) * 7 + ({j}) / {nsm}) % {ng}]",
        s = sql_array(&SURNAMES),
        m = sql_array(&MIDDLES),
        g = sql_array(&GIVENS),
        ns = SURNAMES.len(),
        nm = MIDDLES.len(),
        nsm = SURNAMES.len() * MIDDLES.len(),
        ng = GIVENS.len(),
    )
}

// ---------------------------------------------------------------------------------------------
// The criteria table's shape.

struct SectionSpec {
    code: &'static str,
    title: &'static str,
    kind: &'static str,
}

struct CritSpec {
    section: &'static str,
    position: i32,
    code: String,
    text: String,
    max: i32,
    evidence: bool,
    /// Index among the scored (standard) criteria, else -1; likewise for bonus and penalty.
    std_index: i32,
    bonus_index: i32,
    penalty_index: i32,
}

const SECTIONS: [SectionSpec; 4] = [
    SectionSpec {
        code: "I",
        title: "Công tác chỉ đạo, tổ chức phong trào thi đua",
        kind: "standard",
    },
    SectionSpec {
        code: "II",
        title: "Kết quả thực hiện nhiệm vụ chính trị, chuyên môn",
        kind: "standard",
    },
    SectionSpec {
        code: "III",
        title: "Điểm thưởng",
        kind: "bonus",
    },
    SectionSpec {
        code: "IV",
        title: "Điểm trừ",
        kind: "penalty",
    },
];

/// `n` criteria: one or two bonus and penalty criteria (2 points each, each part capped at 3),
/// the rest scored in sections I (a quarter) and II, worth 100 points together in whole points.
fn layout(n: u32) -> Vec<CritSpec> {
    let n = n as i32;
    let extra = if n >= 20 { 2 } else { 1 };
    let n_std = n - 2 * extra;
    let n_i = (n_std / 4).max(1);
    let (base, rem) = (100 / n_std, 100 % n_std);
    let mut out = Vec::new();
    let nth = |pool: &[&str], k: i32| -> String {
        let t = pool[k as usize % pool.len()];
        let round = k as usize / pool.len();
        if round == 0 {
            t.to_string()
        } else {
            format!("{t} (nội dung {})", round + 1)
        }
    };
    for s in 0..n_std {
        let (section, position, pool) = if s < n_i {
            ("I", s, &TEXTS_I[..])
        } else {
            ("II", s - n_i, &TEXTS_II[..])
        };
        let num = if section == "I" { 1 } else { 2 };
        out.push(CritSpec {
            section,
            position: position + 1,
            code: format!("{num}.{}", position + 1),
            text: nth(pool, position),
            max: base + i32::from(s < rem),
            evidence: section == "II" && position == 0,
            std_index: s,
            bonus_index: -1,
            penalty_index: -1,
        });
    }
    for k in 0..extra {
        out.push(CritSpec {
            section: "III",
            position: k + 1,
            code: format!("3.{}", k + 1),
            text: TEXTS_BONUS[k as usize].to_string(),
            max: 2,
            evidence: false,
            std_index: -1,
            bonus_index: k,
            penalty_index: -1,
        });
    }
    for k in 0..extra {
        out.push(CritSpec {
            section: "IV",
            position: k + 1,
            code: format!("4.{}", k + 1),
            text: TEXTS_PENALTY[k as usize].to_string(),
            max: 2,
            evidence: false,
            std_index: -1,
            bonus_index: -1,
            penalty_index: k,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The plan: which clusters and units each tenant gets.

struct TenantPlan {
    index: u32,
    code: String,
    name: String,
    place: String,
    /// Province of every unit (per-province tenants), else None: by cluster.
    province: Option<usize>,
    /// Global cluster numbers [from, to) and unit numbers [from, to), 0-based.
    clusters: (u32, u32),
    units: (u32, u32),
}

fn plan(p: &Params) -> Vec<TenantPlan> {
    let (n, c, u) = (p.tenants as u64, p.clusters as u64, p.units as u64);
    // Cluster k belongs to tenant k*n/c; unit i to cluster i*c/u.
    let first_cluster = |t: u64| (t * c).div_ceil(n);
    let first_unit = |k: u64| (k * u).div_ceil(c);
    (0..n)
        .map(|t| {
            let (ca, cb) = (first_cluster(t), first_cluster(t + 1));
            let one = p.tenants == 1;
            let province = (!one).then_some(t as usize % PROVINCES.len());
            let (name, place) = match province {
                None => (
                    "Hội đồng Thi đua - Khen thưởng Trung ương".to_string(),
                    "Hà Nội".to_string(),
                ),
                Some(i) => {
                    let round = t as usize / PROVINCES.len();
                    let suffix = if round == 0 {
                        String::new()
                    } else {
                        format!(" ({})", round + 1)
                    };
                    (
                        format!(
                            "Hội đồng Thi đua - Khen thưởng {}{suffix}",
                            province_full(i)
                        ),
                        PROVINCES[i].0.to_string(),
                    )
                }
            };
            TenantPlan {
                index: t as u32,
                code: format!("{}-{:02}", p.prefix, t + 1),
                name,
                place,
                province,
                clusters: (ca as u32, cb as u32),
                units: (first_unit(ca) as u32, first_unit(cb) as u32),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Running it.

struct Run<'a> {
    p: &'a Params,
    first_year: i32,
    last_year: i32,
    hash: String,
    width: usize,
    timings: Vec<(String, Duration)>,
    rows: BTreeMap<String, u64>,
    table_time: BTreeMap<String, Duration>,
}

impl Run<'_> {
    fn took(&mut self, part: &str, since: Instant) {
        let d = since.elapsed();
        match self.timings.iter_mut().find(|(p, _)| p == part) {
            Some((_, t)) => *t += d,
            None => self.timings.push((part.to_string(), d)),
        }
    }

    fn count(&mut self, table: &str, n: u64) {
        *self.rows.entry(table.to_string()).or_insert(0) += n;
        self.table_time.entry(table.to_string()).or_default();
    }

    fn spent(&mut self, table: &str, since: Instant) {
        *self.table_time.entry(table.to_string()).or_default() += since.elapsed();
    }

    /// `lpad(expr + 1, width)`: the 1-based, zero-padded number of unit `expr`.
    fn num(&self, expr: &str) -> String {
        format!("lpad((({expr}) + 1)::text, {}, '0')", self.width)
    }

    fn head_username(&self, i: u32) -> String {
        format!("thutruong.{}.{:0w$}", self.p.prefix, i + 1, w = self.width)
    }

    fn officer_username(&self, i: u32) -> String {
        format!("canbo.{}.{:0w$}.1", self.p.prefix, i + 1, w = self.width)
    }
}

/// Runs one statement with its binds and counts the rows it wrote under `table`.
macro_rules! exec {
    ($run:expr, $conn:expr, $table:expr, $sql:expr $(, $bind:expr)* $(,)?) => {{
        let started = Instant::now();
        let n = sqlx::query($sql)
            $(.bind($bind))*
            .execute(&mut *$conn)
            .await
            .with_context(|| format!("generating {}", $table))?
            .rows_affected();
        $run.spent($table, started);
        if !$table.starts_with("gen_") {
            $run.count($table, n);
        }
        n
    }};
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
struct Sample {
    cluster_year_id: i64,
    year: i32,
    proposal_id: i64,
    vote_id: i64,
    leader_unit_id: i64,
    leader_i: i32,
    unit_id: i64,
    unit_i: i32,
}

/// What every phase of one tenant needs.
struct Tenant<'p> {
    plan: &'p TenantPlan,
    id: i64,
    actor: Actor,
    admin_id: i64,
    awards: BTreeMap<String, i64>,
    /// The latest template of each kind, in the order of `proposals::templates::KINDS`.
    templates: Vec<i64>,
    /// Who signs the council's decisions.
    issuer: String,
}

impl Tenant<'_> {
    fn award(&self, name: &str) -> Result<i64> {
        self.awards
            .get(name)
            .copied()
            .with_context(|| format!("award type {name}"))
    }
}

/// One tenant, in the caller's transaction, as `thidua_app` bound to the tenant.
async fn tenant(run: &mut Run<'_>, tx: &mut PgConnection, t: &TenantPlan) -> Result<Sample> {
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
async fn setup<'p>(
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

/// Units, their heads and officers.
async fn units_and_users(run: &mut Run<'_>, tx: &mut PgConnection, cx: &Tenant<'_>) -> Result<()> {
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

/// Clusters, their years, members, leader and deputy; one movement for all.
async fn clusters(run: &mut Run<'_>, tx: &mut PgConnection, cx: &Tenant<'_>) -> Result<()> {
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

/// The criteria table: one in the library, a frozen copy per cluster year.
async fn criteria_tables(run: &mut Run<'_>, tx: &mut PgConnection, cx: &Tenant<'_>) -> Result<()> {
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

/// Pledges (signed by every head, locked) and registrations (all submitted).
async fn pledges_and_registrations(
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

/// Sheets, one line per criterion and member, verified; evidence where required.
async fn scoring(run: &mut Run<'_>, tx: &mut PgConnection, cx: &Tenant<'_>) -> Result<()> {
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

/// Votes: the award vote and the election, closed, released, with every member's ballot.
async fn votes(run: &mut Run<'_>, tx: &mut PgConnection, cx: &Tenant<'_>) -> Result<()> {
    let tid = cx.id;
    exec!(
        run,
        tx,
        "votes",
        &format!(
            "INSERT INTO votes (tenant_id, id, cluster_year_id, kind, title, state, mode, opened_at,
                                closed_at, results_released, created_at)
             SELECT $1, vote_id, cy_id, 'award', 'Bình xét, suy tôn thi đua năm ' || year, 'closed',
                    'online', {o1}, {c1}, true, {o1} FROM gen_cy
             UNION ALL
             SELECT $1, election_id, cy_id, 'election', 'Bầu cụm trưởng, cụm phó năm ' || (year + 1),
                    'closed', 'online', {o2}, {c2}, true, {o2} FROM gen_cy",
            o1 = ts("year", 12, "3", "8", 30),
            c1 = ts("year", 12, "3", "10", 0),
            o2 = ts("year", 12, "3", "10", 15),
            c2 = ts("year", 12, "3", "11", 0)
        ),
        tid
    );
    // Candidates: the best unit for the flag, the next two for the certificate of merit; and
    // the best unit of one cluster in ten for the Government flag, never more than the council's
    // default share (20% of the clusters) allows.
    tx.execute(
        "CREATE TEMP TABLE gen_cand (cand_id bigint PRIMARY KEY, vote_id bigint NOT NULL,
             cy_id bigint NOT NULL, award_type_id bigint NOT NULL, unit_id bigint NOT NULL,
             upos int NOT NULL, q int NOT NULL, what text NOT NULL) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_cand",
        "INSERT INTO gen_cand
         SELECT nextval(pg_get_serial_sequence('vote_candidates', 'id')), cy.vote_id, cy.cy_id, a.award,
                m.unit_id, m.pos, m.q, a.what
           FROM gen_cy cy
           JOIN gen_member m ON m.cy_id = cy.cy_id
           JOIN (VALUES ('flag', $1::bigint, 0), ('gov', $2::bigint, 0), ('merit', $3::bigint, 1),
                        ('merit', $3::bigint, 2)) AS a(what, award, q) ON a.q = m.q
          WHERE a.what <> 'gov' OR ((cy.c - $4) % 10 = 0 AND cy.c - $4 + 10 <= $5)",
        cx.award(FLAG)?,
        cx.award(GOV_FLAG)?,
        cx.award(MERIT)?,
        cx.plan.clusters.0 as i32,
        (cx.plan.clusters.1 - cx.plan.clusters.0) as i32
    );
    tx.execute("CREATE INDEX ON gen_cand (vote_id)").await?;
    tx.execute(
        "CREATE TEMP TABLE gen_ecand (cand_id bigint PRIMARY KEY, vote_id bigint NOT NULL,
             role text NOT NULL, unit_id bigint NOT NULL) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_ecand",
        "INSERT INTO gen_ecand
         SELECT nextval(pg_get_serial_sequence('vote_candidates', 'id')), cy.election_id, r.role, m.unit_id
           FROM gen_cy cy JOIN gen_member m ON m.cy_id = cy.cy_id
           CROSS JOIN (VALUES ('leader'), ('deputy')) AS r(role)"
    );
    tx.execute("CREATE INDEX ON gen_ecand (vote_id, role, unit_id)")
        .await?;
    tx.execute("ANALYZE gen_cand").await?;
    tx.execute("ANALYZE gen_ecand").await?;
    exec!(
        run,
        tx,
        "vote_candidates",
        "INSERT INTO vote_candidates (tenant_id, id, vote_id, award_type_id, role, unit_id)
         SELECT $1, cand_id, vote_id, award_type_id, NULL, unit_id FROM gen_cand
         UNION ALL
         SELECT $1, cand_id, vote_id, NULL, role, unit_id FROM gen_ecand",
        tid
    );
    exec!(
        run,
        tx,
        "vote_participation",
        "INSERT INTO vote_participation (tenant_id, vote_id, unit_id, how)
         SELECT $1, cy.vote_id, m.unit_id, 'online' FROM gen_member m JOIN gen_cy cy ON cy.cy_id = m.cy_id
         UNION ALL
         SELECT $1, cy.election_id, m.unit_id, 'online' FROM gen_member m JOIN gen_cy cy ON cy.cy_id = m.cy_id",
        tid
    );
    // Ballots are never stored readable (migration 0010): the generated choices live in a
    // temporary table for the count, and the votes keep only their counted figures, as votes
    // held before ballots were encrypted do. Award ballots answer every candidate: for, except
    // about one member in five against a certificate of merit.
    tx.execute(
        "CREATE TEMP TABLE gen_ballot (vote_id bigint NOT NULL, choices jsonb NOT NULL) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_ballot",
        "INSERT INTO gen_ballot (vote_id, choices)
         SELECT b.vote_id, b.choices
           FROM (SELECT k.vote_id, m.unit_id AS voter,
                        jsonb_object_agg(k.cand_id::text,
                            NOT (k.what = 'merit' AND m.unit_id <> k.unit_id
                                 AND (m.pos + k.upos + m.yi) % 5 = 0)) AS choices
                   FROM gen_cand k JOIN gen_member m ON m.cy_id = k.cy_id
                  GROUP BY k.vote_id, m.unit_id) b",
    );
    // Election ballots: every member votes next year's leader and deputy by the rotation.
    exec!(
        run,
        tx,
        "gen_ballot",
        "INSERT INTO gen_ballot (vote_id, choices)
         SELECT cy.election_id, jsonb_build_object(l.cand_id::text, true, d.cand_id::text, true)
           FROM gen_member m
           JOIN gen_cy cy ON cy.cy_id = m.cy_id
           JOIN gen_member nl ON nl.cy_id = cy.cy_id AND nl.pos = (cy.yi + 1) % cy.m
           JOIN gen_member nd ON nd.cy_id = cy.cy_id AND nd.pos = (cy.yi + 2) % cy.m
           JOIN gen_ecand l ON l.vote_id = cy.election_id AND l.role = 'leader' AND l.unit_id = nl.unit_id
           JOIN gen_ecand d ON d.vote_id = cy.election_id AND d.role = 'deputy' AND d.unit_id = nd.unit_id",
    );
    tx.execute("CREATE INDEX ON gen_ballot (vote_id)").await?;
    tx.execute("ANALYZE gen_ballot").await?;
    exec!(
        run,
        tx,
        "vote_totals",
        "INSERT INTO vote_totals (tenant_id, vote_id, candidate_id, votes_for, votes_against)
         SELECT $1, c.vote_id, c.id,
                count(*) FILTER (WHERE (b.choices ->> c.id::text)::boolean),
                count(*) FILTER (WHERE NOT (b.choices ->> c.id::text)::boolean)
           FROM vote_candidates c JOIN gen_ballot b ON b.vote_id = c.vote_id
          WHERE c.tenant_id = $1
          GROUP BY c.vote_id, c.id",
        tid
    );
    exec!(
        run,
        tx,
        "gen_counted_ballots",
        "UPDATE votes v SET counted_ballots = n.n
           FROM (SELECT vote_id, count(*) AS n FROM gen_ballot GROUP BY vote_id) n
          WHERE v.tenant_id = $1 AND v.id = n.vote_id",
        tid
    );
    Ok(())
}

/// Dossiers: the passed candidates with the vote's and the scores' figures, decided.
async fn dossiers(run: &mut Run<'_>, tx: &mut PgConnection, cx: &Tenant<'_>) -> Result<()> {
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
            "INSERT INTO achievement_reports (tenant_id, proposal_id, unit_id, sections, submitted_at, updated_at)
             SELECT DISTINCT ON (cy.proposal_id, n.unit_id) $1, cy.proposal_id, n.unit_id,
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
async fn finish(run: &mut Run<'_>, tx: &mut PgConnection, cx: &Tenant<'_>) -> Result<Sample> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scored_criteria_are_worth_100_points() {
        for n in [4, 5, 12, 19, 20, 40, 100] {
            let l = layout(n);
            assert_eq!(l.len(), n as usize);
            let std: i32 = l.iter().filter(|c| c.std_index >= 0).map(|c| c.max).sum();
            assert_eq!(std, 100, "{n} criteria");
            assert!(l.iter().any(|c| c.evidence), "{n} criteria");
            let mut codes: Vec<&str> = l.iter().map(|c| c.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), n as usize);
        }
    }

    #[test]
    fn every_unit_and_cluster_has_one_tenant() {
        let mut p = Params::small("x");
        for (tenants, clusters, units) in [(1, 4, 40), (2, 4, 40), (63, 1000, 10_000), (3, 7, 50)] {
            p.tenants = tenants;
            p.clusters = clusters;
            p.units = units;
            let plan = plan(&p);
            assert_eq!(plan.len(), tenants as usize);
            assert_eq!(plan[0].clusters.0, 0);
            assert_eq!(plan[0].units.0, 0);
            assert_eq!(plan.last().unwrap().clusters.1, clusters);
            assert_eq!(plan.last().unwrap().units.1, units);
            for w in plan.windows(2) {
                assert_eq!(w[0].clusters.1, w[1].clusters.0);
                assert_eq!(w[0].units.1, w[1].units.0);
                assert!(w[0].clusters.1 > w[0].clusters.0);
            }
            // Every unit's cluster (i * c / u) lies in its tenant's clusters.
            for t in &plan {
                for i in t.units.0..t.units.1 {
                    let c = (i as u64 * clusters as u64 / units as u64) as u32;
                    assert!(c >= t.clusters.0 && c < t.clusters.1);
                }
            }
        }
        assert_eq!(PROVINCES.len(), 63);
    }
}
