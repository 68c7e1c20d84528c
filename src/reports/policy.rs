//! Who may open the council's dashboard and a unit's history, and who keeps the awards.

use crate::auth::{CurrentUser, Role};

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
mod tests {
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
            csrf_token: String::new(),
            session_hash: Vec::new(),
            ip: String::new(),
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
