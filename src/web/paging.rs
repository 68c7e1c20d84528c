//! Lists shown a page at a time (units, users, the audit trail).

/// Page `page` (from 1) of `total` rows in pages of `size`: (offset, last page).
pub fn paging(page: i64, total: i64, size: i64) -> (i64, i64) {
    let last = ((total + size - 1) / size).max(1);
    let page = page.clamp(1, last);
    ((page - 1) * size, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_clamps_to_the_pages_there_are() {
        assert_eq!(paging(1, 0, 50), (0, 1));
        assert_eq!(paging(2, 120, 50), (50, 3));
        assert_eq!(paging(9, 120, 50), (100, 3));
        assert_eq!(paging(-3, 120, 50), (0, 3));
        assert_eq!(paging(40, 2000, 50), (1950, 40));
    }
}
