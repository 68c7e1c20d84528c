//! What the notification pages take from the address bar.

use serde::Deserialize;

/// `?page=N`; anything else is page 1.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub page: String,
}

impl ListQuery {
    pub fn page(&self) -> i64 {
        self.page.trim().parse::<i64>().unwrap_or(1).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_that_is_not_a_number_is_the_first() {
        let q = |p: &str| ListQuery { page: p.into() }.page();
        assert_eq!(q(""), 1);
        assert_eq!(q("abc"), 1);
        assert_eq!(q("-4"), 1);
        assert_eq!(q(" 3 "), 3);
    }
}
