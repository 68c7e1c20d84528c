use super::*;

/// An account of this tenant, for comparison.
#[derive(Debug, Clone)]
pub struct ExistingUser {
    pub full_name: String,
    pub role: String,
    pub unit_code: Option<String>,
}

/// A unit a user row may point at.
#[derive(Debug, Clone)]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct UserStep {
    pub row: u32,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// A new account's address for notifications; an existing account's is left as it is.
    pub email: Option<String>,
    /// A new account (else the same account already exists).
    pub create: bool,
}

/// The role a cell names: a Vietnamese label (with or without diacritics) or a code.
pub fn parse_role(s: &str) -> Option<Role> {
    if let Some(r) = Role::parse(s.trim()) {
        return Some(r);
    }
    match fold(s).as_str() {
        "thutruongdonvi" | "thutruong" => Some(Role::UnitHead),
        "canbothidua" | "canbothiduacuadonvi" | "canbolamcongtacthidua" => Some(Role::UnitOfficer),
        "canbohoidongtdktquantri"
        | "canbohoidongtdkt"
        | "canbohoidongthiduakhenthuongquantri"
        | "canbohoidongthiduakhenthuong"
        | "quantri"
        | "quantrivien" => Some(Role::TenantAdmin),
        "vanhanhhethong" => Some(Role::Operator),
        _ => None,
    }
}

