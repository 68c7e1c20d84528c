//! The rules of an import, as plain functions: which column is which, what each row says,
//! which rows are bad and why, and what importing the rest would change.
//!
//! Nothing here touches the database: the caller loads what exists (units by code, users by
//! username, usernames taken in other tenants) and hands it in.

use std::collections::{HashMap, HashSet};

use crate::admin;
use crate::auth::Role;
use crate::org::forms::{UnitForm, check_unit_code};
use crate::org::store::UnitFields;
use crate::web::forms::{self, Errors};
use crate::web::vn::fold;

use super::sheet::{Sheet, SheetRow};

/// At most this many data rows per file.
pub const MAX_ROWS: usize = 5_000;
/// The header row is looked for among this many first non-empty rows.
const HEADER_SEARCH: usize = 10;
/// At most this many new accounts per file: each needs a slow password hash.
pub const MAX_NEW_ACCOUNTS: usize = 300;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Units,
    Users,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "units" => Some(Kind::Units),
            "users" => Some(Kind::Users),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Units => "units",
            Kind::Users => "users",
        }
    }

    /// "danh sách đơn vị" / "danh sách người dùng".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Units => "danh sách đơn vị",
            Kind::Users => "danh sách người dùng",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Units => &UNIT_COLUMNS,
            Kind::Users => &USER_COLUMNS,
        }
    }

    fn other(self) -> Kind {
        match self {
            Kind::Units => Kind::Users,
            Kind::Users => Kind::Units,
        }
    }
}

/// One documented column of a file layout.
#[derive(Debug)]
pub struct Column {
    /// The field it fills (the form field name).
    pub field: &'static str,
    /// The header in the template, in Vietnamese.
    pub header: &'static str,
    /// The header must be present in the file.
    pub required: bool,
    /// Other headers accepted for it (compared without diacritics, case or spaces).
    pub aliases: &'static [&'static str],
    /// What it must hold, for the import page and the template's notes.
    pub hint: &'static str,
    /// The template's example row.
    pub example: &'static str,
    /// Width in the template (Excel character units).
    pub width: f64,
}

pub const UNIT_COLUMNS: [Column; 10] = [
    Column {
        field: "code",
        header: "Mã đơn vị",
        required: true,
        aliases: &["mã", "code", "unit_code"],
        hint: "Bắt buộc, không trùng nhau. Chữ a-z không dấu, số, dấu chấm hoặc gạch ngang, tối đa 40 ký tự. \
               Mã đã có thì thông tin của đơn vị đó được cập nhật theo tệp.",
        example: "vanphong",
        width: 16.0,
    },
    Column {
        field: "name",
        header: "Tên đơn vị",
        required: true,
        aliases: &["tên", "name"],
        hint: "Bắt buộc, từ 2 đến 300 ký tự.",
        example: "Văn phòng Tòa án nhân dân tối cao",
        width: 42.0,
    },
    Column {
        field: "short_name",
        header: "Tên viết tắt",
        required: false,
        aliases: &["short_name"],
        hint: "Tối đa 100 ký tự.",
        example: "Văn phòng TANDTC",
        width: 22.0,
    },
    Column {
        field: "kind",
        header: "Loại đơn vị",
        required: false,
        aliases: &["loại", "kind"],
        hint: "Ví dụ: Tòa án, Viện kiểm sát, Công an. Tối đa 100 ký tự.",
        example: "Cơ quan Tòa án nhân dân tối cao",
        width: 22.0,
    },
    Column {
        field: "head_name",
        header: "Họ tên thủ trưởng",
        required: false,
        aliases: &["thủ trưởng", "head_name"],
        hint: "Tối đa 200 ký tự.",
        example: "Nguyễn Văn An",
        width: 24.0,
    },
    Column {
        field: "head_title",
        header: "Chức vụ thủ trưởng",
        required: false,
        aliases: &["chức vụ", "head_title"],
        hint: "Ví dụ: Chánh Văn phòng. Tối đa 200 ký tự.",
        example: "Chánh Văn phòng",
        width: 22.0,
    },
    Column {
        field: "place_name",
        header: "Địa danh",
        required: false,
        aliases: &["place_name"],
        hint: "Ghi ở dòng “…, ngày … tháng … năm …” của văn bản. Tối đa 100 ký tự.",
        example: "Hà Nội",
        width: 14.0,
    },
    Column {
        field: "address",
        header: "Địa chỉ",
        required: false,
        aliases: &["address"],
        hint: "Tối đa 300 ký tự.",
        example: "48 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội",
        width: 36.0,
    },
    Column {
        field: "phone",
        header: "Điện thoại",
        required: false,
        aliases: &["số điện thoại", "phone"],
        hint: "Tối đa 50 ký tự. Trong Excel nên để ô dạng văn bản để giữ số 0 ở đầu.",
        example: "024 3825 0000",
        width: 16.0,
    },
    Column {
        field: "email",
        header: "Thư điện tử",
        required: false,
        aliases: &["email", "e-mail", "địa chỉ thư điện tử"],
        hint: "Một địa chỉ thư điện tử hợp lệ.",
        example: "vanphong@toaan.gov.vn",
        width: 26.0,
    },
];

