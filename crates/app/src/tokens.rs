//! Personal API tokens: made, listed and revoked by their owner.

use domain::authority::Grant;
use store::Audit;

use crate::{new_token, token_hash, App, Result, User};

pub use store::tokens::ApiToken;

impl App {
    /// A new personal API token; the token is returned this once and only
    /// its hash is kept.
    pub async fn create_api_token(&self, user: &User, name: &str) -> Result<(i64, String)> {
        let name = crate::input::text("name", name, 80, true)?;
        let token = format!("mdr_{}", new_token());
        let mut w = self.write().await?;
        let id = store::tokens::insert(&mut w, user.id, &name, &token_hash(&token)).await?;
        w.commit(Audit::new(
            &Grant::own_account(user),
            "api_token.created",
            format!("api_token:{id}"),
            serde_json::json!({"after": {"name": name}}),
        ))
        .await?;
        Ok((id, token))
    }

    pub async fn api_tokens(&self, user: &User) -> Result<Vec<ApiToken>> {
        Ok(store::tokens::of_user(&mut self.read().await?, user.id).await?)
    }

    /// Revokes one of the user's own tokens (another's is not found).
    pub async fn revoke_api_token(&self, user: &User, id: i64) -> Result<()> {
        let mut w = self.write().await?;
        store::tokens::revoke(&mut w, user.id, id).await?;
        w.commit(Audit::new(
            &Grant::own_account(user),
            "api_token.revoked",
            format!("api_token:{id}"),
            serde_json::json!({"before": {"revoked": false}, "after": {"revoked": true}}),
        ))
        .await?;
        Ok(())
    }
}
