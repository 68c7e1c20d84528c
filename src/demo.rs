//! Demo data from the real clusters of the seed articles. Loading is idempotent: whatever
//! exists is left as it is, so a second run changes nothing.
//!
//! The articles' story is live in 2024 (`HISTORY_YEAR`); the demo moves every year and date of
//! it by whole years to an anchor year, so a newcomer finds the current year live (issue 11,
//! item 9). The tests pin the anchor to 2024; `thidua demo` takes the current year, or the
//! anchor a database already holds (a demo loaded last December keeps its years in January).

use anyhow::Result;
use sqlx::PgPool;

use crate::audit::Actor;
use crate::auth::{Role, password, store as auth_store};
pub use crate::cycle::demo::{HISTORY_YEAR, Shift};
use crate::db::TenantTx;
use crate::db::tenant_tx;
use crate::org::store::{self as org_store, ClusterFields, UnitFields};

pub const DEMO_PASSWORD: &str = "thidua-demo-2024";

pub struct DemoTenant {
    pub code: &'static str,
    pub name: &'static str,
    pub place: &'static str,
    pub admin: &'static str,
    pub admin_name: &'static str,
    /// (code, full name, short name)
    pub units: &'static [(&'static str, &'static str, &'static str)],
}

pub const TENANTS: &[DemoTenant] = &[
    DemoTenant {
        code: "toaan",
        name: "Hội đồng Thi đua - Khen thưởng Tòa án nhân dân",
        place: "Hà Nội",
        admin: "quantri.toaan",
        admin_name: "Cán bộ Vụ Thi đua - Khen thưởng TAND",
        units: &[
            // Cụm thi đua số VI: the 12 units of the Supreme People's Court apparatus (seed 000).
            (
                "vanphong",
                "Văn phòng Tòa án nhân dân tối cao",
                "Văn phòng TANDTC",
            ),
            ("tccb", "Vụ Tổ chức - Cán bộ", "Vụ TC-CB"),
            ("tonghop", "Vụ Tổng hợp", "Vụ TH"),
            ("phapche", "Vụ Pháp chế và Quản lý khoa học", "Vụ PC&QLKH"),
            ("khtc", "Cục Kế hoạch - Tài chính", "Cục KH-TC"),
            ("thanhtra", "Ban Thanh tra", "Ban TT"),
            ("tdkt", "Vụ Thi đua - Khen thưởng", "Vụ TĐ-KT"),
            ("htqt", "Vụ Hợp tác quốc tế", "Vụ HTQT"),
            ("ctpn", "Vụ Công tác phía Nam", "Vụ CTPN"),
            ("hocvien", "Học viện Tòa án", "Học viện TA"),
            ("baocongly", "Báo Công lý", "Báo Công lý"),
            ("tapchi", "Tạp chí Tòa án nhân dân", "Tạp chí TAND"),
            // Cụm thi đua số II: 7 provincial courts (seed 002).
            (
                "laichau",
                "Tòa án nhân dân tỉnh Lai Châu",
                "TAND tỉnh Lai Châu",
            ),
            (
                "laocai",
                "Tòa án nhân dân tỉnh Lào Cai",
                "TAND tỉnh Lào Cai",
            ),
            (
                "dienbien",
                "Tòa án nhân dân tỉnh Điện Biên",
                "TAND tỉnh Điện Biên",
            ),
            ("sonla", "Tòa án nhân dân tỉnh Sơn La", "TAND tỉnh Sơn La"),
            (
                "yenbai",
                "Tòa án nhân dân tỉnh Yên Bái",
                "TAND tỉnh Yên Bái",
            ),
            (
                "phutho",
                "Tòa án nhân dân tỉnh Phú Thọ",
                "TAND tỉnh Phú Thọ",
            ),
            (
                "hoabinh",
                "Tòa án nhân dân tỉnh Hòa Bình",
                "TAND tỉnh Hòa Bình",
            ),
        ],
    },
    DemoTenant {
        code: "langson",
        name: "Hội đồng Thi đua - Khen thưởng tỉnh Lạng Sơn",
        place: "Lạng Sơn",
        admin: "quantri.langson",
        admin_name: "Cán bộ Phòng Thi đua - Khen thưởng, Sở Nội vụ",
        units: &[
            // Cụm thi đua các cơ quan Nội chính tỉnh (seed 003).
            ("tand-ls", "Tòa án nhân dân tỉnh Lạng Sơn", "TAND tỉnh"),
            (
                "thads-ls",
                "Cục Thi hành án dân sự tỉnh Lạng Sơn",
                "Cục THADS tỉnh",
            ),
            ("qs-ls", "Bộ Chỉ huy Quân sự tỉnh Lạng Sơn", "Bộ CHQS tỉnh"),
            (
                "bp-ls",
                "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn",
                "Bộ CH BĐBP tỉnh",
            ),
            ("ca-ls", "Công an tỉnh Lạng Sơn", "Công an tỉnh"),
            (
                "vks-ls",
                "Viện kiểm sát nhân dân tỉnh Lạng Sơn",
                "VKSND tỉnh",
            ),
            (
                "csd2",
                "Tiểu đoàn Cảnh sát cơ động số 2, Trung đoàn Cảnh sát cơ động Đông Bắc",
                "Tiểu đoàn CSCĐ số 2",
            ),
        ],
    },
];

