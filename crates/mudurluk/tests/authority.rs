//! People, delegations, deputyships, API tokens and the audit trail through
//! the API, as the demo staff of `serve --demo` would use them, on both
//! engines.

mod common;

use common::{spawn_demo, Db};
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

fn instant(from_now: Duration) -> String {
    (OffsetDateTime::now_utc() + from_now)
        .format(&Rfc3339)
        .unwrap()
}

/// m.12/2: in the Müdür's absence a Şef runs the directorate with the
/// Mayor's approval. The deputyship grants the Müdür's authorities with the
/// deputyship as basis, and stops granting the moment it is revoked.
async fn deputyship_lends_the_directors_authorities_to_a_chief(db: Db) {
    let app = spawn_demo(db).await;
    let baskan = app.as_user("baskan").await;
    let sef = app.as_user("sef.kalem").await;
    let mudur = app.as_user("mudur").await;

    // m.20/1-c, m.21/1: routing incoming documents is the Müdür's.
    let basis = mudur
        .holds("route_incoming")
        .await
        .expect("the Müdür routes incoming documents");
    assert_eq!(basis["kind"], "position");
    assert_eq!(basis["position"], "mudur");
    assert!(
        sef.holds("route_incoming").await.is_none(),
        "a Şef does not route by position"
    );

    let request = json!({"deputy": "sef.kalem", "for": "mudur", "from": instant(Duration::hours(-1)),
        "until": instant(Duration::days(3)), "approval_ref": "Başkanlık Olur 2026/41"});

    // Only the Mayor approves a deputyship (m.12/2); the refusal names it.
    let (status, body) = sef.post("/deputyships", request.clone()).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "forbidden");
    assert_eq!(body["error"]["authority"], "approve_deputyship");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Müdüre vekalet için olur vermek (m.12/2)"),
        "the message names the authority as people know it: {body}"
    );
    assert_eq!(
        baskan.get("/deputyships").await.1.as_array().unwrap().len(),
        0,
        "the refusal changed nothing"
    );

    let (status, body) = baskan.post("/deputyships", request.clone()).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().unwrap();

    let basis = sef
        .holds("route_incoming")
        .await
        .expect("the deputy routes incoming documents");
    assert_eq!(basis["kind"], "deputyship");
    assert_eq!(basis["id"], id);
    assert_eq!(basis["approval_ref"], "Başkanlık Olur 2026/41");
    assert_eq!(basis["position"], "mudur");
    assert!(
        basis["article"].as_str().unwrap().contains("m.12/2"),
        "{basis}"
    );
    // The deputy's own authorities stay (m.15/3 initialling is a Şef's too).
    assert!(sef.holds("initial_document").await.is_some());

    // A second deputyship over the same days is refused and adds nothing.
    let (status, body) = baskan.post("/deputyships", json!({"deputy": "sef.bt", "for": "mudur",
        "from": instant(Duration::days(1)), "until": instant(Duration::days(2)), "approval_ref": "Olur 2026/42"})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("overlapping_deputyship"))
    );
    // A Memur cannot run the directorate (m.12/2 names a Şef).
    let (status, body) = baskan.post("/deputyships", json!({"deputy": "memur.kalem", "for": "mudur",
        "from": instant(Duration::days(5)), "until": instant(Duration::days(6)), "approval_ref": "Olur 2026/43"})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("deputy_not_eligible"))
    );
    let (_, list) = baskan.get("/deputyships").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["deputy"], "sef.kalem");
    assert_eq!(list[0]["for"], "mudur");

    // The org chart shows the standing deputyship.
    let (_, org) = sef.get("/org").await;
    assert_eq!(org["deputyships"][0]["id"], id);

    // Revoked: it stops granting at once.
    let (status, _) = baskan.delete(&format!("/deputyships/{id}")).await;
    assert_eq!(status, 204);
    assert!(
        sef.holds("route_incoming").await.is_none(),
        "revocation takes effect at once"
    );
    let (status, body) = baskan.delete(&format!("/deputyships/{id}")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("already_revoked"))
    );
    let (status, _) = baskan.delete("/deputyships/99999").await;
    assert_eq!(status, 404);

    // The audit trail holds both changes with the Mayor's basis, and the
    // Müdür (m.11) can filter it.
    let (status, audit) = mudur.get("/audit?action=deputyship.&actor=baskan").await;
    assert_eq!(status, 200, "{audit}");
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["deputyship.revoked", "deputyship.created"]);
    assert!(
        audit[1]["basis"].as_str().unwrap().contains("m.12/2"),
        "{}",
        audit[1]
    );
    assert_eq!(
        audit[1]["details"]["after"]["approval_ref"], "Başkanlık Olur 2026/41",
        "{}",
        audit[1]
    );
}
on_both_engines!(deputyship_lends_the_directors_authorities_to_a_chief);

