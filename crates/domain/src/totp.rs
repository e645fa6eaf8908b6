//! Two-factor sign-in (issue 18 §5): time-based one-time codes (RFC 6238:
//! HMAC-SHA1, six digits, thirty-second steps, one step of clock drift
//! either way), as every authenticator app reads them from an
//! `otpauth://` link or its QR code, and one-time recovery codes.
//!
//! A code is accepted once: the step it belongs to must come after the
//! last one accepted (the guide's measure against a code replayed by
//! whoever saw it typed). Recovery codes are random, kept only as
//! SHA-256 digests (they carry 80 bits of chance, so a digest without a
//! slow hash is no weaker than the code itself), and each works once.

use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

pub const DIGITS: usize = 6;
pub const STEP_SECONDS: u64 = 30;
/// Steps of clock drift accepted either way.
pub const SKEW: u64 = 1;
/// Bytes of a secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;
/// How many recovery codes enrolment gives.
pub const RECOVERY_CODES: usize = 10;

/// A secret written for people and authenticator apps (Base32, no
/// padding).
pub fn encode(secret: &[u8]) -> String {
    match Secret::Raw(secret.to_vec()).to_encoded() {
        Secret::Encoded(s) => s.trim_end_matches('=').to_owned(),
        Secret::Raw(_) => String::new(),
    }
}

/// The secret of its Base32 form; `None` when it is not one.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    Secret::Encoded(s.trim().to_ascii_uppercase())
        .to_bytes()
        .ok()
        .filter(|b| b.len() >= 16)
}

/// The `otpauth://` link an authenticator app reads (Google's key URI
/// format): the issuer and the account name percent-encoded.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        encode(secret),
        enc(issuer)
    )
}

fn totp(secret: &[u8]) -> TOTP {
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS, secret.to_vec())
}

/// The code of the step that holds `unix_time`.
pub fn code_at(secret: &[u8], unix_time: u64) -> String {
    totp(secret).generate(unix_time)
}

/// Why a code is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// Not six digits, or not the code of any step near now.
    Wrong,
    /// The code of a step already used (or older than it).
    Used,
}

/// Checks `code` at `unix_time` against the secret: the step it belongs
/// to, which must come after `last_step` (the last one accepted).
pub fn accept(
    secret: &[u8],
    code: &str,
    unix_time: u64,
    last_step: Option<u64>,
) -> Result<u64, CodeRefusal> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeRefusal::Wrong);
    }
    let t = totp(secret);
    let now = unix_time / STEP_SECONDS;
    let mut found = None;
    for step in now.saturating_sub(SKEW)..=now + SKEW {
        let expected = t.generate(step * STEP_SECONDS);
        // Compared in constant time, every step tried.
        let same = expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same && found.is_none() {
            found = Some(step);
        }
    }
    let step = found.ok_or(CodeRefusal::Wrong)?;
    match last_step {
        Some(last) if step <= last => Err(CodeRefusal::Used),
        _ => Ok(step),
    }
}

/// A recovery code as shown once: sixteen Base32 letters and digits in
/// four groups (`ABCD-EFGH-IJKL-MNOP`), from 10 random bytes.
pub fn recovery_code(random: [u8; 10]) -> String {
    let plain = encode(&random);
    plain
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The digest a recovery code is kept as: of the code as typed, in upper
/// case, without dashes or spaces.
pub fn recovery_digest(code: &str) -> String {
    let norm: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(norm.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (the secret "12345678901234567890",
    /// eight digits there; the last six here).
    #[test]
    fn the_rfcs_test_vectors() {
        let secret = b"12345678901234567890";
        for (t, eight) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(secret, t), eight[2..], "T = {t}");
        }
    }

    #[test]
    fn a_code_is_good_near_its_step_and_only_once() {
        let secret = b"12345678901234567890";
        let t = 1_234_567_890;
        let code = code_at(secret, t);
        let step = t / STEP_SECONDS;
        assert_eq!(accept(secret, &code, t, None), Ok(step));
        // Thirty seconds either way: one step of drift.
        assert_eq!(accept(secret, &code, t + 30, None), Ok(step));
        assert_eq!(accept(secret, &code, t - 30, None), Ok(step));
        assert_eq!(accept(secret, &code, t + 90, None), Err(CodeRefusal::Wrong));
        // Once used, the same code (or an older one) is refused.
        assert_eq!(accept(secret, &code, t, Some(step)), Err(CodeRefusal::Used));
        let before = code_at(secret, t - 30);
        assert_eq!(
            accept(secret, &before, t, Some(step)),
            Err(CodeRefusal::Used)
        );
        // Typed with a space in the middle, still the code.
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(accept(secret, &spaced, t, None), Ok(step));
        for bad in ["", "12345", "1234567", "abcdef", "12345x"] {
            assert_eq!(
                accept(secret, bad, t, None),
                Err(CodeRefusal::Wrong),
                "{bad}"
            );
        }
    }

    #[test]
    fn secrets_and_links_round_trip() {
        let secret = [7u8; SECRET_BYTES];
        let b32 = encode(&secret);
        assert_eq!(b32.len(), 32);
        assert_eq!(decode(&b32), Some(secret.to_vec()));
        assert_eq!(decode(&b32.to_ascii_lowercase()), Some(secret.to_vec()));
        assert_eq!(decode("not base32!"), None);
        let uri = otpauth_uri("Örnek Belediyesi", "memur.bt", &secret);
        assert!(uri.starts_with("otpauth://totp/%C3%96rnek%20Belediyesi:memur.bt?secret="));
        assert!(uri.contains(&format!("secret={b32}&")));
        assert!(uri.ends_with("&digits=6&period=30"));
    }

    #[test]
    fn recovery_codes_are_kept_as_digests_of_what_is_typed() {
        let code = recovery_code([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3);
        let d = recovery_digest(&code);
        assert_eq!(
            recovery_digest(&code.to_ascii_lowercase().replace('-', " ")),
            d
        );
        assert_ne!(recovery_digest("AAAA-AAAA-AAAA-AAAA"), d);
        assert_eq!(d.len(), 64);
    }
}
