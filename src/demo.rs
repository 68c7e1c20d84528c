//! Demo data from the real clusters of the seed articles. Loading is idempotent: whatever
//! exists is left as it is, so a second run changes nothing.

use anyhow::Result;
use sqlx::PgPool;

use crate::audit::Actor;
use crate::auth::{Role, password, store as auth_store};
use crate::db::tenant_tx;
use crate::org::store::{self as org_store, UnitFields};

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

pub async fn load(pool: &PgPool) -> Result<()> {
    // Every demo account shares the published demo password; one hash serves them all.
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    for t in TENANTS {
        let tenant_id = match org_store::tenant_id_by_code(pool, t.code).await? {
            Some(id) => id,
            None => org_store::insert_tenant(pool, t.code, t.name, t.place, false).await?,
        };
        let actor = Actor::cli(tenant_id, "demo");
        let mut tx = tenant_tx(pool, tenant_id).await?;
        for (code, name, short) in t.units {
            if org_store::unit_by_code(&mut tx, tenant_id, code)
                .await?
                .is_none()
            {
                let fields = UnitFields {
                    code: code.to_string(),
                    name: name.to_string(),
                    short_name: short.to_string(),
                    place_name: t.place.to_string(),
                    ..UnitFields::default()
                };
                org_store::insert_unit(&mut tx, &actor, &fields).await?;
            }
        }
        for a in accounts(t) {
            if auth_store::user_id_by_username(&mut tx, tenant_id, &a.username)
                .await?
                .is_some()
            {
                continue;
            }
            let unit_id = match a.unit_code {
                Some(c) => org_store::unit_by_code(&mut tx, tenant_id, c)
                    .await?
                    .map(|u| u.id),
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
        tx.commit().await?;
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