/// The usernames of the rows, as they would be stored (to ask which are taken elsewhere).
pub fn usernames(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = table
        .records
        .iter()
        .map(|r| normalise_username(&r.text(&USER_COLUMNS, "username")))
        .filter(|u| admin::check_username(u).is_ok())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn normalise_username(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Checks every row of a users file. An account that already exists with the same details is
/// left alone; one with other details is a bad row (an import never changes an account).
pub fn plan_users(
    table: &Table,
    existing: &HashMap<String, ExistingUser>,
    units: &HashMap<String, UnitRef>,
    taken: &HashSet<String>,
) -> Plan<UserStep> {
    let c = &USER_COLUMNS;
    let mut plan = Plan {
        steps: Vec::new(),
        problems: Vec::new(),
    };
    let mut seen = HashMap::new();
    for r in &table.records {
        let mut problems = Vec::new();
        let mut e = Errors::default();

        let username = normalise_username(&r.text(c, "username"));
        if username.is_empty() {
            e.add("username", "Hãy nhập tên đăng nhập.");
        } else if let Err(err) = admin::check_username(&username) {
            e.add("username", err.to_string());
        }
        let full_name = forms::text(
            &mut e,
            "full_name",
            &r.text(c, "full_name"),
            "họ và tên",
            2,
            200,
        );
        let role_text = r.text(c, "role");
        let role = match parse_role(&role_text) {
            Some(Role::Operator) => {
                e.add(
                    "role",
                    "Không tạo được tài khoản vận hành hệ thống bằng tệp; chọn thủ trưởng đơn vị, \
                     cán bộ thi đua hoặc cán bộ Hội đồng TĐKT (quản trị).",
                );
                None
            }
            Some(role) => Some(role),
            None if role_text.trim().is_empty() => {
                e.add("role", "Hãy ghi vai trò.");
                None
            }
            None => {
                e.add(
                    "role",
                    format!(
                        "Không rõ vai trò “{}”; ghi “Thủ trưởng đơn vị”, “Cán bộ thi đua” hoặc \
                         “Cán bộ Hội đồng TĐKT (quản trị)”.",
                        role_text.trim()
                    ),
                );
                None
            }
        };
        let unit_text = r.text(c, "unit_code");
        let mut unit_code = None;
        match role.map(Role::needs_unit) {
            Some(true) if unit_text.trim().is_empty() => e.add(
                "unit_code",
                "Thủ trưởng và cán bộ thi đua phải thuộc một đơn vị: hãy ghi mã đơn vị.",
            ),
            Some(true) => {
                let mut ce = Errors::default();
                let code = check_unit_code(&mut ce, "unit_code", &unit_text);
                if let Some(m) = ce.get("unit_code") {
                    e.add("unit_code", m.clone());
                } else {
                    unit_code = Some(code);
                }
            }
            Some(false) if !unit_text.trim().is_empty() => e.add(
                "unit_code",
                "Cán bộ Hội đồng TĐKT không thuộc đơn vị thành viên: hãy để trống mã đơn vị.",
            ),
            _ => {}
        }
        let email = forms::optional_email(&mut e, "email", &r.text(c, "email"));
        problems.extend(field_problems(
            r.row,
            c,
            &["username", "full_name", "role", "unit_code", "email"],
            &e,
        ));
        if !e.has("username")
            && let Some(p) = first_seen(
                &mut seen,
                &username,
                r.row,
                "Tên đăng nhập",
                "Tên đăng nhập",
            )
        {
            problems.push(p);
        }
        if !problems.is_empty() {
            plan.problems.extend(problems);
            continue;
        }
        let role = role.expect("checked above");

        if let Some(old) = existing.get(&username) {
            let mut differ = Vec::new();
            if old.full_name.trim() != full_name {
                differ.push(format!("họ và tên “{}”", old.full_name));
            }
            if old.role != role.as_str() {
                let label = Role::parse(&old.role).map(Role::label).unwrap_or("");
                differ.push(format!("vai trò “{label}”"));
            }
            if old.unit_code != unit_code {
                differ.push(match &old.unit_code {
                    Some(code) => format!("đơn vị mã “{code}”"),
                    None => "không thuộc đơn vị nào".to_string(),
                });
            }
            if differ.is_empty() {
                let unit = unit_code.as_ref().and_then(|code| units.get(code));
                plan.steps.push(UserStep {
                    row: r.row,
                    username,
                    full_name,
                    role,
                    unit_id: unit.map(|u| u.id),
                    unit_name: unit.map(|u| u.name.clone()),
                    email: None,
                    create: false,
                });
            } else {
                plan.problems.push(Problem::row(
                    r.row,
                    Some("Tên đăng nhập"),
                    format!(
                        "Đã có tài khoản “{username}” với thông tin khác ({}). Nhập từ tệp không \
                         sửa tài khoản đã có; hãy sửa dòng này cho khớp hoặc bỏ dòng này.",
                        differ.join(", ")
                    ),
                ));
            }
            continue;
        }
        if taken.contains(&username) {
            plan.problems.push(Problem::row(
                r.row,
                Some("Tên đăng nhập"),
                format!("Tên đăng nhập “{username}” đã được dùng; hãy chọn tên khác."),
            ));
            continue;
        }
        let unit = match &unit_code {
            None => None,
            Some(code) => match units.get(code) {
                Some(u) if u.active => Some(u),
                Some(_) => {
                    plan.problems.push(Problem::row(
                        r.row,
                        Some("Mã đơn vị"),
                        format!("Đơn vị mã “{code}” đã ngừng hoạt động."),
                    ));
                    continue;
                }
                None => {
                    plan.problems.push(Problem::row(
                        r.row,
                        Some("Mã đơn vị"),
                        format!(
                            "Không có đơn vị mã “{code}”. Hãy nhập danh sách đơn vị trước, hoặc \
                             sửa mã cho đúng."
                        ),
                    ));
                    continue;
                }
            },
        };
        plan.steps.push(UserStep {
            row: r.row,
            username,
            full_name,
            role,
            unit_id: unit.map(|u| u.id),
            unit_name: unit.map(|u| u.name.clone()),
            email: (!email.is_empty()).then_some(email),
            create: true,
        });
    }
    let new_accounts = plan.steps.iter().filter(|s| s.create).count();
    if new_accounts > MAX_NEW_ACCOUNTS {
        plan.problems.push(Problem::file(format!(
            "Tệp tạo {} tài khoản mới; mỗi lần chỉ tạo được tối đa {MAX_NEW_ACCOUNTS} tài khoản. \
             Hãy chia thành nhiều tệp.",
            crate::web::vn::integer(new_accounts as i64)
        )));
    }
    plan
}
