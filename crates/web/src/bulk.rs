//! Bulk actions on a list's ticked rows (havale, zimmet, dispatch): the
//! ticked ids, the tally of what was done and refused (each item went
//! through its own use-case), and the tally carried back to the list in
//! its address (`yapildi`, `reddedildi`, `neden`).

use app::AppError;
use domain::code::Code;

use crate::error::WebError;

/// The ticked rows of a form (`id=…`, at most 500; what is not a number
/// is not a row).
pub fn ids(pairs: &[(String, String)]) -> Vec<i64> {
    pairs
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .take(500)
        .collect()
}

/// What a bulk action came to.
#[derive(Debug, Default)]
pub struct Tally {
    done: usize,
    refused: usize,
    /// Why the first refused item was refused.
    why: Option<Code>,
}

impl Tally {
    /// Counts one item's outcome; an error that is not a refusal (the
    /// database gone, say) stops the action.
    pub fn add(&mut self, result: Result<(), AppError>) -> Result<(), WebError> {
        match result {
            Ok(()) => self.done += 1,
            Err(
                e @ (AppError::Invalid { .. }
                | AppError::Beyond { .. }
                | AppError::Conflict(_)
                | AppError::Forbidden { .. }
                | AppError::NotFound),
            ) => {
                self.refused += 1;
                self.why.get_or_insert(crate::refusal_code(&e));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    /// The tally as the list's address carries it.
    pub fn query(&self) -> String {
        let why = self
            .why
            .map(|c| format!("&neden={}", c.as_str()))
            .unwrap_or_default();
        format!("yapildi={}&reddedildi={}{why}", self.done, self.refused)
    }
}

/// The tally back from the list's address (`yapildi`, `reddedildi`,
/// `neden`): (done, refused, why as one of our codes; anything else is
/// dropped, so a link cannot make the page say what it likes).
pub fn shown(
    done: Option<usize>,
    refused: Option<usize>,
    why: Option<&str>,
) -> Option<(usize, usize, Option<&'static str>)> {
    done.map(|d| (d, refused.unwrap_or(0), crate::known_code(why)))
}
