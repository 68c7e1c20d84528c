//! Lists shown a page at a time (units, users, the audit trail).

/// Page `page` (from 1) of `total` rows in pages of `size`: (offset, last page).
pub fn paging(page: i64, total: i64, size: i64) -> (i64, i64) {
    let last = ((total + size - 1) / size).max(1);
    let page = page.clamp(1, last);
    ((page - 1) * size, last)
}

/// A page of a list read from the database with its total: the page shown (from 1), the last
/// page and the rows that matched on all pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paged {
    pub page: i64,
    pub last_page: i64,
    pub total: i64,
}

impl Paged {
    pub fn new(offset: i64, size: i64, last_page: i64, total: i64) -> Paged {
        Paged {
            page: offset / size + 1,
            last_page,
            total,
        }
    }
}

/// Where one page of a list stands in it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    /// The page shown (from 1) and the last one.
    pub page: i64,
    pub last_page: i64,
    /// Rows whose name matches the search, on all pages.
    pub matched: usize,
    /// The position (from 1) of the page's first row among those.
    pub first: usize,
}

/// Page `page` of the rows whose name contains `q`, ignoring case, diacritics and spaces (an
/// empty `q` matches all), for lists kept in memory; a page past the end shows the last one.
pub fn page_by_name<'a, T>(
    rows: &'a [T],
    name: impl Fn(&T) -> &str,
    q: &str,
    page: i64,
    size: i64,
) -> (Vec<&'a T>, Pages) {
    let q = crate::web::vn::fold(q);
    let matching: Vec<&T> = rows
        .iter()
        .filter(|r| q.is_empty() || crate::web::vn::fold(name(r)).contains(&q))
        .collect();
    let (offset, last_page) = paging(page, matching.len() as i64, size);
    let shown: Vec<&T> = matching
        .iter()
        .skip(offset as usize)
        .take(size as usize)
        .copied()
        .collect();
    let pages = Pages {
        page: offset / size + 1,
        last_page,
        matched: matching.len(),
        first: offset as usize + 1,
    };
    (shown, pages)
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
