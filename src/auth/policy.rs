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

/// Whether a cluster year exists at all for this user: the council sees every year of its
/// tenant; a unit's staff see only the years their unit belongs to. Everything of another
/// cluster's year answers "not found", as another tenant's would, so nothing leaks its existence.
pub fn year_is_visible(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role == Role::TenantAdmin || role_in_year.is_some()
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
            items.push(item("/council", "Tổng hợp", "council"));
            items.push(item("/criteria", "Bảng tiêu chí", "criteria"));
            items.push(item("/movements", "Phong trào thi đua", "movements"));
            items.push(item("/award-types", "Danh hiệu", "award_types"));
            items.push(item("/council/proposals", "Hồ sơ đề nghị", "proposals"));
            items.push(item("/users", "Người dùng", "users"));
            items.push(item("/import", "Nhập từ Excel", "import"));
            items.push(item("/mail", "Thư điện tử", "mail"));
            items.push(item("/audit", "Nhật ký thay đổi", "audit"));
        }
        Role::UnitHead | Role::UnitOfficer => {
            if let Some(id) = u.unit_id {
                items.push(item(&format!("/units/{id}"), "Đơn vị của tôi", "units"));
            }
            items.push(item("/movements", "Phong trào thi đua", "movements"));
        }
    }
    items.push(item("/sessions", "Phiên đăng nhập", "sessions"));
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

// ---- the year's work: award types, movements, pledges, registrations ----------------------

/// The council keeps the list of titles and forms of commendation.
pub fn may_manage_award_types(u: &CurrentUser) -> bool {
    u.role == Role::TenantAdmin
}

/// The council's staff and every unit's staff have a list of movements (each sees their own).
pub fn may_list_movements(u: &CurrentUser) -> bool {
    u.role == Role::TenantAdmin || u.role.needs_unit()
}

/// The council launches movements for any cluster; a leader unit's staff, for the clusters
/// their unit leads.
pub fn may_launch_movement(u: &CurrentUser, leads_a_cluster: bool) -> bool {
    u.role == Role::TenantAdmin || (u.role.needs_unit() && leads_a_cluster)
}

/// A movement is open to the council and to the units it concerns (or that launched it).
pub fn may_view_movement(u: &CurrentUser, concerns_my_unit: bool) -> bool {
    u.role == Role::TenantAdmin || (u.role.needs_unit() && concerns_my_unit)
}

/// The council edits any movement; a unit's staff edit the ones their unit launched while it
/// still leads every cluster the movement concerns.
pub fn may_edit_movement(
    u: &CurrentUser,
    launched_by_unit: Option<i64>,
    leads_its_clusters: bool,
) -> bool {
    u.role == Role::TenantAdmin
        || (u.role.needs_unit()
            && launched_by_unit.is_some()
            && u.unit_id == launched_by_unit
            && leads_its_clusters)
}

/// The pledge is read by whoever may open the year: the council and the members' staff.
pub fn may_view_pledge(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    may_view_year(u, role_in_year)
}

/// The leader unit's staff write the pledge and open it for signing.
pub fn may_draft_pledge(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role.needs_unit() && role_in_year == Some(YearRole::Leader)
}

/// Only a member unit's head signs for the unit; officers prepare, they do not sign.
pub fn may_sign_pledge(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role == Role::UnitHead && role_in_year.is_some()
}

/// The summary of every member's registration: the council and the leader unit.
pub fn may_view_registration_summary(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role == Role::TenantAdmin || (u.role.needs_unit() && role_in_year == Some(YearRole::Leader))
}

/// One unit's registration: its own staff always; the council always; the leader once it has
/// been submitted (and while returned); other members only once submitted. Nobody outside the
/// unit reads a draft.
pub fn may_view_registration(
    u: &CurrentUser,
    role_in_year: Option<YearRole>,
    unit_id: i64,
    state: Option<crate::cycle::model::RegistrationState>,
) -> bool {
    use crate::cycle::model::RegistrationState::{Returned, Submitted};
    match u.role {
        Role::TenantAdmin => true,
        Role::UnitHead | Role::UnitOfficer => {
            if role_in_year.is_none() {
                false
            } else if u.unit_id == Some(unit_id) {
                true
            } else if role_in_year == Some(YearRole::Leader) {
                matches!(state, Some(Submitted | Returned))
            } else {
                state == Some(Submitted)
            }
        }
        Role::Operator => false,
    }
}

/// The unit's head and officers prepare its registration.
pub fn may_edit_registration(
    u: &CurrentUser,
    role_in_year: Option<YearRole>,
    unit_id: i64,
) -> bool {
    u.role.needs_unit() && role_in_year.is_some() && u.unit_id == Some(unit_id)
}

