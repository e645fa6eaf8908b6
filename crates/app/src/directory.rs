//! Signing in against the municipality's directory (LDAP / Active
//! Directory): bind as the user with the password they typed, read their
//! name and groups, and map the groups to positions of the regulation
//! profile. The account and its appointments are then brought in line in
//! one audited transaction (`App::provision_directory_user`).
//!
//! Local accounts (the administrator's, made at setup) keep signing in with
//! their own password, so a directory outage never locks everyone out.

use std::collections::BTreeMap;
use std::time::Duration;

use ldap3::{LdapConnAsync, LdapConnSettings, Scope, SearchEntry};
use serde::Deserialize;

/// The `[ldap]` section of `mudurluk.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryConfig {
    /// `ldap://host:389` or `ldaps://host:636`.
    pub url: String,
    /// The user's DN, with `{username}` where the username goes, e.g.
    /// `uid={username},ou=people,dc=ornek,dc=bel,dc=tr`, or for Active
    /// Directory `{username}@ornek.bel.tr` (a UPN binds too).
    pub user_dn: String,
    /// Where the user's own entry is read from when `user_dn` is a UPN;
    /// with a DN template the entry is read at the DN itself.
    #[serde(default)]
    pub user_base: Option<String>,
    /// Where groups are searched.
    pub group_base: String,
    /// The group search, with `{dn}` for the user's DN.
    #[serde(default = "default_group_filter")]
    pub group_filter: String,
    /// Group name (its `cn`) → position id of the profile.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
    /// Staff kind given to directory people (`memur`, `isci`, `sirket`).
    #[serde(default = "default_kind")]
    pub staff_kind: String,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_group_filter() -> String {
    "(&(objectClass=groupOfNames)(member={dn}))".into()
}

fn default_kind() -> String {
    "memur".into()
}

fn default_timeout() -> u64 {
    5
}

impl DirectoryConfig {
    /// Refuses a configuration that names a position or staff kind the
    /// profile does not have, naming the entry.
    pub fn check(&self, profile: &domain::profile::Profile) -> Result<(), String> {
        if !(self.url.starts_with("ldap://") || self.url.starts_with("ldaps://")) {
            return Err(format!(
                "ldap.url {:?}: must start with ldap:// or ldaps://",
                self.url
            ));
        }
        if !self.user_dn.contains("{username}") {
            return Err(format!(
                "ldap.user_dn {:?}: must contain {{username}}",
                self.user_dn
            ));
        }
        for (group, position) in &self.groups {
            if profile.position(position).is_none() {
                return Err(format!(
                    "ldap.groups.{group}: the profile has no position {position:?}"
                ));
            }
        }
        if !profile
            .staff_kinds()
            .iter()
            .any(|k| k.id == self.staff_kind)
        {
            return Err(format!(
                "ldap.staff_kind {:?}: the profile has no such staff kind",
                self.staff_kind
            ));
        }
        Ok(())
    }
}

/// Who the directory says the user is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    pub display_name: String,
    /// The entry's `mail` and `department` (Active Directory's and
    /// inetOrgPerson's), empty when absent: for an account without a post
    /// they are its address and unit at the service desk.
    pub email: String,
    pub department: String,
    /// The positions the user's groups map to, in the profile's order.
    pub positions: Vec<String>,
    pub groups: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("directory unreachable or failing: {0}")]
    Unavailable(String),
}

impl From<ldap3::LdapError> for DirectoryError {
    fn from(e: ldap3::LdapError) -> Self {
        DirectoryError::Unavailable(e.to_string())
    }
}

/// LDAP result code 49: invalid credentials.
const INVALID_CREDENTIALS: u32 = 49;

/// Binds as `username` with `password`. `Ok(None)`: the directory refused
/// the credentials. The username must already be a valid account name
/// (letters, digits, `.`, `_`, `-`), so it cannot change the DN's shape;
/// an empty password is refused before asking (an empty simple bind would
/// be an anonymous one, which many servers allow).
pub async fn authenticate(
    cfg: &DirectoryConfig,
    profile: &domain::profile::Profile,
    username: &str,
    password: &str,
) -> Result<Option<DirectoryUser>, DirectoryError> {
    if password.is_empty() || domain::account::Username::parse(username).is_err() {
        return Ok(None);
    }
    let timeout = Duration::from_secs(cfg.timeout_secs.max(1));
    let settings = LdapConnSettings::new().set_conn_timeout(timeout);
    let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &cfg.url).await?;
    ldap3::drive!(conn);
    ldap.with_timeout(timeout);
    let bind_dn = cfg
        .user_dn
        .replace("{username}", &ldap3::dn_escape(username));
    let bound = ldap.simple_bind(&bind_dn, password).await?;
    if bound.rc == INVALID_CREDENTIALS {
        return Ok(None);
    }
    bound.success()?;

    // The user's own entry: at the DN, or found under user_base for a UPN.
    let (base, scope, filter) = match &cfg.user_base {
        Some(b) => (
            b.clone(),
            Scope::Subtree,
            format!(
                "(|(uid={0})(sAMAccountName={0}))",
                ldap3::ldap_escape(username)
            ),
        ),
        None => (bind_dn.clone(), Scope::Base, "(objectClass=*)".to_owned()),
    };
    ldap.with_timeout(timeout);
    let (entries, _) = ldap
        .search(
            &base,
            scope,
            &filter,
            vec![
                "cn",
                "displayName",
                "mail",
                "department",
                "departmentNumber",
                "ou",
            ],
        )
        .await?
        .success()?;
    let entry = entries.into_iter().next().map(SearchEntry::construct);
    let user_dn = entry.as_ref().map(|e| e.dn.clone()).unwrap_or(bind_dn);
    let first = |attr: &str| {
        entry
            .as_ref()
            .and_then(|e| e.attrs.get(attr))
            .and_then(|v| v.first())
            .cloned()
    };
    let display_name = first("displayName")
        .or_else(|| first("cn"))
        .unwrap_or_else(|| username.to_owned());

    let group_filter = cfg
        .group_filter
        .replace("{dn}", &ldap3::ldap_escape(&user_dn));
    ldap.with_timeout(timeout);
    let (groups, _) = ldap
        .search(&cfg.group_base, Scope::Subtree, &group_filter, vec!["cn"])
        .await?
        .success()?;
    let mut names: Vec<String> = groups
        .into_iter()
        .map(SearchEntry::construct)
        .filter_map(|g| g.attrs.get("cn").and_then(|v| v.first()).cloned())
        .collect();
    names.sort();
    let _ = ldap.unbind().await;

    let positions = profile
        .positions()
        .iter()
        .filter(|p| names.iter().any(|g| cfg.groups.get(g) == Some(&p.id)))
        .map(|p| p.id.clone())
        .collect();
    let email = first("mail").unwrap_or_default();
    let department = first("department")
        .or_else(|| first("departmentNumber"))
        .or_else(|| first("ou"))
        .unwrap_or_default();
    Ok(Some(DirectoryUser {
        display_name,
        email,
        department,
        positions,
        groups: names,
    }))
}
