//! Incoming correspondence through the API, as the demo staff would work
//! it, on both engines: register → route → take delivery → close; the
//! deadline calculator and the calendar's edits; numbering under
//! concurrency (two servers on one PostgreSQL); who may see a classified
//! document; a revoked deputyship racing with routing.

mod common;

use common::{pdf_text, spawn_demo, ApiUser, Db};
use serde_json::{json, Value};

fn pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.4\n% taranmis evrak\n".to_vec();
    v.extend((0..2000u32).map(|i| (i % 200) as u8));
    v
}

async fn upload(u: &ApiUser, bytes: Vec<u8>) -> String {
    let r = u
        .req(reqwest::Method::POST, "/attachments")
        .header("content-type", "application/pdf")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn document(attachments: &[String]) -> Value {
    json!({
        "channel": "eyazisma",
        "sender_kind": "institution", "sender_name": "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı", "sender_id": "12345678",
        "sender_ref": "E-12345678-010.06-998877", "sender_date": "2026-04-24",
        "subject": "Coğrafi bilgi sistemleri veri paylaşımı hk.",
        "file_code": "010.06", "secondary_codes": ["030.03"],
        "received_on": "2026-04-27", "legal_basis": "dilekce",
        "attachments": attachments, "attachment_names": ["ust-yazi.pdf"],
    })
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

/// The whole path: the Kalem registers with a scanned PDF, the Müdür
/// routes, the section takes delivery and re-routes inside itself, the
/// person files it; each step in the audit trail with its basis.
async fn register_route_deliver_close(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let sef = app.as_user("sef.bt").await;
    let memur = app.as_user("memur.bt").await;
    let scan = upload(&kalem, pdf()).await;

    // Only the Kalem registers (m.16/1); the refusal names the authority.
    let (status, err) = memur.post("/incoming", document(&[scan.clone()])).await;
    assert_eq!(
        (status, err["error"]["authority"].as_str()),
        (403, Some("register_correspondence"))
    );

    // Bad input of every kind: a field-level 422, nothing saved.
    let cases = [
        (
            json!({"file_code": "999.99"}),
            "file_code",
            "unknown_file_code",
        ),
        (json!({"file_code": "010"}), "file_code", "group_file_code"),
        (
            json!({"file_code": "020"}),
            "file_code",
            "secondary_file_code",
        ),
        (
            json!({"secondary_codes": ["105"]}),
            "secondary_codes",
            "group_file_code",
        ),
        (json!({"sender_id": "1234567"}), "sender_id", "bad_detsis"),
        (
            json!({"sender_kind": "person", "sender_id": "10000000147"}),
            "sender_id",
            "bad_tckn",
        ),
        (
            json!({"sender_kind": "company", "sender_id": "4540536921"}),
            "sender_id",
            "bad_vkn",
        ),
        (
            json!({"sender_date": "2099-01-01"}),
            "sender_date",
            "date_in_future",
        ),
        (
            json!({"received_on": "2099-01-01"}),
            "received_on",
            "date_in_future",
        ),
        (json!({"subject": "  "}), "subject", "required"),
        (
            json!({"confidentiality": "GIZLI"}),
            "confidentiality",
            "bad_confidentiality",
        ),
        (json!({"urgency": "GNL"}), "urgent_date", "required"),
        (
            json!({"legal_basis": "3 ay"}),
            "legal_basis",
            "bad_legal_basis",
        ),
        (json!({"channel": "güvercin"}), "channel", "bad_channel"),
        (json!({"channel": "hand"}), "delivered_by", "required"),
        (
            json!({"attachments": ["ab".repeat(32)]}),
            "attachments",
            "unknown_attachment",
        ),
    ];
    for (patch, field, code) in cases {
        let (status, err) = kalem
            .post("/incoming", with(document(&[scan.clone()]), patch.clone()))
            .await;
        assert_eq!(status, 422, "{patch}: {err}");
        assert_eq!(
            (
                err["error"]["field"].as_str(),
                err["error"]["code"].as_str()
            ),
            (Some(field), Some(code)),
            "{patch}"
        );
        assert!(!err["error"]["message"].as_str().unwrap().is_empty());
    }

    let (status, doc) = kalem.post("/incoming", document(&[scan.clone()])).await;
    assert_eq!(status, 201, "{doc}");
    let year = time::OffsetDateTime::now_utc().year();
    assert_eq!(
        doc["number"],
        format!("{year}/1"),
        "the first number: nothing before was saved"
    );
    // 3071: 30 days from Mon 27 Apr 2026 is Wed 27 May, Kurban Bayramı; 28–30 bayram,
    // 31 Sunday -> Mon 1 June.
    assert_eq!(doc["due_date"], "2026-06-01");
    assert_eq!(doc["state"], "registered");
    assert_eq!(doc["attachments"][0]["name"], "ust-yazi.pdf");
    assert_eq!(doc["attachments"][0]["content_type"], "application/pdf");
    assert_eq!(doc["secondary_codes"][0], "030.03");
    let id = doc["id"].as_i64().unwrap();

    // It lands in the Müdür's tray, awaiting routing (m.20/1-c).
    let (_, tray) = mudur.get("/tray").await;
    assert!(
        tray.as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == id && l["awaiting"] == "route"),
        "{tray}"
    );
    assert!(sef.get("/tray").await.1.as_array().unwrap().is_empty());

    // A Şef cannot route what was not routed to his section.
    let route = json!({"targets": [
        {"unit": "bt", "purpose": "action", "note": "Gereğinin yapılması", "internal_due": "2026-05-20"},
        {"user": "memur.kalem", "purpose": "info"},
    ]});
    let (status, err) = sef
        .post(&format!("/incoming/{id}/routings"), route.clone())
        .await;
    assert_eq!(
        (status, err["error"]["authority"].as_str()),
        (403, Some("route_incoming"))
    );
    for (bad, field, code) in [
        (json!({"targets": []}), "targets", "required"),
        (
            json!({"targets": [{"unit": "muhasebe", "purpose": "action"}]}),
            "unit",
            "unknown_unit",
        ),
        (
            json!({"targets": [{"unit": "bt", "user": "sef.bt", "purpose": "action"}]}),
            "unit",
            "unit_or_user",
        ),
        (
            json!({"targets": [{"unit": "bt", "purpose": "acil"}]}),
            "purpose",
            "bad_purpose",
        ),
        (
            json!({"targets": [{"unit": "bt", "purpose": "action", "internal_due": "2026-07-01"}]}),
            "internal_due",
            "after_legal_due",
        ),
    ] {
        let (status, err) = mudur
            .post(&format!("/incoming/{id}/routings"), bad.clone())
            .await;
        assert_eq!(
            (
                status,
                err["error"]["field"].as_str(),
                err["error"]["code"].as_str()
            ),
            (422, Some(field), Some(code)),
            "{bad}"
        );
    }
    let (status, body) = mudur.post(&format!("/incoming/{id}/routings"), route).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["routings"].as_array().unwrap().len(), 2);

    // The section's tray: take delivery (zimmet), once.
    let (_, tray) = sef.get("/tray").await;
    let line = tray
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .expect("in the section's tray")
        .clone();
    assert_eq!(
        (line["awaiting"].as_str(), line["purpose"].as_str()),
        (Some("deliver"), Some("action"))
    );
    assert_eq!(line["internal_due"], "2026-05-20");
    let (status, _) = memur
        .post(&format!("/incoming/{id}/delivery"), json!({}))
        .await;
    assert_eq!(status, 403, "not his to take");
    let (status, taken) = sef
        .post(&format!("/incoming/{id}/delivery"), json!({}))
        .await;
    assert_eq!(
        (status, taken["routings"].as_array().unwrap().len()),
        (200, 1)
    );
    let (status, err) = sef
        .post(&format!("/incoming/{id}/delivery"), json!({}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("already_delivered"))
    );

    // The Şef re-routes inside his section only.
    let (status, err) = sef
        .post(
            &format!("/incoming/{id}/routings"),
            json!({"targets": [{"user": "memur.teknik", "purpose": "action"}]}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("target_outside_section"))
    );
    let (status, _) = sef.post(&format!("/incoming/{id}/routings"), json!({"targets": [{"user": "memur.bt", "purpose": "action", "note": "İnceleyip dosyalayınız"}]})).await;
    assert_eq!(status, 201);

    // The person: closing before delivery is refused; then delivery, then filing.
    let file = json!({"how": "filed", "note": "İşlem tamam, dosyalandı."});
    let (status, err) = memur
        .post(&format!("/incoming/{id}/close"), file.clone())
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("not_delivered"))
    );
    let (status, err) = memur
        .post(&format!("/incoming/{id}/close"), json!({"how": "filed"}))
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("note"))
    );
    assert_eq!(
        memur
            .post(&format!("/incoming/{id}/delivery"), json!({}))
            .await
            .0,
        200
    );
    assert_eq!(
        memur
            .post(&format!("/incoming/{id}/close"), file.clone())
            .await
            .0,
        204
    );
    let (status, err) = memur.post(&format!("/incoming/{id}/close"), file).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("already_closed"))
    );

    let (_, doc) = kalem.get(&format!("/incoming/{id}")).await;
    assert_eq!(
        (
            doc["state"].as_str(),
            doc["closing"].as_str(),
            doc["closed_by"].as_str()
        ),
        (Some("closed"), Some("filed"), Some("memur.bt"))
    );
    let routings = doc["routings"].as_array().unwrap();
    assert_eq!(routings.len(), 3);
    assert_eq!(
        routings[2]["parent_id"], routings[0]["id"],
        "the re-routing hangs under the section's routing"
    );
    assert!(
        routings[0]["basis"].as_str().unwrap().contains("m.20/1"),
        "{}",
        routings[0]
    );
    assert!(
        memur
            .get("/tray")
            .await
            .1
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["id"] != id),
        "closed: off the trays"
    );

    let (_, audit) = mudur.get(&format!("/audit?subject=incoming:{id}")).await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "incoming.closed",
            "incoming.delivered",
            "incoming.routed",
            "incoming.delivered",
            "incoming.routed",
            "incoming.registered"
        ]
    );
}
on_both_engines!(register_route_deliver_close);

