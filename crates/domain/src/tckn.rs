//! TC kimlik numarası: the 11-digit Turkish identity number, valid by its
//! checksum. Holding a [`TcKimlikNo`] is proof the number passed.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TcknError {
    #[error("TC kimlik no must be 11 digits")]
    Length,
    #[error("TC kimlik no cannot start with 0")]
    LeadingZero,
    #[error("TC kimlik no fails its checksum")]
    Checksum,
}

#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct TcKimlikNo(String);

impl TcKimlikNo {
    /// Parses a number, allowing surrounding spaces.
    pub fn parse(s: &str) -> Result<Self, TcknError> {
        let s = s.trim();
        let d: Vec<u32> = s
            .chars()
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()
            .ok_or(TcknError::Length)?;
        if d.len() != 11 {
            return Err(TcknError::Length);
        }
        if d[0] == 0 {
            return Err(TcknError::LeadingZero);
        }
        let odd = d[0] + d[2] + d[4] + d[6] + d[8];
        let even = d[1] + d[3] + d[5] + d[7];
        // (7·odd − even) mod 10, kept non-negative.
        let d10 = (odd * 7 + 10 * even - even) % 10;
        let d11 = d[..10].iter().sum::<u32>() % 10;
        if d[9] != d10 || d[10] != d11 {
            return Err(TcknError::Checksum);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Completes nine leading digits (the first not 0) with their two
    /// check digits: for demonstration and test data.
    pub fn complete(first9: u32) -> Option<Self> {
        if !(100_000_000..1_000_000_000).contains(&first9) {
            return None;
        }
        let d: Vec<u32> = first9
            .to_string()
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let odd = d[0] + d[2] + d[4] + d[6] + d[8];
        let even = d[1] + d[3] + d[5] + d[7];
        let d10 = (odd * 7 + 10 * even - even) % 10;
        let d11 = (d.iter().sum::<u32>() + d10) % 10;
        Self::parse(&format!("{first9}{d10}{d11}")).ok()
    }

    /// The number with all but the last two digits hidden, for screens and
    /// logs that need to refer to it: `*********46`.
    pub fn masked(&self) -> String {
        format!("*********{}", &self.0[9..])
    }
}

/// Debug never shows the whole number (personal data, KVKK).
impl fmt::Debug for TcKimlikNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TcKimlikNo({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn completed_numbers_pass_the_checksum() {
        for n in [100_000_000u32, 123_456_789, 999_999_999, 482_913_577] {
            let t = super::TcKimlikNo::complete(n).expect("completes");
            assert!(t.as_str().starts_with(&n.to_string()));
        }
        assert!(super::TcKimlikNo::complete(12_345_678).is_none());
    }

    use super::*;

    /// Builds the valid number for nine leading digits.
    fn complete(first9: &str) -> String {
        let d: Vec<i64> = first9
            .chars()
            .map(|c| c.to_digit(10).unwrap() as i64)
            .collect();
        let d10 =
            ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])).rem_euclid(10);
        let d11 = (d.iter().sum::<i64>() + d10) % 10;
        format!("{first9}{d10}{d11}")
    }

    #[test]
    fn known_valid_numbers() {
        // 10000000146 is the well-known test number of the algorithm.
        assert!(TcKimlikNo::parse("10000000146").is_ok());
        assert!(TcKimlikNo::parse(" 10000000146 ").is_ok());
        for n in [
            "123456789",
            "987654321",
            "111111111",
            "200000000",
            "999999999",
        ] {
            let full = complete(n);
            assert!(TcKimlikNo::parse(&full).is_ok(), "{full}");
        }
    }

    #[test]
    fn invalid_numbers_say_why() {
        assert_eq!(TcKimlikNo::parse("1000000014"), Err(TcknError::Length));
        assert_eq!(TcKimlikNo::parse("1000000014a"), Err(TcknError::Length));
        assert_eq!(
            TcKimlikNo::parse("01234567890"),
            Err(TcknError::LeadingZero)
        );
        assert_eq!(TcKimlikNo::parse("10000000147"), Err(TcknError::Checksum));
        assert_eq!(TcKimlikNo::parse("10000000156"), Err(TcknError::Checksum));
        assert_eq!(
            TcKimlikNo::parse("١٠٠٠٠٠٠٠١٤٦"),
            Err(TcknError::Length),
            "only ASCII digits"
        );
    }

    #[test]
    fn debug_and_masked_hide_the_number() {
        let n = TcKimlikNo::parse("10000000146").unwrap();
        assert_eq!(n.masked(), "*********46");
        assert!(!format!("{n:?}").contains("100000001"));
    }

    proptest::proptest! {
        #[test]
        fn any_single_digit_change_is_caught(first in "[1-9][0-9]{8}", pos in 0usize..11, delta in 1u32..10) {
            let good = complete(&first);
            let mut digits: Vec<u32> = good.chars().map(|c| c.to_digit(10).unwrap()).collect();
            digits[pos] = (digits[pos] + delta) % 10;
            let bad: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            proptest::prop_assert!(TcKimlikNo::parse(&bad).is_err(), "{} accepted", bad);
        }
    }
}