/// m.10/4: the Müdür may delegate his authorities to subordinates and take
/// them back.
async fn delegation_grants_until_revoked(db: Db) {
    let app = spawn_demo(db).await;
    let mudur = app.as_user("mudur").await;
    let sef = app.as_user("sef.bt").await;
    let memur = app.as_user("memur.bt").await;

    assert!(sef.holds("order_overtime").await.is_none());
    let good = json!({"to": "sef.bt", "authority": "order_overtime", "from": instant(Duration::minutes(-5)),
        "until": instant(Duration::days(30)), "approval_ref": "Müdürlük Olur 2026/7"});

    // Bad input of every kind: 422 naming the field, nothing written.
    for (patch, field, code) in [
        (
            json!({"authority": "no_such_thing"}),
            "authority",
            "unknown_authority",
        ),
        (
            json!({"authority": "discipline"}),
            "authority",
            "not_delegable",
        ),
        (json!({"to": "nobody"}), "to", "unknown_user"),
        (json!({"to": "mudur"}), "to", "delegate_to_self"),
        (
            json!({"until": instant(Duration::days(-1))}),
            "until",
            "period_empty",
        ),
        (json!({"from": "dün"}), "from", "bad_instant"),
        (json!({"approval_ref": "  "}), "approval_ref", "required"),
    ] {
        let mut body = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, err) = mudur.post("/delegations", body).await;
        assert_eq!(status, 422, "{patch}: {err}");
        assert_eq!(err["error"]["field"], field, "{patch}");
        assert_eq!(err["error"]["code"], code, "{patch}");
    }
    // A body missing its fields names the first one missing.
    let (status, err) = mudur.post("/delegations", json!({"to": "sef.bt"})).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (422, Some("required"))
    );
    assert!(err["error"]["field"].is_string(), "{err}");
    assert_eq!(
        mudur.get("/delegations").await.1.as_array().unwrap().len(),
        0
    );

    // A Memur cannot delegate what he does not hold.
    let (status, err) = memur
        .post(
            "/delegations",
            json!({"to": "sef.bt", "authority": "order_overtime",
        "from": instant(Duration::ZERO), "until": instant(Duration::days(1)), "approval_ref": "x"}),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        err["error"]["authority"], "order_overtime",
        "the refusal names what he lacks"
    );

    let (status, body) = mudur.post("/delegations", good).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().unwrap();
    let basis = sef
        .holds("order_overtime")
        .await
        .expect("the delegation grants");
    assert_eq!(basis["kind"], "delegation");
    assert_eq!(basis["id"], id);
    assert_eq!(basis["approval_ref"], "Müdürlük Olur 2026/7");
    assert!(
        basis["article"].as_str().unwrap().contains("m.10/4"),
        "{basis}"
    );

    // Only the giver (or an administrator) takes it back.
    let (status, _) = memur.delete(&format!("/delegations/{id}")).await;
    assert_eq!(status, 403);
    assert!(sef.holds("order_overtime").await.is_some());
    let (status, _) = mudur.delete(&format!("/delegations/{id}")).await;
    assert_eq!(status, 204);
    assert!(
        sef.holds("order_overtime").await.is_none(),
        "revocation takes effect at once"
    );
    let (_, list) = mudur.get("/delegations").await;
    assert_eq!(list[0]["by"], "mudur");
    assert!(list[0]["revoked_at"].is_string());

    // A delegation that starts tomorrow grants nothing today.
    let later = json!({"to": "sef.bt", "authority": "order_overtime", "from": instant(Duration::days(1)),
        "until": instant(Duration::days(2)), "approval_ref": "Olur 2026/8"});
    assert_eq!(mudur.post("/delegations", later).await.0, 201);
    assert!(sef.holds("order_overtime").await.is_none());
}
on_both_engines!(delegation_grants_until_revoked);