/// Only the unit's head submits it.
pub fn may_submit_registration(
    u: &CurrentUser,
    role_in_year: Option<YearRole>,
    unit_id: i64,
) -> bool {
    u.role == Role::UnitHead && role_in_year.is_some() && u.unit_id == Some(unit_id)
}

/// The leader unit returns registrations and sets the deadline.
pub fn may_manage_registrations(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role.needs_unit() && role_in_year == Some(YearRole::Leader)
}

// ---- the peer vote and the election -------------------------------------------------------

/// The year's votes are open to the council (read-only) and to the members' staff (công khai:
/// who has voted, and the results once released; never how a unit voted).
pub fn may_view_votes(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    may_view_year(u, role_in_year)
}

/// The leader unit's staff prepare the vote, open, close and release it, record written
/// opinions and enter paper counts.
pub fn may_manage_votes(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role.needs_unit() && role_in_year == Some(YearRole::Leader)
}

/// Only a member unit's head holds its ballot.
pub fn may_cast_ballot(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role == Role::UnitHead && role_in_year.is_some()
}

// ---- award proposal dossiers ----------------------------------------------------------------

/// A year's dossier is open to the council and, read-only, to the members' staff (công khai).
pub fn may_view_proposal(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    may_view_year(u, role_in_year)
}

/// The leader unit's staff assemble the dossier and write the letter and the minutes.
pub fn may_prepare_proposal(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role.needs_unit() && role_in_year == Some(YearRole::Leader)
}

/// Only the leader unit's head signs and sends the dossier.
pub fn may_send_proposal(u: &CurrentUser, role_in_year: Option<YearRole>) -> bool {
    u.role == Role::UnitHead && role_in_year == Some(YearRole::Leader)
}

/// A nominee's staff write its achievement report; its head submits it.
pub fn may_write_report(u: &CurrentUser, unit_id: i64) -> bool {
    u.role.needs_unit() && u.unit_id == Some(unit_id)
}

pub fn may_submit_report(u: &CurrentUser, unit_id: i64) -> bool {
    u.role == Role::UnitHead && u.unit_id == Some(unit_id)
}

/// The council's staff receive, return and decide dossiers, and keep the templates and settings.
pub fn may_review_proposals(u: &CurrentUser) -> bool {
    u.role == Role::TenantAdmin
}

// ---- the council's dashboard and units' histories -------------------------------------------

/// The council's dashboard and its export: the council's staff.
pub fn may_view_council(u: &CurrentUser) -> bool {
    u.role == Role::TenantAdmin
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryAccess {
    /// As if the unit did not exist: another unit's staff, the operator.
    Hidden,
    /// The unit's own staff read their history.
    View,
    /// The council reads every unit's and keeps the awards entered from the paper record.
    Manage,
}

pub fn history_access(u: &CurrentUser, unit_id: i64) -> HistoryAccess {
    match u.role {
        Role::TenantAdmin => HistoryAccess::Manage,
        Role::UnitHead | Role::UnitOfficer if u.unit_id == Some(unit_id) => HistoryAccess::View,
        _ => HistoryAccess::Hidden,
    }
}

#[cfg(test)]
mod history_tests {
    use super::*;

    fn user(role: Role, unit_id: Option<i64>) -> CurrentUser {
        CurrentUser {
            user_id: 1,
            tenant_id: 1,
            tenant_name: String::new(),
            username: String::new(),
            full_name: String::new(),
            role,
            unit_id,
            unit_name: None,
            must_change_password: false,
            unread_notifications: 0,
            catalog_version: 0,
            csrf_token: String::new(),
            session_hash: Vec::new(),
            ip: String::new(),
            request_db: None,
        }
    }

    #[test]
    fn the_council_manages_units_read_their_own_and_nothing_else() {
        let admin = user(Role::TenantAdmin, None);
        assert!(may_view_council(&admin));
        assert_eq!(history_access(&admin, 5), HistoryAccess::Manage);
        for role in [Role::UnitHead, Role::UnitOfficer] {
            let staff = user(role, Some(5));
            assert!(!may_view_council(&staff));
            assert_eq!(history_access(&staff, 5), HistoryAccess::View);
            assert_eq!(history_access(&staff, 6), HistoryAccess::Hidden);
        }
        let op = user(Role::Operator, None);
        assert!(!may_view_council(&op));
        assert_eq!(history_access(&op, 5), HistoryAccess::Hidden);
    }
}
