//! Who may do what. Deny by default: every route asks one of these functions, and the
//! authorisation test walks every route with every role.

use crate::auth::{CurrentUser, Role};
use crate::org::model::YearRole;

/// The organising body's staff set up units, clusters, years and people.
pub fn may_manage_org(u: &CurrentUser) -> bool {
    u.role == Role::TenantAdmin
}

pub fn may_list_units(u: &CurrentUser) -> bool {
    may_manage_org(u)
}

/// Tenant staff see every unit of their tenant; unit staff see their own unit.
pub fn may_view_unit(u: &CurrentUser, unit_id: i64) -> bool {
    match u.role {
        Role::TenantAdmin => true,
        Role::UnitHead | Role::UnitOfficer => u.unit_id == Some(unit_id),
        Role::Operator => false,
    }
}

/// A cluster year is open to the tenant's staff and, read-only, to the staff of its members.
pub fn may_view_year(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role == Role::TenantAdmin || (u.role.needs_unit() && role_in_year.is_some())
}

pub fn may_view_audit(u: &CurrentUser) -> bool {
    may_manage_org(u)
}

pub fn may_view_platform(u: &CurrentUser) -> bool {
    u.role == Role::Operator
}

pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub key: &'static str,
}

/// The menu shows only what the role may open.
pub fn nav(u: &CurrentUser) -> Vec<NavItem> {
    let item = |href: &str, label, key| NavItem {
        href: href.to_string(),
        label,
        key,
    };
    let mut items = vec![item("/", "Trang chủ", "home")];
    match u.role {
        Role::Operator => items.push(item("/platform", "Đơn vị tổ chức", "platform")),
        Role::TenantAdmin => {
            items.push(item("/units", "Đơn vị", "units"));
            items.push(item("/clusters", "Cụm, khối thi đua", "clusters"));
            items.push(item("/users", "Người dùng", "users"));
            items.push(item("/import", "Nhập từ Excel", "import"));
            items.push(item("/audit", "Nhật ký thay đổi", "audit"));
        }
        Role::UnitHead | Role::UnitOfficer => {
            if let Some(id) = u.unit_id {
                items.push(item(&format!("/units/{id}"), "Đơn vị của tôi", "units"));
            }
        }
    }
    items.push(item("/password", "Đổi mật khẩu", "password"));
    items
}
