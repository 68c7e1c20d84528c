//! Input of the organisation pages and its validation.

use serde::Deserialize;

use crate::auth::Role;
use crate::org::model::ClusterKind;
use crate::org::store::{ClusterFields, UnitFields};
use crate::web::forms::{self, Errors};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct UnitForm {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub head_name: String,
    pub head_title: String,
    pub superior: String,
    pub place_name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

impl From<&UnitFields> for UnitForm {
    fn from(f: &UnitFields) -> Self {
        UnitForm {
            code: f.code.clone(),
            name: f.name.clone(),
            short_name: f.short_name.clone(),
            kind: f.kind.clone(),
            head_name: f.head_name.clone(),
            head_title: f.head_title.clone(),
            superior: f.superior.clone(),
            place_name: f.place_name.clone(),
            address: f.address.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
        }
    }
}

pub fn check_unit_code(errors: &mut Errors, field: &'static str, code: &str) -> String {
    let code = code.trim().to_lowercase();
    let ok = (1..=40).contains(&code.len())
        && code
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    if code.is_empty() {
        errors.add(field, "Hãy nhập mã đơn vị.");
    } else if !ok {
        errors.add(
            field,
            "Mã đơn vị chỉ gồm chữ a-z không dấu, số, dấu chấm hoặc gạch ngang (tối đa 40 ký tự).",
        );
    }
    code
}

impl UnitForm {
    pub fn validate(&self) -> (UnitFields, Errors) {
        let mut e = Errors::default();
        let f = UnitFields {
            code: check_unit_code(&mut e, "code", &self.code),
            name: forms::text(&mut e, "name", &self.name, "tên đơn vị", 2, 300),
            short_name: forms::optional_text(
                &mut e,
                "short_name",
                &self.short_name,
                "Tên viết tắt",
                100,
            ),
            kind: forms::optional_text(&mut e, "kind", &self.kind, "Loại đơn vị", 100),
            head_name: forms::optional_text(
                &mut e,
                "head_name",
                &self.head_name,
                "Họ tên thủ trưởng",
                200,
            ),
            head_title: forms::optional_text(
                &mut e,
                "head_title",
                &self.head_title,
                "Chức vụ thủ trưởng",
                200,
            ),
            superior: superior(&mut e, &self.superior),
            place_name: forms::optional_text(
                &mut e,
                "place_name",
                &self.place_name,
                "Địa danh",
                100,
            ),
            address: forms::optional_text(&mut e, "address", &self.address, "Địa chỉ", 300),
            phone: forms::optional_text(&mut e, "phone", &self.phone, "Điện thoại", 50),
            email: forms::optional_email(&mut e, "email", &self.email),
        };
        (f, e)
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ClusterForm {
    pub name: String,
    pub kind: String,
    pub decision_number: String,
    pub decision_date: String,
    pub decision_issuer: String,
    pub description: String,
    pub superior: String,
}

impl From<&ClusterFields> for ClusterForm {
    fn from(f: &ClusterFields) -> Self {
        ClusterForm {
            name: f.name.clone(),
            kind: f.kind.clone(),
            decision_number: f.decision_number.clone(),
            decision_date: f
                .decision_date
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            decision_issuer: f.decision_issuer.clone(),
            description: f.description.clone(),
            superior: f.superior.clone(),
        }
    }
}

impl ClusterForm {
    pub fn validate(&self) -> (ClusterFields, Errors) {
        let mut e = Errors::default();
        let kind = match ClusterKind::parse(&self.kind) {
            Some(k) => k.as_str().to_string(),
            None => {
                e.add("kind", "Hãy chọn cụm hoặc khối thi đua.");
                String::new()
            }
        };
        let f = ClusterFields {
            name: forms::text(&mut e, "name", &self.name, "tên cụm, khối", 2, 300),
            kind,
            decision_number: forms::optional_text(
                &mut e,
                "decision_number",
                &self.decision_number,
                "Số quyết định",
                100,
            ),
            decision_date: forms::optional_date(&mut e, "decision_date", &self.decision_date),
            decision_issuer: forms::optional_text(
                &mut e,
                "decision_issuer",
                &self.decision_issuer,
                "Cơ quan ban hành",
                300,
            ),
            description: forms::optional_text(
                &mut e,
                "description",
                &self.description,
                "Mô tả",
                4000,
            ),
            superior: superior(&mut e, &self.superior),
        };
        (f, e)
    }
}

/// The direct managing agency (cơ quan chủ quản) printed above the issuer's name; documents
/// print it in capitals, so it is kept as typed.
fn superior(e: &mut Errors, value: &str) -> String {
    forms::optional_text(e, "superior", value, "Cơ quan chủ quản", 300)
}

/// A year typed into a form.
pub fn check_year(errors: &mut Errors, field: &'static str, value: &str) -> i32 {
    match value.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            errors.add(
                field,
                "Năm thi đua phải là một năm từ 2000 đến 2100, ví dụ 2025.",
            );
            0
        }
    }
}

/// An optional id picked from a list ("" means none).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct UserForm {
    pub full_name: String,
    pub username: String,
    pub role: String,
    pub unit_id: String,
    pub email: String,
}