/// Staff records are personal data: the list leaves the TC number out, a
/// record shows it only to the person, an administrator or the
/// disciplinary superior (m.9/4), and every read is in the audit trail.
async fn personal_data_is_masked_and_its_reads_audited(db: Db) {
    let app = spawn_demo(db).await;
    let memur = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;

    let (status, list) = memur.get("/people").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 12);
    assert!(
        list.iter().all(|p| p["tckn"].is_null()),
        "the list leaves TC numbers out"
    );
    let id_of = |u: &str| {
        list.iter().find(|p| p["username"] == u).unwrap()["id"]
            .as_i64()
            .unwrap()
    };

    let (status, other) = memur.get(&format!("/people/{}", id_of("sef.bt"))).await;
    assert_eq!(status, 200);
    assert_eq!(other["full_name"], "Gülşen Aydın");
    assert_eq!(other["tckn_masked"], true);
    let masked = other["tckn"].as_str().unwrap();
    assert!(masked.contains('*') && masked.len() == 11, "{masked}");
    assert_eq!(other["appointments"][0]["position"], "sef_bt");
    assert!(
        other["appointments"][0]["start_date"]
            .as_str()
            .unwrap()
            .starts_with("20"),
        "{other}"
    );

    let (_, own) = memur
        .get(&format!("/people/{}", id_of("memur.kalem")))
        .await;
    assert_eq!(own["tckn_masked"], false);
    assert!(own["tckn"]
        .as_str()
        .unwrap()
        .chars()
        .all(|c| c.is_ascii_digit()));
    let (_, by_superior) = mudur.get(&format!("/people/{}", id_of("sef.bt"))).await;
    assert_eq!(by_superior["tckn_masked"], false);

    assert_eq!(memur.get("/people/99999").await.0, 404);
    assert_eq!(memur.get("/people/abc").await.0, 400);

    // The reads are audited; only the Müdür (m.11) or an administrator
    // sees the trail, and a Memur's refusal names the authority.
    let (status, err) = memur.get("/audit").await;
    assert_eq!(
        (status, err["error"]["authority"].as_str()),
        (403, Some("view_audit_trail"))
    );
    let (_, reads) = mudur
        .get("/audit?action=staff.viewed&actor=memur.kalem")
        .await;
    let reads = reads.as_array().unwrap();
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert_eq!(reads[1]["subject"], format!("staff:{}", id_of("sef.bt")));
    assert!(reads[1]["basis"].as_str().unwrap().contains("KVKK"));
    let (_, subject) = mudur
        .get(&format!("/audit?subject=staff:{}", id_of("sef.bt")))
        .await;
    assert_eq!(
        subject.as_array().unwrap().len(),
        2,
        "memur's and mudur's reads of the record"
    );
    let (status, err) = mudur.get("/audit?from=yesterday").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("from"))
    );
    let (status, _) = mudur.get("/audit?limit=0").await;
    assert_eq!(status, 422);
    let future = instant(Duration::days(1));
    let (_, none) = mudur
        .get(&format!("/audit?from={}", urlencode(&future)))
        .await;
    assert_eq!(none.as_array().unwrap().len(), 0);
}
on_both_engines!(personal_data_is_masked_and_its_reads_audited);

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

/// Personal API tokens: shown once, usable as Bearer, dead once revoked.
async fn api_tokens_work_until_revoked(db: Db) {
    let app = spawn_demo(db).await;
    let sef = app.as_user("sef.cbs").await;
    let (status, body) = sef
        .post("/tokens", json!({"name": "harita aktarım betiği"}))
        .await;
    assert_eq!(status, 201);
    let token = body["token"].as_str().unwrap().to_owned();
    let id = body["id"].as_i64().unwrap();
    assert!(token.starts_with("mdr_"));
    let (status, body) = sef.post("/tokens", json!({"name": ""})).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("name"))
    );

    let script = common::ApiUser {
        base: app.base.clone(),
        token: token.clone(),
        client: reqwest::Client::new(),
    };
    assert!(
        script.holds("initial_document").await.is_some(),
        "the token acts as its owner"
    );
    let (_, list) = sef.get("/tokens").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "harita aktarım betiği");
    assert!(list[0].get("token").is_none(), "the token is never listed");

    // Another user cannot revoke it.
    let other = app.as_user("sef.bt").await;
    assert_eq!(other.delete(&format!("/tokens/{id}")).await.0, 404);
    assert_eq!(sef.delete(&format!("/tokens/{id}")).await.0, 204);
    let (status, body) = script.get("/me/authorities").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    assert_eq!(sef.delete(&format!("/tokens/{id}")).await.0, 409);
}
on_both_engines!(api_tokens_work_until_revoked);

