//! Paging for the lists: which page, how many in all, and the links to
//! the others. No list is cut silently: a page says which rows of how
//! many it shows.

use serde::Deserialize;

/// `?sayfa=N` (from 1).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct PageQuery {
    pub sayfa: Option<i64>,
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    /// The list's address with its other parameters, without `sayfa`
    /// (`/yazi?durum=signed`).
    pub base: String,
    /// The total stopped at a cap ("10000+").
    pub capped: bool,
}

impl Pager {
    pub fn new(page: Option<i64>, per_page: i64, total: i64, base: String) -> Pager {
        let last = ((total.max(1) - 1) / per_page) + 1;
        Pager {
            page: page.unwrap_or(1).clamp(1, last),
            per_page,
            total,
            base,
            capped: false,
        }
    }

    /// A page of a list whose count stopped at its cap: any page may hold
    /// rows, so the page asked for is kept.
    pub fn capped(page: Option<i64>, per_page: i64, total: i64, base: String) -> Pager {
        Pager {
            page: page.unwrap_or(1).clamp(1, 1_000_000),
            per_page,
            total,
            base,
            capped: true,
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn first_row(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.offset() + 1
        }
    }

    pub fn last_row(&self) -> i64 {
        if self.capped {
            self.offset() + self.per_page
        } else {
            (self.offset() + self.per_page).min(self.total)
        }
    }

    pub fn pages(&self) -> i64 {
        ((self.total.max(1) - 1) / self.per_page) + 1
    }

    /// "101–200 of 250" in the reader's language.
    pub fn rows_text(&self, t: &crate::i18n::Tr) -> String {
        let total = if self.capped {
            format!("{}+", self.total)
        } else {
            self.total.to_string()
        };
        t.f(
            "pager.rows",
            &[
                ("first", &self.first_row().to_string()),
                ("last", &self.last_row().to_string()),
                ("total", &total),
            ],
        )
    }

    fn link(&self, page: i64) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}sayfa={page}", self.base)
    }

    pub fn prev(&self) -> Option<String> {
        (self.page > 1).then(|| self.link(self.page - 1))
    }

    /// The next page: while there are more rows, or, when the count stopped
    /// at its cap, while this page is full.
    pub fn next(&self) -> Option<String> {
        (self.page < self.pages()
            || (self.capped && self.last_row() == self.offset() + self.per_page))
            .then(|| self.link(self.page + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_rows() {
        let p = Pager::new(Some(2), 100, 250, "/yazi?durum=signed".into());
        assert_eq!(
            (p.offset(), p.first_row(), p.last_row(), p.pages()),
            (100, 101, 200, 3)
        );
        assert_eq!(p.prev().as_deref(), Some("/yazi?durum=signed&sayfa=1"));
        assert_eq!(p.next().as_deref(), Some("/yazi?durum=signed&sayfa=3"));
        let p = Pager::new(Some(99), 100, 250, "/evrak".into());
        assert_eq!(p.page, 3, "a page past the end shows the last");
        assert_eq!(p.next(), None);
        let empty = Pager::new(None, 100, 0, "/evrak".into());
        assert_eq!(
            (empty.first_row(), empty.last_row(), empty.pages()),
            (0, 0, 1)
        );
    }
}
