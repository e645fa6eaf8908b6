//! `serve --demo`: one person for every position of the default profile,
//! so that each capability can be tried as the person who does it.

use domain::tckn::TcKimlikNo;
use store::people::NewStaff;
use store::NewUser;
use time::OffsetDateTime;

use crate::{App, AppError, Result};

/// Username, full name, position, staff kind. The administrator `admin`
/// comes on top, without a staff record.
pub const DEMO_STAFF: &[(&str, &str, &str, &str)] = &[
    ("baskan", "Ayşe Yıldırım", "baskan", "memur"),
    ("baskan.yardimcisi", "Mehmet Öztürk", "baskan_yardimcisi", "memur"),
    ("mudur", "Hülya Çelik", "mudur", "memur"),
    ("sef.kalem", "İbrahim Şahin", "sef_kalem", "memur"),
    ("sef.bt", "Gülşen Aydın", "sef_bt", "memur"),
    ("sef.teknik", "Oğuz Kaya", "sef_teknik", "memur"),
    ("sef.cbs", "Şükrü Doğan", "sef_cbs", "memur"),
    ("sef.elektronik", "Çiğdem Arslan", "sef_elektronik", "memur"),
    ("memur.kalem", "Ümit Koç", "personel_kalem", "memur"),
    ("memur.bt", "Irmak Polat", "personel_bt", "memur"),
    ("memur.teknik", "Selçuk Güneş", "personel_teknik", "memur"),
    ("isci.teknik", "Ramazan Erdoğan", "personel_teknik", "isci"),
];

impl App {
    /// Seeds the demonstration people with `password`; false when they
    /// are there already (their passwords are then left as they were).
    pub async fn seed_demo(&self, password: &str) -> Result<bool> {
        let p = domain::account::NewPassword::parse(password).map_err(crate::setup::account_error)?;
        let hash = crate::setup::hash_password(p).await?;
        let today = OffsetDateTime::now_utc().date();
        let start = today.replace_day(1).unwrap_or(today);
        let mut people = Vec::new();
        for (i, (username, name, position, kind)) in DEMO_STAFF.iter().enumerate() {
            if self.profile.position(position).is_none() {
                return Err(AppError::invalid("profile", "demo_needs_default_profile"));
            }
            let tckn = TcKimlikNo::complete(482_913_500 + i as u32 * 7).map(|t| t.as_str().to_owned());
            people.push((
                NewUser { username: (*username).into(), display_name: (*name).into(), password_hash: hash.clone(), is_admin: false },
                Some(NewStaff {
                    user_id: None,
                    full_name: (*name).into(),
                    tckn,
                    kind: (*kind).into(),
                    phone_ext: format!("{}", 2100 + i),
                    email: format!("{username}@ornek.bel.tr"),
                    position: (*position).into(),
                    start_date: start,
                    end_date: None,
                }),
            ));
        }
        people.push((
            NewUser { username: "admin".into(), display_name: "Sistem Yöneticisi".into(), password_hash: hash, is_admin: true },
            None,
        ));
        Ok(self.store.seed_demo(people).await?)
    }
}
