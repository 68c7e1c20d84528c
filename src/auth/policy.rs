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
            items.push(item("/criteria", "Bảng tiêu chí", "criteria"));
            items.push(item("/movements", "Phong trào thi đua", "movements"));
            items.push(item("/users", "Người dùng", "users"));
            items.push(item("/import", "Nhập từ Excel", "import"));
            items.push(item("/audit", "Nhật ký thay đổi", "audit"));
        }
        Role::UnitHead | Role::UnitOfficer => {
            if let Some(id) = u.unit_id {
                items.push(item(&format!("/units/{id}"), "Đơn vị của tôi", "units"));
            }
            items.push(item("/movements", "Phong trào thi đua", "movements"));
        }
    }
    items.push(item("/password", "Đổi mật khẩu", "password"));
    items
}

// ---- scoring --------------------------------------------------------------------------------

/// What a user may do with one unit's scoresheet in a cluster year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SheetAccess {
    pub view: bool,
    pub evidence: bool,
    pub edit: bool,
    pub submit: bool,
    pub verify: bool,
}

/// The leader unit verifies every member's sheet; the deputy verifies the leader's own; nobody
/// verifies their own unit. Drafts are the unit's own business; a finalised sheet is open to
/// every member (công khai). Only the unit head submits.
pub fn sheet_access(
    u: &CurrentUser,
    role_in_year: Option<YearRole>,
    sheet_unit: i64,
    leader: Option<i64>,
    deputy: Option<i64>,
    status_is_draft: bool,
    finalised: bool,
) -> SheetAccess {
    if u.role == Role::TenantAdmin {
        return SheetAccess {
            view: true,
            evidence: true,
            ..Default::default()
        };
    }
    if !u.role.needs_unit() || role_in_year.is_none() {
        return SheetAccess::default();
    }
    let own = u.unit_id == Some(sheet_unit);
    let verifier_unit = if Some(sheet_unit) == leader {
        deputy
    } else {
        leader
    };
    let verifier = !own && verifier_unit.is_some() && u.unit_id == verifier_unit;
    let leads = matches!(role_in_year, Some(YearRole::Leader | YearRole::Deputy));
    SheetAccess {
        view: own || finalised || (leads && !status_is_draft),
        evidence: own || (verifier && !status_is_draft),
        edit: own,
        submit: own && u.role == Role::UnitHead,
        verify: verifier && !status_is_draft,
    }
}

/// The leader's dashboard: the leader and deputy units' staff, and the council.
pub fn may_view_dashboard(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role == Role::TenantAdmin
        || (u.role.needs_unit()
            && matches!(role_in_year, Some(YearRole::Leader | YearRole::Deputy)))
}

/// Choosing the criteria table, setting and extending deadlines: the leader unit and the council.
pub fn may_manage_scoring(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role == Role::TenantAdmin || (u.role.needs_unit() && role_in_year == Some(YearRole::Leader))
}