/// A cluster of the seed articles and its years: (year, member codes, leader, deputy, phase).
pub struct DemoCluster {
    pub tenant: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub decision: (&'static str, Option<(i32, u32, u32)>, &'static str),
    pub description: &'static str,
    /// Its direct managing agency, above its name on the documents it issues.
    pub superior: &'static str,
    pub years: &'static [DemoYear],
}

pub struct DemoYear {
    pub year: i32,
    pub members: &'static [&'static str],
    pub leader: Option<&'static str>,
    pub deputy: Option<&'static str>,
    pub phase: &'static str,
}

const CUM_VI: &[&str] = &[
    "vanphong",
    "tccb",
    "tonghop",
    "phapche",
    "khtc",
    "thanhtra",
    "tdkt",
    "htqt",
    "ctpn",
    "hocvien",
    "baocongly",
    "tapchi",
];
const CUM_II: &[&str] = &[
    "laichau", "laocai", "dienbien", "sonla", "yenbai", "phutho", "hoabinh",
];
const NOI_CHINH: &[&str] = &[
    "tand-ls", "thads-ls", "qs-ls", "bp-ls", "ca-ls", "vks-ls", "csd2",
];

pub const CLUSTERS: &[DemoCluster] = &[
    DemoCluster {
        tenant: "toaan",
        name: "Cụm thi đua số VI",
        kind: "cum",
        decision: ("", None, ""),
        description: "12 đơn vị thuộc bộ máy giúp việc và đơn vị sự nghiệp của Tòa án nhân dân tối cao.",
        superior: "Tòa án nhân dân tối cao",
        years: &[
            // Seed 000: Cục Kế hoạch - Tài chính presented the 2019 summary as the cluster's
            // leader; the 2019 conference elected Học viện Tòa án and Ban Thanh tra for 2020.
            DemoYear {
                year: 2019,
                members: CUM_VI,
                leader: Some("khtc"),
                deputy: None,
                phase: "voting",
            },
            DemoYear {
                year: 2020,
                members: CUM_VI,
                leader: Some("hocvien"),
                deputy: Some("thanhtra"),
                phase: "pledging",
            },
        ],
    },
    DemoCluster {
        tenant: "toaan",
        name: "Cụm thi đua số II",
        kind: "cum",
        decision: (
            "247/QĐ-TANDTC",
            Some((2022, 8, 31)),
            "Chánh án Tòa án nhân dân tối cao",
        ),
        description: "Tòa án nhân dân 7 tỉnh: Lai Châu, Lào Cai, Điện Biên, Sơn La, Yên Bái, Phú Thọ, Hòa Bình.",
        superior: "Tòa án nhân dân tối cao",
        years: &[DemoYear {
            year: 2023,
            members: CUM_II,
            leader: None,
            deputy: None,
            phase: "under_way",
        }],
    },
    DemoCluster {
        tenant: "langson",
        name: "Cụm thi đua các cơ quan Nội chính tỉnh",
        kind: "cum",
        decision: ("", None, ""),
        description: "Các cơ quan nội chính tỉnh Lạng Sơn; cụm trưởng, cụm phó luân phiên hằng năm.",
        superior: "UBND tỉnh Lạng Sơn",
        years: &[
            DemoYear {
                year: 2023,
                members: NOI_CHINH,
                leader: Some("tand-ls"),
                deputy: Some("thads-ls"),
                phase: "closed",
            },
            DemoYear {
                year: 2024,
                members: NOI_CHINH,
                leader: Some("thads-ls"),
                deputy: Some("csd2"),
                phase: "pledging",
            },
        ],
    },
];