/// An administrator creates accounts with staff records; a TC number that
/// fails its checksum is refused and nothing is written.
async fn administrator_creates_accounts(db: Db) {
    let app = spawn_demo(db).await;
    let admin = app.as_user("admin").await;
    let mudur = app.as_user("mudur").await;
    let account = json!({"username": "yeni.memur", "display_name": "Nur Şen", "password": "yeni memurun parolası",
        "position": "personel_cbs", "kind": "memur", "tckn": "10000000146", "start_date": "2026-11-02",
        "phone_ext": "2150", "email": "nur.sen@ornek.bel.tr"});

    let (status, err) = mudur.post("/accounts", account.clone()).await;
    assert_eq!(
        (status, err["error"]["authority"].as_str()),
        (403, Some("administrator"))
    );

    for (patch, field) in [
        (json!({"tckn": "10000000147"}), "tckn"),
        (json!({"position": "genel_mudur"}), "position"),
        (json!({"kind": "stajyer"}), "kind"),
        // m.4: the Müdür's post signs; an İşçi has no signature authority.
        (json!({"kind": "isci", "position": "mudur"}), "kind"),
        (json!({"start_date": "02.11.2026"}), "start_date"),
        (json!({"email": "nur.sen"}), "email"),
        (json!({"username": "Nur Şen"}), "username"),
        (json!({"password": "kısa"}), "password"),
    ] {
        let mut body = account.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, err) = admin.post("/accounts", body).await;
        assert_eq!(
            (status, err["error"]["field"].as_str()),
            (422, Some(field)),
            "{patch}: {err}"
        );
    }
    assert_eq!(
        admin.get("/people").await.1.as_array().unwrap().len(),
        12,
        "nothing was written"
    );

    let (status, user) = admin.post("/accounts", account.clone()).await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["username"], "yeni.memur");
    let (status, err) = admin.post("/accounts", account).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("username_taken"))
    );

    let newcomer = app
        .as_user_with("yeni.memur", "yeni memurun parolası")
        .await;
    assert!(
        newcomer.holds("initial_document").await.is_some(),
        "a Memur initials what he writes (m.15/3)"
    );
    let (_, people) = admin.get("/people").await;
    assert!(people
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["full_name"] == "Nur Şen"));

    // An account with no post (a contractor's login, say) reads none of the
    // registry's shared records: the directory, the archive's files.
    let (status, _) = admin.post("/accounts", json!({"username": "misafir", "display_name": "Misafir Kullanıcı", "password": "misafirin uzun parolası"})).await;
    assert_eq!(status, 201);
    let guest = app.as_user_with("misafir", "misafirin uzun parolası").await;
    for path in ["/people", "/archive/files", "/archive/1"] {
        let (status, err) = guest.get(path).await;
        assert_eq!(
            (status, err["error"]["authority"].as_str()),
            (403, Some("member")),
            "{path}: {err}"
        );
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Müdürlükte bugün bir görevi olmak"),
            "{err}"
        );
    }
}
on_both_engines!(administrator_creates_accounts);

/// Every API route answers 401 without credentials.
#[tokio::test]
async fn every_route_needs_credentials() {
    let app = spawn_demo(Db::Sqlite).await;
    let c = reqwest::Client::new();
    for (method, path) in [
        ("GET", "/me/authorities"),
        ("GET", "/delegations"),
        ("POST", "/delegations"),
        ("DELETE", "/delegations/1"),
        ("GET", "/deputyships"),
        ("POST", "/deputyships"),
        ("DELETE", "/deputyships/1"),
        ("GET", "/people"),
        ("GET", "/people/1"),
        ("GET", "/org"),
        ("POST", "/accounts"),
        ("GET", "/tokens"),
        ("POST", "/tokens"),
        ("DELETE", "/tokens/1"),
        ("GET", "/audit"),
        ("POST", "/auth/logout"),
        ("POST", "/attachments"),
        ("GET", "/attachments/00"),
    ] {
        let r = c
            .request(method.parse().unwrap(), app.url(&format!("/api/v1{path}")))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{method} {path}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "unauthenticated", "{method} {path}");
        let r = c
            .request(method.parse().unwrap(), app.url(&format!("/api/v1{path}")))
            .bearer_auth("mdr_wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{method} {path} with a wrong token");
    }
}