/// A new account as far as it can be checked without the database.
pub struct CheckedUser {
    pub full_name: String,
    pub username: String,
    pub role: Option<Role>,
    /// The unit a head or officer belongs to; None for the organising body's own staff.
    pub unit_id: Option<i64>,
    /// Where notifications are mailed (issue 14); optional.
    pub email: Option<String>,
}

impl UserForm {
    pub fn check(&self, e: &mut Errors) -> CheckedUser {
        let full_name = forms::text(e, "full_name", &self.full_name, "họ và tên", 2, 200);
        let username = self.username.trim().to_lowercase();
        if let Err(err) = crate::admin::check_username(&username) {
            e.add("username", err.to_string());
        }
        // The organising body's staff can create its own staff and unit staff; operators are
        // created only from the command line.
        let role = Role::parse(&self.role).filter(|r| *r != Role::Operator);
        if role.is_none() {
            e.add("role", "Hãy chọn vai trò.");
        }
        let unit_id = match (role.map(Role::needs_unit), optional_id(&self.unit_id)) {
            (Some(true), Ok(Some(id))) => Some(id),
            (Some(true), _) => {
                e.add(
                    "unit_id",
                    "Thủ trưởng và cán bộ thi đua phải thuộc một đơn vị.",
                );
                None
            }
            _ => None,
        };
        let email = forms::optional_email(e, "email", &self.email);
        CheckedUser {
            full_name,
            username,
            role,
            unit_id,
            email: (!email.is_empty()).then_some(email),
        }
    }
}

pub fn optional_id(value: &str) -> Result<Option<i64>, std::num::ParseIntError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: &str, unit: &str) -> UserForm {
        UserForm {
            full_name: "Nguyễn Văn An".into(),
            username: " An.Nguyen ".into(),
            role: role.into(),
            unit_id: unit.into(),
            email: String::new(),
        }
    }

    #[test]
    fn unit_staff_need_a_unit_and_operators_cannot_be_made_here() {
        let mut e = Errors::default();
        let c = user("unit_officer", "7").check(&mut e);
        assert!(e.is_empty());
        assert_eq!((c.username.as_str(), c.unit_id), ("an.nguyen", Some(7)));
        let mut e = Errors::default();
        user("unit_head", "").check(&mut e);
        assert!(e.has("unit_id"));
        let mut e = Errors::default();
        let c = user("tenant_admin", "7").check(&mut e);
        assert!(e.is_empty());
        assert_eq!(c.unit_id, None, "the body's own staff belong to no unit");
        let mut e = Errors::default();
        user("operator", "").check(&mut e);
        assert!(e.has("role"));
    }

    #[test]
    fn a_unit_needs_a_code_and_a_name() {
        let (_, e) = UnitForm::default().validate();
        assert!(e.has("code") && e.has("name"));
        let form = UnitForm {
            code: " HocVien ".into(),
            name: "Học viện Tòa án".into(),
            ..Default::default()
        };
        let (f, e) = form.validate();
        assert!(e.is_empty());
        assert_eq!(f.code, "hocvien");
        let form = UnitForm {
            code: "học viện".into(),
            name: "Học viện Tòa án".into(),
            ..Default::default()
        };
        assert!(form.validate().1.has("code"));
    }

    #[test]
    fn a_cluster_needs_a_kind_and_a_valid_decision_date() {
        let form = ClusterForm {
            name: "Cụm thi đua số VI".into(),
            kind: "cum".into(),
            decision_date: "31/8/2022".into(),
            ..Default::default()
        };
        let (f, e) = form.validate();
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            f.decision_date,
            chrono::NaiveDate::from_ymd_opt(2022, 8, 31)
        );
        let form = ClusterForm {
            name: "X cụm".into(),
            kind: "other".into(),
            decision_date: "32/13/2022".into(),
            ..Default::default()
        };
        let (_, e) = form.validate();
        assert!(e.has("kind") && e.has("decision_date"));
    }

    #[test]
    fn years_are_checked() {
        let mut e = Errors::default();
        assert_eq!(check_year(&mut e, "year", "2024"), 2024);
        assert!(e.is_empty());
        check_year(&mut e, "year", "hai nghìn");
        assert!(e.has("year"));
        assert_eq!(optional_id(""), Ok(None));
        assert_eq!(optional_id("12"), Ok(Some(12)));
        assert!(optional_id("x").is_err());
    }
}