/// `GET /calendar/deadline` and the administrator's calendar edits, which
/// count for deadlines computed afterwards.
async fn deadlines_and_calendar_edits(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let admin = app.as_user("admin").await;
    let ask = |q: &'static str| {
        let k = &kalem;
        async move { k.get(&format!("/calendar/deadline?{q}")).await }
    };
    let (status, d) = ask("received=2026-04-27&basis=dilekce").await;
    assert_eq!((status, d["due"].as_str()), (200, Some("2026-06-01")));
    assert!(d["basis_description"].as_str().unwrap().contains("3071"));
    // 15 working days from Mon 16 Mar 2026 across Ramazan Bayramı: Tue 7 April.
    assert_eq!(
        ask("received=2026-03-16&basis=bilgi_edinme").await.1["due"],
        "2026-04-07"
    );
    assert_eq!(
        ask("received=2026-12-29&basis=workdays:5").await.1["due"],
        "2027-01-06"
    );
    let (status, err) = ask("received=2026-04-27&basis=haftaya").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("basis"))
    );
    let (status, err) = ask("received=27.04.2026&basis=dilekce").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("received"))
    );

    // Idari izin on Mon 1 June 2026: only an administrator declares it.
    let leave = json!({"kind": "admin_leave", "name": "Kurban Bayramı idari izni"});
    let r = kalem
        .req(reqwest::Method::PUT, "/calendar/days/2026-06-01")
        .json(&leave)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = admin
        .req(reqwest::Method::PUT, "/calendar/days/2026-06-01")
        .json(&json!({"kind": "tatil", "name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = admin
        .req(reqwest::Method::PUT, "/calendar/days/2026-06-01")
        .json(&leave)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    // Law 2429 lists the official holidays; an idari izin day is not one
    // (Cumhurbaşkanlığı genelgesi grants it as leave), so a legal period
    // does not grow by it (issue 12, correction 7).
    assert_eq!(
        ask("received=2026-04-27&basis=dilekce").await.1["due"],
        "2026-06-01"
    );
    let (_, days) = kalem.get("/calendar/days").await;
    assert_eq!(days[0]["date"], "2026-06-01");
    assert_eq!(days[0]["kind"], "admin_leave");
    assert_eq!(admin.delete("/calendar/days/2026-06-01").await.0, 204);
    assert_eq!(
        ask("received=2026-04-27&basis=dilekce").await.1["due"],
        "2026-06-01"
    );
    assert_eq!(admin.delete("/calendar/days/2026-06-01").await.0, 404);
}
on_both_engines!(deadlines_and_calendar_edits);

/// Numbers are unique and gap-free while many registrations run at once,
/// through two servers on the same database (on SQLite, one server).
async fn numbering_under_concurrency(db: Db) {
    let app = spawn_demo(db).await;
    let sibling = match db {
        Db::Postgres => Some(common::spawn_sibling(&app).await),
        Db::Sqlite => None,
    };
    let kalem = app.as_user("memur.kalem").await;
    let other = match &sibling {
        Some(s) => ApiUser {
            base: s.base.clone(),
            token: kalem.token.clone(),
            client: reqwest::Client::new(),
        },
        None => ApiUser {
            base: app.base.clone(),
            token: kalem.token.clone(),
            client: reqwest::Client::new(),
        },
    };
    // Among the 60 registrations, refused ones arrive at the same moment:
    // a person without the authority and a document whose attachment was
    // never uploaded. Registrations that wait together are committed
    // together; a refused one must take no number from the others.
    let outsider = app.as_user("memur.teknik").await;
    let never_uploaded = "ab".repeat(32);
    let mut tasks = Vec::new();
    for i in 0..72 {
        let u = match i {
            _ if i % 12 == 5 => ApiUser {
                base: outsider.base.clone(),
                token: outsider.token.clone(),
                client: outsider.client.clone(),
            },
            _ if i % 2 == 0 => ApiUser {
                base: kalem.base.clone(),
                token: kalem.token.clone(),
                client: kalem.client.clone(),
            },
            _ => ApiUser {
                base: other.base.clone(),
                token: other.token.clone(),
                client: other.client.clone(),
            },
        };
        let never_uploaded = never_uploaded.clone();
        tasks.push(tokio::spawn(async move {
            let body = if i % 12 == 11 {
                document(&[never_uploaded])
            } else if i % 3 == 0 {
                with(document(&[]), json!({"register": "petition", "sender_kind": "person", "sender_id": "", "sender_name": "Ayşe Kara"}))
            } else {
                document(&[])
            };
            let (status, doc) = u.post("/incoming", body).await;
            match i % 12 {
                5 => {
                    assert_eq!(status, 403, "{doc}");
                    None
                }
                11 => {
                    assert_eq!(status, 422, "{doc}");
                    assert!(doc.to_string().contains("attachments"), "names the field: {doc}");
                    None
                }
                _ => {
                    assert_eq!(status, 201, "{doc}");
                    Some((doc["register"].as_str().unwrap().to_owned(), doc["number"].as_str().unwrap().to_owned()))
                }
            }
        }));
    }
    let mut incoming = Vec::new();
    let mut petitions = Vec::new();
    for t in tasks {
        let Some((register, number)) = t.await.unwrap() else {
            continue;
        };
        let seq: u32 = number.rsplit('/').next().unwrap().parse().unwrap();
        if register == "petition" {
            assert!(number.starts_with("D-"), "{number}");
            petitions.push(seq);
        } else {
            incoming.push(seq);
        }
    }
    incoming.sort();
    petitions.sort();
    assert_eq!(
        incoming,
        (1..=36).collect::<Vec<_>>(),
        "incoming register: 1..36, no gap, no repeat"
    );
    assert_eq!(
        petitions,
        (1..=24).collect::<Vec<_>>(),
        "petition register: its own 1..24"
    );
    // One audit record per registration, and the chain intact.
    let admin = app.as_user("admin").await;
    let (_, trail) = admin
        .get("/audit?action=incoming.registered&limit=200")
        .await;
    assert_eq!(trail.as_array().map(Vec::len), Some(60), "{trail}");
    let verdict = store::connect(&app.database_url)
        .await
        .unwrap()
        .verify_audit()
        .await
        .unwrap();
    assert!(
        verdict.broken.is_none(),
        "audit chain broken: {:?}",
        verdict.broken
    );
}
on_both_engines!(numbering_under_concurrency);

/// A classified (GZL) document, and one with personal data, are seen only
/// by their recipients, the Müdür and the registrar: not in others' lists,
/// trays or downloads, and reads of them are audited.
async fn classified_documents_are_seen_by_few(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let scan = upload(&kalem, pdf()).await;
    let secret = with(
        document(&[scan.clone()]),
        json!({"confidentiality": "GZL", "subject": "Gizli: güvenlik açığı bildirimi",
        "received_on": "", "legal_basis": "days:2"}),
    );
    let (_, doc) = kalem.post("/incoming", secret).await;
    let id = doc["id"].as_i64().unwrap();
    let plain = with(
        document(&[]),
        json!({"subject": "Açık yazı", "received_on": "", "legal_basis": "days:2"}),
    );
    let (_, open) = kalem.post("/incoming", plain).await;
    let open_id = open["id"].as_i64().unwrap();
    mudur
        .post(
            &format!("/incoming/{id}/routings"),
            json!({"targets": [{"unit": "teknik", "purpose": "action"}]}),
        )
        .await;
    mudur
        .post(
            &format!("/incoming/{open_id}/routings"),
            json!({"targets": [{"unit": "teknik", "purpose": "action"}]}),
        )
        .await;

    // Who sees it: (user, sees the document, sees it in the due list)
    let matrix = [
        ("mudur", true),         // the Müdür (route_incoming)
        ("memur.kalem", true),   // the registrar
        ("sef.teknik", true),    // head of the unit it was routed to
        ("sef.bt", false),       // another section's head
        ("memur.teknik", false), // in the unit, but not routed to him
        ("baskan", false),       // above the directorate: not a recipient
        ("sef.kalem", false),    // the Kalem's head did not register it
    ];
    for (user, sees) in matrix {
        let u = app.as_user(user).await;
        let (status, _) = u.get(&format!("/incoming/{id}")).await;
        assert_eq!(status, if sees { 200 } else { 404 }, "{user} GET");
        let r = u
            .req(reqwest::Method::GET, &format!("/attachments/{scan}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            if sees { 200 } else { 404 },
            "{user} attachment"
        );
        let (_, due) = u.get("/incoming/due").await;
        let listed = due.as_array().unwrap().iter().any(|l| l["id"] == id);
        assert_eq!(listed, sees, "{user} due list");
        // The open document is in everyone's due list.
        assert!(
            due.as_array().unwrap().iter().any(|l| l["id"] == open_id),
            "{user} sees the open one"
        );
        let (status, _) = u.get(&format!("/incoming/{open_id}")).await;
        assert_eq!(status, 200);
    }
    let (_, reads) = mudur
        .get(&format!(
            "/audit?action=incoming.viewed&subject=incoming:{id}"
        ))
        .await;
    let readers: Vec<&str> = reads
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert!(
        readers.contains(&"sef.teknik") && !readers.contains(&"sef.bt"),
        "{readers:?}"
    );
}
on_both_engines!(classified_documents_are_seen_by_few);

/// The deputy routes while the Mayor revokes the deputyship: once the
/// revocation has been answered, no routing by the deputy succeeds, and
/// every routing that did succeed was made before the revocation.
async fn a_revoked_deputyship_stops_routing_at_once(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let baskan = app.as_user("baskan").await;
    let deputy = app.as_user("sef.kalem").await;
    let now = time::OffsetDateTime::now_utc();
    let fmt = &time::format_description::well_known::Rfc3339;
    let (status, dep) = baskan
        .post("/deputyships", json!({"deputy": "sef.kalem", "for": "mudur", "from": (now - time::Duration::hours(1)).format(fmt).unwrap(),
            "until": (now + time::Duration::days(1)).format(fmt).unwrap(), "approval_ref": "Olur 2026/12"}))
        .await;
    assert_eq!(status, 201);
    let dep_id = dep["id"].as_i64().unwrap();
    let mut ids = Vec::new();
    for _ in 0..60 {
        ids.push(
            kalem.post("/incoming", document(&[])).await.1["id"]
                .as_i64()
                .unwrap(),
        );
    }
    // The deputy routes them one after another while the revocation lands.
    let d = ApiUser {
        base: deputy.base.clone(),
        token: deputy.token.clone(),
        client: reqwest::Client::new(),
    };
    let routing = tokio::spawn(async move {
        let mut results = Vec::new();
        for id in ids {
            let sent = std::time::Instant::now();
            let (status, _) = d
                .post(
                    &format!("/incoming/{id}/routings"),
                    json!({"targets": [{"unit": "bt", "purpose": "action"}]}),
                )
                .await;
            results.push((id, status, sent));
        }
        results
    });
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let (status, _) = baskan.delete(&format!("/deputyships/{dep_id}")).await;
    assert_eq!(status, 204);
    let revocation_answered = std::time::Instant::now();
    let results = routing.await.unwrap();
    let (_, deps) = baskan.get("/deputyships").await;
    let revoked_at =
        time::OffsetDateTime::parse(deps[0]["revoked_at"].as_str().unwrap(), fmt).unwrap();
    for (id, status, sent) in &results {
        match *status {
            201 => {
                // Every routing that succeeded was made before the revocation.
                let (_, doc) = kalem.get(&format!("/incoming/{id}")).await;
                let at = time::OffsetDateTime::parse(
                    doc["routings"][0]["routed_at"].as_str().unwrap(),
                    fmt,
                )
                .unwrap();
                assert!(
                    at < revoked_at,
                    "routed at {at}, after the revocation at {revoked_at}"
                );
                assert!(
                    doc["routings"][0]["basis"]
                        .as_str()
                        .unwrap()
                        .contains("deputyship"),
                    "{}",
                    doc["routings"][0]
                );
                assert!(
                    *sent < revocation_answered,
                    "a routing sent after the revocation was answered succeeded"
                );
            }
            403 => {}
            s => panic!("unexpected status {s}"),
        }
    }
    assert!(
        results.iter().any(|(_, s, _)| *s == 201),
        "the deputy routed before the revocation"
    );
    assert!(
        results.iter().any(|(_, s, _)| *s == 403),
        "the revocation stopped the deputy"
    );
}
on_both_engines!(a_revoked_deputyship_stops_routing_at_once);

/// The register book as PDF and CSV for a date range, and the receipt of
/// a hand-delivered document, read back by a real PDF reader; classified
/// rows keep their number but not their sender and subject.
async fn register_book_and_receipt(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let sef_kalem = app.as_user("sef.kalem").await;
    let (_, a) = kalem
        .post("/incoming", with(document(&[]), json!({"received_on": ""})))
        .await;
    let hand = with(
        document(&[]),
        json!({"channel": "hand", "sender_kind": "person", "sender_name": "Şükrü Öztürk", "sender_id": "10000000146",
        "subject": "İmar durumu belgesi talebi (dilekçe)", "received_on": "", "register": "petition",
        "delivered_by": "Şükrü Öztürk", "received_by": "Ümit Koç"}),
    );
    let (status, petition) = kalem.post("/incoming", hand).await;
    assert_eq!(status, 201, "{petition}");
    let secret = with(
        document(&[]),
        json!({"confidentiality": "GZL", "subject": "Gizli konu metni", "received_on": ""}),
    );
    let (_, s) = kalem.post("/incoming", secret).await;
    let today = common::today();

    let get = |u: &ApiUser, q: String| {
        let r = u.req(reqwest::Method::GET, &format!("/incoming/book?{q}"));
        async move { r.send().await.unwrap() }
    };
    // The Kalem's head did not register the classified one: its row is masked for him.
    let r = get(&sef_kalem, format!("from={today}&to={today}&format=pdf")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let text = pdf_text(&r.bytes().await.unwrap());
    assert!(text.contains("GELEN EVRAK DEFTERİ"), "{text}");
    // Every printed document carries the heading of Resmî Yazışma
    // Yönetmeliği m.9: "T.C." alone on the first line, the institution in
    // capitals, the unit in initial capitals.
    let heading = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(3)
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        heading(&text),
        ["T.C.", "ÖRNEK BELEDİYE BAŞKANLIĞI", "Bilgi İşlem Müdürlüğü"],
        "{text}"
    );
    assert!(
        text.contains("Coğrafi bilgi sistemleri veri paylaşımı"),
        "Turkish letters survive: {text}"
    );
    assert!(
        text.contains("Sıra No") && text.contains("Havale Edildiği Yer"),
        "{text}"
    );
    assert!(
        !text.contains("Gizli konu metni") && text.contains("(gizli / kişisel veri)"),
        "{text}"
    );
    assert!(
        !text.contains("İmar durumu"),
        "the petition is in its own book"
    );

    let r = get(
        &kalem,
        format!("register=petition&from={today}&to={today}&format=csv"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "Sıra No;Kayıt Tarihi;Gönderen;Sayısı;Tarihi;Konusu;Ek;Havale Edildiği Yer;Teslim Alan"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].starts_with("1;")
            && lines[1].contains("Şükrü Öztürk")
            && lines[1].contains("İmar durumu belgesi talebi (dilekçe)"),
        "{}",
        lines[1]
    );
    // The registrar sees his classified row in full.
    let csv = get(&kalem, format!("from={today}&to={today}&format=csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Gizli konu metni"), "{csv}");

    for (q, field) in [
        (format!("from=dün&to={today}"), "from"),
        (format!("from={today}&to=2020-01-01"), "to"),
        (format!("from={today}&to={today}&format=docx"), "format"),
    ] {
        let r = get(&kalem, q.clone()).await;
        assert_eq!(r.status(), 422, "{q}");
        assert_eq!(
            r.json::<Value>().await.unwrap()["error"]["field"],
            field,
            "{q}"
        );
    }
    let memur = app.as_user("memur.bt").await;
    assert_eq!(
        get(&memur, format!("from={today}&to={today}"))
            .await
            .status(),
        403
    );
    // An empty range is a book saying so.
    let empty = pdf_text(
        &get(&kalem, "from=2020-01-01&to=2020-01-31".into())
            .await
            .bytes()
            .await
            .unwrap(),
    );
    assert!(empty.contains("Bu tarih aralığında kayıt yok."), "{empty}");

    // The receipt of the hand-delivered petition.
    let id = petition["id"].as_i64().unwrap();
    let r = kalem
        .req(reqwest::Method::GET, &format!("/incoming/{id}/receipt.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = pdf_text(&r.bytes().await.unwrap());
    for expected in [
        "ALINDI BELGESİ",
        petition["number"].as_str().unwrap(),
        "Şükrü Öztürk",
        "Ümit Koç",
        "İmar durumu belgesi talebi",
        "3071",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not on the receipt:\n{text}"
        );
    }
    assert_eq!(
        heading(&text),
        ["T.C.", "ÖRNEK BELEDİYE BAŞKANLIĞI", "Bilgi İşlem Müdürlüğü"],
        "{text}"
    );
    assert_eq!(text.matches("T.C.").count(), 1, "{text}");
    let (_, _) = (a, s);
}
on_both_engines!(register_book_and_receipt);

/// The daily digest through a real SMTP server on loopback: the section
/// head hears of his overdue document; a classified one appears by number
/// only; someone with nothing due gets nothing.
async fn daily_digest_by_email(db: Db) {
    let smtp = testkit::SmtpServer::start();
    let config = format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"Bilgi İşlem Müdürlüğü <bilgiislem@ornek.bel.tr>\"\nsecurity = \"none\"\n",
        smtp.port
    );
    let app = common::spawn_demo_with_config(db, &config).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let admin = app.as_user("admin").await;
    // Received on 1 April 2026 with 30 days: due Fri 1 May 2026 (Emek ve Dayanışma Günü)
    // -> Mon 4 May; long past.
    let (_, late) = kalem.post("/incoming", with(document(&[]), json!({"received_on": "2026-04-01", "sender_date": "2026-03-30", "legal_basis": "days:30",
        "subject": "Ağ altyapısı arıza bildirimi"}))).await;
    assert_eq!(late["due_date"], "2026-05-04");
    let (_, secret) = kalem.post("/incoming", with(document(&[]), json!({"received_on": "2026-04-01", "sender_date": "2026-03-30", "legal_basis": "days:30",
        "confidentiality": "GZL", "subject": "Gizli denetim raporu"}))).await;
    for d in [&late, &secret] {
        let (status, _) = mudur
            .post(
                &format!("/incoming/{}/routings", d["id"]),
                json!({"targets": [{"unit": "bt", "purpose": "action"}]}),
            )
            .await;
        assert_eq!(status, 201);
    }

    let (status, err) = mudur.post("/digest", json!({})).await;
    assert_eq!(
        (status, err["error"]["authority"].as_str()),
        (403, Some("administrator"))
    );
    let (status, report) = admin.post("/digest", json!({})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["sent"], 1, "{report}");

    let mails = smtp.messages();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let m = &mails[0];
    assert!(m.to.contains("sef.bt@ornek.bel.tr"), "{}", m.to);
    assert_eq!(m.subject, "Evrak özeti: 2 süresi geçen, 0 yaklaşan");
    assert!(m.body.contains("Sayın Gülşen Aydın"), "{}", m.body);
    assert!(
        m.body.contains(late["number"].as_str().unwrap())
            && m.body.contains("Ağ altyapısı arıza bildirimi"),
        "{}",
        m.body
    );
    assert!(
        m.body.contains("04.05.2026") && m.body.contains("SÜRESİ GEÇTİ"),
        "{}",
        m.body
    );
    assert!(
        m.body.contains(secret["number"].as_str().unwrap()),
        "{}",
        m.body
    );
    assert!(
        !m.body.contains("Gizli denetim raporu"),
        "a classified subject never leaves by e-mail"
    );
}
on_both_engines!(daily_digest_by_email);

/// 4982 m.11/2: an information request's period is extended once to 30
/// working days, only for one of the law's three cases (the answer is in
/// another unit, needs another institution's opinion, or concerns several
/// institutions), and only when the applicant is told so in writing before
/// the first 15 working days end (issue 12, correction 6).
async fn information_request_extended_once(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let mudur = app.as_user("mudur").await;
    let sef = app.as_user("sef.bt").await;
    let memur = app.as_user("memur.bt").await;
    let today = common::today();
    let deadline = |basis: &'static str| {
        let (k, q) = (
            &kalem,
            format!("/calendar/deadline?received={today}&basis={basis}"),
        );
        async move { k.get(&q).await.1["due"].as_str().unwrap().to_owned() }
    };
    let (first, extended) = (
        deadline("bilgi_edinme").await,
        deadline("workdays:30").await,
    );
    let request = |received: &str| {
        with(
            document(&[]),
            json!({"sender_kind": "person", "sender_name": "Deniz Çınar", "sender_id": "", "sender_date": "",
        "received_on": received, "legal_basis": "bilgi_edinme", "subject": "Bilgi edinme başvurusu"}),
        )
    };
    let (status, doc) = kalem.post("/incoming", request(&today)).await;
    assert_eq!(status, 201, "{doc}");
    assert_eq!(
        doc["due_date"].as_str(),
        Some(first.as_str()),
        "15 working days (4982 m.11/1)"
    );
    let id = doc["id"].as_i64().unwrap();
    mudur
        .post(
            &format!("/incoming/{id}/routings"),
            json!({"targets": [{"unit": "bt", "purpose": "action"}]}),
        )
        .await;
    let path = format!("/incoming/{id}/extension");
    let good = json!({"notice_ref": "2026/15 sayılı bildirim", "notice_date": today, "reason": "baska_kurum_gorusu"});
    assert_eq!(
        sef.post(&path, good.clone()).await.0,
        403,
        "not before he takes it"
    );
    sef.post(&format!("/incoming/{id}/delivery"), json!({}))
        .await;
    assert_eq!(memur.post(&path, good.clone()).await.0, 403);
    for (bad, field, code) in [
        (
            json!({"notice_ref": " ", "notice_date": today, "reason": "baska_birim"}),
            "notice_ref",
            "notice_ref_required",
        ),
        (
            json!({"notice_ref": "2026/15", "notice_date": today}),
            "reason",
            "extension_reason_required",
        ),
        (
            json!({"notice_ref": "2026/15", "notice_date": today, "reason": "yogunluk"}),
            "reason",
            "bad_extension_reason",
        ),
        (
            json!({"notice_ref": "2026/15", "notice_date": "2099-01-01", "reason": "baska_birim"}),
            "notice_date",
            "notice_in_future",
        ),
        (
            json!({"notice_ref": "2026/15", "notice_date": "2000-01-03", "reason": "baska_birim"}),
            "notice_date",
            "notice_before_receipt",
        ),
    ] {
        let (status, err) = sef.post(&path, bad.clone()).await;
        assert_eq!(
            (
                status,
                err["error"]["field"].as_str(),
                err["error"]["code"].as_str()
            ),
            (422, Some(field), Some(code)),
            "{bad}: {err}"
        );
    }
    let (_, doc) = kalem.get(&format!("/incoming/{id}")).await;
    assert_eq!(
        doc["due_date"].as_str(),
        Some(first.as_str()),
        "a refusal changes nothing"
    );
    let (status, ext) = sef.post(&path, good.clone()).await;
    assert_eq!(
        (status, ext["due"].as_str()),
        (200, Some(extended.as_str())),
        "{ext}"
    );
    let (_, doc) = kalem.get(&format!("/incoming/{id}")).await;
    assert_eq!(
        (doc["due_date"].as_str(), doc["extension_ref"].as_str()),
        (Some(extended.as_str()), Some("2026/15 sayılı bildirim")),
        "{doc}"
    );
    assert_eq!(
        doc["extension_reason"].as_str(),
        Some("baska_kurum_gorusu"),
        "{doc}"
    );
    let (status, err) = sef.post(&path, good.clone()).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("already_extended"))
    );
    // A petition has no such extension.
    let (_, petition) = kalem.post("/incoming", document(&[])).await;
    let (status, err) = mudur
        .post(
            &format!("/incoming/{}/extension", petition["id"]),
            good.clone(),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("not_extendable"))
    );
    // Once the first 15 working days are over, it is too late.
    let (_, old) = kalem.post("/incoming", request("2026-03-16")).await;
    assert_eq!(
        old["due_date"].as_str(),
        Some("2026-04-07"),
        "15 working days across Ramazan Bayramı: {old}"
    );
    let (status, err) = mudur
        .post(
            &format!("/incoming/{}/extension", old["id"]),
            json!({"notice_ref": "geç", "notice_date": "2026-04-06", "reason": "baska_birim"}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("first_period_over")),
        "{err}"
    );
    let (_, audit) = mudur
        .get(&format!(
            "/audit?action=incoming.extended&subject=incoming:{id}"
        ))
        .await;
    assert_eq!(audit.as_array().map(Vec::len), Some(1), "{audit}");
    assert_eq!(
        audit[0]["details"]["before"]["due_date"].as_str(),
        Some(first.as_str())
    );
    assert!(
        audit[0]["basis"]
            .as_str()
            .unwrap()
            .starts_with("4982 m.11/2"),
        "{audit}"
    );
}
on_both_engines!(information_request_extended_once);