pub const USER_COLUMNS: [Column; 4] = [
    Column {
        field: "username",
        header: "Tên đăng nhập",
        required: true,
        aliases: &["username", "tài khoản"],
        hint: "Bắt buộc, không trùng nhau. 3–64 ký tự a-z không dấu, số, dấu chấm, gạch dưới \
               hoặc gạch ngang, bắt đầu bằng chữ hoặc số; ví dụ nguyen.van.an.",
        example: "nguyen.van.an",
        width: 22.0,
    },
    Column {
        field: "full_name",
        header: "Họ và tên",
        required: true,
        aliases: &["họ tên", "full_name"],
        hint: "Bắt buộc, từ 2 đến 200 ký tự.",
        example: "Nguyễn Văn An",
        width: 28.0,
    },
    Column {
        field: "role",
        header: "Vai trò",
        required: true,
        aliases: &["role"],
        hint: "Bắt buộc: “Thủ trưởng đơn vị”, “Cán bộ thi đua” hoặc “Cán bộ Hội đồng TĐKT (quản trị)” \
               (cũng nhận “Quản trị”, unit_head, unit_officer, tenant_admin).",
        example: "Cán bộ thi đua",
        width: 32.0,
    },
    Column {
        field: "unit_code",
        header: "Mã đơn vị",
        required: false,
        aliases: &["mã", "unit_code", "unit"],
        hint: "Bắt buộc với thủ trưởng và cán bộ thi đua: mã của một đơn vị đang hoạt động đã có \
               trong danh sách đơn vị. Để trống với cán bộ Hội đồng TĐKT.",
        example: "vanphong",
        width: 16.0,
    },
];

/// A reason a file or a row cannot be imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The spreadsheet row (header = 1), when the problem is in a row.
    pub row: Option<u32>,
    /// The column's header, when the problem is in one cell.
    pub column: Option<&'static str>,
    pub message: String,
}

impl Problem {
    fn file(message: impl Into<String>) -> Problem {
        Problem {
            row: None,
            column: None,
            message: message.into(),
        }
    }

    fn row(row: u32, column: Option<&'static str>, message: impl Into<String>) -> Problem {
        Problem {
            row: Some(row),
            column,
            message: message.into(),
        }
    }

    /// "Dòng 5, cột “Tên đơn vị”: Hãy nhập tên đơn vị."
    pub fn text(&self) -> String {
        match (self.row, self.column) {
            (Some(r), Some(c)) => format!("Dòng {r}, cột “{c}”: {}", self.message),
            (Some(r), None) => format!("Dòng {r}: {}", self.message),
            (None, _) => self.message.clone(),
        }
    }
}

/// One data row, its values by column of the layout (`None`: the file has no such column).
#[derive(Debug, Clone)]
pub struct Record {
    pub row: u32,
    pub values: Vec<Option<String>>,
}

impl Record {
    fn get(&self, columns: &[Column], field: &str) -> Option<&str> {
        let i = columns.iter().position(|c| c.field == field)?;
        self.values.get(i)?.as_deref()
    }

    fn text(&self, columns: &[Column], field: &str) -> String {
        self.get(columns, field).unwrap_or("").to_string()
    }
}

/// The data rows of a file, read against a layout.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: Kind,
    pub records: Vec<Record>,
    /// Headers of columns that are not part of the layout; they are left out.
    pub ignored: Vec<String>,
}