/// A demo unit's direct managing agency (cơ quan chủ quản), printed above its name. Left empty
/// where the line is not certain: an empty one prints nothing, a wrong one misleads.
fn superior_of(code: &str) -> &'static str {
    match code {
        "thads-ls" => "Tổng cục Thi hành án dân sự",
        "qs-ls" => "Quân khu 1",
        "bp-ls" => "Bộ Tư lệnh Bộ đội Biên phòng",
        "ca-ls" => "Bộ Công an",
        "csd2" | "vks-ls" | "tand-ls" => "",
        "laichau" | "laocai" | "dienbien" | "sonla" | "yenbai" | "phutho" | "hoabinh" => "",
        _ => "Tòa án nhân dân tối cao",
    }
}

/// The kind of a demo unit, for the unit list's "Loại" column and its search.
fn kind_of(code: &str) -> &'static str {
    match code {
        "tand-ls" | "laichau" | "laocai" | "dienbien" | "sonla" | "yenbai" | "phutho"
        | "hoabinh" => "Tòa án",
        "thads-ls" => "Thi hành án dân sự",
        "qs-ls" => "Quân sự",
        "bp-ls" => "Biên phòng",
        "ca-ls" | "csd2" => "Công an",
        "vks-ls" => "Viện kiểm sát",
        _ => "Đơn vị thuộc TANDTC",
    }
}

/// One demo account: (username, full name, role label, tenant code).
pub struct DemoAccount {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_code: Option<&'static str>,
}

pub fn accounts(t: &DemoTenant) -> Vec<DemoAccount> {
    let mut out = vec![DemoAccount {
        username: t.admin.to_string(),
        full_name: t.admin_name.to_string(),
        role: Role::TenantAdmin,
        unit_code: None,
    }];
    for (code, _, short) in t.units {
        out.push(DemoAccount {
            username: format!("thutruong.{code}"),
            full_name: format!("Thủ trưởng {short}"),
            role: Role::UnitHead,
            unit_code: Some(code),
        });
        out.push(DemoAccount {
            username: format!("canbo.{code}"),
            full_name: format!("Cán bộ thi đua {short}"),
            role: Role::UnitOfficer,
            unit_code: Some(code),
        });
    }
    out
}

/// The demo's live year for this database: the one it was loaded with (its Lạng Sơn cluster's
/// first year is the year before), or the current year in Viet Nam for a database without it.
pub async fn anchor(pool: &PgPool) -> Result<i32> {
    let cluster = CLUSTERS[CLUSTERS.len() - 1].name;
    Ok(crate::cycle::demo::loaded_anchor(pool, "langson", cluster)
        .await?
        .unwrap_or_else(|| chrono::Datelike::year(&crate::web::vn::today())))
}

/// Loads the demo with its live year in this database's anchor (see `anchor`).
pub async fn load(pool: &PgPool) -> Result<()> {
    load_at(pool, anchor(pool).await?).await
}

