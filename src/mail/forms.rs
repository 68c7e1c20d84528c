//! The user's own mail settings, as typed.

use serde::Deserialize;

use super::model::Mode;
use crate::web::forms::{Errors, optional_email};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub email: String,
    pub mode: String,
}

pub struct CheckedAccount {
    pub email: Option<String>,
    pub mode: Mode,
}

impl AccountForm {
    pub fn check(&self, e: &mut Errors) -> CheckedAccount {
        let email = optional_email(e, "email", &self.email);
        let mode = Mode::parse(&self.mode);
        if mode.is_none() {
            e.add("mode", "Hãy chọn một cách nhận thư.");
        }
        let mode = mode.unwrap_or(Mode::None);
        if mode != Mode::None && email.is_empty() && !e.has("email") {
            e.add(
                "email",
                "Hãy nhập địa chỉ thư điện tử để nhận thư, hoặc chọn “Không gửi thư”.",
            );
        }
        CheckedAccount {
            email: (!email.is_empty()).then_some(email),
            mode,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(email: &str, mode: &str) -> (CheckedAccount, Errors) {
        let mut e = Errors::default();
        let c = AccountForm {
            email: email.into(),
            mode: mode.into(),
        }
        .check(&mut e);
        (c, e)
    }

    #[test]
    fn an_address_is_needed_to_get_mail_and_must_be_one() {
        let (c, e) = form(" an@toaan.gov.vn ", "digest");
        assert!(e.is_empty());
        assert_eq!(
            (c.email.as_deref(), c.mode),
            (Some("an@toaan.gov.vn"), Mode::Digest)
        );
        assert!(form("", "immediate").1.has("email"));
        assert!(form("", "none").1.is_empty());
        assert!(form("an@", "none").1.has("email"));
        assert!(form("an@x.vn", "weekly").1.has("mode"));
    }
}