/// Reads the header row and the data rows under it.
pub fn read_table(sheet: &Sheet, kind: Kind) -> Result<Table, Vec<Problem>> {
    let columns = kind.columns();
    if sheet.rows.is_empty() {
        return Err(vec![Problem::file(
            "Tệp không có dữ liệu: không có dòng tiêu đề nào.",
        )]);
    }
    // Lists often start with a title ("DANH SÁCH ĐƠN VỊ …") above the header: the header is
    // the first of the first few rows naming a required column (of either layout).
    let at = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH)
        .position(|r| {
            [kind, kind.other()].iter().any(|k| {
                let (p, _, _) = map_header(r, k.columns());
                k.columns()
                    .iter()
                    .zip(&p)
                    .any(|(c, p)| c.required && p.is_some())
            })
        })
        .unwrap_or(0);
    let header = &sheet.rows[at];
    let data = &sheet.rows[at + 1..];
    let (positions, ignored, mut problems) = map_header(header, columns);
    let missing: Vec<&Column> = columns
        .iter()
        .zip(&positions)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c)
        .collect();
    // A file of the other layout, offered here by mistake, is named for what it is.
    let other = kind.other();
    let (other_positions, _, _) = map_header(header, other.columns());
    let looks_like_other = !missing.is_empty()
        && other
            .columns()
            .iter()
            .zip(&other_positions)
            .all(|(c, p)| !c.required || p.is_some());
    if looks_like_other {
        return Err(vec![Problem::row(
            header.number,
            None,
            format!(
                "Tệp này có vẻ là {} (dòng tiêu đề có các cột của mẫu đó); hãy tải lên ở mục \
                 tương ứng của trang Nhập từ Excel.",
                other.label()
            ),
        )]);
    }
    if positions.iter().all(Option::is_none) {
        return Err(vec![Problem::row(
            header.number,
            None,
            format!(
                "Không nhận ra dòng tiêu đề. Dòng có dữ liệu đầu tiên của tệp phải là tiêu đề \
                 các cột theo mẫu: {}.",
                columns
                    .iter()
                    .map(|c| format!("“{}”", c.header))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )]);
    }
    for c in missing {
        problems.push(Problem::row(
            header.number,
            None,
            format!("Dòng tiêu đề thiếu cột “{}”.", c.header),
        ));
    }
    if data.is_empty() {
        problems.push(Problem::file(
            "Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào.",
        ));
    }
    if data.len() > MAX_ROWS || sheet.truncated {
        problems.push(Problem::file(format!(
            "Tệp có {}{} dòng dữ liệu; mỗi lần chỉ nhập được tối đa {} dòng. Hãy chia thành nhiều tệp.",
            if sheet.truncated { "hơn " } else { "" },
            crate::web::vn::integer(data.len() as i64),
            crate::web::vn::integer(MAX_ROWS as i64),
        )));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let records = data
        .iter()
        .map(|r| Record {
            row: r.number,
            values: positions
                .iter()
                .map(|p| p.map(|i| r.cells.get(i).cloned().unwrap_or_default()))
                .collect(),
        })
        .collect();
    Ok(Table {
        kind,
        records,
        ignored,
    })
}

/// Which cell of the header row holds each column of the layout.
fn map_header(
    header: &SheetRow,
    columns: &[Column],
) -> (Vec<Option<usize>>, Vec<String>, Vec<Problem>) {
    let mut positions: Vec<Option<usize>> = vec![None; columns.len()];
    let mut ignored = Vec::new();
    let mut problems = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        // "Mã đơn vị (bắt buộc)" and "Mã đơn vị *" name the same column.
        let key = match fold(cell.split('(').next().unwrap_or("")) {
            k if k.is_empty() => fold(cell),
            k => k,
        };
        if key.is_empty() {
            continue;
        }
        let found = columns.iter().position(|c| {
            fold(c.header) == key
                || fold(c.field) == key
                || c.aliases.iter().any(|a| fold(a) == key)
        });
        match found {
            Some(k) => match positions[k] {
                None => positions[k] = Some(i),
                Some(first) => problems.push(Problem::row(
                    header.number,
                    None,
                    format!(
                        "Cột “{}” xuất hiện hai lần (cột {} và cột {}).",
                        columns[k].header,
                        column_letter(first),
                        column_letter(i)
                    ),
                )),
            },
            None => ignored.push(cell.trim().to_string()),
        }
    }
    (positions, ignored, problems)
}

