//! `Idempotency-Key` for the front ends: what `store::idempotency` keeps,
//! without the front ends reaching the store.

pub use store::idempotency::{scope, Mark, Recorded};

use crate::{App, Result};

impl App {
    /// What a key recorded, if anything.
    pub async fn idempotency_record(&self, key_hash: &str) -> Result<Option<Recorded>> {
        Ok(store::idempotency::find(&mut self.read().await?, key_hash).await?)
    }

    /// Keeps the answer of the request `mark` (when it changed something).
    pub async fn keep_idempotent_answer(
        &self,
        mark: &Mark,
        status: u16,
        content_type: &str,
        body: &[u8],
    ) -> Result<bool> {
        Ok(store::idempotency::keep_answer(&self.store, mark, status, content_type, body).await?)
    }
}
