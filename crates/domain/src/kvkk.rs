//! KVKK (Law 6698 on the Protection of Personal Data) duties the
//! directorate carries out (issue 18 §2; m.8/23-31): the clock of a data
//! breach and the period of destruction.

use time::{Date, Duration, OffsetDateTime};

/// 6698 m.12/5: "İşlenen kişisel verilerin kanuni olmayan yollarla başkaları
/// tarafından elde edilmesi hâlinde, veri sorumlusu bu durumu en kısa
/// sürede ilgilisine ve Kurula bildirir." The Board's decision of
/// 24.01.2019 (2019/10) reads "en kısa süre" as 72 hours from the
/// discovery: clock hours, which weekends and bayrams do not stop.
pub const BOARD_NOTICE_HOURS: i64 = 72;

/// When the Board must have been notified of a breach discovered at
/// `discovered`.
pub fn notify_board_by(discovered: OffsetDateTime) -> OffsetDateTime {
    discovered + Duration::hours(BOARD_NOTICE_HOURS)
}

/// Kişisel Verilerin Silinmesi, Yok Edilmesi veya Anonim Hale Getirilmesi
/// Hakkında Yönetmelik (RG 28.10.2017, 30224) m.11/2: the controller sets
/// the period of periodic destruction in its retention and destruction
/// policy, and it may in no case exceed six months ("altı ayı geçemez").
pub const DESTRUCTION_MONTHS: u32 = 6;

/// The next periodic destruction is due six months after the last; with
/// none yet, it is due now.
pub fn next_destruction(last: Option<Date>, today: Date) -> Date {
    match last {
        Some(d) => crate::leave::add_months(d, DESTRUCTION_MONTHS),
        None => today,
    }
}

/// How personal data is disposed of (the regulation's m.7–m.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Silme.
    Delete,
    /// Yok etme.
    Destroy,
    /// Anonim hale getirme.
    Anonymise,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Method::Delete => "delete",
            Method::Destroy => "destroy",
            Method::Anonymise => "anonymise",
        }
    }

    pub fn name_tr(self) -> &'static str {
        match self {
            Method::Delete => "Silme",
            Method::Destroy => "Yok etme",
            Method::Anonymise => "Anonim hale getirme",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        [Method::Delete, Method::Destroy, Method::Anonymise]
            .into_iter()
            .find(|m| m.code() == s)
    }
}

/// A ground for processing personal data (the inventory's "hukuki sebep"):
/// 6698 m.5 for personal data, m.6/3 for special categories as Law 7499
/// (RG 12.03.2024, 32487; in force 01.06.2024) rewrote it. Codes are the
/// article's own: `5/1`, `5/2-a` … `5/2-f`, `6/3-a` … `6/3-g`.
pub const BASES: [(&str, &str); 16] = [
    ("5/1", "Açık rıza (m.5/1)"),
    ("5/2-a", "Kanunlarda açıkça öngörülmesi (m.5/2-a)"),
    ("5/2-b", "Fiili imkânsızlık hâlinde hayatın veya beden bütünlüğünün korunması (m.5/2-b)"),
    ("5/2-c", "Sözleşmenin kurulması veya ifası (m.5/2-c)"),
    ("5/2-ç", "Veri sorumlusunun hukuki yükümlülüğü (m.5/2-ç)"),
    ("5/2-d", "İlgili kişinin alenileştirmesi (m.5/2-d)"),
    ("5/2-e", "Bir hakkın tesisi, kullanılması veya korunması (m.5/2-e)"),
    ("5/2-f", "Veri sorumlusunun meşru menfaati (m.5/2-f)"),
    ("6/3-a", "Özel nitelikli: açık rıza (m.6/3-a)"),
    ("6/3-b", "Özel nitelikli: kanunlarda açıkça öngörülmesi (m.6/3-b)"),
    ("6/3-c", "Özel nitelikli: fiili imkânsızlık (m.6/3-c)"),
    ("6/3-ç", "Özel nitelikli: alenileştirme (m.6/3-ç)"),
    ("6/3-d", "Özel nitelikli: bir hakkın tesisi, kullanılması veya korunması (m.6/3-d)"),
    ("6/3-e", "Özel nitelikli: sır saklama yükümlülüğü altındakilerce ya da yetkili kurumlarca kamu sağlığı, koruyucu hekimlik, tıbbi teşhis, tedavi ve bakım, sağlık hizmetlerinin planlanması, yönetimi ve finansmanı (m.6/3-e)"),
    ("6/3-f", "Özel nitelikli: istihdam, iş sağlığı ve güvenliği, sosyal güvenlik, sosyal hizmetler ve sosyal yardım alanındaki hukuki yükümlülükler (m.6/3-f)"),
    ("6/3-g", "Özel nitelikli: vakıf, dernek ve benzerlerinin üyelerine ilişkin (m.6/3-g)"),
];

/// The code of a ground as written (`5/2-ç`, `m.5/2-ç`, `5/2-c2` for ç
/// where the keyboard lacks it), or `None`.
pub fn basis(s: &str) -> Option<&'static str> {
    let s = s.trim();
    let s = s.strip_prefix("m.").unwrap_or(s).replace("c2", "ç");
    BASES.iter().find(|(c, _)| *c == s).map(|(c, _)| *c)
}

/// The name of a ground's code.
pub fn basis_name(code: &str) -> &'static str {
    BASES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// 6698 m.12/5 with the Board's decision 2019/10: 72 clock hours from
    /// the discovery; a Friday evening's breach is due on Monday evening,
    /// a bayram's does not wait for it to end.
    #[test]
    fn the_board_is_told_within_72_clock_hours() {
        assert_eq!(
            notify_board_by(datetime!(2026-11-27 18:30 +03:00)),
            datetime!(2026-11-30 18:30 +03:00)
        );
        // Kurban Bayramı 2026 runs 27–30 May: no pause.
        assert_eq!(
            notify_board_by(datetime!(2026-05-26 09:00 +03:00)),
            datetime!(2026-05-29 09:00 +03:00)
        );
    }

    /// The regulation's m.11/2: six months at most between periodic
    /// destructions.
    #[test]
    fn periodic_destruction_comes_at_most_every_six_months() {
        let today = date!(2026 - 12 - 01);
        assert_eq!(next_destruction(None, today), today);
        assert_eq!(
            next_destruction(Some(date!(2026 - 08 - 31)), today),
            date!(2027 - 02 - 28)
        );
    }

    /// The grounds are 6698 m.5/1, m.5/2 (a)–(f) with (ç), and m.6/3
    /// (a)–(g) with (ç) as Law 7499 rewrote m.6: eight and eight.
    #[test]
    fn the_grounds_of_processing() {
        assert_eq!(BASES.iter().filter(|(c, _)| c.starts_with('5')).count(), 8);
        assert_eq!(BASES.iter().filter(|(c, _)| c.starts_with('6')).count(), 8);
        assert_eq!(basis("m.5/2-ç"), Some("5/2-ç"));
        assert_eq!(basis("5/2-c2"), Some("5/2-ç"));
        assert_eq!(basis(" 6/3-g "), Some("6/3-g"));
        // m.6/2 was repealed by Law 7499 (the prohibition is now m.6/3's
        // first sentence): not a ground; nor is m.5/2-g, which does not exist.
        assert_eq!(basis("6/2"), None);
        assert_eq!(basis("5/2-g"), None);
        assert!(basis_name("5/2-ç").contains("hukuki yükümlülüğü"));
    }
}