/// Excel's name of a column: 0 → A, 26 → AA.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn header_of(columns: &[Column], field: &str) -> Option<&'static str> {
    columns.iter().find(|c| c.field == field).map(|c| c.header)
}

/// The outcome of checking a file: what would happen to each good row, and every bad row.
#[derive(Debug)]
pub struct Plan<S> {
    pub steps: Vec<S>,
    pub problems: Vec<Problem>,
}

impl<S> Plan<S> {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Reports a value that appears in two rows: the later row names the earlier one.
fn first_seen(
    seen: &mut HashMap<String, u32>,
    key: &str,
    row: u32,
    column: &'static str,
    what: &str,
) -> Option<Problem> {
    match seen.get(key) {
        Some(first) => Some(Problem::row(
            row,
            Some(column),
            format!("{what} “{key}” trùng với dòng {first}."),
        )),
        None => {
            seen.insert(key.to_string(), row);
            None
        }
    }
}

// ---- units ------------------------------------------------------------------------------

/// A unit as the database holds it, for comparison.
#[derive(Debug, Clone)]
pub struct ExistingUnit {
    pub id: i64,
    pub active: bool,
    pub fields: UnitFields,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UnitChange {
    Create,
    /// The unit exists; these columns change.
    Update {
        id: i64,
        changed: Vec<&'static str>,
    },
    Unchanged,
}

#[derive(Debug, Clone)]
pub struct UnitStep {
    pub row: u32,
    pub fields: UnitFields,
    pub change: UnitChange,
}

const UNIT_FIELDS: [&str; 10] = [
    "code",
    "name",
    "short_name",
    "kind",
    "head_name",
    "head_title",
    "place_name",
    "address",
    "phone",
    "email",
];

fn unit_field(f: &UnitFields, field: &str) -> String {
    match field {
        "code" => f.code.clone(),
        "name" => f.name.clone(),
        "short_name" => f.short_name.clone(),
        "kind" => f.kind.clone(),
        "head_name" => f.head_name.clone(),
        "head_title" => f.head_title.clone(),
        "place_name" => f.place_name.clone(),
        "address" => f.address.clone(),
        "phone" => f.phone.clone(),
        "email" => f.email.clone(),
        _ => String::new(),
    }
}

fn set_unit_field(f: &mut UnitFields, field: &str, value: String) {
    match field {
        "code" => f.code = value,
        "name" => f.name = value,
        "short_name" => f.short_name = value,
        "kind" => f.kind = value,
        "head_name" => f.head_name = value,
        "head_title" => f.head_title = value,
        "place_name" => f.place_name = value,
        "address" => f.address = value,
        "phone" => f.phone = value,
        "email" => f.email = value,
        _ => {}
    }
}

/// The form a row fills; the unit form's own validation decides what is acceptable.
fn unit_form(r: &Record) -> UnitForm {
    let c = &UNIT_COLUMNS;
    UnitForm {
        code: r.text(c, "code"),
        name: r.text(c, "name"),
        short_name: r.text(c, "short_name"),
        kind: r.text(c, "kind"),
        head_name: r.text(c, "head_name"),
        head_title: r.text(c, "head_title"),
        place_name: r.text(c, "place_name"),
        address: r.text(c, "address"),
        phone: r.text(c, "phone"),
        email: r.text(c, "email"),
    }
}

fn field_problems(row: u32, columns: &[Column], fields: &[&str], e: &Errors) -> Vec<Problem> {
    fields
        .iter()
        .filter_map(|f| {
            e.get(f)
                .map(|m| Problem::row(row, header_of(columns, f), m.clone()))
        })
        .collect()
}

/// Checks every row of a units file and decides, per row, create, update or nothing.
/// A column the file does not have leaves that detail of an existing unit as it is.
pub fn plan_units(table: &Table, existing: &HashMap<String, ExistingUnit>) -> Plan<UnitStep> {
    let mut plan = Plan {
        steps: Vec::new(),
        problems: Vec::new(),
    };
    let mut seen = HashMap::new();
    for r in &table.records {
        let (mut fields, errors) = unit_form(r).validate();
        let mut problems = field_problems(r.row, &UNIT_COLUMNS, &UNIT_FIELDS, &errors);
        if !errors.has("code")
            && let Some(p) = first_seen(&mut seen, &fields.code, r.row, "Mã đơn vị", "Mã đơn vị")
        {
            problems.push(p);
        }
        if !problems.is_empty() {
            plan.problems.extend(problems);
            continue;
        }
        let change = match existing.get(&fields.code) {
            None => UnitChange::Create,
            Some(old) => {
                // Columns absent from the file keep the unit's current value.
                for (col, value) in UNIT_COLUMNS.iter().zip(&r.values) {
                    if value.is_none() {
                        set_unit_field(&mut fields, col.field, unit_field(&old.fields, col.field));
                    }
                }
                let changed: Vec<&'static str> = UNIT_COLUMNS
                    .iter()
                    .filter(|c| unit_field(&old.fields, c.field) != unit_field(&fields, c.field))
                    .map(|c| c.header)
                    .collect();
                if changed.is_empty() {
                    UnitChange::Unchanged
                } else {
                    UnitChange::Update {
                        id: old.id,
                        changed,
                    }
                }
            }
        };
        plan.steps.push(UnitStep {
            row: r.row,
            fields,
            change,
        });
    }
    plan
}

// ---- users ------------------------------------------------------------------------------

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
        problems.extend(field_problems(
            r.row,
            c,
            &["username", "full_name", "role", "unit_code"],
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| SheetRow {
                    number: i as u32 + 1,
                    cells: cells.iter().map(|c| c.to_string()).collect(),
                })
                .collect(),
            truncated: false,
        }
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn headers_are_matched_loosely_and_extra_columns_ignored() {
        let s = sheet(&[
            &["STT", "ma don vi", "TÊN ĐƠN VỊ", "Ghi chú", "Điện  thoại"],
            &[
                "1",
                "tand-ls",
                "Tòa án nhân dân tỉnh Lạng Sơn",
                "x",
                "0205 3870 000",
            ],
        ]);
        let t = read_table(&s, Kind::Units).unwrap();
        assert_eq!(t.ignored, vec!["STT", "Ghi chú"]);
        assert_eq!(t.records.len(), 1);
        let r = &t.records[0];
        assert_eq!(r.row, 2);
        assert_eq!(r.get(&UNIT_COLUMNS, "code"), Some("tand-ls"));
        assert_eq!(r.get(&UNIT_COLUMNS, "phone"), Some("0205 3870 000"));
        assert_eq!(r.get(&UNIT_COLUMNS, "email"), None, "no such column");
    }

