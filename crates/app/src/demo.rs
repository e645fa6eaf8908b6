//! `serve --demo`: one person for every position of the default profile,
//! so that each capability can be tried as the person who does it.

use domain::authority::{Grant, SystemTask};
use domain::code::Code;
use domain::tckn::TcKimlikNo;
use store::accounts::{InstanceSettings, NewUser};
use store::staff::NewStaff;
use store::Audit;

use crate::{now, App, AppError, Result};

/// The sample institution of the demonstration: a DETSİS number of the
/// right shape (not a real institution's), so that letters can be signed
/// and numbered.
pub const DEMO_DETSIS: &str = "12345678";

/// Username, full name, position, staff kind. The administrator `admin`
/// comes on top, without a staff record.
pub const DEMO_STAFF: &[(&str, &str, &str, &str)] = &[
    ("baskan", "Ayşe Yıldırım", "baskan", "memur"),
    (
        "baskan.yardimcisi",
        "Mehmet Öztürk",
        "baskan_yardimcisi",
        "memur",
    ),
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

/// The demo's Taşınır Kayıt Yetkilisi (m.10/11).
pub const DEMO_ASSET_OFFICER: &str = "memur.kalem";

/// Requesters of other directorates (no post in this one): username, name,
/// their unit. They file service desk requests and follow them.
pub const DEMO_REQUESTERS: &[(&str, &str, &str)] = &[
    ("talep.fen", "Kemal Yurt", "Fen İşleri Müdürlüğü"),
    ("talep.fen2", "Derya Aksoy", "Fen İşleri Müdürlüğü"),
    ("talep.zabita", "Nermin Ak", "Zabıta Müdürlüğü"),
    // The account mail from unknown senders is filed under (the desk's
    // `[servicedesk.mailbox] fallback_requester`).
    ("eposta", "E-posta ile gelen talepler", ""),
];

impl App {
    /// Seeds the demonstration people with `password`; false when they
    /// are there already (their passwords are then left as they were).
    pub async fn seed_demo(&self, password: &str) -> Result<bool> {
        let p =
            domain::account::NewPassword::parse(password).map_err(crate::setup::account_error)?;
        let hash = crate::setup::hash_password(p).await?;
        let today = domain::local::date(now());
        // In post since the start of last year: last month's timesheet and
        // the year's reports have someone on them.
        let start = time::Date::from_calendar_date(today.year() - 1, time::Month::January, 1)
            .unwrap_or(today);
        let mut people = Vec::new();
        for (i, (username, name, position, kind)) in DEMO_STAFF.iter().enumerate() {
            if self.profile.position(position).is_none() {
                return Err(AppError::invalid("profile", Code::DemoNeedsDefaultProfile));
            }
            let tckn =
                TcKimlikNo::complete(482_913_500 + i as u32 * 7).map(|t| t.as_str().to_owned());
            people.push((
                NewUser {
                    username: (*username).into(),
                    display_name: (*name).into(),
                    password_hash: hash.clone(),
                    is_admin: false,
                },
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
        // Requesters of other directorates: accounts without a post.
        for (username, name, _) in DEMO_REQUESTERS {
            people.push((
                NewUser {
                    username: (*username).into(),
                    display_name: (*name).into(),
                    password_hash: hash.clone(),
                    is_admin: false,
                },
                None,
            ));
        }
        people.push((
            NewUser {
                username: "admin".into(),
                display_name: "Sistem Yöneticisi".into(),
                password_hash: hash,
                is_admin: true,
            },
            None,
        ));
        let mut w = self.write().await?;
        if store::accounts::user_by_name(&mut w, DEMO_STAFF[0].0)
            .await?
            .is_some()
        {
            return Ok(false);
        }
        let mut names = Vec::new();
        for (u, s) in people {
            let user = store::accounts::insert_user(&mut w, &u, "local").await?;
            if let Some(mut s) = s {
                s.user_id = Some(user.id);
                let staff = store::staff::insert(&mut w, &s).await?;
                // The Kalem has recorded the service start leave counts from.
                if let Some((_, start, birth)) =
                    DEMO_SERVICE.iter().find(|(u, _, _)| *u == user.username)
                {
                    let day = |s: &str| {
                        time::Date::parse(
                            s,
                            time::macros::format_description!("[year]-[month]-[day]"),
                        )
                        .ok()
                    };
                    store::leave::set_employment(
                        &mut w,
                        staff,
                        &store::leave::Employment {
                            service_start: day(start),
                            birth_date: day(birth),
                            // The paper records' balance carried into this
                            // year when the records began here.
                            opening_year: Some(i64::from(today.year())),
                            opening_halves: Some(if s.kind == "isci" {
                                24
                            } else {
                                2 * (5 + user.username.len() as i64 % 4 * 3)
                            }),
                            ..Default::default()
                        },
                    )
                    .await?;
                }
                // m.10/11: the Müdür has appointed the Kalem's clerk as
                // Taşınır Kayıt Yetkilisi.
                if user.username == DEMO_ASSET_OFFICER {
                    store::staff::insert_appointment(
                        &mut w,
                        staff,
                        &self.asset_officer_position(),
                        start,
                        None,
                    )
                    .await?;
                }
            }
            if let Some((_, _, dept)) = DEMO_REQUESTERS.iter().find(|(u, _, _)| *u == user.username)
            {
                store::accounts::set_department(&mut w, user.id, dept).await?;
                store::accounts::set_email(
                    &mut w,
                    user.id,
                    &format!("{}@ornek.bel.tr", user.username),
                )
                .await?;
            }
            names.push(user.username);
        }
        // A sample institution with a DETSİS number, unless one is set
        // (in the database, or by the operator's configuration).
        let mut settings = store::accounts::settings(&mut w).await?;
        if settings.detsis.is_none() && self.correspondence.detsis.is_none() {
            settings = InstanceSettings {
                institution_name: "Örnek Belediye Başkanlığı".into(),
                detsis: Some(DEMO_DETSIS.into()),
                ..settings
            };
            store::accounts::set_settings(&mut w, &settings).await?;
        }
        let audit = Audit::new(
            &Grant::system(SystemTask::DemoSeed),
            "demo.seeded",
            "demo",
            serde_json::json!({"accounts": names, "detsis": settings.detsis.or(self.correspondence.detsis.clone())}),
        );
        w.commit(audit).await?;
        Ok(true)
    }
}

fn parse<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| AppError::Internal(e.into()))
}

impl App {
    /// Sample correspondence for a first `serve --demo`, made through the
    /// use-cases as the demo staff would (each step authorised and
    /// audited): documents waiting for havale and for zimmet, a reply in
    /// its chain waiting for the Şef's initials, a letter signed and
    /// waiting for the Kalem, and one sent. Every dashboard has something
    /// to show. Not part of `seed_demo`, so tests start empty.
    pub async fn seed_demo_correspondence(&self) -> Result<()> {
        use serde_json::json;
        let who = |name: &'static str| async move { self.user_named("user", name).await };
        let (kalem, mudur, sef_bt, memur_bt, sef_kalem) = (
            who("memur.kalem").await?,
            who("mudur").await?,
            who("sef.bt").await?,
            who("memur.bt").await?,
            who("sef.kalem").await?,
        );
        let today = domain::local::date(now());
        let register = |subject: &str, sender: &str, detsis: &str, basis: &str, register: &str| {
            json!({"register": register, "channel": if register == "petition" { "hand" } else { "eyazisma" },
                "sender_kind": if detsis.is_empty() { "person" } else { "institution" }, "sender_name": sender, "sender_id": detsis,
                "sender_ref": if detsis.is_empty() { "".to_owned() } else { format!("E-{detsis}-010.06-{}", subject.len() * 37) },
                "sender_date": (today - time::Duration::days(3)).to_string(), "subject": subject, "file_code": "010.06",
                "received_on": today.to_string(), "legal_basis": basis, "delivered_by": if register == "petition" { "Kendisi" } else { "" }})
        };
        let docs = [
            register(
                "Kablosuz erişim noktalarının yenilenmesi hk.",
                "Sağlık Bakanlığı",
                "12345678",
                "dilekce",
                "incoming",
            ),
            register(
                "Kent bilgi sistemi veri paylaşımı hk.",
                "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı",
                "23456789",
                "dilekce",
                "incoming",
            ),
            register(
                "Mahallemizdeki kamera arızası",
                "Ali Veli",
                "",
                "dilekce",
                "petition",
            ),
            register(
                "Belediye web sitesi erişilebilirlik bilgisi talebi",
                "Zeynep Kara",
                "",
                "bilgi_edinme",
                "petition",
            ),
        ];
        let mut ids = Vec::new();
        for d in docs {
            ids.push(self.register_incoming(&kalem, &parse(d)?).await?.id);
        }
        // The first one routed to Bilgi Teknolojileri and taken; the second
        // routed and waiting for zimmet; the petitions wait for havale.
        for id in &ids[..2] {
            self.route_incoming(&mudur, *id, &parse(json!({"targets": [{"unit": "bt", "purpose": "action", "note": "Gereğini rica ederim."}]}))?).await?;
        }
        self.take_delivery(&sef_bt, ids[0]).await?;
        // A reply in its chain: written and initialled, waiting for the Şef.
        let mut reply = self.reply_draft(&memur_bt, ids[0]).await?;
        reply.body = "İlgi yazı ile talep edilen kablosuz erişim noktalarının yenilenmesi çalışmaları planlanmıştır.\n\nÇalışmaların ocak ayı içinde tamamlanması öngörülmektedir.\n\nBilgilerinize arz ederim.".into();
        let letter = self.draft_letter(&memur_bt, &reply).await?;
        self.decide_letter(
            &memur_bt,
            letter.letter.id,
            &parse(json!({"decision": "approve"}))?,
        )
        .await?;
        // A letter to another directorate, signed and waiting for the Kalem,
        // and one sent.
        for (subject, send) in [
            ("Yazıcı sarf malzemesi ihtiyacı hk.", false),
            ("Bilgisayar envanteri hk.", true),
        ] {
            let l = self
                .draft_letter(&kalem, &parse(json!({"subject": subject, "file_code": "010.06",
                    "body": "Müdürlüğümüz birimlerinin ihtiyaç listesi ekte sunulmuştur.\n\nBilgilerinize rica ederim.",
                    "recipients": [{"role": "muhatap", "kind": "directorate", "name": "Destek Hizmetleri Müdürlüğü"}]}))?)
                .await?;
            for u in [&kalem, &sef_kalem, &mudur] {
                self.decide_letter(u, l.letter.id, &parse(json!({"decision": "approve"}))?)
                    .await?;
            }
            if send {
                self.dispatch_letter(
                    &kalem,
                    l.letter.id,
                    "hand",
                    "Teslim alan: Destek Hizmetleri Müdürlüğü kalemi",
                )
                .await?;
            }
        }
        // An external letter signed by the Mayor (m.20/3), waiting for the
        // Kalem: it leaves as an e-Yazışma package (the letter's page).
        let (by, baskan) = (who("baskan.yardimcisi").await?, who("baskan").await?);
        let l = self
            .draft_letter(&kalem, &parse(json!({"subject": "Bilgi sistemleri envanteri hk.", "file_code": "010.06",
                "body": "İlgi yazınız ile istenen bilgi sistemleri envanteri çalışması tamamlanmış olup sonuçları Müdürlüğümüzce değerlendirilmektedir.\n\nBilgilerinize arz ederim.",
                "urgency": "ACL",
                "recipients": [{"role": "muhatap", "kind": "institution", "name": "Sağlık Bakanlığı", "detsis": "12345678"}]}))?)
            .await?;
        for u in [&kalem, &sef_kalem, &mudur, &by, &baskan] {
            self.decide_letter(u, l.letter.id, &parse(json!({"decision": "approve"}))?)
                .await?;
        }
        self.seed_demo_desk(ids[0]).await
    }

    /// The service desk and tasks of the demo: requests in each state
    /// (one by phone, one resolved and rated), a task made from an incoming
    /// document and one from a request, a working group and a weekly
    /// maintenance plan.
    async fn seed_demo_desk(&self, document: i64) -> Result<()> {
        use crate::servicedesk::{NewRequestInput, RatingInput, StateInput};
        use serde_json::json;
        let who = |name: &'static str| async move { self.user_named("user", name).await };
        let (fen, zabita, kalem, mudur, sef_teknik, memur_teknik, sef_bt, sef_el) = (
            who("talep.fen").await?,
            who("talep.zabita").await?,
            who("memur.kalem").await?,
            who("mudur").await?,
            who("sef.teknik").await?,
            who("memur.teknik").await?,
            who("sef.bt").await?,
            who("sef.elektronik").await?,
        );
        let file =
            |u: &'static str, title: &str, category: &str, description: &str| NewRequestInput {
                title: title.into(),
                description: description.into(),
                category: category.into(),
                requester: (!u.is_empty()).then(|| u.to_owned()),
                ..Default::default()
            };
        let a = self
            .file_request(
                &fen,
                &file(
                    "",
                    "3. kattaki yazıcı kağıt sıkıştırıyor",
                    "yazici",
                    "Fen İşleri 3. kat, 312 numaralı oda. Her çıktıda kağıt sıkışıyor.",
                ),
                "web",
            )
            .await?;
        let b = self
            .file_request(
                &zabita,
                &file(
                    "",
                    "E-posta kutum doldu",
                    "eposta",
                    "Gelen kutum dolu uyarısı veriyor, posta alamıyorum.",
                ),
                "web",
            )
            .await?;
        let c = self.file_request(&kalem, &file("talep.fen", "Yeni personel için bilgisayar kurulumu", "bilgisayar", "Fen İşleri'ne başlayan teknikere masaüstü bilgisayar ve ofis yazılımı kurulacak (telefonla bildirildi)."), "phone").await?;
        self.file_request(
            &fen,
            &file(
                "",
                "Parsel sorgusu için harita çıktısı",
                "harita",
                "Ada 112 parsel 7 için 1/1000 ölçekli harita çıktısı.",
            ),
            "web",
        )
        .await?;
        // The printer: assigned, worked on, resolved and rated.
        self.assign_request(&sef_teknik, a.id, "memur.teknik")
            .await?;
        self.change_request_state(
            &memur_teknik,
            a.id,
            &StateInput {
                state: "in_progress".into(),
                note: String::new(),
            },
        )
        .await?;
        self.log_request_work(
            &memur_teknik,
            a.id,
            &crate::servicedesk::WorklogInput {
                minutes: 40,
                note: "Besleme silindiri temizlendi.".into(),
            },
        )
        .await?;
        self.change_request_state(
            &memur_teknik,
            a.id,
            &StateInput {
                state: "resolved".into(),
                note: "Silindir temizlendi, test çıktısı alındı.".into(),
            },
        )
        .await?;
        self.rate_request(
            &fen,
            a.id,
            &RatingInput {
                score: 5,
                comment: "Hızlı çözüldü, teşekkürler.".into(),
            },
        )
        .await?;
        // The mailbox: assigned and waiting for the requester.
        self.assign_request(&sef_el, b.id, "sef.elektronik").await?;
        self.change_request_state(
            &sef_el,
            b.id,
            &StateInput {
                state: "waiting".into(),
                note: "Kota artışı için Nermin Hanım'ın onayını bekliyoruz.".into(),
            },
        )
        .await?;
        self.assign_request(&sef_teknik, c.id, "isci.teknik")
            .await?;
        // Tasks: from the incoming document routed to Bilgi Teknolojileri,
        // and from the new-computer request.
        let due = (domain::local::date(now()) + time::Duration::days(14)).to_string();
        self.give_task(&sef_bt, &parse(json!({"title": "Kablosuz erişim noktalarının keşfi", "description": "Binadaki erişim noktalarının yerini ve modelini çıkarınız.",
            "assignees": ["memur.bt"], "due": due, "source": {"kind": "incoming", "id": document}}))?).await?;
        self.give_task(&sef_teknik, &parse(json!({"title": "Bilgisayar kurulumu", "assignees": ["memur.teknik"], "due": due, "source": {"kind": "request", "id": c.id}}))?).await?;
        // A working group and a weekly plan.
        self.form_working_group(&mudur, &parse(json!({"name": "e-Belediye geçiş çalışma grubu", "mandate": "Elektronik belge yönetim sistemine geçişin planlanması ve birimlerle eşgüdüm.",
            "chair": "sef.bt", "members": ["memur.bt", "sef.kalem"], "participants": [{"name": "Kemal Yurt", "unit": "Fen İşleri Müdürlüğü"}],
            "starts_on": domain::local::date(now()).to_string(), "approval_ref": "Müdürlük Olur 2026/14"}))?).await?;
        self.add_maintenance_plan(&sef_bt, &parse(json!({"title": "Yedeklerin kontrolü", "description": "Gece yedeklerinin tamamlandığını ve geri yüklenebildiğini doğrulayın.",
            "schedule": "weekly:1", "assignee": "memur.bt"}))?).await?;
        self.seed_demo_assets().await
    }

    /// The assets of the demo, by the Taşınır Kayıt Yetkilisi: a receipt of
    /// laptops and a server, one laptop in a technician's custody, the
    /// server in the server room; a licence with seats, a support contract
    /// ending soon, two systems, one with its restore test overdue, and the
    /// server room's count under way.
    async fn seed_demo_assets(&self) -> Result<()> {
        use serde_json::json;
        let officer = self.user_named("user", DEMO_ASSET_OFFICER).await?;
        let today = domain::local::date(now());
        let r = self
            .receive_assets(
                &officer,
                &parse(json!({"supplier": "Örnek Bilişim A.Ş.", "invoice_no": "OBA2026000451", "invoice_date": (today - time::Duration::days(20)).to_string(),
                    "received_on": (today - time::Duration::days(18)).to_string(), "lines": [
                    {"tasinir_code": "255.02.01.01.02", "name": "Dizüstü bilgisayar", "brand": "Lenovo", "model": "ThinkPad T14", "serial": "PF4XK21A", "price": "42.500,00", "warranty_until": (today + time::Duration::days(3 * 365)).to_string()},
                    {"tasinir_code": "255.02.01.01.02", "name": "Dizüstü bilgisayar", "brand": "Lenovo", "model": "ThinkPad T14", "serial": "PF4XK21B", "price": "42.500,00", "warranty_until": (today + time::Duration::days(3 * 365)).to_string()},
                    {"tasinir_code": "255.02.01.02.03", "name": "Raf sunucu", "brand": "Dell", "model": "PowerEdge R650", "serial": "7XK2L93", "price": "385.000,00", "location": "Sunucu odası", "warranty_until": (today + time::Duration::days(45)).to_string()}
                ]}))?,
            )
            .await?;
        self.give_custody(
            &officer,
            r.assets[0].id,
            &parse(json!({"to": "memur.teknik", "note": "Saha çalışmaları için"}))?,
        )
        .await?;
        self.give_custody(
            &officer,
            r.assets[2].id,
            &parse(json!({"place": "Sunucu odası"}))?,
        )
        .await?;
        let l = self
            .add_licence(&officer, &parse(json!({"product": "Ofis yazılımı", "kind": "per_seat", "seats": 25, "cost": "180.000", "supplier": "Örnek Bilişim A.Ş.",
                "starts_on": (today - time::Duration::days(320)).to_string(), "ends_on": (today + time::Duration::days(45)).to_string()}))?)
            .await?;
        for who in ["memur.teknik", "memur.bt", "sef.bt"] {
            self.assign_seat(&officer, l.id, &parse(json!({"to": who}))?)
                .await?;
        }
        let c = self
            .add_contract(&officer, &parse(json!({"supplier": "Örnek Yazılım Ltd.", "scope": "EBYS bakım ve destek hizmeti", "ends_on": (today + time::Duration::days(25)).to_string(), "cost": "240.000"}))?)
            .await?;
        let ebys = self
            .add_system(&officer, &parse(json!({"name": "Elektronik Belge Yönetim Sistemi", "kind": "ebys", "criticality": 3, "technical_owner": "sef.bt", "supplier": "Örnek Yazılım Ltd.",
                "contract_id": c.id, "backup_what": "Veritabanı ve belge deposu", "backup_every_days": 1, "backup_where": "Felaket kurtarma merkezi (Ankara)", "restore_every_days": 90,
                "hosts": [r.assets[2].id]}))?)
            .await?;
        self.record_run(
            &officer,
            ebys.system.id,
            "backup",
            &parse(json!({"result": "success", "duration_minutes": 38}))?,
        )
        .await?;
        self.record_run(&officer, ebys.system.id, "restore_test", &parse(json!({"result": "success", "date": (today - time::Duration::days(30)).to_string(), "duration_minutes": 95}))?).await?;
        let web = self
            .add_system(&officer, &parse(json!({"name": "Belediye web sitesi", "kind": "web", "criticality": 2, "backup_what": "Site dosyaları ve veritabanı", "backup_every_days": 7,
                "backup_where": "Dosya sunucusu", "restore_every_days": 180, "domains": [{"domain": "ornek.bel.tr", "expires_on": (today + time::Duration::days(50)).to_string()}]}))?)
            .await?;
        self.record_run(
            &officer,
            web.system.id,
            "backup",
            &parse(json!({"result": "success"}))?,
        )
        .await?;
        // This year's count of the server room, under way: the server
        // found, a laptop from the warehouse found there too (a surplus).
        let count = self
            .open_count(&officer, &parse(json!({"place": "Sunucu odası", "board": [DEMO_ASSET_OFFICER, "memur.bt", "sef.bt"]}))?)
            .await?;
        for a in [&r.assets[2], &r.assets[1]] {
            self.scan_count(&officer, count.id, &parse(json!({"tag": a.tag}))?)
                .await?;
        }
        self.seed_demo_leave().await
    }

    /// Leave: one request waits for its Şef's initials, one for the
    /// Müdür, one is approved.
    async fn seed_demo_leave(&self) -> Result<()> {
        use serde_json::json;
        let parse = |v: serde_json::Value| {
            serde_json::from_value::<crate::leave::LeaveInput>(v)
                .map_err(|e| AppError::Internal(e.into()))
        };
        // Monday three and four weeks on, and the Friday after each.
        let today = domain::local::date(now());
        let monday = today.next_occurrence(time::Weekday::Monday);
        let week = |n: i64| {
            let from = monday + time::Duration::weeks(n);
            (
                from.to_string(),
                (from + time::Duration::days(4)).to_string(),
            )
        };
        let who = |name: &'static str| async move { self.user_named("user", name).await };
        let (memur_bt, memur_teknik, isci, sef_teknik, mudur) = (
            who("memur.bt").await?,
            who("memur.teknik").await?,
            who("isci.teknik").await?,
            who("sef.teknik").await?,
            who("mudur").await?,
        );
        let (f, t) = week(3);
        self.request_leave(&memur_bt, &parse(json!({"kind": "annual", "from": f, "to": t, "address": "Antalya, annemin evi; 0532 000 00 00"}))?)
            .await?;
        let (f, t) = week(2);
        let r = self
            .request_leave(
                &memur_teknik,
                &parse(json!({"kind": "annual", "from": f, "to": t, "address": "Ankara"}))?,
            )
            .await?;
        let approve = crate::leave::LeaveDecisionInput {
            decision: domain::leave::Decision::Approve,
            note: None,
        };
        self.decide_leave(&sef_teknik, r.id, &approve).await?;
        let (f, t) = week(4);
        let r = self
            .request_leave(
                &isci,
                &parse(json!({"kind": "annual", "from": f, "to": t}))?,
            )
            .await?;
        self.decide_leave(&sef_teknik, r.id, &approve).await?;
        self.decide_leave(&mudur, r.id, &approve).await?;
        // Overtime the Müdür ordered: a Saturday's server move and an
        // evening's backup test.
        let saturday = today.next_occurrence(time::Weekday::Saturday);
        let evening = monday + time::Duration::weeks(1);
        for (person, day, from, until, reason) in [
            (
                "isci.teknik",
                saturday,
                "09:00",
                "15:00",
                "Sistem odası taşınması",
            ),
            (
                "memur.bt",
                saturday,
                "09:00",
                "13:00",
                "Sunucuların yeni kabinlere taşınması",
            ),
            (
                "isci.teknik",
                evening,
                "17:30",
                "19:30",
                "Yedekten geri dönüş denemesi",
            ),
        ] {
            self.order_overtime(
                &mudur,
                &crate::overtime::OvertimeInput {
                    person: person.into(),
                    from: format!("{day}T{from}"),
                    until: format!("{day}T{until}"),
                    reason: reason.into(),
                },
            )
            .await?;
        }
        self.seed_demo_timesheets(&today).await
    }

    /// The Kalem's sick report of last month (a Tuesday to the Thursday
    /// after it) and the month before last closed.
    async fn seed_demo_timesheets(&self, today: &time::Date) -> Result<()> {
        let kalem = self.user_named("user", "memur.kalem").await?;
        let first = today.replace_day(1).unwrap_or(*today);
        let last_month = (first - time::Duration::days(1))
            .replace_day(1)
            .unwrap_or(first);
        let tuesday = last_month.next_occurrence(time::Weekday::Tuesday) + time::Duration::weeks(1);
        self.record_report(
            &kalem,
            &crate::timesheet::ReportInput {
                person: "isci.teknik".into(),
                from: tuesday.to_string(),
                to: (tuesday + time::Duration::days(2)).to_string(),
                institution: "Çankaya Aile Sağlığı Merkezi".into(),
                number: "2026/ASM-31874".into(),
                note: Some("İstirahat raporu".into()),
            },
        )
        .await?;
        let before = (last_month - time::Duration::days(1))
            .replace_day(1)
            .unwrap_or(last_month);
        self.close_month(
            &kalem,
            &domain::timesheet::month_key(before.year(), before.month()),
        )
        .await?;
        // The personnel files: a technician's electrical authorisation
        // ending in forty days, his appointment, last month's training.
        let doc = |kind: &str, title: &str, issued: &str, expires: Option<String>| {
            crate::personnel::DocumentInput {
                kind: kind.into(),
                title: title.into(),
                code: None,
                issued_on: Some(issued.into()),
                expires_on: expires,
                file: None,
                note: None,
            }
        };
        let ends = (*today + time::Duration::days(40)).to_string();
        self.file_personnel_document(
            &kalem,
            "memur.teknik",
            &doc(
                "certificate",
                "Elektrik tesisatı yetki belgesi (EMO)",
                "2021-12-20",
                Some(ends),
            ),
        )
        .await?;
        self.file_personnel_document(
            &kalem,
            "memur.teknik",
            &doc("appointment", "Atama onayı", "2017-02-06", None),
        )
        .await?;
        let t = self
            .record_training(
                &kalem,
                &crate::personnel::TrainingInput {
                    title: "KVKK ve bilgi güvenliği farkındalık eğitimi".into(),
                    provider: "Bilgi İşlem Müdürlüğü".into(),
                    ours: true,
                    from: tuesday.to_string(),
                    to: tuesday.to_string(),
                    hours: 4,
                    attendees: vec![
                        "memur.teknik".into(),
                        "memur.bt".into(),
                        "isci.teknik".into(),
                    ],
                    materials: Vec::new(),
                },
            )
            .await?;
        for person in ["memur.teknik", "memur.bt"] {
            self.mark_attendance(
                &kalem,
                t.id,
                &crate::personnel::AttendanceInput {
                    person: person.into(),
                    attended: true,
                },
            )
            .await?;
        }
        self.seed_demo_security().await
    }
}

/// Service starts and birth dates the demo's Kalem has recorded.
const DEMO_SERVICE: &[(&str, &str, &str)] = &[
    ("baskan", "2004-04-01", "1968-02-11"),
    ("baskan.yardimcisi", "2006-09-18", "1971-07-30"),
    ("mudur", "2007-03-12", "1975-05-19"),
    ("sef.kalem", "2011-06-01", "1979-10-02"),
    ("sef.bt", "2012-02-20", "1983-03-14"),
    ("sef.teknik", "2013-09-02", "1981-12-25"),
    ("sef.cbs", "2014-01-06", "1984-08-08"),
    ("sef.elektronik", "2015-05-04", "1986-01-17"),
    ("memur.kalem", "2016-10-03", "1988-06-21"),
    ("memur.bt", "2019-09-16", "1993-04-09"),
    ("memur.teknik", "2022-02-01", "1995-11-30"),
    ("isci.teknik", "2010-05-03", "1974-09-05"),
];

impl App {
    /// The security and KVKK records: two audit campaigns against the
    /// guide (last year's and this year's, so the progress shows), gaps
    /// made actions (one a task), an open incident whose personal data
    /// started a breach's clock, the processing inventory, a destruction
    /// five months ago, and three policies, one read by some.
    async fn seed_demo_security(&self) -> Result<()> {
        use serde_json::json;
        let who = |name: &'static str| async move { self.user_named("user", name).await };
        let (sef_bt, memur_bt, mudur, kalem) = (
            who("sef.bt").await?,
            who("memur.bt").await?,
            who("mudur").await?,
            who("memur.kalem").await?,
        );
        let today = domain::local::date(now());
        let year = today.year();
        let assets = json!([{"name": "Elektronik Belge Yönetim Sistemi", "criticality": 3},
            {"name": "Kurumsal web sitesi", "criticality": 2}, {"name": "Personel bilgisayarları", "criticality": 1}]);
        let before = self.open_security_audit(&sef_bt, &parse(json!({"title": format!("{} yılı uyum denetimi", year - 1),
            "period_from": format!("{}-01-01", year - 1), "period_to": format!("{}-12-31", year - 1), "assets": assets}))?).await?;
        let current = self.open_security_audit(&sef_bt, &parse(json!({"title": format!("{year} yılı uyum denetimi"),
            "period_from": format!("{year}-01-01"), "period_to": format!("{year}-12-31"), "assets": assets}))?).await?;
        let states = [
            "applied",
            "applied",
            "partly",
            "applied",
            "not_applied",
            "applied",
        ];
        let measures = domain::security_guide::applicable(1, Some("3.1"));
        for (i, m) in measures.iter().take(48).enumerate() {
            let state = states[i % states.len()];
            let evidence = if state == "applied" {
                "Yapılandırma incelendi; ekran görüntüsü arşivde."
            } else {
                ""
            };
            self.assess_measure(
                &sef_bt,
                current.id,
                &m.no,
                &parse(json!({"state": state, "evidence": evidence}))?,
            )
            .await?;
            if i < 30 {
                let old = if i % 3 == 0 { "applied" } else { "not_applied" };
                self.assess_measure(&sef_bt, before.id, &m.no, &parse(json!({"state": old}))?)
                    .await?;
            }
        }
        let gaps: Vec<String> = measures
            .iter()
            .take(48)
            .enumerate()
            .filter(|(i, _)| states[i % states.len()] == "not_applied")
            .map(|(_, m)| m.no.clone())
            .take(2)
            .collect();
        let due = (today + time::Duration::days(30)).to_string();
        for (k, no) in gaps.iter().enumerate() {
            let a = self
                .add_security_action(
                    &sef_bt,
                    current.id,
                    &parse(json!({"measure": no, "owner": "memur.bt", "due": due}))?,
                )
                .await?;
            if k == 0 {
                self.security_action_task(&sef_bt, a.id).await?;
            }
        }
        // An incident with personal data: its breach's 72-hour clock runs.
        let detected = now() - time::Duration::hours(20);
        let at = detected
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|e| AppError::Internal(e.into()))?;
        let inc = self.record_incident(&memur_bt, &parse(json!({"title": "Oltalama e-postasıyla ele geçirilen hesap", "detected_at": at,
            "severity": "high", "source": "Personel bildirimi", "systems": ["E-posta", "Elektronik Belge Yönetim Sistemi"],
            "summary": "Bir personelin e-posta parolası oltalama sayfasına girildi; hesaptan vatandaş başvurularına erişildi.", "personal_data": true}))?).await?;
        self.incident_action(&memur_bt, inc.id, &parse(json!({"kind": "containment", "text": "Hesabın parolası sıfırlandı, oturumları kapatıldı."}))?).await?;
        self.incident_action(&sef_bt, inc.id, &parse(json!({"kind": "notice", "notified": "usom", "text": "USOM'a olay bildirimi yapıldı."}))?).await?;
        // The SOME: a working group with its on-call members; the
        // incident's follow-up task.
        self.form_working_group(&mudur, &parse(json!({"name": "Siber Olaylara Müdahale Ekibi (SOME)", "mandate": "Siber olaylara müdahale, USOM ile irtibat (Yönetmelik m.8).",
            "chair": "sef.bt", "members": ["memur.bt"], "starts_on": today.to_string(), "approval_ref": "Müdürlük Olur 2026/21"}))?).await?;
        let follow_up = self
            .give_task(
                &sef_bt,
                &parse(
                    json!({"title": "Oltalama sonrası e-posta kurallarının gözden geçirilmesi",
            "assignees": ["memur.bt"], "due": (today + time::Duration::days(7)).to_string()}),
                )?,
            )
            .await?;
        self.link_incident(
            &sef_bt,
            inc.id,
            &crate::incidents::LinkInput {
                request: None,
                task: Some(follow_up.id),
            },
        )
        .await?;
        // An access review under way: the BT Şefi has decided his staff's line.
        let review = self.open_access_review(&mudur, &Default::default()).await?;
        self.decide_access(
            &sef_bt,
            review.id,
            memur_bt.id,
            &parse(json!({"decision": "keep"}))?,
        )
        .await?;
        // The inventory.
        for (name, purpose, data, subjects, basis, retention, recipients) in [
            (
                "Personel özlük dosyalarının tutulması",
                "657 sayılı Kanun m.97 uyarınca özlük işlemlerinin yürütülmesi",
                "Kimlik, iletişim, özlük, sağlık raporları",
                "Çalışanlar",
                vec!["5/2-a", "5/2-ç", "6/3-f"],
                "Görevden ayrılıştan sonra 10 yıl",
                "SGK, Hazine ve Maliye Bakanlığı",
            ),
            (
                "Bilgi edinme ve dilekçe başvurularının cevaplanması",
                "4982 ve 3071 sayılı Kanunlar uyarınca başvuruların cevaplanması",
                "Kimlik, iletişim, talep içeriği",
                "Vatandaşlar",
                vec!["5/2-a", "5/2-ç"],
                "Standart Dosya Planındaki saklama süresi",
                "İlgili müdürlükler",
            ),
            (
                "Kamera kayıtları (sistem odası)",
                "Fiziksel güvenliğin sağlanması",
                "Görsel kayıt",
                "Çalışanlar, ziyaretçiler",
                vec!["5/2-f"],
                "30 gün",
                "",
            ),
        ] {
            self.record_process(&sef_bt, &parse(json!({"name": name, "unit": "Bilgi İşlem Müdürlüğü", "purpose": purpose, "data_categories": data,
                "subjects": subjects, "legal_basis": basis, "retention": retention, "recipients": recipients,
                "measures": "Yetki matrisi, erişim kayıtları, şifreli yedekleme"}))?).await?;
        }
        let done_on = today - time::Duration::days(150);
        self.record_destruction(&sef_bt, &parse(json!({"done_on": done_on.to_string(), "method": "delete",
            "items": ["Saklama süresi dolan kamera kayıtları", "2015 yılı ziyaretçi defteri kayıtları"], "note": "İmha komisyonu tutanağı dosyasında."}))?).await?;
        // Policies.
        let security = self.create_policy(&mudur, &parse(json!({"kind": "security", "summary": "İlk sürüm",
            "body": "1. Amaç: Belediyenin bilgi varlıklarının gizliliği, bütünlüğü ve erişilebilirliği korunur.\n2. Kapsam: Tüm personel, yükleniciler ve misafir kullanıcılar.\n3. Sorumluluk: Bilgi İşlem Müdürlüğü politikayı yazar, eğitir ve denetler (Yönetmelik m.8)."}))?).await?;
        let password = self.create_policy(&sef_bt, &parse(json!({"kind": "password", "summary": "İlk sürüm", "body": "Parolalar en az 12 karakter olur."}))?).await?;
        self.publish_policy(&sef_bt, password.id, &parse(json!({"summary": "En az uzunluk 16 karakter; yöneticilere iki aşamalı doğrulama",
            "body": "Parolalar en az 16 karakter olur, başka sistemlerde kullanılmaz. Yönetici hesapları iki aşamalı doğrulama ile açılır."}))?).await?;
        self.create_policy(&mudur, &parse(json!({"kind": "retention", "summary": "İlk sürüm",
            "body": "Periyodik imha altı ayda bir yapılır (Kişisel Verilerin Silinmesi, Yok Edilmesi veya Anonim Hale Getirilmesi Hakkında Yönetmelik m.11/2). Saklama süreleri envanterde yazılıdır."}))?).await?;
        for u in [&sef_bt, &memur_bt, &kalem] {
            self.acknowledge_policy(u, security.id).await?;
        }
        Ok(())
    }
}
