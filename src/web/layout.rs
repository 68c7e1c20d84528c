//! What the base layout shows around every page: the tenant, the user, their unit and role,
//! and the menu their role may use.

use crate::auth::CurrentUser;
use crate::auth::policy::{self, NavItem};

pub struct Badge {
    pub tenant_name: String,
    pub full_name: String,
    pub unit_name: Option<String>,
    pub role_label: &'static str,
    /// Unread notifications, counted by the session check (no statement of its own).
    pub unread: i64,
}

pub struct Layout {
    pub title: String,
    pub user: Option<Badge>,
    pub nav: Vec<NavItem>,
    pub active: &'static str,
    pub csrf: String,
}

impl Layout {
    pub fn anonymous(title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            user: None,
            nav: Vec::new(),
            active: "",
            csrf: String::new(),
        }
    }

    /// A cluster year's page: the council's staff reach it from "Cụm, khối thi đua"; a unit's
    /// staff from their home page, and no menu item is it (not "Đơn vị của tôi").
    pub fn for_year(u: &CurrentUser, title: &str) -> Layout {
        Layout::for_user(u, title, year_menu(u))
    }

    pub fn for_user(u: &CurrentUser, title: &str, active: &'static str) -> Layout {
        Layout {
            title: title.to_string(),
            user: Some(Badge {
                tenant_name: u.tenant_name.clone(),
                full_name: u.full_name.clone(),
                unit_name: u.unit_name.clone(),
                role_label: u.role.label(),
                unread: u.unread_notifications,
            }),
            nav: if u.must_change_password {
                Vec::new()
            } else {
                policy::nav(u)
            },
            active,
            csrf: u.csrf_token.clone(),
        }
    }
}

/// The menu item a cluster year's pages belong under: "Cụm, khối thi đua" for the council's
/// staff; none for a unit's staff, who reach their years from the home page ("Đơn vị của tôi"
/// is their unit's page, not its years).
pub fn year_menu(u: &CurrentUser) -> &'static str {
    if u.role == crate::auth::Role::TenantAdmin {
        "clusters"
    } else {
        ""
    }
}