    #[test]
    fn a_title_above_the_header_is_skipped() {
        let s = sheet(&[
            &["DANH SÁCH ĐƠN VỊ CỤM THI ĐUA SỐ VI"],
            &["(kèm theo Quyết định số 247/QĐ-TANDTC)"],
            &["STT", "Mã đơn vị (bắt buộc)", "Tên đơn vị *"],
            &["1", "vanphong", "Văn phòng"],
        ]);
        let t = read_table(&s, Kind::Units).unwrap();
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.records[0].row, 4);
        assert_eq!(t.records[0].get(&UNIT_COLUMNS, "code"), Some("vanphong"));
        assert_eq!(t.records[0].get(&UNIT_COLUMNS, "name"), Some("Văn phòng"));
    }

    #[test]
    fn a_missing_or_doubled_header_is_reported() {
        let s = sheet(&[&["Mã đơn vị", "Địa chỉ"], &["a", "b"]]);
        let p = read_table(&s, Kind::Units).unwrap_err();
        assert_eq!(p.len(), 1);
        assert!(p[0].text().contains("thiếu cột “Tên đơn vị”"), "{p:?}");
        let s = sheet(&[&["Mã đơn vị", "Tên đơn vị", "Mã"], &["a", "b", "c"]]);
        let p = read_table(&s, Kind::Units).unwrap_err();
        assert!(p[0].message.contains("cột A và cột C"), "{p:?}");
    }

    #[test]
    fn a_users_file_offered_as_units_is_recognised() {
        let s = sheet(&[&["Tên đăng nhập", "Họ và tên", "Vai trò"], &["a", "b", "c"]]);
        let p = read_table(&s, Kind::Units).unwrap_err();
        assert!(p[0].message.contains("danh sách người dùng"), "{p:?}");
    }