/// Loads the demo with `anchor` as its live year: every year and date of the seed articles'
/// story moves by `anchor - 2024` years.
pub async fn load_at(pool: &PgPool, anchor: i32) -> Result<()> {
    let shift = Shift::to(anchor);
    // Every demo account shares the published demo password; one hash serves them all.
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    for t in TENANTS {
        let tenant_id = match org_store::tenant_id_by_code(pool, t.code).await? {
            Some(id) => id,
            None => crate::admin::new_tenant(pool, t.code, t.name, t.place, false).await?,
        };
        let actor = Actor::cli(tenant_id, "demo");
        let mut tx = tenant_tx(pool, tenant_id).await?;
        for (code, name, short) in t.units {
            if org_store::unit_by_code(&mut tx, code).await?.is_none() {
                let fields = UnitFields {
                    code: code.to_string(),
                    name: name.to_string(),
                    short_name: short.to_string(),
                    place_name: t.place.to_string(),
                    kind: kind_of(code).to_string(),
                    superior: superior_of(code).to_string(),
                    ..UnitFields::default()
                };
                org_store::insert_unit(&mut tx, &actor, &fields).await?;
            }
        }
        for a in accounts(t) {
            if auth_store::user_id_by_username(&mut tx, &a.username)
                .await?
                .is_some()
            {
                continue;
            }
            let unit_id = match a.unit_code {
                Some(c) => org_store::unit_by_code(&mut tx, c).await?.map(|u| u.id),
                None => None,
            };
            let new = auth_store::NewUser {
                username: &a.username,
                full_name: &a.full_name,
                role: a.role,
                unit_id,
                password_hash: &hash,
                must_change_password: false,
            };
            auth_store::insert_user(&mut tx, &actor, &new).await?;
        }
        load_clusters(&mut tx, &actor, t.code, shift).await?;
        crate::cycle::demo::load(&mut tx, &actor, t.code, shift).await?;
        crate::scoring::demo::load(&mut tx, &actor, t.code, shift).await?;
        crate::proposals::demo::load(&mut tx, &actor, t.code, shift).await?;
        name_heads(&mut tx, &actor, t).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// A dossier is sent only with its signer's name (the leader unit's head, issue 11): a demo
/// unit whose head the seed articles do not name gets its head account's name, so that every
/// year of the demo can be carried through to the council.
async fn name_heads(tx: &mut TenantTx, actor: &Actor, t: &DemoTenant) -> Result<()> {
    for a in accounts(t).iter().filter(|a| a.role == Role::UnitHead) {
        let Some(code) = a.unit_code else {
            continue;
        };
        let Some(mut unit) = org_store::unit_by_code(tx, code).await? else {
            continue;
        };
        if unit.f.head_name.trim().is_empty() {
            unit.f.head_name = a.full_name.clone();
            org_store::update_unit(tx, actor, unit.id, &unit.f).await?;
        }
    }
    Ok(())
}

async fn load_clusters(tx: &mut TenantTx, actor: &Actor, tenant: &str, shift: Shift) -> Result<()> {
    for c in CLUSTERS.iter().filter(|c| c.tenant == tenant) {
        let cluster_id = match org_store::cluster_by_name(tx, c.name).await? {
            Some(existing) => existing.id,
            None => {
                let fields = ClusterFields {
                    name: c.name.to_string(),
                    kind: c.kind.to_string(),
                    decision_number: c.decision.0.to_string(),
                    decision_date: c.decision.1.and_then(|ymd| {
                        let (y, m, d) = shift.ymd(ymd);
                        chrono::NaiveDate::from_ymd_opt(y, m, d)
                    }),
                    decision_issuer: c.decision.2.to_string(),
                    description: c.description.to_string(),
                    superior: c.superior.to_string(),
                };
                org_store::insert_cluster(tx, actor, &fields).await?
            }
        };
        for y in c.years {
            let year_no = shift.year(y.year);
            if org_store::year_of_cluster(tx, cluster_id, year_no)
                .await?
                .is_some()
            {
                continue;
            }
            let year_id = org_store::insert_year(tx, actor, cluster_id, year_no).await?;
            let year = org_store::cluster_year(tx, year_id)
                .await?
                .expect("just made");
            let mut ids = std::collections::BTreeMap::new();
            for code in y.members {
                let unit = org_store::unit_by_code(tx, code).await?.expect("demo unit");
                org_store::add_member(tx, actor, &year, unit.id).await?;
                ids.insert(*code, unit.id);
            }
            let leader = y.leader.map(|c| ids[c]);
            let deputy = y.deputy.map(|c| ids[c]);
            org_store::set_roles(tx, actor, &year, leader, deputy).await?;
            let phase = crate::org::model::Phase::parse(y.phase).expect("a demo phase");
            org_store::set_phase(tx, actor, &year, phase).await?;
        }
    }
    Ok(())
}

/// The accounts, for the start-up output and the README.
pub fn describe() -> String {
    let mut s = format!("Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):\n");
    for t in TENANTS {
        s.push_str(&format!("  {} ({})\n", t.name, t.code));
        for a in accounts(t) {
            s.push_str(&format!("    {:<22} {}\n", a.username, a.role.label()));
        }
    }
    s
}