/// The calendar page: everyone reads the year's holidays; an administrator
/// adds an idari izin day through its form, which moves deadlines.
async fn calendar_page_edits_by_administrators(db: Db) {
    let app = spawn_demo(db).await;
    let (kalem, kalem_csrf) = common::page_client(&app, "memur.kalem").await;
    let page = kalem
        .get(app.url("/yonetim/takvim?yil=2026"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Kurban Bayramı") && page.contains("27.05.2026"),
        "the shipped holidays are listed"
    );
    assert!(
        !page.contains("calendar-form"),
        "only administrators get the form"
    );
    let r = kalem
        .post(app.url("/yonetim/takvim"))
        .form(&[
            ("_csrf", kalem_csrf.as_str()),
            ("day", "2026-06-01"),
            ("kind", "admin_leave"),
            ("name", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let (admin, csrf) = common::page_client(&app, "admin").await;
    let r = admin
        .post(app.url("/yonetim/takvim"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("day", "2026-06-01"),
            ("kind", "tatilimsi"),
            ("name", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = admin
        .post(app.url("/yonetim/takvim"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("day", "2026-06-01"),
            ("kind", "admin_leave"),
            ("name", "Kurban Bayramı idari izni"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = admin
        .get(app.url("/yonetim/takvim?yil=2026"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("data-date=\"2026-06-01\"")
            && page.contains("Kurban Bayramı idari izni")
            && page.contains("İdari izin"),
        "the edit is listed"
    );
    let k = app.as_user("memur.kalem").await;
    // It is a day off for planning, not a holiday of Law 2429: the legal
    // deadline stays on it.
    assert_eq!(
        k.get("/calendar/deadline?received=2026-04-27&basis=dilekce")
            .await
            .1["due"],
        "2026-06-01"
    );

    // The due list page filters by unit and person.
    let page = kalem
        .get(app.url("/evrak/sureler?birim=bt"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("<option value=\"bt\" selected>"));
}
on_both_engines!(calendar_page_edits_by_administrators);

/// An office closed on idari izin days may pull a legal deadline that falls
/// on one back to the last working day before it (`[correspondence]
/// admin_leave_deadline = "previous_working_day"`): earlier, never later
/// (Law 2429 m.1: idari izin is not an official holiday).
#[tokio::test]
async fn admin_leave_can_pull_a_deadline_back_but_never_push_it() {
    let app = common::spawn_demo_with_config(
        Db::Sqlite,
        "[correspondence]\nadmin_leave_deadline = \"previous_working_day\"\n",
    )
    .await;
    let admin = app.as_user("admin").await;
    let leave = json!({"kind": "admin_leave", "name": "Kurban Bayramı idari izni"});
    let r = admin
        .req(reqwest::Method::PUT, "/calendar/days/2026-06-01")
        .json(&leave)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    // Due Mon 1 June; Kurban Bayramı runs 27–30 May, its arife (26 May) is
    // a half working day: the last working day before the leave.
    let (_, d) = admin
        .get("/calendar/deadline?received=2026-04-27&basis=dilekce")
        .await;
    assert_eq!(d["due"].as_str(), Some("2026-05-26"), "{d}");
}