    #[test]
    fn a_file_with_only_a_header_or_too_many_rows_is_refused() {
        let s = sheet(&[&["Mã đơn vị", "Tên đơn vị"]]);
        assert!(
            read_table(&s, Kind::Units).unwrap_err()[0]
                .message
                .contains("chưa có dòng dữ liệu")
        );
        let mut s = sheet(&[&["Mã đơn vị", "Tên đơn vị"]]);
        for i in 0..=MAX_ROWS {
            s.rows.push(SheetRow {
                number: i as u32 + 2,
                cells: vec![format!("u{i}"), "Đơn vị".into()],
            });
        }
        let p = read_table(&s, Kind::Units).unwrap_err();
        assert!(p[0].message.contains("tối đa 5.000 dòng"), "{p:?}");
    }

    fn existing_unit(id: i64, code: &str, name: &str) -> (String, ExistingUnit) {
        (
            code.to_string(),
            ExistingUnit {
                id,
                active: true,
                fields: UnitFields {
                    code: code.into(),
                    name: name.into(),
                    short_name: "TT".into(),
                    ..Default::default()
                },
            },
        )
    }

    #[test]
    fn units_are_created_updated_or_left_alone() {
        let s = sheet(&[
            &["Mã đơn vị", "Tên đơn vị"],
            &["moi", "Đơn vị mới"],
            &["ThanhTra", "Ban Thanh tra"],
            &["tccb", "Vụ Tổ chức cán bộ"],
        ]);
        let t = read_table(&s, Kind::Units).unwrap();
        let existing = HashMap::from([
            existing_unit(1, "thanhtra", "Ban Thanh tra"),
            existing_unit(2, "tccb", "Vụ Tổ chức - Cán bộ"),
        ]);
        let plan = plan_units(&t, &existing);
        assert!(plan.is_ok(), "{:?}", plan.problems);
        assert_eq!(plan.steps[0].change, UnitChange::Create);
        // The code is read case-insensitively; the short name (no column) is kept.
        assert_eq!(plan.steps[1].change, UnitChange::Unchanged);
        assert_eq!(plan.steps[1].fields.short_name, "TT");
        assert_eq!(
            plan.steps[2].change,
            UnitChange::Update {
                id: 2,
                changed: vec!["Tên đơn vị"]
            }
        );
    }

    #[test]
    fn bad_unit_rows_are_named_with_the_reason() {
        let s = sheet(&[
            &["Mã đơn vị", "Tên đơn vị", "Thư điện tử"],
            &["a1", "Đơn vị A", ""],
            &["a2", "", ""],
            &["a1", "Đơn vị A lần hai", ""],
            &["Học viện", "Học viện", "không-phải-thư"],
        ]);
        let t = read_table(&s, Kind::Units).unwrap();
        let plan = plan_units(&t, &HashMap::new());
        let texts: Vec<String> = plan.problems.iter().map(Problem::text).collect();
        assert_eq!(
            texts,
            vec![
                "Dòng 3, cột “Tên đơn vị”: Hãy nhập tên đơn vị.",
                "Dòng 4, cột “Mã đơn vị”: Mã đơn vị “a1” trùng với dòng 2.",
                "Dòng 5, cột “Mã đơn vị”: Mã đơn vị chỉ gồm chữ a-z không dấu, số, dấu chấm hoặc gạch ngang (tối đa 40 ký tự).",
                "Dòng 5, cột “Thư điện tử”: Địa chỉ thư điện tử không hợp lệ.",
            ]
        );
    }

    #[test]
    fn roles_are_read_from_labels_and_codes() {
        assert_eq!(parse_role("Thủ trưởng đơn vị"), Some(Role::UnitHead));
        assert_eq!(parse_role("thu truong don vi"), Some(Role::UnitHead));
        assert_eq!(parse_role("Cán bộ thi đua"), Some(Role::UnitOfficer));
        assert_eq!(parse_role("unit_officer"), Some(Role::UnitOfficer));
        assert_eq!(
            parse_role("Cán bộ Hội đồng TĐKT (quản trị)"),
            Some(Role::TenantAdmin)
        );
        assert_eq!(parse_role("Quản trị"), Some(Role::TenantAdmin));
        assert_eq!(parse_role("tenant_admin"), Some(Role::TenantAdmin));
        assert_eq!(parse_role("operator"), Some(Role::Operator));
        assert_eq!(parse_role("Giám đốc"), None);
    }

