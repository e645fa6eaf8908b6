//! The interface's words in Turkish (first) and English. The language comes
//! from the `lang` cookie set by the switch, else from `Accept-Language`,
//! else Turkish.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::header;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Tr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Tr => "tr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "tr" => Some(Lang::Tr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Tr => Lang::En,
            Lang::En => Lang::Tr,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header,
    /// honouring q-values.
    pub fn from_accept_language(h: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in h.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok()))
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(l) = Lang::parse(primary) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, l));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    pub fn t(self) -> Tr {
        Tr(self)
    }
}

pub fn cookie<'a>(parts: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    parts
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(negotiate(&parts.headers))
    }
}

pub fn negotiate(headers: &axum::http::HeaderMap) -> Lang {
    cookie(headers, "lang")
        .and_then(Lang::parse)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Tr)
}

/// A translator handed to templates: `{{ t.s("home.title") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn s(&self, key: &str) -> &'static str {
        let (tr, en) = text(key);
        match self.0 {
            Lang::Tr => tr,
            Lang::En => en,
        }
    }
}

/// The catalogue. An unknown key shows itself, so a missing text is visible
/// in tests rather than silently blank.
fn text(key: &str) -> (&'static str, &'static str) {
    match key {
        "app.name" => ("Mudurluk", "Mudurluk"),
        "app.tagline" => ("Belediye müdürlükleri için yönetim sistemi", "Operations platform for municipal directorates"),
        "nav.skip" => ("Ana içeriğe geç", "Skip to main content"),
        "nav.home" => ("Ana sayfa", "Home"),
        "nav.login" => ("Giriş", "Sign in"),
        "nav.main" => ("Ana menü", "Main menu"),
        "lang.switch" => ("English", "Türkçe"),
        "lang.switch_label" => ("Dili değiştir", "Change language"),
        "home.title" => ("Ana sayfa", "Home"),
        "home.intro" => (
            "Mudurluk, bir belediye müdürlüğünün yönetmeliğinde yazan görev ve süreçleri yürütür: resmî yazışma (kayıt, havale, zimmet, yasal sürede cevap, paraf, imza, sayı, gönderim ve Standart Dosya Planına göre arşiv), kâğıt arşivin sayısallaştırılması ve aranması, görevler, bilgi işlem yardım masası, taşınırlar ve zimmet, personel kayıtları, bilgi güvenliği ve KVKK, raporlar. Her işlem, hangi yetkiyle ve hangi maddeye dayanarak yapıldığıyla kayda geçer.",
            "Mudurluk runs the duties and procedures that a municipal directorate's regulation sets out: official correspondence (registration, routing, custody, answers within the legal period, initials, signature, numbering, dispatch and filing under the Standard File Plan), digitisation and search of the paper archive, tasks, the IT service desk, movable assets and custody, personnel records, information security and KVKK, and reports. Every action is recorded with the authority and the article it rests on.",
        ),
        "home.welcome" => ("Hoş geldiniz", "Welcome"),
        "home.status" => ("Sistem durumu", "System status"),
        "home.institution" => ("Kurum", "Institution"),
        "home.directorate" => ("Birim", "Unit"),
        "home.setup_needed" => (
            "Kurulum bekleniyor: ilk yönetici hesabı henüz oluşturulmadı. Sunucuyu başlatan kişi, sunucunun ekrana yazdığı tek kullanımlık kurulum bağlantısını açmalıdır.",
            "Setup pending: the first administrator account has not been created yet. Whoever started the server should open the one-time setup link it printed.",
        ),
        "home.capabilities" => ("Kapsam", "What it covers"),
        "cap.correspondence" => ("Gelen ve giden evrak, havale ve zimmet, yasal süreler", "Incoming and outgoing correspondence, routing and custody, legal periods"),
        "cap.archive" => ("Standart Dosya Planına göre arşiv ve sayısallaştırma", "Archive under the Standard File Plan, and digitisation"),
        "cap.desk" => ("Bilgi işlem yardım masası ve görevler", "IT service desk and tasks"),
        "cap.inventory" => ("Taşınırlar, ambar ve zimmet", "Movable assets, warehouse and custody"),
        "cap.people" => ("Personel, yetki devri ve vekalet", "Personnel, delegation and deputyship"),
        "cap.security" => ("Bilgi güvenliği, KVKK ve iz kayıtları", "Information security, KVKK and audit trails"),
        "login.title" => ("Giriş", "Sign in"),
        "login.submit" => ("Giriş yap", "Sign in"),
        "login.signed_out" => ("Oturumunuz kapatıldı.", "You have signed out."),
        "login_failed" => (
            "Kullanıcı adı veya parola hatalı ya da hesap çok sayıda hatalı deneme nedeniyle geçici olarak kilitli.",
            "The username or password is wrong, or the account is temporarily locked after too many failed attempts.",
        ),
        "nav.logout" => ("Çıkış", "Sign out"),
        "nav.account" => ("Hesabım: parola ve oturumlar", "My account: password and sessions"),
        "password.title" => ("Parola ve oturumlar", "Password and sessions"),
        "password.current" => ("Şu anki parola", "Current password"),
        "password.new" => ("Yeni parola", "New password"),
        "password.submit" => ("Parolayı değiştir", "Change password"),
        "password.done" => ("Parolanız değiştirildi; diğer cihazlardaki oturumlar kapatıldı.", "Your password has been changed; sessions on other devices have been ended."),
        "current_password_wrong" => ("Şu anki parola hatalı.", "The current password is wrong."),
        "sessions.title" => ("Bütün oturumları kapat", "End all sessions"),
        "sessions.help" => ("Bu hesapla açılmış bütün oturumlar, bu cihazdaki de dahil, kapatılır.", "Every session of this account, this device's included, is ended."),
        "sessions.end_all" => ("Her yerden çıkış yap", "Sign out everywhere"),
        "setup.title" => ("İlk kurulum", "First-time setup"),
        "setup.intro" => (
            "Bu bağlantı tek kullanımlıktır. İlk yönetici hesabını oluşturun; bu hesap diğer kullanıcıları ve yetkileri tanımlayacaktır.",
            "This link works once. Create the first administrator account; it will define the other users and their authorities.",
        ),
        "setup.username" => ("Kullanıcı adı", "Username"),
        "setup.username_help" => ("3–32 karakter: küçük harf (a–z), rakam, nokta, alt çizgi veya tire; harfle başlar. Örnek: ayse.yilmaz", "3–32 characters: lowercase letters (a–z), digits, dot, underscore or hyphen; starts with a letter. Example: ayse.yilmaz"),
        "setup.display_name" => ("Ad soyad", "Full name"),
        "setup.password" => ("Parola", "Password"),
        "setup.password_help" => ("En az 12 karakter.", "At least 12 characters."),
        "setup.password_confirm" => ("Parola (tekrar)", "Password (again)"),
        "setup.submit" => ("Yönetici hesabını oluştur", "Create the administrator account"),
        "setup.done" => ("Kurulum tamamlandı. Yönetici olarak oturum açtınız.", "Setup is complete. You are signed in as the administrator."),
        "setup.invalid_link" => (
            "Bu kurulum bağlantısı geçersiz ya da daha önce kullanılmış. Kurulum tamamlanmadıysa sunucuyu yeniden başlatın; yeni bir bağlantı yazacaktır.",
            "This setup link is invalid or has already been used. If setup is not complete, restart the server: it will print a new link.",
        ),
        "nav.org" => ("Teşkilat", "Organisation"),
        "nav.people" => ("Personel", "People"),
        "nav.mine" => ("Yetkilerim", "My authorities"),
        "nav.authority" => ("Yetki devri ve vekalet", "Delegation and deputyship"),
        "nav.audit" => ("İz kayıtları", "Audit trail"),
        "nav.accounts" => ("Hesaplar", "Accounts"),
        "nav.tokens" => ("API belirteçleri", "API tokens"),
        "org.title" => ("Teşkilat şeması", "Organisation chart"),
        "org.intro" => ("Yönetmelik profilinden çizilir: birimler, kadrolar, bugün görevde olanlar ile yürürlükteki vekalet ve yetki devirleri.", "Drawn from the regulation profile: units, positions, today's holders, and the standing deputyships and delegations."),
        "org.vacant" => ("boş", "vacant"),
        "org.deputised_by" => ("vekili", "deputy"),
        "org.no_deputyships" => ("Yürürlükte vekalet yok.", "No deputyship is standing."),
        "org.no_delegations" => ("Yürürlükte yetki devri yok.", "No delegation is standing."),
        "people.title" => ("Personel", "People"),
        "people.name" => ("Ad soyad", "Name"),
        "people.position" => ("Kadro", "Position"),
        "people.kind" => ("Personel türü", "Staff kind"),
        "people.phone_ext" => ("Dahili", "Extension"),
        "people.email" => ("E-posta", "E-mail"),
        "people.none" => ("Personel kaydı yok.", "No staff records."),
        "people.tckn" => ("T.C. kimlik no", "Turkish ID number"),
        "people.tckn_masked" => ("maskelendi", "masked"),
        "people.kvkk_note" => ("Bu sayfa kişisel veri içerir; görüntülemeniz iz kayıtlarına yazıldı (KVKK).", "This page holds personal data; your viewing has been written to the audit trail (KVKK)."),
        "people.appointments" => ("Görevlendirmeler", "Appointments"),
        "people.start" => ("Başlangıç", "Start"),
        "people.end" => ("Bitiş", "End"),
        "people.ongoing" => ("devam ediyor", "ongoing"),
        "people.back" => ("Personel listesine dön", "Back to the staff list"),
        "mine.title" => ("Yetkilerim", "My authorities"),
        "mine.intro" => ("Bugün hangi işlemleri hangi dayanakla yapabileceğiniz: kadronuzdan, size yapılan yetki devrinden (m.10/4) ya da vekaletten (m.12/2).", "What you may do today and why: by your position, by a delegation to you (art. 10/4) or by a deputyship (art. 12/2)."),
        "mine.none" => ("Bugün hiçbir yetkiniz yok. Kadro kaydınız eksikse sistem yöneticisine başvurun.", "You hold no authority today. If your position is missing, contact the administrator."),
        "mine.basis" => ("Dayanak", "Basis"),
        "basis.position" => ("Kadro", "Position"),
        "basis.delegation" => ("Yetki devri", "Delegation"),
        "basis.deputyship" => ("Vekalet", "Deputyship"),
        "authority.title" => ("Yetki devri ve vekalet", "Delegation and deputyship"),
        "authority.delegations" => ("Yetki devirleri", "Delegations"),
        "authority.deputyships" => ("Vekaletler", "Deputyships"),
        "authority.delegation_help" => ("Müdür, yetkilerinden bir kısmını astlarına devredebilir ve geri alabilir (m.10/4). Geri alınan ya da süresi biten devir o anda hükümsüz olur.", "The Director may delegate some of his authorities to subordinates and take them back (art. 10/4). A revoked or expired delegation stops granting at once."),
        "authority.deputyship_help" => ("Müdürün yokluğunda, Başkanın oluru ile bir Şef vekaleten müdürlüğü yürütür (m.12/2).", "In the Director's absence, a Section Chief runs the directorate as deputy with the Mayor's approval (art. 12/2)."),
        "authority.new_delegation" => ("Yeni yetki devri", "New delegation"),
        "authority.new_deputyship" => ("Yeni vekalet", "New deputyship"),
        "authority.authority" => ("Yetki", "Authority"),
        "authority.article" => ("Madde", "Article"),
        "authority.by" => ("Devreden", "Given by"),
        "authority.to" => ("Devralan", "Given to"),
        "authority.deputy" => ("Vekil", "Deputy"),
        "authority.for" => ("Asıl", "Stands in for"),
        "authority.from" => ("Başlangıç", "From"),
        "authority.until" => ("Bitiş", "Until"),
        "authority.approval_ref" => ("Onay belgesi", "Approval reference"),
        "authority.approval_ref_help" => ("Devri onaylayan belgenin tarih ve sayısı.", "Date and number of the approving document."),
        "authority.olur_help" => ("Başkanlık olurunun tarih ve sayısı.", "Date and number of the Mayor's approval (olur)."),
        "authority.delegate" => ("Yetkiyi devret", "Delegate"),
        "authority.appoint_deputy" => ("Vekaleti kaydet", "Record the deputyship"),
        "authority.state" => ("Durum", "State"),
        "authority.revoke" => ("Geri al", "Revoke"),
        "authority.revoked" => ("Geri alındı", "Revoked"),
        "authority.expired" => ("Süresi doldu", "Expired"),
        "authority.standing" => ("Yürürlükte", "Standing"),
        "authority.done.devir" => ("Yetki devri kaydedildi.", "The delegation has been recorded."),
        "authority.done.vekalet" => ("Vekalet kaydedildi.", "The deputyship has been recorded."),
        "authority.done.geri-alindi" => ("Geri alındı; bu andan itibaren yetki vermez.", "Revoked; it grants nothing from now on."),
        "accounts.title" => ("Hesap oluştur", "Create an account"),
        "accounts.done" => ("Hesap oluşturuldu.", "The account has been created."),
        "accounts.account" => ("Hesap", "Account"),
        "accounts.initial_password" => ("İlk parola", "Initial password"),
        "accounts.is_admin" => ("Sistem yöneticisi", "Administrator"),
        "accounts.staff" => ("Personel kaydı", "Staff record"),
        "accounts.staff_help" => ("Kadro seçilmezse personel kaydı açılmaz (örneğin bir hizmet hesabı için).", "Without a position no staff record is made (for a service account, say)."),
        "accounts.create" => ("Hesabı oluştur", "Create the account"),
        "tokens.title" => ("API belirteçleri", "API tokens"),
        "tokens.intro" => ("Betikler ve diğer sistemler için kişisel belirteçler. Belirteç sizin yetkilerinizle çalışır; yalnızca özeti saklanır.", "Personal tokens for scripts and other systems. A token acts with your authorities; only its hash is kept."),
        "tokens.shown_once" => ("Belirteciniz aşağıda. Yalnızca bir kez gösterilir; şimdi kopyalayın.", "Your token is below. It is shown only once; copy it now."),
        "tokens.name" => ("Ad", "Name"),
        "tokens.create" => ("Belirteç oluştur", "Create a token"),
        "tokens.created" => ("Oluşturulma", "Created"),
        "audit.title" => ("İz kayıtları", "Audit trail"),
        "audit.intro" => ("Her değişiklik, kimin neyi ne zaman hangi yetkiyle yaptığıyla zincirlenmiş olarak kaydedilir; kişisel veri görüntülemeleri de yazılır.", "Every change is recorded, chained, with who did what, when and on which authority; reads of personal data are recorded too."),
        "audit.actor" => ("Kişi", "Person"),
        "audit.action" => ("İşlem", "Action"),
        "audit.subject" => ("Kayıt", "Record"),
        "audit.at" => ("Zaman", "When"),
        "audit.details" => ("Ayrıntı", "Details"),
        "audit.filter" => ("Süz", "Filter"),
        "audit.records" => ("kayıt", "records"),
        "basis.bilgi_edinme" => ("4982 Bilgi edinme: 15 iş günü", "4982 information request: 15 working days"),
        "basis.days30" => ("Genel: 30 gün", "General: 30 days"),
        "basis.dilekce" => ("3071 Dilekçe: 30 gün", "3071 petition: 30 days"),
        "basis.kvkk" => ("KVKK m.13 başvurusu: 30 gün", "KVKK art. 13 application: 30 days"),
        "basis.workdays10" => ("10 iş günü", "10 working days"),
        "close.answer_ref" => ("Cevap yazısının tarih ve sayısı", "Date and number of the answer"),
        "close.answered" => ("Cevaplandı", "Answered"),
        "close.filed" => ("İşlem tamam, dosyalandı", "Done and filed"),
        "close.how" => ("Kapatma şekli", "How it is closed"),
        "close.submit" => ("Evrakı kapat", "Close the document"),
        "close.title" => ("Kapat", "Close"),
        "deliver.help" => ("Evrakı teslim aldığınızda zimmetinize geçer; teslim alma zamanı kayda geçer.", "Taking delivery puts the document in your custody; the time is recorded."),
        "deliver.submit" => ("Teslim al (zimmet)", "Take delivery (custody)"),
        "doc.attachments" => ("Ekler", "Attachments"),
        "doc.closed" => ("Evrak kapatıldı.", "The document has been closed."),
        "doc.closing" => ("Kapanış", "Closing"),
        "doc.confidentiality" => ("Gizlilik derecesi", "Confidentiality"),
        "doc.delivered" => ("Evrak teslim alındı; zimmetinizde.", "Delivery taken; the document is in your custody."),
        "doc.due" => ("Cevap süresi", "Answer due"),
        "doc.not_routed" => ("Henüz havale edilmedi: Müdürün havalesini bekliyor.", "Not routed yet: awaiting the Director's routing."),
        "doc.number" => ("Kayıt no", "Number"),
        "doc.registered" => ("Kaydeden", "Registered"),
        "doc.registered_ok" => ("Evrak kaydedildi ve numaralandı; Müdürün havale kutusunda.", "The document has been registered and numbered; it is in the Director's tray."),
        "doc.restricted" => ("kısıtlı", "restricted"),
        "doc.restricted_note" => ("Gizli ya da kişisel veri içeren evrak: yalnızca havale edilenler, Müdür (veya vekili) ve kaydeden görebilir; görüntülemeniz iz kaydına yazıldı.", "Classified or personal-data document: only its recipients, the Director (or deputy) and the registrar may see it; your viewing has been recorded."),
        "doc.routed" => ("Havale edildi.", "Routed."),
        "doc.routings" => ("Havaleler", "Routings"),
        "doc.sender" => ("Gönderen", "Sender"),
        "doc.state" => ("Durum", "State"),
        "doc.state.closed" => ("Kapandı", "Closed"),
        "doc.state.registered" => ("Kaydedildi, havale bekliyor", "Registered, awaiting routing"),
        "doc.state.routed" => ("Havale edildi", "Routed"),
        "doc.subject" => ("Konu", "Subject"),
        "doc.urgency" => ("İvedilik", "Urgency"),
        "due.title" => ("Süresi geçen ve yaklaşan evrak", "Overdue and due-soon documents"),
        "nav.tray" => ("Evrak", "Correspondence"),
        "nav.search" => ("Ara", "Search"),
        "nav.letters" => ("Yazılar", "Letters"),
        "nav.archive" => ("Arşiv", "Archive"),
        "doc.file" => ("Dosyası", "Filed in"),
        "doc.filed" => ("Evrak dosyalandı.", "The document was filed."),
        "doc.file_help" => ("İşi biten evrakı, Müdürlüğün bu yılki aynı dosya planı kodlu dosyasına kaldırın (m.22); dosya yoksa açılır.", "File the completed document into the directorate's file of its code and year (m.22); the file is opened if there is none."),
        "doc.file_submit" => ("Dosyala", "File it"),
        "not_completed" => ("Yalnızca kapanmış gelen evrak ve imzalı yazılar dosyalanır.", "Only closed incoming documents and signed letters are filed."),
        "files.state.open" => ("Açık", "Open"),
        "files.state.closed" => ("Kapalı", "Closed"),
        "files.state.disposed" => ("İmha edildi", "Disposed of"),
        "files.disposal" => ("İmha", "Disposal"),
        "files.commission" => ("Ayıklama-imha komisyonu", "Disposal commission"),
        "files.recorded_by" => ("Kaydeden", "Recorded by"),
        "files.tombstones" => ("İmha edilenler (kalıcı kayıt)", "What was disposed of (kept for ever)"),
        "files.title" => ("Arşiv dosyaları", "Archive files"),
        "files.open" => ("Açık dosyalar", "Open files"),
        "files.transfer" => ("Yıllık devir listesi", "Yearly transfer list"),
        "files.expired" => ("Saklama süresi dolanlar", "Past their retention"),
        "files.none" => ("Bu listede dosya yok.", "No file in this list."),
        "files.name" => ("Dosya", "File"),
        "files.documents" => ("Evrak", "Documents"),
        "files.retention" => ("Saklama (yıl / B)", "Retention (years / B)"),
        "files.disposal_code" => ("İmha kodu", "Disposal code"),
        "files.state_archives" => ("Devlet Arşivine", "to the State Archives"),
        "files.close" => ("Dosyayı kapat", "Close the file"),
        "files.new" => ("Yeni dosya aç", "Open a new file"),
        "files.open_submit" => ("Aç", "Open"),
        "files.dispose" => ("Seçilen dosyaları imha et (komisyon kararı)", "Dispose of the ticked files (commission decision)"),
        "files.decision_ref" => ("Komisyon kararı sayısı", "Commission decision reference"),
        "files.decision_date" => ("Karar tarihi", "Decision date"),
        "files.members" => ("Komisyon üyeleri (her satıra bir üye, en az üç)", "Commission members (one per line, at least three)"),
        "register.outgoing" => ("Giden evrak defteri", "Outgoing register"),
        "register.courier" => ("Zimmet listesi (elden teslim)", "Courier's list (by hand)"),
        "letters.title" => ("Giden yazılar", "Outgoing letters"),
        "letters.new" => ("Yeni yazı", "New letter"),
        "letters.empty" => ("Yazdığınız ya da sıra sizde olan bir yazı yok.", "No letter you wrote or that waits for you."),
        "letters.waiting_for" => ("Sıra", "Waiting for"),
        "letters.state.draft" => ("Taslak", "Draft"),
        "letters.state.in_approval" => ("Onayda", "In approval"),
        "letters.state.returned" => ("İade edildi", "Returned"),
        "letters.state.rejected" => ("Reddedildi", "Rejected"),
        "letters.state.signed" => ("İmzalandı", "Signed"),
        "letters.state.dispatched" => ("Gönderildi", "Dispatched"),
        "letter.subject" => ("Konu", "Subject"),
        "letter.body" => ("Metin", "Text"),
        "letter.recipients" => ("Muhatap ve dağıtım", "Addressees and distribution"),
        "letter.role" => ("Rol", "Role"),
        "letter.role.muhatap" => ("Muhatap", "Addressee"),
        "letter.role.action" => ("Dağıtım: gereği", "Distribution: for action"),
        "letter.role.info" => ("Dağıtım: bilgi", "Distribution: for information"),
        "letter.kind" => ("Türü", "Kind"),
        "letter.kind.institution" => ("Kurum (DETSİS)", "Institution (DETSİS)"),
        "letter.kind.directorate" => ("Belediyemizin müdürlüğü", "A directorate of the municipality"),
        "letter.kind.person" => ("Kişi", "Person"),
        "letter.kind.company" => ("Şirket", "Company"),
        "letter.name" => ("Adı", "Name"),
        "letter.detsis" => ("DETSİS no", "DETSİS no"),
        "letter.refs" => ("İlgi", "References"),
        "letter.contact" => ("İletişim (alt bilgi)", "Contact (footer)"),
        "letter.save" => ("Kaydet", "Save"),
        "letter.attachments" => ("Ekler", "Attachments"),
        "letter.add_attachments" => ("Ek ekle (PDF, görüntü, DOCX, ODT)", "Add attachments (PDF, image, DOCX, ODT)"),
        "letter.chain" => ("Onay zinciri", "Approval chain"),
        "letter.step.initial" => ("Paraf", "Initial"),
        "letter.step.sign" => ("İmza", "Signature"),
        "letter.approve" => ("Onayla (paraf / imza)", "Approve (initial / sign)"),
        "letter.return" => ("Yazana iade et", "Return to the writer"),
        "letter.reject" => ("Reddet", "Reject"),
        "letter.note" => ("Not (iade ve ret için zorunlu)", "Note (required to return or reject)"),
        "letter.edit" => ("Düzenle (paraflar düşer)", "Edit (initials are dropped)"),
        "letter.pdf" => ("Yazıyı PDF olarak aç", "Open the letter as PDF"),
        "letter.reply" => ("Cevap yaz", "Write a reply"),
        "letter.dispatch" => ("Gönder (giden evrak defterine işlenir)", "Dispatch (entered in the outgoing register)"),
        "letter.channel" => ("Gönderim şekli", "Channel"),
        "letter.channel.hand" => ("Elden (imza karşılığı)", "By hand (against signature)"),
        "letter.channel.kep" => ("KEP", "KEP"),
        "letter.channel.email" => ("E-posta", "E-mail"),
        "letter.channel.post" => ("Posta", "Post"),
        "letter.channel.eyazisma" => ("e-Yazışma", "e-Yazışma"),
        "letter.reference" => ("Teslim alan / alındı bilgisi", "Taken by / receipt"),
        "letter.number" => ("Sayı", "Number"),
        "letter.signed" => ("İmza", "Signed"),
        "letter.done" => ("İşlem kaydedildi.", "Done."),
        "search.title" => ("Belge ara", "Search documents"),
        "search.q" => ("Aranacak sözcükler", "Words to find"),
        "search.placeholder" => ("ör. bilgi işlem müdürlüğü, \"yazıcı arızası\", yazı*", "e.g. bilgi işlem müdürlüğü, \"yazıcı arızası\", yazı*"),
        "search.help" => ("Türkçe harfler olmadan da yazabilirsiniz; ekli biçimler (müdürlüğünün) ve taramalardaki okuma hataları (Miidiirliigii) da bulunur. Tırnak içindeki sözcükler bu sırayla aranır; sonuna * konan sözcük ile başlayanlar bulunur.", "You may type without Turkish letters; inflected forms (müdürlüğünün) and the misreadings of scans (Miidiirliigii) are found too. Words in quotes are found in that order; a word ending in * finds the words it begins."),
        "search.kind" => ("Tür", "Kind"),
        "search.kind.incoming" => ("Gelen evrak", "Incoming"),
        "search.kind.archive" => ("Arşiv belgesi", "Archive item"),
        "search.kind.outgoing" => ("Giden evrak", "Outgoing letter"),
        "search.year" => ("Yıl", "Year"),
        "search.from" => ("Başlangıç tarihi", "From"),
        "search.to" => ("Bitiş tarihi", "To"),
        "search.submit" => ("Ara", "Search"),
        "search.found" => ("belge bulundu", "documents found"),
        "search.none" => ("Aramanıza uyan, görme yetkiniz olan bir belge yok.", "No document you may see matches."),
        "search.sort" => ("Sıralama", "Order"),
        "search.sort.relevance" => ("ilgiye göre", "by relevance"),
        "search.sort.date" => ("tarihe göre", "by date"),
        "search.pages" => ("Sayfalar", "Pages"),
        "import.title" => ("Arşive tarama aktar", "Import scans into the archive"),
        "import.intro" => ("Taranmış kâğıt belgeleri (PDF, TIFF, JPEG, PNG) Standart Dosya Planı koduyla arşive ekleyin. Aynı dosya ikinci kez eklenmez; metinleri arka planda okunur (OCR) ve aramada bulunur. Çok sayıda dosya için sunucuda: mudurluk import scans KLASÖR --sdp KOD --year YIL", "Add scanned paper documents (PDF, TIFF, JPEG, PNG) to the archive under a Standard File Plan code. The same file is never added twice; their text is read in the background (OCR) and becomes searchable. For many files, on the server: mudurluk import scans DIR --sdp CODE --year YEAR"),
        "import.files" => ("Dosyalar", "Files"),
        "import.file" => ("Dosya", "File"),
        "import.outcome" => ("Sonuç", "Outcome"),
        "import.submit" => ("Aktar", "Import"),
        "import.imported" => ("Arşive eklendi", "Added to the archive"),
        "import.existing" => ("Zaten arşivde (aynı içerik)", "Already in the archive (same content)"),
        "import.empty_file" => ("Boş dosya (0 bayt): eklenmedi", "Empty file (0 bytes): not added"),
        "import.not_a_scan" => ("Taranmış belge değil (PDF, TIFF, JPEG veya PNG olmalı): eklenmedi", "Not a scan (must be PDF, TIFF, JPEG or PNG): not added"),
        "import.too_large" => ("Boyut sınırını aşıyor: eklenmedi", "Over the size limit: not added"),
        "import.source" => ("Kaynak dosya", "Source file"),
        "import.open_file" => ("Dosyayı aç", "Open the file"),
        "text.status" => ("Metin (arama için)", "Text (for search)"),
        "text.pages" => ("sayfa", "pages"),
        "text.queued" => ("Sırada: metni okunacak", "Queued: its text will be read"),
        "text.running" => ("Okunuyor", "Being read"),
        "text.done" => ("Okundu, aramada bulunur", "Read; searchable"),
        "text.partial" => ("Kısmen okundu", "Partly read"),
        "text.failed" => ("Okunamadı", "Could not be read"),
        "register.book" => ("Kayıt defteri", "Register"),
        "register.channel" => ("Geliş yolu", "Channel"),
        "register.company" => ("Şirket (VKN)", "Company (tax number)"),
        "register.delivered_by" => ("Teslim eden", "Delivered by"),
        "register.file_code" => ("Standart Dosya Planı kodu", "File plan code"),
        "register.file_code_help" => ("Örnek: 010.06 (Genelgeler). Grup başlıkları kabul edilmez; 020 ve 030.xx yalnızca ikincil koddur.", "Example: 010.06 (Circulars). Group headings are refused; 020 and 030.xx are secondary codes only."),
        "register.incoming" => ("Gelen evrak", "Incoming"),
        "register.institution" => ("Kurum (DETSİS)", "Institution (DETSİS)"),
        "register.legal_basis" => ("Yasal cevap süresi", "Legal answer period"),
        "register.person" => ("Kişi (T.C. kimlik no)", "Person (Turkish ID)"),
        "register.personal_data" => ("Kişisel veri içeriyor (KVKK)", "Contains personal data (KVKK)"),
        "register.petition" => ("Dilekçe", "Petition"),
        "register.receipt" => ("Alındı bilgisi (elden teslimde)", "Receipt (hand delivery)"),
        "register.received_by" => ("Teslim alan", "Received by"),
        "register.received_on" => ("Geliş tarihi", "Date of receipt"),
        "register.scan" => ("Taranmış asıl ve ekler", "Scanned original and attachments"),
        "register.scan_help" => ("PDF, PNG, JPEG, TIFF, DOCX, ODT veya metin. Dosyanın türü içeriğinden anlaşılır.", "PDF, PNG, JPEG, TIFF, DOCX, ODT or text. The type is read from the content."),
        "register.secondary_code" => ("İkincil kod (isteğe bağlı)", "Secondary code (optional)"),
        "register.sender_date" => ("Gönderenin tarihi", "Sender's date"),
        "register.sender_id" => ("DETSİS / T.C. kimlik no / VKN", "DETSİS / Turkish ID / tax number"),
        "register.sender_id_help" => ("Kurum için 8 haneli DETSİS, kişi için 11 haneli T.C. kimlik no, şirket için 10 haneli VKN.", "8-digit DETSİS for an institution, 11-digit ID for a person, 10-digit VKN for a company."),
        "register.sender_kind" => ("Gönderen türü", "Sender kind"),
        "register.sender_name" => ("Gönderen adı", "Sender name"),
        "register.sender_ref" => ("Gönderenin sayısı", "Sender's number"),
        "register.submit" => ("Kaydet ve numara al", "Register and number"),
        "register.title" => ("Yeni evrak kaydı", "Register a document"),
        "register.urgent_date" => ("Günlü ise tarih", "Date, if dated"),
        "route.action" => ("Gereği için", "For action"),
        "route.at" => ("Havale zamanı", "Routed at"),
        "route.by" => ("Havale eden", "Routed by"),
        "route.delivered" => ("Teslim alındı", "Delivery taken"),
        "route.info" => ("Bilgi için", "For information"),
        "route.info_to" => ("Ayrıca bilgi için", "Also for information to"),
        "route.internal_due" => ("İç süre", "Internal deadline"),
        "route.note" => ("Açıklama", "Note"),
        "route.purpose" => ("Havale amacı", "Purpose"),
        "route.submit" => ("Havale et", "Route"),
        "route.title" => ("Havale", "Route"),
        "tray.awaiting" => ("Bekleyen işlem", "Waiting for"),
        "tray.awaiting.act" => ("Gereği yapılacak", "Action"),
        "tray.awaiting.deliver" => ("Teslim alınacak", "Take delivery"),
        "tray.awaiting.info" => ("Bilgi", "Information"),
        "tray.awaiting.route" => ("Havale edilecek", "To route"),
        "tray.delivery_late" => ("teslim alınmadı", "not taken"),
        "tray.due_soon" => ("süre yaklaşıyor", "due soon"),
        "tray.empty" => ("Bekleyen evrak yok.", "Nothing is waiting."),
        "tray.overdue" => ("süresi geçti", "overdue"),
        "tray.recipient" => ("Alıcı", "Recipient"),
        "tray.title" => ("Bekleyen evrak", "My tray"),
        "book.title" => ("Kayıt defterleri", "Register books"),
        "book.intro" => ("Gelen evrak ve dilekçe defterini seçtiğiniz tarih aralığı için PDF ya da CSV olarak alın. Görme yetkiniz olmayan gizli evrakın göndereni ve konusu defterde gösterilmez.", "Get the incoming or petition register for a date range as PDF or CSV. The sender and subject of classified documents you may not see are left out."),
        "book.format" => ("Biçim", "Format"),
        "book.submit" => ("Defteri al", "Get the book"),
        "doc.receipt" => ("Alındı belgesi (PDF)", "Receipt (PDF)"),
        "bad_format" => ("Biçim geçersiz (pdf veya csv).", "Invalid format (pdf or csv)."),
        "smtp_not_configured" => ("E-posta sunucusu (SMTP) yapılandırılmamış; mudurluk.toml dosyasına [smtp] bölümü ekleyin.", "No e-mail server (SMTP) is configured; add an [smtp] section to mudurluk.toml."),
        "not_extendable" => ("Yalnızca bilgi edinme başvurularının süresi uzatılabilir (4982 m.11/2).", "Only information requests can be extended (4982 art. 11/2)."),
        "already_extended" => ("Bu başvurunun süresi zaten bir kez uzatıldı.", "This request has already been extended once."),
        "due.unit" => ("Birim", "Unit"),
        "due.person" => ("Kişi", "Person"),
        "due.all" => ("Tümü", "All"),
        "calendar.title" => ("Çalışma takvimi", "Working calendar"),
        "calendar.intro" => ("Yasal cevap süreleri bu takvime göre hesaplanır: hafta sonları, resmî tatiller ve idari izin günleri sayılmaz; arife yarım günü iş günü sayılır. Bir değişiklik, bundan sonra hesaplanan sürelere uygulanır.", "Legal deadlines are computed on this calendar: weekends, official holidays and administrative-leave days do not count; an arife half-day counts as a working day. A change applies to deadlines computed from then on."),
        "calendar.done" => ("Takvim güncellendi.", "The calendar has been updated."),
        "calendar.date" => ("Tarih", "Date"),
        "calendar.kind" => ("Tür", "Kind"),
        "calendar.name" => ("Açıklama", "Name"),
        "calendar.holiday" => ("Resmî tatil", "Official holiday"),
        "calendar.half_day" => ("Yarım gün (arife)", "Half day (eve)"),
        "calendar.admin_leave" => ("İdari izin", "Administrative leave"),
        "calendar.working" => ("İş günü", "Working day"),
        "calendar.edited" => ("Yönetici ekledi", "Added by an administrator"),
        "calendar.shipped" => ("Resmî takvim", "Official calendar"),
        "calendar.remove" => ("Kaldır", "Remove"),
        "calendar.add" => ("Gün ekle veya düzelt", "Add or correct a day"),
        "calendar.save" => ("Kaydet", "Save"),
        "nav.calendar" => ("Takvim", "Calendar"),
        "form.errors" => ("Formda düzeltilmesi gereken alanlar var.", "Some fields of the form need correcting."),
        "error.404.title" => ("Sayfa bulunamadı", "Page not found"),
        "error.404.body" => ("Aradığınız sayfa yok ya da taşınmış. Adresi kontrol edin veya ana sayfaya dönün.", "The page you are looking for does not exist or has moved. Check the address or go back to the home page."),
        "error.403.title" => ("İşlem reddedildi", "Request refused"),
        "error.403.body" => ("Form süresi dolmuş ya da başka bir siteden gönderilmiş olabilir. Sayfayı yenileyip yeniden deneyin.", "The form may have expired or been sent from another site. Reload the page and try again."),
        "error.500.title" => ("Beklenmeyen bir hata oluştu", "An unexpected error occurred"),
        "error.500.body" => ("İşleminiz tamamlanamadı ve hiçbir şey değiştirilmedi. Sorun sürerse sistem yöneticisine aşağıdaki başvuru numarasını iletin.", "Your request could not be completed and nothing was changed. If the problem persists, give the reference below to the system administrator."),
        "error.503.title" => ("Hizmet şu anda kullanılamıyor", "Service unavailable"),
        "error.503.body" => ("Veritabanına ulaşılamıyor. Biraz sonra yeniden deneyin.", "The database cannot be reached. Try again shortly."),
        "error.ref" => ("Başvuru numarası", "Reference"),
        "error.back_home" => ("Ana sayfaya dön", "Back to the home page"),
        // Field-level and API error codes.
        "bad_username" => ("Kullanıcı adı 3–32 karakter olmalı; küçük harf (a–z), rakam, '.', '_' veya '-' içerebilir ve harfle başlamalı.", "Username must be 3–32 characters of lowercase letters a–z, digits, '.', '_' or '-', starting with a letter."),
        "bad_display_name" => ("Ad soyad 1–120 karakter olmalı.", "Full name must be 1–120 characters."),
        "password_too_short" => ("Parola en az 12 karakter olmalı.", "Password must be at least 12 characters."),
        "password_too_long" => ("Parola en fazla 256 karakter olabilir.", "Password must be at most 256 characters."),
        "password_mismatch" => ("İki parola birbirini tutmuyor.", "The two passwords do not match."),
        "setup_token_invalid" => ("Kurulum bağlantısı geçersiz ya da kullanılmış.", "The setup link is invalid or already used."),
        "already_set_up" => ("Kurulum zaten tamamlanmış.", "Setup has already been completed."),
        "unsupported_type" => ("Bu dosya türü kabul edilmiyor (PDF, PNG, JPEG, TIFF, DOCX, ODT veya düz metin).", "This file type is not accepted (PDF, PNG, JPEG, TIFF, DOCX, ODT or plain text)."),
        "out_of_range" => ("Değer izin verilen aralığın dışında.", "The value is out of the allowed range."),
        "too_large" => ("Dosya izin verilen boyut sınırını aşıyor.", "The file exceeds the size limit."),
        "not_found" => ("Kayıt bulunamadı.", "Not found."),
        "unauthenticated" => ("Bu işlem için oturum açmalısınız.", "You must be signed in for this."),
        "error.missing_authority" => ("Eksik yetki", "Missing authority"),
        "forbidden" => ("Bu işlem için yetkiniz yok.", "You are not allowed to do this."),
        "csrf" => ("Güvenlik belirteci eksik ya da geçersiz; sayfayı yenileyip yeniden deneyin.", "The security token is missing or invalid; reload the page and try again."),
        "invalid_json" => ("İstek gövdesi geçerli bir JSON değil ya da beklenen alanları taşımıyor.", "The request body is not valid JSON or lacks the expected fields."),
        "invalid_query" => ("Sorgu parametreleri geçersiz.", "The query parameters are invalid."),
        "bad_request" => ("İstek çözümlenemedi.", "The request could not be understood."),
        "unavailable" => ("Veritabanına ulaşılamıyor.", "The database cannot be reached."),
        "internal" => ("Beklenmeyen bir hata oluştu; hiçbir şey değiştirilmedi.", "An unexpected error occurred; nothing was changed."),
        "method_not_allowed" => ("Bu adres bu yöntemi desteklemiyor.", "This address does not support this method."),
        "directory_unavailable" => ("Kurum dizin sunucusuna (LDAP/Active Directory) şu anda ulaşılamıyor; biraz sonra yeniden deneyin. Yerel hesaplar giriş yapabilir.", "The institution's directory server (LDAP/Active Directory) cannot be reached; try again shortly. Local accounts can still sign in."),
        "directory_account" => ("Bu hesabın parolası kurum dizininde (LDAP/Active Directory) tutulur; oradan değiştirin.", "This account's password lives in the institution's directory (LDAP/Active Directory); change it there."),
        "bad_register" => ("Kayıt defteri geçersiz (gelen evrak veya dilekçe).", "Invalid register (incoming or petition)."),
        "bad_channel" => ("Geliş yolu geçersiz (e-Yazışma, KEP, elden, posta, e-posta, faks).", "Invalid channel (e-Yazışma, KEP, by hand, post, e-mail, fax)."),
        "bad_sender_kind" => ("Gönderen türü geçersiz (kurum, kişi veya şirket).", "Invalid sender kind (institution, person or company)."),
        "bad_detsis" => ("DETSİS numarası 8 haneli olmalı.", "The DETSİS number must have 8 digits."),
        "bad_vkn" => ("Vergi kimlik numarası geçersiz: 10 haneli olmalı ve kontrol hanesi tutmalı.", "The tax number (VKN) is invalid: 10 digits with a matching check digit."),
        "date_in_future" => ("Tarih bugünden sonra olamaz.", "The date cannot be in the future."),
        "after_receipt" => ("Gönderen tarihi, evrakın geliş tarihinden sonra olamaz.", "The sender's date cannot be after the date of receipt."),
        "unknown_file_code" => ("Standart Dosya Planında böyle bir kod yok.", "The Standard File Plan has no such code."),
        "group_file_code" => ("Bu bir grup başlığı; altındaki kodlardan birini seçin.", "This is a group heading; choose one of its codes."),
        "secondary_file_code" => ("020 ve 030.xx kodları yalnızca ikincil kod olarak kullanılabilir.", "Codes 020 and 030.xx may be used only as secondary codes."),
        "bad_confidentiality" => ("Gizlilik derecesi geçersiz (YOK, HZO, OZL, GZL, CGZ).", "Invalid confidentiality (YOK, HZO, OZL, GZL, CGZ)."),
        "bad_urgency" => ("İvedilik geçersiz (NRM, ACL, GNL).", "Invalid urgency (NRM, ACL, GNL)."),
        "bad_legal_basis" => ("Yasal süre dayanağı geçersiz (dilekce, bilgi_edinme, kvkk, days:N, workdays:N, gunlu:YYYY-AA-GG).", "Invalid legal basis (dilekce, bilgi_edinme, kvkk, days:N, workdays:N, gunlu:YYYY-MM-DD)."),
        "extension_needs_notice" => ("Bilgi edinme süresi uzatımı kayıtta değil, yazılı bildirimiyle birlikte sonradan yapılır.", "An information-request extension is recorded later, with its written notice, not at registration."),
        "unknown_attachment" => ("Ek bulunamadı: önce dosyayı yükleyin.", "Attachment not found: upload the file first."),
        "too_many" => ("Çok fazla öğe.", "Too many items."),
        "bad_purpose" => ("Havale amacı geçersiz (gereği için veya bilgi için).", "Invalid routing purpose (for action or for information)."),
        "unknown_unit" => ("Teşkilatta böyle bir birim yok.", "The organisation has no such unit."),
        "unit_or_user" => ("Her alıcı için bir birim ya da bir kişi seçin (ikisi birden değil).", "Give each recipient a unit or a person (not both)."),
        "after_legal_due" => ("İç süre, yasal cevap süresinden sonra olamaz.", "The internal deadline cannot be after the legal one."),
        "already_closed" => ("Bu evrak kapatılmış.", "This document has been closed."),
        "target_outside_section" => ("Şef, evrakı yalnızca kendi şefliğindeki personele havale edebilir.", "A section head may route only to people of his own section."),
        "already_delivered" => ("Bu evrak zaten teslim alınmış.", "This document has already been taken into custody."),
        "not_routed" => ("Evrak henüz havale edilmedi.", "The document has not been routed yet."),
        "not_delivered" => ("Önce evrakı teslim alın (zimmet).", "Take the document into custody first."),
        "bad_closing" => ("Kapatma şekli geçersiz (cevaplandı veya dosyalandı).", "Invalid closing (answered or filed)."),
        "bad_day_kind" => ("Gün türü geçersiz (tatil, yarım gün, idari izin, iş günü).", "Invalid day kind (holiday, half day, administrative leave, working day)."),
        "required" => ("Bu alan zorunludur.", "This field is required."),
        "bad_number" => ("Sayı geçersiz.", "The number is invalid."),
        "no_position" => ("Yazı hazırlamak için bir kadroda görevli olmalısınız.", "You need a position to write a letter."),
        "no_signer" => ("Görev zincirinizde bu tür yazıyı imzalayacak kimse yok.", "No one up your reporting line signs this kind of letter."),
        "not_editable" => ("İmzalanmış ya da reddedilmiş yazı değiştirilemez.", "A signed or rejected letter cannot be changed."),
        "letter_changed" => ("Yazı siz bakarken değişti; güncel hâlini açıp yeniden deneyin.", "The letter changed meanwhile; open its current version and try again."),
        "already_signed" => ("Bu yazı zaten imzalandı.", "This letter has been signed already."),
        "not_in_approval" => ("Bu yazı onay sürecinde değil.", "This letter is not in approval."),
        "initials_missing" => ("Önce bütün parafların atılması gerekir; imza sırası henüz gelmedi.", "All initials must come first; it is not yet time to sign."),
        "not_your_turn" => ("Sıra henüz sizde değil: önceki parafları bekleyin.", "It is not your turn yet: wait for the earlier initials."),
        "own_step" => ("Yazan kendi yazısını iade edemez ya da reddedemez; değiştirebilir.", "The writer cannot return or reject his own letter; he can edit it."),
        "detsis_not_configured" => ("Kurumun DETSİS numarası ayarlanmamış; giden evrak sayısı verilemiyor ([correspondence] detsis).", "The institution's DETSİS number is not set; outgoing numbers cannot be given ([correspondence] detsis)."),
        "number_taken" => ("Bu sayı başka bir yazıya verilmiş; sayı iki kez kullanılamaz.", "This number belongs to another letter; a number is never used twice."),
        "file_exists" => ("Bu kod, birim ve yıl için bir dosya zaten var.", "A file for this code, unit and year exists already."),
        "file_not_open" => ("Dosya kapalı; içine evrak konamaz.", "The file is closed; nothing can be filed into it."),
        "file_not_closed" => ("Önce dosya kapatılmalıdır.", "The file must be closed first."),
        "file_code_mismatch" => ("Evrakın dosya planı kodu bu dosyanınkiyle aynı değil.", "The document's file-plan code is not this file's."),
        "already_filed" => ("Bu evrak zaten bir dosyada.", "This document is in a file already."),
        "unknown_document" => ("Böyle bir evrak yok (ya da henüz imzalanmadı).", "No such document (or not signed yet)."),
        "bad_document" => ("Evrak incoming:N, outgoing:N veya archive:N biçiminde verilmelidir.", "Give the document as incoming:N, outgoing:N or archive:N."),
        "bad_list" => ("Liste geçersiz (open, transfer, expired).", "Invalid list (open, transfer, expired)."),
        "commission_too_small" => ("Ayıklama-imha komisyonu en az üç üyeden oluşur.", "The disposal commission has at least three members."),
        "retention_not_over" => ("Saklama süresi dolmadan (ya da kurumda saklanacak B kodlu) dosya imha edilemez.", "A file cannot be disposed of before its retention runs out (or when kept at the institution, B)."),
        "goes_to_state_archives" => ("Bu dosya Devlet Arşivlerine devredilecek (A); imha edilemez.", "This file goes to the State Archives (A); it cannot be disposed of."),
        "already_disposed" => ("Bu dosya zaten imha edildi.", "This file has been disposed of already."),
        "already_dispatched" => ("Bu yazı zaten gönderildi.", "This letter has been dispatched already."),
        "not_signed" => ("Yazı henüz imzalanmadı.", "The letter has not been signed yet."),
        "unknown_incoming" => ("İlgi tutulan gelen evrak bulunamadı.", "The incoming document referred to was not found."),
        "detsis_required" => ("Kurum alıcısı için DETSİS numarası gereklidir.", "An institution recipient needs its DETSİS number."),
        "bad_role" => ("Alıcının rolü geçersiz (muhatap, gereği, bilgi).", "Invalid recipient role (addressee, for action, for information)."),
        "bad_recipient_kind" => ("Alıcı türü geçersiz (kurum, müdürlük, kişi, şirket).", "Invalid recipient kind (institution, directorate, person, company)."),
        "muhatap_required" => ("En az bir muhatap gereklidir.", "At least one addressee is required."),
        "bad_decision" => ("Karar geçersiz (onay, iade, ret).", "Invalid decision (approve, return, reject)."),
        "bad_signature_format" => ("İmza dosyası biçimi geçersiz (CAdES veya XAdES).", "Invalid signature format (CAdES or XAdES)."),
        "bad_year" => ("Yıl geçersiz: 1900 ile bu yıl arasında olmalı.", "The year is invalid: from 1900 to this year."),
        "before_from" => ("Bitiş tarihi başlangıçtan önce olamaz.", "The end date cannot come before the start."),
        "bad_sort" => ("Sıralama geçersiz (ilgi veya tarih).", "Invalid order (relevance or date)."),
        "bad_kind" => ("Belge türü geçersiz (gelen evrak, giden evrak veya arşiv).", "Invalid kind (incoming, outgoing or archive)."),
        "not_a_scan" => ("Taranmış belge değil: PDF, TIFF, JPEG veya PNG olmalı.", "Not a scan: must be PDF, TIFF, JPEG or PNG."),
        "empty_file" => ("Dosya boş (0 bayt).", "The file is empty (0 bytes)."),
        "too_long" => ("Değer izin verilenden uzun.", "The value is too long."),
        "bad_instant" => ("Tarih ve saat geçersiz; örnek: 2026-12-01T09:00.", "The date and time are invalid; example: 2026-12-01T09:00."),
        "bad_date" => ("Tarih geçersiz; örnek: 2026-12-01.", "The date is invalid; example: 2026-12-01."),
        "period_empty" => ("Bitiş, başlangıçtan sonra olmalı.", "The end must come after the start."),
        "unknown_user" => ("Bu kullanıcı adıyla bir hesap yok.", "There is no account with this username."),
        "unknown_authority" => ("Yönetmelik profilinde böyle bir yetki yok.", "The regulation profile has no such authority."),
        "not_delegable" => ("Bu yetki devredilemez (m.10/4).", "This authority cannot be delegated (art. 10/4)."),
        "delegate_to_self" => ("Yetki kişinin kendisine devredilemez.", "An authority cannot be delegated to oneself."),
        "deputy_is_self" => ("Kişi kendisine vekalet edemez.", "A person cannot deputise for themself."),
        "not_deputisable" => ("Bu kişinin görevi için vekalet öngörülmemiş (m.12/2: Müdürün yokluğunda).", "No deputyship is provided for this person's position (art. 12/2: in the Director's absence)."),
        "deputy_not_eligible" => ("Vekil bu görev için uygun değil; m.12/2'ye göre Müdüre bir Şef vekalet eder.", "The deputy is not eligible; under art. 12/2 a Section Chief deputises for the Director."),
        "overlapping_deputyship" => ("Bu dönemde aynı kişi için geçerli başka bir vekalet var.", "Another deputyship for the same person covers this period."),
        "already_revoked" => ("Bu kayıt zaten geri alınmış.", "This has already been revoked."),
        "unknown_position" => ("Yönetmelik profilinde böyle bir kadro yok.", "The regulation profile has no such position."),
        "unknown_staff_kind" => ("Personel türü geçersiz (memur, işçi veya şirket personeli).", "Invalid staff kind (civil servant, worker or contractor staff)."),
        "bad_tckn" => ("T.C. kimlik numarası geçersiz: 11 haneli olmalı ve kontrol haneleri tutmalı.", "The Turkish ID number is invalid: it must have 11 digits with matching check digits."),
        "bad_email" => ("E-posta adresi geçersiz.", "The e-mail address is invalid."),
        "bad_phone" => ("Dahili numara yalnızca rakam, boşluk, '-' ve '+' içerebilir (en çok 16 karakter).", "The extension may hold only digits, spaces, '-' and '+' (at most 16 characters)."),
        "username_taken" => ("Bu kullanıcı adı kullanılıyor.", "This username is taken."),
        "tckn_taken" => ("Bu T.C. kimlik numarasıyla kayıtlı bir personel var.", "A staff record with this Turkish ID number exists."),
        "account_has_staff" => ("Bu hesabın zaten bir personel kaydı var.", "This account already has a staff record."),
        "demo_needs_default_profile" => ("Örnek personel yalnızca varsayılan yönetmelik profiliyle yüklenebilir.", "Demo staff can be loaded only with the default regulation profile."),
        _ => ("?", "?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de-DE, tr;q=0.8, en;q=0.5"), Some(Lang::Tr));
        assert_eq!(Lang::from_accept_language("en;q=0.3, tr-TR"), Some(Lang::Tr));
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("en;q=0"), None);
    }

    /// Every key a template or the code asks for exists in both languages:
    /// the keys are read out of the templates and sources themselves.
    #[test]
    fn every_used_key_is_in_the_catalogue() {
        let sources = [
            include_str!("../templates/base.html"),
            include_str!("../templates/home.html"),
            include_str!("../templates/login.html"),
            include_str!("../templates/setup.html"),
            include_str!("../templates/error.html"),
            include_str!("../templates/password.html"),
            include_str!("../templates/org.html"),
            include_str!("../templates/people.html"),
            include_str!("../templates/person.html"),
            include_str!("../templates/my_authorities.html"),
            include_str!("../templates/authority.html"),
            include_str!("../templates/accounts.html"),
            include_str!("../templates/tokens.html"),
            include_str!("../templates/audit.html"),
            include_str!("people.rs"),
            include_str!("../templates/tray.html"),
            include_str!("../templates/book.html"),
            include_str!("../templates/calendar.html"),
            include_str!("../templates/register.html"),
            include_str!("../templates/document.html"),
            include_str!("correspondence.rs"),
            include_str!("error.rs"),
            include_str!("../templates/search.html"),
            include_str!("../templates/letters.html"),
            include_str!("../templates/archive_files.html"),
            include_str!("../templates/archive_file.html"),
            include_str!("../templates/disposal.html"),
            include_str!("../templates/letter.html"),
            include_str!("../templates/letter_form.html"),
            include_str!("../templates/archive_item.html"),
            include_str!("../templates/archive_import.html"),
            include_str!("search.rs"),
        ];
        let mut keys = Vec::new();
        for src in sources {
            for (i, _) in src.match_indices(".s(\"") {
                let rest = &src[i + 4..];
                keys.push(&rest[..rest.find('"').unwrap()]);
            }
            // Keys passed as string literals that look like catalogue keys.
            for (i, _) in src.match_indices("\"error.") {
                let rest = &src[i + 1..];
                keys.push(&rest[..rest.find('"').unwrap()]);
            }
            let literals = ["\"basis.", "\"authority.done.", "\"tray.", "\"route.", "\"doc.", "\"due."];
            for (i, _) in literals.iter().flat_map(|p| src.match_indices(p)) {
                let rest = &src[i + 1..];
                keys.push(&rest[..rest.find('"').unwrap()]);
            }
            for (i, _) in src.match_indices("\"setup.") {
                let rest = &src[i + 1..];
                keys.push(&rest[..rest.find('"').unwrap()]);
            }
        }
        keys.retain(|k| !k.ends_with(".html"));
        assert!(keys.len() > 30, "found only {} keys", keys.len());
        for key in keys {
            assert_ne!(Tr(Lang::Tr).s(key), "?", "{key} has no Turkish text");
            assert_ne!(Tr(Lang::En).s(key), "?", "{key} has no English text");
        }
        // Every error code the app and store layers produce, read out of
        // their sources: `invalid("field", "code")` and `Conflict("code")`.
        let producers = [
            include_str!("../../app/src/accounts.rs"),
            include_str!("../../app/src/setup.rs"),
            include_str!("../../app/src/people.rs"),
            include_str!("../../app/src/attachments.rs"),
            include_str!("../../app/src/demo.rs"),
            include_str!("../../app/src/lib.rs"),
            include_str!("../../store/src/people.rs"),
            include_str!("../../store/src/correspondence.rs"),
            include_str!("../../app/src/correspondence.rs"),
            include_str!("../../app/src/digest.rs"),
            include_str!("../../app/src/books.rs"),
            include_str!("../../app/src/search.rs"),
            include_str!("../../app/src/outgoing.rs"),
            include_str!("../../store/src/outgoing.rs"),
            include_str!("../../store/src/search.rs"),
            include_str!("outgoing.rs"),
            include_str!("archive.rs"),
            include_str!("../../app/src/archive.rs"),
            include_str!("../../store/src/archive.rs"),
            include_str!("search.rs"),
            include_str!("../../domain/src/correspondence.rs"),
            include_str!("../../store/src/queries.rs"),
            include_str!("api.rs"),
            include_str!("pages.rs"),
        ];
        let mut codes = vec!["directory_unavailable", "forbidden", "unauthenticated", "not_found", "too_large", "unavailable", "internal", "csrf",
            "bad_request", "invalid_json", "invalid_query", "method_not_allowed", "required", "bad_instant", "bad_date", "unknown_user",
            "unknown_file_code", "group_file_code", "secondary_file_code", "bad_purpose", "bad_channel"];
        for src in producers {
            for pat in ["invalid(\"", "err(\"", "Conflict(\"", "StatusCode::UNAUTHORIZED, \"", "StatusCode::BAD_REQUEST, \""] {
                for (i, _) in src.match_indices(pat) {
                    let rest = &src[i + pat.len()..];
                    let first = &rest[..rest.find('"').unwrap()];
                    let after = &rest[first.len() + 1..];
                    // invalid("field", "code"): the code is the second literal
                    // (a computed code is listed by hand above).
                    let code = if pat.starts_with("invalid") || pat.starts_with("err") {
                        let Some(r) = after.strip_prefix(", \"") else { continue };
                        &r[..r.find('"').unwrap()]
                    } else {
                        first
                    };
                    codes.push(code);
                }
            }
        }
        assert!(codes.len() > 40, "found only {} codes", codes.len());
        for code in codes {
            assert_ne!(Tr(Lang::Tr).s(code), "?", "{code} has no Turkish text");
            assert_ne!(Tr(Lang::En).s(code), "?", "{code} has no English text");
        }
    }
}
