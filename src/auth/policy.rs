//! Who may do what. Deny by default: every route asks one of these functions, and the
//! authorisation test walks every route with every role.

use crate::auth::{CurrentUser, Role};

pub fn may_list_units(u: &CurrentUser) -> bool {
    u.role == Role::TenantAdmin
}

/// Tenant staff see every unit of their tenant; unit staff see their own unit.
pub fn may_view_unit(u: &CurrentUser, unit_id: i64) -> bool {
    match u.role {
        Role::TenantAdmin => true,
        Role::UnitHead | Role::UnitOfficer => u.unit_id == Some(unit_id),
        Role::Operator => false,
    }
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
    let item = |href: String, label, key| NavItem { href, label, key };
    let mut items = vec![item("/".into(), "Trang chủ", "home")];
    match u.role {
        Role::Operator => items.push(item("/platform".into(), "Đơn vị tổ chức", "platform")),
        Role::TenantAdmin => items.push(item("/units".into(), "Đơn vị", "units")),
        Role::UnitHead | Role::UnitOfficer => {
            if let Some(id) = u.unit_id {
                items.push(item(format!("/units/{id}"), "Đơn vị của tôi", "units"));
            }
        }
    }
    items.push(item("/password".into(), "Đổi mật khẩu", "password"));
    items
}