    fn users_fixture() -> (
        HashMap<String, ExistingUser>,
        HashMap<String, UnitRef>,
        HashSet<String>,
    ) {
        let existing = HashMap::from([(
            "canbo.ca-ls".to_string(),
            ExistingUser {
                full_name: "Cán bộ thi đua Công an tỉnh".into(),
                role: "unit_officer".into(),
                unit_code: Some("ca-ls".into()),
            },
        )]);
        let units = HashMap::from([
            (
                "ca-ls".to_string(),
                UnitRef {
                    id: 7,
                    name: "Công an tỉnh".into(),
                    active: true,
                },
            ),
            (
                "cu".to_string(),
                UnitRef {
                    id: 8,
                    name: "Đơn vị cũ".into(),
                    active: false,
                },
            ),
        ]);
        let taken = HashSet::from(["quantri.toaan".to_string()]);
        (existing, units, taken)
    }

    #[test]
    fn users_are_created_or_found_unchanged() {
        let s = sheet(&[
            &["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị"],
            &["Nguyen.Van.An", "Nguyễn Văn An", "Cán bộ thi đua", "CA-LS"],
            &["tran.thi.binh", "Trần Thị Bình", "Quản trị", ""],
            &[
                "canbo.ca-ls",
                "Cán bộ thi đua Công an tỉnh",
                "unit_officer",
                "ca-ls",
            ],
        ]);
        let t = read_table(&s, Kind::Users).unwrap();
        let (existing, units, taken) = users_fixture();
        let plan = plan_users(&t, &existing, &units, &taken);
        assert!(plan.is_ok(), "{:?}", plan.problems);
        let s0 = &plan.steps[0];
        assert_eq!(
            (s0.username.as_str(), s0.role, s0.unit_id, s0.create),
            ("nguyen.van.an", Role::UnitOfficer, Some(7), true)
        );
        assert_eq!(
            (plan.steps[1].role, plan.steps[1].unit_id),
            (Role::TenantAdmin, None)
        );
        assert!(!plan.steps[2].create, "the same account is left alone");
    }

    #[test]
    fn bad_user_rows_are_named_with_the_reason() {
        let s = sheet(&[
            &["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị"],
            &["a.b", "Nguyễn A", "Cán bộ thi đua", "khong-co"],
            &["c.d", "Trần C", "Thủ trưởng đơn vị", ""],
            &["a.b", "Nguyễn A", "Cán bộ thi đua", "ca-ls"],
            &["quantri.toaan", "Người khác", "Quản trị", ""],
            &["canbo.ca-ls", "Tên khác", "unit_officer", "ca-ls"],
            &["e.f", "Lê E", "Giám đốc", ""],
            &["g.h", "Phạm G", "operator", ""],
            &["i.k", "Vũ I", "Quản trị", "ca-ls"],
            &["l.m", "Đỗ L", "Cán bộ thi đua", "cu"],
        ]);
        let t = read_table(&s, Kind::Users).unwrap();
        let (existing, units, taken) = users_fixture();
        let plan = plan_users(&t, &existing, &units, &taken);
        let rows: Vec<u32> = plan.problems.iter().filter_map(|p| p.row).collect();
        assert_eq!(
            rows,
            vec![2, 3, 4, 5, 6, 7, 8, 9, 10],
            "{:#?}",
            plan.problems
        );
        let text = |i: usize| plan.problems[i].text();
        assert!(text(0).contains("Không có đơn vị mã “khong-co”"));
        assert!(text(1).contains("phải thuộc một đơn vị"));
        assert!(text(2).contains("trùng với dòng 2"));
        assert!(text(3).contains("đã được dùng"));
        assert!(text(4).contains("với thông tin khác"));
        assert!(text(5).contains("Không rõ vai trò “Giám đốc”"));
        assert!(text(6).contains("vận hành hệ thống"));
        assert!(text(7).contains("để trống mã đơn vị"));
        assert!(text(8).contains("ngừng hoạt động"));
        assert!(plan.steps.is_empty());
        assert_eq!(
            usernames(&t),
            vec![
                "a.b",
                "c.d",
                "canbo.ca-ls",
                "e.f",
                "g.h",
                "i.k",
                "l.m",
                "quantri.toaan"
            ]
        );
    }
}
