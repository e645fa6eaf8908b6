//! Account values that arrive from users: a username and a new password.
//! Holding one is proof that it passed the rules.

use std::fmt;

/// Why a username or a password was refused, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("username must be 3–32 characters: lowercase letters a–z, digits, '.', '_' or '-', starting with a letter")]
    BadUsername,
    #[error("password must be at least 12 characters")]
    PasswordTooShort,
    #[error("password must be at most 256 characters")]
    PasswordTooLong,
    #[error("name must be 1–120 characters")]
    BadDisplayName,
}

/// A signed-in person as the rest of the program sees them (never their
/// password hash). Every use-case acts for one, or for the system.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
}

/// A login name such as `mudur` or `sef.kalem`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, AccountError> {
        let s = s.trim();
        let ok_len = (3..=32).contains(&s.len());
        let first_letter = s.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if ok_len && first_letter && ok_chars {
            Ok(Self(s.to_owned()))
        } else {
            Err(AccountError::BadUsername)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's name as shown on screens and documents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(s: &str) -> Result<Self, AccountError> {
        let s = s.trim();
        let n = s.chars().count();
        if (1..=120).contains(&n) && !s.chars().any(char::is_control) {
            Ok(Self(s.to_owned()))
        } else {
            Err(AccountError::BadDisplayName)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that meets the length rules. Its `Debug` never shows it.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(s: &str) -> Result<Self, AccountError> {
        let n = s.chars().count();
        if n < 12 {
            Err(AccountError::PasswordTooShort)
        } else if n > 256 {
            Err(AccountError::PasswordTooLong)
        } else {
            Ok(Self(s.to_owned()))
        }
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(Username::parse("sef.kalem").is_ok());
        assert_eq!(Username::parse("  mudur ").unwrap().as_str(), "mudur");
        for bad in ["", "ab", "Mudur", "1abc", "şef", "a b c", &"a".repeat(33)] {
            assert_eq!(
                Username::parse(bad),
                Err(AccountError::BadUsername),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn passwords_never_show_in_debug() {
        let p = NewPassword::parse("çok gizli parola 123").unwrap();
        assert!(!format!("{p:?}").contains("gizli"));
        assert_eq!(
            NewPassword::parse("kısa").unwrap_err(),
            AccountError::PasswordTooShort
        );
    }

    #[test]
    fn display_names() {
        assert!(DisplayName::parse("Ayşe Yılmaz").is_ok());
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
    }
}