/// The deputyship form of the Mayor: bad input shows the form again with
/// the reason and records nothing; a good one is recorded; a form without
/// its CSRF token is refused.
async fn deputyship_form_on_the_pages(db: Db) {
    let app = spawn_demo(db).await;
    let c = &app.client;
    let r = c
        .post(app.url("/giris"))
        .form(&[
            ("_csrf", app.csrf.as_str()),
            ("username", "baskan"),
            ("password", common::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = app.get("/yetki").await.text().await.unwrap();
    assert!(
        page.contains("Yeni vekalet"),
        "the Mayor sees the deputyship form"
    );
    // The Mayor may delegate his own approval of disposal lists (the
    // profile marks it delegable), never an authority of the Müdür's.
    assert!(page.contains("Yeni yetki devri"), "{page}");
    let form = page.split("Yeni yetki devri").nth(1).unwrap_or("");
    assert!(form.contains("imha listesini onaylamak"), "{form}");
    assert!(
        !form.contains("Gelen evrakı havale etmek"),
        "the Mayor holds no authority of the Müdür to delegate"
    );

    let local = |d: Duration| {
        let t = (OffsetDateTime::now_utc() + d).to_offset(time::macros::offset!(+3));
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        )
    };
    let (from, until) = (local(Duration::hours(-1)), local(Duration::days(1)));
    let form = |from: &str, until: &str, csrf: &str| {
        vec![
            ("_csrf", csrf.to_owned()),
            ("for", "mudur".into()),
            ("deputy", "sef.teknik".into()),
            ("from", from.into()),
            ("until", until.into()),
            ("approval_ref", "Olur 2026/90".into()),
        ]
    };
    let r = c
        .post(app.url("/yetki/vekalet"))
        .form(&form(&until, &from, &app.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Bitiş, başlangıçtan sonra olmalı."),
        "the reason is on the form"
    );
    assert!(body.contains("Olur 2026/90"), "what was typed stays");
    let baskan = app.as_user("baskan").await;
    assert_eq!(
        baskan.get("/deputyships").await.1.as_array().unwrap().len(),
        0
    );

    let r = c
        .post(app.url("/yetki/vekalet"))
        .form(&form(&from, &until, ""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no CSRF token, no change");
    assert_eq!(
        baskan.get("/deputyships").await.1.as_array().unwrap().len(),
        0
    );

    let r = c
        .post(app.url("/yetki/vekalet"))
        .form(&form(&from, &until, &app.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/yetki?tamam=vekalet");
    let (_, list) = baskan.get("/deputyships").await;
    assert_eq!(list[0]["deputy"], "sef.teknik");
    let page = app.get("/yetki?tamam=vekalet").await.text().await.unwrap();
    assert!(page.contains("Vekalet kaydedildi."));
    let sef = app.as_user("sef.teknik").await;
    assert_eq!(
        sef.holds("route_incoming").await.unwrap()["kind"],
        "deputyship"
    );

    // Only an administrator opens the accounts page; the refusal says why.
    let r = app.get("/yonetim/hesaplar").await;
    assert_eq!(r.status(), 403);
    assert!(
        r.text().await.unwrap().contains("Sistem yöneticisi olmak"),
        "the missing right in words"
    );
}
on_both_engines!(deputyship_form_on_the_pages);

const DIRECTORY: &str = "\
dn: dc=ornek,dc=bel,dc=tr
objectClass: top
objectClass: dcObject
objectClass: organization
o: Ornek Belediyesi
dc: ornek

dn: ou=people,dc=ornek,dc=bel,dc=tr
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=ornek,dc=bel,dc=tr
objectClass: organizationalUnit
ou: groups

dn: uid=zeynep.isik,ou=people,dc=ornek,dc=bel,dc=tr
objectClass: inetOrgPerson
uid: zeynep.isik
cn: Zeynep Isik
sn: Isik
displayName:: WmV5bmVwIEnFn8Sxaw==
userPassword: dizin-parolasi-2026

dn: uid=ali.demir,ou=people,dc=ornek,dc=bel,dc=tr
objectClass: inetOrgPerson
uid: ali.demir
cn: Ali Demir
sn: Demir
userPassword: alinin-dizin-parolasi

dn: cn=bt-sefligi,ou=groups,dc=ornek,dc=bel,dc=tr
objectClass: groupOfNames
cn: bt-sefligi
member: uid=zeynep.isik,ou=people,dc=ornek,dc=bel,dc=tr

dn: cn=yazici-kullanicilari,ou=groups,dc=ornek,dc=bel,dc=tr
objectClass: groupOfNames
cn: yazici-kullanicilari
member: uid=zeynep.isik,ou=people,dc=ornek,dc=bel,dc=tr
member: uid=ali.demir,ou=people,dc=ornek,dc=bel,dc=tr
";

/// Sign-in against a real OpenLDAP: the user binds with the directory
/// password, the directory's groups map to positions, and the account and
/// its appointment appear; a wrong password reads like any failed login;
/// a directory outage is said plainly while local accounts still sign in.
async fn directory_sign_in(db: Db) {
    let mut slapd = testkit::Slapd::start(DIRECTORY);
    let config = format!(
        "[ldap]\nurl = \"{}\"\nuser_dn = \"uid={{username}},ou=people,dc=ornek,dc=bel,dc=tr\"\n\
         group_base = \"ou=groups,dc=ornek,dc=bel,dc=tr\"\n[ldap.groups]\n\"bt-sefligi\" = \"sef_bt\"\n",
        slapd.url
    );
    let app = common::spawn_demo_with_config(db, &config).await;
    let login = |username: &'static str, password: &'static str| {
        let url = app.url("/api/v1/auth/login");
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .json(&json!({"username": username, "password": password}))
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };

    // A wrong password and an unknown name read alike; an empty password
    // is never an anonymous bind.
    let (status, wrong) = login("zeynep.isik", "yanlis-parola").await;
    assert_eq!(
        (status, wrong["error"]["code"].as_str()),
        (401, Some("login_failed"))
    );
    let (_, unknown) = login("kimse.yok", "dizin-parolasi-2026").await;
    assert_eq!(unknown, wrong);
    assert_eq!(login("zeynep.isik", "").await.0, 401);

    let (status, body) = login("Zeynep.Isik", "dizin-parolasi-2026").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["username"], "zeynep.isik");
    assert_eq!(body["user"]["display_name"], "Zeynep Işık");
    let zeynep = common::ApiUser {
        base: app.base.clone(),
        token: body["token"].as_str().unwrap().into(),
        client: reqwest::Client::new(),
    };
    let basis = zeynep
        .holds("initial_document")
        .await
        .expect("bt-sefligi maps to Bilgi Teknolojileri Şefi");
    assert_eq!(
        (basis["kind"].as_str(), basis["position"].as_str()),
        (Some("position"), Some("sef_bt"))
    );
    let (_, people) = zeynep.get("/people").await;
    let me = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["username"] == "zeynep.isik")
        .expect("a staff record")
        .clone();
    assert_eq!(me["appointments"][0]["position"], "sef_bt");

    // Signing in again changes nothing more.
    assert_eq!(login("zeynep.isik", "dizin-parolasi-2026").await.0, 200);
    let mudur = app.as_user("mudur").await;
    let (_, synced) = mudur.get("/audit?action=directory.synced").await;
    assert_eq!(synced.as_array().unwrap().len(), 1, "{synced}");
    let (_, logins) = mudur
        .get("/audit?action=auth.login&actor=zeynep.isik")
        .await;
    assert_eq!(logins.as_array().unwrap().len(), 2);
    assert_eq!(logins[0]["details"]["source"], "ldap");

    // In the directory but in no mapped group: an account without authority.
    let (status, body) = login("ali.demir", "alinin-dizin-parolasi").await;
    assert_eq!(status, 200, "{body}");
    let ali = common::ApiUser {
        base: app.base.clone(),
        token: body["token"].as_str().unwrap().into(),
        client: reqwest::Client::new(),
    };
    assert!(ali.authorities().await.is_empty());

    // The directory goes away: said plainly; the local administrator and
    // demo staff still sign in.
    slapd.stop();
    let (status, body) = login("zeynep.isik", "dizin-parolasi-2026").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (503, Some("directory_unavailable")),
        "{body}"
    );
    assert_eq!(login("admin", common::DEMO_PASSWORD).await.0, 200);
}
on_both_engines!(directory_sign_in);

/// A directory mapping that names a position the profile lacks stops the
/// server at start, naming the entry.
#[tokio::test]
async fn directory_config_naming_an_unknown_position_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("mudurluk.toml");
    std::fs::write(
        &conf,
        "[ldap]\nurl = \"ldap://127.0.0.1:1\"\nuser_dn = \"uid={username},dc=x\"\ngroup_base = \"dc=x\"\n[ldap.groups]\nadmins = \"genel_mudur\"\n",
    )
    .unwrap();
    let cfg = mudurluk::Config::resolve(mudurluk::Overrides {
        config: Some(conf),
        data_dir: Some(dir.path().join("data")),
        listen: Some("127.0.0.1:0".into()),
        ..Default::default()
    })
    .unwrap();
    let err = mudurluk::Server::build(&cfg)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("ldap.groups.admins") && err.contains("genel_mudur"),
        "{err}"
    );
}
