//! The IT service desk and tasks (issue 15) through the front door, on
//! both engines, as the demo staff and the demo requesters of other
//! directorates: filing, assignment by the handling section's Şef (m.13,
//! m.16, m.18/2), the state machine, SLAs on Turkish working time (Law
//! 2429: official holidays, the arife afternoon from 13:00), tasks given
//! only by superiors (m.18/1, m.12, m.15), working groups (m.10/9).

mod common;

use common::{page_client, spawn_demo, ApiUser, Db};
use serde_json::{json, Value};

async fn file(u: &ApiUser, body: Value) -> Value {
    let (status, r) = u.post("/requests", body).await;
    assert_eq!(status, 201, "{r}");
    r
}

fn rfc(s: &Value) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(
        s.as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
}

async fn count(u: &ApiUser, query: &str) -> (usize, i64) {
    let r = u
        .req(reqwest::Method::GET, &format!("/requests?{query}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let total: i64 = r.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let rows: Value = r.json().await.unwrap();
    (rows.as_array().unwrap().len(), total)
}

/// A requester of another directorate files; the handling section's Şef
/// assigns inside his section (another Şef is refused, naming the
/// authority); the technician works it through the states, the clock
/// stopping while it waits; the requester rates and closes it. Every step
/// is audited with its basis; the requester's unit sees it, other units
/// do not.
async fn a_request_from_filing_to_closure(db: Db) {
    let app = spawn_demo(db).await;
    let fen = app.as_user("talep.fen").await;
    let (categories_status, categories) = fen.get("/requests/categories").await;
    assert_eq!(categories_status, 200);
    let printer = categories
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "yazici")
        .expect("a printer category");
    // m.16/3: printers are Teknik Bakım's.
    assert_eq!(printer["section"], "teknik");
    assert!(printer["name"].as_str().unwrap().contains("Yazıcı"));

    let r = file(&fen, json!({"title": "Yazıcı kağıt sıkıştırıyor", "description": "312 numaralı oda", "category": "yazici"})).await;
    assert_eq!(r["state"], "new");
    assert_eq!(r["section"], "teknik");
    assert!(
        r["number"]
            .as_str()
            .unwrap()
            .starts_with(&common::today()[..4]),
        "{r}"
    );
    let id = r["id"].as_i64().unwrap();
    // The deadlines are the working-time function's answer (normal: 4 h to
    // respond, 24 h to resolve), in +03:00.
    assert!(r["resolve_by"].as_str().unwrap().ends_with("+03:00"), "{r}");
    let created = rfc(&r["created_at"]);
    let (_, wt) = fen
        .get(&format!(
            "/calendar/working-time?start={}&hours=24",
            urlencode(&r["created_at"])
        ))
        .await;
    let due = rfc(&wt["due"]);
    assert!(
        (rfc(&r["resolve_by"]) - due).whole_seconds().abs() <= 1,
        "{r} vs {wt}"
    );
    assert!(rfc(&r["respond_by"]) > created && rfc(&r["respond_by"]) < rfc(&r["resolve_by"]));

    // Visibility: his unit's colleague sees it, another directorate does not.
    assert_eq!(
        app.as_user("talep.fen2")
            .await
            .get(&format!("/requests/{id}"))
            .await
            .0,
        200
    );
    assert_eq!(
        count(&app.as_user("talep.fen2").await, "").await,
        (1, 1),
        "his unit's list holds it"
    );
    assert_eq!(
        count(&app.as_user("talep.fen2").await, "mine=1").await,
        (0, 0),
        "but it is not his own"
    );
    assert_eq!(
        app.as_user("talep.zabita")
            .await
            .get(&format!("/requests/{id}"))
            .await
            .0,
        404
    );
    assert_eq!(count(&app.as_user("talep.zabita").await, "").await.1, 0);

    // Assignment: the Bilgi Teknolojileri Şefi lacks the authority for
    // Teknik Bakım's requests (403 naming it); the Teknik Bakım Şefi may
    // not give it outside his section; to his own memur, it is assigned.
    let sef_bt = app.as_user("sef.bt").await;
    let (status, body) = sef_bt
        .post(
            &format!("/requests/{id}/assignment"),
            json!({"to": "memur.teknik"}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["authority"], "assign_requests", "{body}");
    let sef = app.as_user("sef.teknik").await;
    let (status, body) = sef
        .post(
            &format!("/requests/{id}/assignment"),
            json!({"to": "memur.bt"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("assignee_outside_section")),
        "{body}"
    );
    let (status, body) = sef
        .post(
            &format!("/requests/{id}/assignment"),
            json!({"to": "memur.teknik"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["state"].as_str(), body["assignee_name"].as_str()),
        (Some("assigned"), Some("Selçuk Güneş"))
    );
    assert!(
        body["responded_at"].is_string(),
        "assigning is the first response"
    );

    // The state machine: no closing before resolving, no going back to new.
    let tech = app.as_user("memur.teknik").await;
    let state = |to: &'static str| json!({"state": to, "note": ""});
    let (status, body) = tech
        .post(&format!("/requests/{id}/state"), state("closed"))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("not_resolved")),
        "{body}"
    );
    let (status, body) = tech
        .post(&format!("/requests/{id}/state"), state("new"))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("bad_transition")),
        "{body}"
    );
    let (status, body) = fen
        .post(&format!("/requests/{id}/state"), state("in_progress"))
        .await;
    assert_eq!(status, 403, "the requester does not work on it: {body}");
    assert_eq!(
        tech.post(&format!("/requests/{id}/state"), state("in_progress"))
            .await
            .0,
        200
    );
    // Waiting stops the clock: the deadline never moves earlier.
    let before = rfc(&tech.get(&format!("/requests/{id}")).await.1["resolve_by"]);
    assert_eq!(
        tech.post(
            &format!("/requests/{id}/state"),
            json!({"state": "waiting", "note": "Toner tedarikçiden bekleniyor"})
        )
        .await
        .0,
        200
    );
    let (_, r) = tech
        .post(&format!("/requests/{id}/state"), state("in_progress"))
        .await;
    assert!(rfc(&r["resolve_by"]) >= before, "{r}");
    let (status, logged) = tech
        .post(
            &format!("/requests/{id}/worklog"),
            json!({"minutes": 35, "note": "Silindir temizlendi"}),
        )
        .await;
    assert_eq!(
        (status, logged["minutes_logged"].as_i64()),
        (201, Some(35)),
        "{logged}"
    );
    assert_eq!(
        tech.post(
            &format!("/requests/{id}/events"),
            json!({"body": "Parça siparişi verildi", "internal": true})
        )
        .await
        .0,
        201
    );
    assert_eq!(
        fen.post(
            &format!("/requests/{id}/events"),
            json!({"body": "İç not", "internal": true})
        )
        .await
        .0,
        403,
        "a requester writes no internal notes"
    );
    assert_eq!(
        tech.post(
            &format!("/requests/{id}/state"),
            json!({"state": "resolved", "note": "Çözüldü"})
        )
        .await
        .0,
        200
    );

    // The requester sees the public timeline only, rates, and closes.
    let (_, events) = fen.get(&format!("/requests/{id}/events")).await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"assigned") && !kinds.contains(&"worklog"),
        "{kinds:?}"
    );
    assert!(
        !events.to_string().contains("Parça siparişi"),
        "internal notes stay internal"
    );
    let (status, body) = fen
        .post(&format!("/requests/{id}/rating"), json!({"score": 6}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("out_of_range"))
    );
    assert_eq!(
        tech.post(&format!("/requests/{id}/rating"), json!({"score": 5}))
            .await
            .0,
        403,
        "only the requester rates"
    );
    assert_eq!(
        fen.post(
            &format!("/requests/{id}/rating"),
            json!({"score": 5, "comment": "Teşekkürler"})
        )
        .await
        .0,
        204
    );
    let (status, r) = fen
        .post(&format!("/requests/{id}/state"), state("closed"))
        .await;
    assert_eq!(
        (status, r["state"].as_str(), r["rating"].as_i64()),
        (200, Some("closed"), Some(5)),
        "{r}"
    );
    let (status, _) = tech
        .post(&format!("/requests/{id}/state"), state("in_progress"))
        .await;
    assert_eq!(status, 409, "a closed request stays closed");

    // The trail: each step with its basis (the Şef's post, the assignee).
    let (_, audit) = app
        .as_user("mudur")
        .await
        .get(&format!("/audit?subject=request:{id}"))
        .await;
    let trail: Vec<(String, String)> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["basis"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        trail
            .iter()
            .any(|(a, b)| a == "request.assigned" && b.contains("sef_teknik")),
        "{trail:?}"
    );
    assert!(
        trail
            .iter()
            .any(|(a, b)| a == "request.state_changed" && b.contains("assignee")),
        "{trail:?}"
    );
    assert!(trail.iter().any(|(a, _)| a == "request.rated"), "{trail:?}");
    let verdict = store::connect(&app.database_url)
        .await
        .unwrap()
        .verify_audit()
        .await
        .unwrap();
    assert!(verdict.broken.is_none());
}
on_both_engines!(a_request_from_filing_to_closure);

fn urlencode(v: &Value) -> String {
    v.as_str().unwrap().replace('+', "%2B").replace(':', "%3A")
}

/// The Kalem files on someone's behalf (a phone call); the queues: mine,
/// a section's, the breached list with its count.
async fn queues_and_filing_for_someone(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let r = file(&kalem, json!({"title": "Hat arızası", "description": "Dahili 2140 çalmıyor", "category": "telefon", "requester": "talep.zabita", "channel": "phone"})).await;
    assert_eq!(
        (
            r["channel"].as_str(),
            r["requester_name"].as_str(),
            r["filed_by_name"].as_str()
        ),
        (Some("phone"), Some("Nermin Ak"), Some("Ümit Koç")),
        "{r}"
    );
    // m.16/5-b: the phone exchange is Elektronik Sistemler's.
    assert_eq!(r["section"], "elektronik");
    let zabita = app.as_user("talep.zabita").await;
    assert_eq!(
        count(&zabita, "mine=1").await,
        (1, 1),
        "the requester follows it as his own"
    );
    // Another requester cannot file in someone else's name.
    let (status, _) = app.as_user("talep.fen").await.post("/requests", json!({"title": "x", "description": "y", "category": "yazici", "requester": "talep.zabita"})).await;
    assert_eq!(status, 403);
    let sef = app.as_user("sef.elektronik").await;
    for i in 0..3 {
        file(&zabita, json!({"title": format!("Kamera {i}"), "description": "Kayıt yok", "category": "kamera", "priority": "acil"})).await;
    }
    assert_eq!(count(&sef, "section=elektronik").await.1, 4);
    assert_eq!(
        count(&sef, "section=elektronik&state=new&per_page=2").await,
        (2, 4),
        "a page of two, four in all"
    );
    assert_eq!(count(&sef, "section=teknik").await.1, 0);
    assert_eq!(count(&sef, "breached=1").await.1, 0, "nothing is late yet");
    for (q, code) in [
        ("section=yok", "unknown_unit"),
        ("state=bitti", "unknown_state"),
        ("per_page=0", "out_of_range"),
        ("sort=x", "bad_request_sort"),
        ("category=yok", "unknown_category"),
    ] {
        let (status, body) = sef.get(&format!("/requests?{q}")).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some(code)),
            "{q}: {body}"
        );
    }
}
on_both_engines!(queues_and_filing_for_someone);

/// Bad input of every kind gets a clear 4xx and changes nothing.
async fn bad_requests_change_nothing(db: Db) {
    let app = spawn_demo(db).await;
    let fen = app.as_user("talep.fen").await;
    let admin = app.as_user("mudur").await;
    let before = count(&admin, "").await.1;
    for (body, field, code) in [
        (
            json!({"title": "x", "description": "y", "category": "uzay"}),
            "category",
            "unknown_category",
        ),
        (
            json!({"title": "x", "description": "y"}),
            "category",
            "required",
        ),
        (
            json!({"title": "", "description": "y", "category": "yazici"}),
            "title",
            "required",
        ),
        (
            json!({"title": "\u{200b}", "description": "y", "category": "yazici"}),
            "title",
            "required",
        ),
        (
            json!({"title": "x\u{202e}", "description": "y", "category": "yazici"}),
            "title",
            "bidi_character",
        ),
        (
            json!({"title": "x", "description": "y", "category": "yazici", "priority": "hemen"}),
            "priority",
            "unknown_priority",
        ),
        (
            json!({"title": "x", "description": "y", "category": "yazici", "channel": "fax"}),
            "channel",
            "bad_request_channel",
        ),
        (
            json!({"title": "x", "description": "y", "category": "yazici", "requester": "kimse"}),
            "requester",
            "unknown_user",
        ),
    ] {
        let (status, r) = fen.post("/requests", body.clone()).await;
        assert_eq!(status, 422, "{body} → {r}");
        assert_eq!(
            (r["error"]["field"].as_str(), r["error"]["code"].as_str()),
            (Some(field), Some(code)),
            "{body} → {r}"
        );
    }
    let (status, _) = fen
        .post(
            "/requests",
            json!({"title": "x\u{0000}", "description": "y", "category": "yazici"}),
        )
        .await;
    assert_eq!(status, 422, "a NUL is refused on both engines");
    assert_eq!(count(&admin, "").await.1, before, "nothing was filed");
    // The working-time calculator refuses what is not a time or a duration.
    for q in [
        "start=dün&hours=4",
        "start=2026-11-30T09:00:00Z&hours=-1",
        "start=2026-11-30T09:00:00Z&hours=x",
        "start=2026-11-30T09:00:00Z&hours=100000",
        "hours=4",
    ] {
        let (status, r) = fen.get(&format!("/calendar/working-time?{q}")).await;
        assert_eq!(status, 422, "{q}: {r}");
    }
    // Ids that are not there.
    assert_eq!(fen.get("/requests/999999").await.0, 404);
    assert_eq!(
        app.as_user("sef.teknik")
            .await
            .post("/requests/999999/assignment", json!({"to": "memur.teknik"}))
            .await
            .0,
        404
    );
}
on_both_engines!(bad_requests_change_nothing);

/// The SLA clock on the Turkish calendar (Law 2429): official holidays and
/// the arife afternoon from 13:00 are not working time; idari izin days
/// the administrator marks are not either (for the desk), though they
/// still count for legal periods.
#[tokio::test]
async fn working_time_on_the_turkish_calendar() {
    let app = spawn_demo(Db::Sqlite).await;
    let u = app.as_user("memur.bt").await;
    let due = |start: &str, hours: &str| {
        let u = u.clone();
        let q = format!(
            "/calendar/working-time?start={}&hours={hours}",
            start.replace('+', "%2B")
        );
        async move {
            let (status, v) = u.get(&q).await;
            assert_eq!(status, 200, "{v}");
            v["due"].as_str().unwrap().to_owned()
        }
    };
    // Friday 16:30 + 2 h → Monday 09:30 (a weekend between).
    assert_eq!(
        due("2026-12-04T16:30:00+03:00", "2").await,
        "2026-12-07T09:30:00+03:00"
    );
    // Over lunch (12:30–13:30).
    assert_eq!(
        due("2026-11-30T12:00:00+03:00", "1").await,
        "2026-11-30T14:00:00+03:00"
    );
    // 28 Oct 2026, arife of Cumhuriyet Bayramı: the afternoon from 13:00 is
    // off and 29 Oct is the holiday (Law 2429 m.1-2).
    assert_eq!(
        due("2026-10-28T12:00:00+03:00", "1").await,
        "2026-10-30T09:00:00+03:00"
    );
    // A time in UTC reads as Türkiye's; a "+" left unencoded still works.
    assert_eq!(
        due("2026-12-01T05:30:00Z", "1").await,
        "2026-12-01T09:30:00+03:00"
    );
    let (status, v) = u
        .get("/calendar/working-time?start=2026-12-01T08:30:00+03:00&hours=1")
        .await;
    assert_eq!(
        (status, v["due"].as_str()),
        (200, Some("2026-12-01T09:30:00+03:00"))
    );
    // The administrator declares idari izin on Wed 2 Dec 2026.
    let admin = app.as_user("admin").await;
    let r = admin
        .req(reqwest::Method::PUT, "/calendar/days/2026-12-02")
        .json(&json!({"kind": "admin_leave", "name": "İdari izin"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    assert_eq!(
        due("2026-12-01T17:00:00+03:00", "1").await,
        "2026-12-03T09:00:00+03:00"
    );
}

/// m.18: only a superior gives a task (a Şef to his section, the Müdür to
/// anyone in the directorate); the assignee accepts, reports progress and
/// the result; the giver approves. A task from an incoming document keeps
/// the link both ways. m.10/9: the Müdür forms a working group, whose
/// chair gives tasks to its members.
async fn tasks_under_m18_and_working_groups(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let (status, doc) = kalem
        .post("/incoming", json!({"channel": "eyazisma", "sender_kind": "institution", "sender_name": "Valilik", "sender_id": "12345678",
            "sender_ref": "E-1", "subject": "Sunucu odası denetimi", "file_code": "010.06", "legal_basis": "dilekce"}))
        .await;
    assert_eq!(status, 201, "{doc}");
    let doc_id = doc["id"].as_i64().unwrap();
    // m.20/1-c: the Müdür routes it to Bilgi Teknolojileri.
    let (status, body) = app
        .as_user("mudur")
        .await
        .post(
            &format!("/incoming/{doc_id}/routings"),
            json!({"targets": [{"unit": "bt", "purpose": "action"}]}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let due = common::today();
    let task = |assignees: Vec<&str>| json!({"title": "Sunucu odası kontrolü", "description": "Klima ve UPS", "assignees": assignees, "due": due, "source": {"kind": "incoming", "id": doc_id}});
    let order = |assignees: Vec<&str>| json!({"title": "Envanter", "assignees": assignees, "due": due, "source": {"kind": "order"}});

    let (status, body) = app
        .as_user("memur.teknik")
        .await
        .post("/tasks", task(vec!["memur.bt"]))
        .await;
    assert_eq!(
        (status, body["error"]["authority"].as_str()),
        (403, Some("assign_tasks")),
        "a memur gives no tasks: {body}"
    );
    let (status, body) = app
        .as_user("sef.teknik")
        .await
        .post("/tasks", order(vec!["memur.bt"]))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("not_superior")),
        "not another section's staff: {body}"
    );
    let (status, body) = app
        .as_user("sef.bt")
        .await
        .post("/tasks", order(vec!["mudur"]))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("not_superior")),
        "not upwards: {body}"
    );
    // m.18/1-c: a task is detailed from a document that reached the giver.
    let (status, body) = app
        .as_user("sef.teknik")
        .await
        .post("/tasks", task(vec!["memur.teknik"]))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("not_on_document")),
        "not from another section's document: {body}"
    );
    let yesterday = (time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date()
        - time::Duration::days(1))
    .to_string();
    let (status, body) = app
        .as_user("sef.bt")
        .await
        .post(
            "/tasks",
            json!({"title": "Geç", "assignees": ["memur.bt"], "due": yesterday}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("date_in_past")),
        "{body}"
    );
    let sef = app.as_user("sef.bt").await;
    let (status, t) = sef.post("/tasks", task(vec!["memur.bt"])).await;
    assert_eq!(status, 201, "{t}");
    assert_eq!(
        (
            t["state"].as_str(),
            t["source"].as_str(),
            t["source_id"].as_i64()
        ),
        (Some("given"), Some("incoming"), Some(doc_id))
    );
    let id = t["id"].as_i64().unwrap();

    let memur = app.as_user("memur.bt").await;
    let (status, body) = memur
        .post(&format!("/tasks/{id}/done"), json!({"note": "bitti"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("task_not_accepted"))
    );
    let r = memur
        .req(reqwest::Method::POST, &format!("/tasks/{id}/accept"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "accepting needs no body");
    let (status, t) = memur
        .post(
            &format!("/tasks/{id}/progress"),
            json!({"note": "Klima kontrol edildi", "percent": 50}),
        )
        .await;
    assert_eq!((status, t["percent"].as_i64()), (200, Some(50)));
    let (status, body) = memur
        .post(
            &format!("/tasks/{id}/progress"),
            json!({"note": "x", "percent": 150}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("percent"))
    );
    assert_eq!(
        memur
            .post(&format!("/tasks/{id}/done"), json!({"note": ""}))
            .await
            .0,
        422,
        "the result report is required"
    );
    assert_eq!(
        memur
            .post(
                &format!("/tasks/{id}/done"),
                json!({"note": "UPS aküleri değişmeli; rapor ektedir."})
            )
            .await
            .0,
        200
    );
    assert_eq!(
        memur
            .post(&format!("/tasks/{id}/approve"), json!({}))
            .await
            .0,
        403,
        "only the giver approves"
    );
    let (status, t) = sef.post(&format!("/tasks/{id}/approve"), json!({})).await;
    assert_eq!(
        (status, t["state"].as_str()),
        (200, Some("approved")),
        "{t}"
    );

    // The document page shows its task.
    let (c, _) = page_client(&app, "sef.bt").await;
    let html = c
        .get(app.url(&format!("/evrak/{doc_id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("/gorevler/{id}")) && html.contains("Sunucu odası kontrolü"),
        "the document lists its task"
    );

    // m.10/9: the working group.
    let group = json!({"name": "EBYS geçiş grubu", "mandate": "Geçişin planlanması", "chair": "sef.bt", "members": ["memur.teknik"],
        "participants": [{"name": "Kemal Yurt", "unit": "Fen İşleri Müdürlüğü"}], "starts_on": common::today(), "approval_ref": "Olur 2026/3"});
    let (status, body) = sef.post("/working-groups", group.clone()).await;
    assert_eq!(
        (status, body["error"]["authority"].as_str()),
        (403, Some("form_working_groups")),
        "{body}"
    );
    let (status, g) = app
        .as_user("mudur")
        .await
        .post("/working-groups", group)
        .await;
    assert_eq!(status, 201, "{g}");
    assert!(g["members"].to_string().contains("Fen İşleri Müdürlüğü"));
    // Its chair gives a task to a member of another section.
    let (status, t) = sef.post("/tasks", json!({"title": "Birim envanteri", "assignees": ["memur.teknik"], "due": due, "group": g["id"], "source": {"kind": "order"}})).await;
    assert_eq!(status, 201, "{t}");
    let (_, mine) = app
        .as_user("memur.teknik")
        .await
        .get("/tasks?list=groups")
        .await;
    assert!(mine
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["title"] == "Birim envanteri"));
}
on_both_engines!(tasks_under_m18_and_working_groups);

/// The pages: a requester of another directorate files from the form, a
/// bad form comes back with what was typed; the Şef's queue lists it; the
/// request page offers each person only his actions.
async fn the_desk_pages(db: Db) {
    let app = spawn_demo(db).await;
    let (c, csrf) = page_client(&app, "talep.fen").await;
    let home = c
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("id=\"home-new-request\""),
        "a requester's home offers a new request"
    );
    let form = c
        .get(app.url("/talepler/yeni"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("Yazıcı") && form.contains("Teknik Bakım Şefliği"),
        "categories name their section"
    );
    let r = c
        .post(app.url("/talepler/yeni"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("title", "Ekran titriyor"),
            ("description", "Oda 210"),
            ("category", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Ekran titriyor") && html.contains("id=\"form-errors\""),
        "the form comes back with what was typed"
    );
    let r = c
        .post(app.url("/talepler/yeni"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("title", "Ekran titriyor"),
            ("description", "Oda 210"),
            ("category", "cevre_birimi"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let at = r.headers()["location"].to_str().unwrap().to_owned();
    let page = c
        .get(app.url(&at))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Ekran titriyor")
            && page.contains("Teknik Bakım Şefliği")
            && page.contains("Kemal Yurt")
    );
    assert!(
        !page.contains("id=\"assign-form\""),
        "the requester assigns nothing"
    );

    let (sc, scsrf) = page_client(&app, "sef.teknik").await;
    let queue = sc
        .get(app.url("/talepler"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        queue.contains("Ekran titriyor") && queue.contains("Kemal Yurt"),
        "the Şef's queue lists it by the requester's name"
    );
    let page = sc
        .get(app.url(&at))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"assign-form\"") && page.contains("Selçuk Güneş"),
        "he assigns to his section's people, by name"
    );
    assert!(!page.contains(">memur.bt<"), "no usernames shown");
    let id = at
        .trim_start_matches("/talepler/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let r = sc
        .post(app.url(&format!("/talepler/{id}/durum")))
        .form(&[("_csrf", scsrf.as_str()), ("state", "closed")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        409,
        "closing unresolved shows the page with the refusal"
    );
    assert!(r.text().await.unwrap().contains("çözülmeden kapatılamaz"));
    let r = sc
        .post(app.url(&format!("/talepler/{id}/ata")))
        .form(&[("_csrf", scsrf.as_str()), ("to", "memur.teknik")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let sla = sc.get(app.url("/talepler/sla")).send().await.unwrap();
    assert_eq!(sla.status(), 200);
    let (fc, _) = page_client(&app, "talep.fen").await;
    assert_eq!(
        fc.get(app.url("/talepler/sla"))
            .send()
            .await
            .unwrap()
            .status(),
        403,
        "the SLA report is the directorate's"
    );
    let tasks = sc.get(app.url("/gorevler")).send().await.unwrap();
    assert_eq!(tasks.status(), 200);
}
on_both_engines!(the_desk_pages);

/// An account of another directorate (a requester) sees its own and its
/// unit's requests, nothing of the directorate's correspondence, and a
/// request it may not see answers 404 to every action (not 403, which
/// would tell that it exists). A file put on a request is read through
/// the request.
async fn requesters_see_only_their_own(db: Db) {
    let app = spawn_demo(db).await;
    let kalem = app.as_user("memur.kalem").await;
    let (status, doc) = kalem
        .post("/incoming", json!({"channel": "eyazisma", "sender_kind": "institution", "sender_name": "Valilik", "sender_id": "12345678",
            "sender_ref": "E-9", "subject": "Genel yazı", "file_code": "010.06", "legal_basis": "dilekce"}))
        .await;
    assert_eq!(status, 201);
    let fen = app.as_user("talep.fen").await;
    assert_eq!(
        fen.get(&format!("/incoming/{}", doc["id"])).await.0,
        404,
        "the registry is the directorate's"
    );
    assert_eq!(fen.get("/search?q=yazı").await.0, 403);
    assert_eq!(kalem.get(&format!("/incoming/{}", doc["id"])).await.0, 200);

    // A file on a request: the requester and the desk read it; another unit does not.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let up = fen
        .req(reqwest::Method::POST, "/attachments")
        .header("content-type", "application/pdf")
        .body(pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(up.status(), 201);
    let sha = up.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = file(
        &fen,
        json!({"title": "Tarayıcı", "description": "Tarama yapmıyor", "category": "cevre_birimi"}),
    )
    .await;
    let id = r["id"].as_i64().unwrap();
    let (status, body) = fen
        .post(
            &format!("/requests/{id}/attachments"),
            json!([{"sha256": sha, "name": "hata.pdf"}]),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    for (who, expect) in [
        ("talep.fen", 200),
        ("sef.teknik", 200),
        ("talep.zabita", 404),
    ] {
        let r = app
            .as_user(who)
            .await
            .req(reqwest::Method::GET, &format!("/attachments/{sha}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status().as_u16(),
            expect,
            "{who} reads the request's file"
        );
    }
    // Every action on a request one may not see is a 404.
    let zabita = app.as_user("talep.zabita").await;
    for (path, body) in [
        ("rating", json!({"score": 5})),
        ("state", json!({"state": "closed"})),
        ("worklog", json!({"minutes": 5})),
        ("merge", json!({"into": "1"})),
        ("events", json!({"body": "x"})),
    ] {
        assert_eq!(
            zabita.post(&format!("/requests/{id}/{path}"), body).await.0,
            404,
            "{path}"
        );
    }
    // Merging: only inside one section, into an open request.
    let other = file(
        &fen,
        json!({"title": "Hat", "description": "Dahili", "category": "telefon"}),
    )
    .await;
    let sef = app.as_user("mudur").await;
    let (status, body) = sef
        .post(
            &format!("/requests/{id}/merge"),
            json!({"into": other["number"]}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("merge_across_sections")),
        "{body}"
    );
    let twin = file(
        &fen,
        json!({"title": "Tarayıcı yine", "description": "Aynı sorun", "category": "cevre_birimi"}),
    )
    .await;
    let (status, merged) = app
        .as_user("sef.teknik")
        .await
        .post(
            &format!("/requests/{}/merge", twin["id"]),
            json!({"into": r["number"]}),
        )
        .await;
    assert_eq!(
        (
            status,
            merged["state"].as_str(),
            merged["merged_into"].as_str()
        ),
        (200, Some("closed"), r["number"].as_str()),
        "{merged}"
    );
}
on_both_engines!(requesters_see_only_their_own);

/// The desk's mailbox, read over IMAP from a real Dovecot: new mail opens
/// a request in the sender's name (a known address) or the fallback
/// account's; a reply carrying the number adds to it; bad mail never
/// blocks the box: no subject, HTML only, an oversized message, a forged
/// number, an auto-reply loop, an unreadable message; nothing is taken
/// twice.
async fn the_mailbox_opens_and_follows_requests(db: Db) {
    let imap = testkit::Dovecot::start();
    let config = format!(
        "[servicedesk.mailbox]\nhost = \"127.0.0.1\"\nport = {}\ntls = false\nusername = \"{}\"\npassword = \"{}\"\ncategory = \"yazilim\"\nfallback_requester = \"eposta\"\npoll_seconds = 3600\nmax_message_mb = 1\n",
        imap.port, imap.user, imap.password
    );
    // Read by the test's own rounds (the server's background reader is
    // tested below), so that no round runs beside them.
    let app = common::spawn_demo(db).await;
    let cfg: app::mail::MailboxConfig = toml::from_str::<toml::Table>(&config).unwrap()
        ["servicedesk"]["mailbox"]
        .clone()
        .try_into()
        .unwrap();
    let mail = |from: &str, subject: Option<&str>, extra: &str, body: &str| {
        let subject = subject
            .map(|s| format!("Subject: {s}\r\n"))
            .unwrap_or_default();
        format!("From: {from}\r\nTo: bilgiislem@ornek.bel.tr\r\n{subject}Message-ID: <{}@ornek.bel.tr>\r\n{extra}MIME-Version: 1.0\r\n", rand_id()) + body
    };
    let plain = |text: &str| format!("Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n");
    imap.deliver(mail("Kemal Yurt <talep.fen@ornek.bel.tr>", Some("=?utf-8?q?Yaz=C4=B1c=C4=B1_ka=C4=9F=C4=B1t_s=C4=B1k=C4=B1=C5=9Ft=C4=B1r=C4=B1yor?="), "", &plain("312 numaralı oda.")).as_bytes());
    imap.deliver(mail("Bilinmeyen <biri@example.org>", None, "", "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Merhaba, <b>internet</b> yok.</p></body></html>\r\n").as_bytes());
    imap.deliver(
        mail(
            "Tatil <talep.zabita@ornek.bel.tr>",
            Some("Ofis dışındayım"),
            "Auto-Submitted: auto-replied\r\n",
            &plain("Pazartesi dönüyorum."),
        )
        .as_bytes(),
    );
    imap.deliver(
        mail(
            "Liste <bulten@example.org>",
            Some("Bülten"),
            "Precedence: bulk\r\n",
            &plain("Haberler"),
        )
        .as_bytes(),
    );
    let big = "A".repeat(1_600_000);
    imap.deliver(mail("Kemal Yurt <talep.fen@ornek.bel.tr>", Some("Büyük ek"), "", &format!("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nEkte çizim var.\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"cizim.dwg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{big}\r\n--b--\r\n")).as_bytes());
    imap.deliver(b"\x00\x01\x02 not a message at all");
    let round = app
        .app
        .read_mailbox(&cfg)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", imap.log()));
    assert_eq!(
        (round.opened, round.ignored, round.unreadable, round.retry),
        (3, 2, 1, 0),
        "{round:?}"
    );

    let desk = app.as_user("mudur").await;
    let (_, list) = desk.get("/requests?per_page=50").await;
    let list = list.as_array().unwrap().clone();
    let printer = list
        .iter()
        .find(|r| r["title"] == "Yazıcı kağıt sıkıştırıyor")
        .expect("the printer mail opened a request");
    assert_eq!(
        (
            printer["requester_name"].as_str(),
            printer["section"].as_str()
        ),
        (Some("Kemal Yurt"), Some("bt")),
        "{printer}"
    );
    let (_, full) = desk.get(&format!("/requests/{}", printer["id"])).await;
    assert_eq!(full["channel"], "email");
    let unknown = list
        .iter()
        .find(|r| r["title"] == "(konusuz e-posta)")
        .expect("mail without a subject still opens one");
    assert_eq!(unknown["requester_name"], "E-posta ile gelen talepler");
    let (_, u) = desk.get(&format!("/requests/{}", unknown["id"])).await;
    assert!(
        u["description"].as_str().unwrap().contains("internet")
            && !u["description"].as_str().unwrap().contains("<b>"),
        "HTML read as text: {u}"
    );
    let big = list
        .iter()
        .find(|r| r["title"] == "Büyük ek")
        .expect("an oversized message is taken");
    let (_, b) = desk.get(&format!("/requests/{}", big["id"])).await;
    assert!(
        b["description"]
            .as_str()
            .unwrap()
            .contains("ekleri alınmadı"),
        "{b}"
    );
    assert!(
        !list
            .iter()
            .any(|r| r["title"] == "Ofis dışındayım" || r["title"] == "Bülten"),
        "automatic mail is not filed"
    );

    // A reply with the number from the requester adds to it; the same
    // number from someone else (forged) opens a new one.
    let number = printer["number"].as_str().unwrap();
    imap.deliver(
        mail(
            "Kemal Yurt <talep.fen@ornek.bel.tr>",
            Some(&format!("Re: [#{number}] Yazıcı")),
            "",
            &plain("Hâlâ sıkışıyor."),
        )
        .as_bytes(),
    );
    imap.deliver(
        mail(
            "Sahte <saldirgan@example.org>",
            Some(&format!("Re: [#{number}] Yazıcı")),
            "",
            &plain("Şifremi sıfırlayın"),
        )
        .as_bytes(),
    );
    let round = app.app.read_mailbox(&cfg).await.unwrap();
    assert_eq!((round.added, round.opened), (1, 1), "{round:?}");
    let (_, events) = app
        .as_user("talep.fen")
        .await
        .get(&format!("/requests/{}/events", printer["id"]))
        .await;
    let text = events.to_string();
    assert!(
        text.contains("Hâlâ sıkışıyor") && !text.contains("Şifremi"),
        "{text}"
    );
    // Nothing is taken twice.
    let round = app.app.read_mailbox(&cfg).await.unwrap();
    assert_eq!(round, app::mail::MailRound::default());
    let (_, after) = desk.get("/requests?per_page=50").await;
    assert_eq!(after.as_array().unwrap().len(), list.len() + 1);
}
on_both_engines!(the_mailbox_opens_and_follows_requests);

fn rand_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// By e-mail through a real SMTP server: the requester hears that his
/// request was received, taken up and resolved (the subject carries its
/// number, so his reply joins it; marked Auto-Submitted so no robot
/// answers); the daily digest tells a technician of his overdue task and
/// his request past its SLA.
async fn the_requester_and_the_desk_hear_by_email(db: Db) {
    let smtp = testkit::SmtpServer::start();
    let config = format!("[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"Bilgi İşlem <bilgiislem@ornek.bel.tr>\"\nsecurity = \"none\"\n", smtp.port);
    let app = common::spawn_demo_with_config(db, &config).await;
    let fen = app.as_user("talep.fen").await;
    let r = file(
        &fen,
        json!({"title": "Yazıcı", "description": "Kağıt sıkışıyor", "category": "yazici"}),
    )
    .await;
    let id = r["id"].as_i64().unwrap();
    let number = r["number"].as_str().unwrap().to_owned();
    assert_eq!(
        app.as_user("sef.teknik")
            .await
            .post(
                &format!("/requests/{id}/assignment"),
                json!({"to": "memur.teknik"})
            )
            .await
            .0,
        200
    );
    let tech = app.as_user("memur.teknik").await;
    assert_eq!(
        tech.post(
            &format!("/requests/{id}/state"),
            json!({"state": "resolved", "note": "Silindir temizlendi"})
        )
        .await
        .0,
        200
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let mails = loop {
        let m = smtp.messages();
        if m.len() >= 3 || std::time::Instant::now() > deadline {
            break m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    for want in ["alındı", "ele alındı", "çözüldü"] {
        assert!(
            subjects
                .iter()
                .any(|s| s.contains(&format!("[#{number}]")) && s.contains(want)),
            "{want}: {subjects:?}"
        );
    }
    assert!(
        mails
            .iter()
            .all(|m| m.to.contains("talep.fen@ornek.bel.tr")),
        "{mails:?}"
    );

    // The digest: an overdue task (its date moved back, as time would) and
    // a request past its SLA.
    let due = (time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date())
    .to_string();
    let (status, t) = app
        .as_user("sef.teknik")
        .await
        .post(
            "/tasks",
            json!({"title": "UPS bakımı", "assignees": ["memur.teknik"], "due": due}),
        )
        .await;
    assert_eq!(status, 201, "{t}");
    let late = file(
        &fen,
        json!({"title": "Monitör", "description": "Görüntü yok", "category": "cevre_birimi"}),
    )
    .await;
    assert_eq!(
        app.as_user("sef.teknik")
            .await
            .post(
                &format!("/requests/{}/assignment", late["id"]),
                json!({"to": "memur.teknik"})
            )
            .await
            .0,
        200
    );
    let db_url = app.database_url.clone();
    let sql = [format!(
        "UPDATE tasks SET due = '2026-01-05' WHERE id = {}",
        t["id"]
    )];
    if db_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&db_url).await.unwrap();
        sqlx::query(&sql[0].replace("'2026-01-05'", "DATE '2026-01-05'"))
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(&format!(
            "UPDATE requests SET resolve_by = TIMESTAMPTZ '2026-01-05 10:00+03' WHERE id = {}",
            late["id"]
        ))
        .execute(&pool)
        .await
        .unwrap();
    } else {
        let pool = sqlx::SqlitePool::connect(&db_url).await.unwrap();
        sqlx::query(&sql[0]).execute(&pool).await.unwrap();
        sqlx::query(&format!(
            "UPDATE requests SET resolve_by = '2026-01-05 07:00:00.000000000+00:00' WHERE id = {}",
            late["id"]
        ))
        .execute(&pool)
        .await
        .unwrap();
    }
    let (status, report) = app.as_user("admin").await.post("/digest", json!({})).await;
    assert_eq!(status, 200, "{report}");
    let mails = smtp.messages();
    let digest = mails
        .iter()
        .find(|m| m.to.contains("memur.teknik"))
        .unwrap_or_else(|| panic!("{report} {mails:?}"));
    assert!(
        digest
            .subject
            .contains("1 geciken görev, 1 süresi geçen talep"),
        "{}",
        digest.subject
    );
    assert!(
        digest.body.contains("UPS bakımı")
            && digest.body.contains("05.01.2026")
            && digest.body.contains(late["number"].as_str().unwrap()),
        "{}",
        digest.body
    );
}
on_both_engines!(the_requester_and_the_desk_hear_by_email);

/// The desk's housekeeping: a resolved request nobody reopened closes by
/// itself after the configured working days (audited as the system's),
/// and a maintenance plan makes its task on its day, once.
async fn housekeeping_closes_and_plans(db: Db) {
    let app = spawn_demo(db).await;
    let fen = app.as_user("talep.fen").await;
    let r = file(
        &fen,
        json!({"title": "Fare", "description": "Çalışmıyor", "category": "cevre_birimi"}),
    )
    .await;
    let id = r["id"].as_i64().unwrap();
    assert_eq!(
        app.as_user("sef.teknik")
            .await
            .post(
                &format!("/requests/{id}/assignment"),
                json!({"to": "memur.teknik"})
            )
            .await
            .0,
        200
    );
    assert_eq!(
        app.as_user("memur.teknik")
            .await
            .post(
                &format!("/requests/{id}/state"),
                json!({"state": "resolved"})
            )
            .await
            .0,
        200
    );
    assert_eq!(
        app.app.close_resolved_requests().await.unwrap(),
        0,
        "just resolved: it waits for the requester"
    );
    // Resolved ten days ago (as time would pass).
    let db_url = app.database_url.clone();
    if db_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&db_url).await.unwrap();
        sqlx::query(&format!(
            "UPDATE requests SET resolved_at = resolved_at - INTERVAL '10 days' WHERE id = {id}"
        ))
        .execute(&pool)
        .await
        .unwrap();
    } else {
        let pool = sqlx::SqlitePool::connect(&db_url).await.unwrap();
        sqlx::query(&format!("UPDATE requests SET resolved_at = '2026-01-05 07:00:00.000000000+00:00' WHERE id = {id}")).execute(&pool).await.unwrap();
    }
    assert_eq!(app.app.close_resolved_requests().await.unwrap(), 1);
    let (_, r) = fen.get(&format!("/requests/{id}")).await;
    assert_eq!(r["state"], "closed");
    let (_, audit) = app
        .as_user("mudur")
        .await
        .get(&format!(
            "/audit?subject=request:{id}&action=request.closed_automatically"
        ))
        .await;
    assert!(audit.to_string().contains("system"), "{audit}");

    // A weekly plan on today's weekday: its task is made today, once.
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+3))
        .date();
    let schedule = format!("weekly:{}", today.weekday().number_from_monday());
    let sef = app.as_user("sef.bt").await;
    let (status, plan) = sef
        .post(
            "/maintenance-plans",
            json!({"title": "Yedeklerin kontrolü", "schedule": schedule, "assignee": "memur.bt"}),
        )
        .await;
    assert_eq!(status, 201, "{plan}");
    let (status, body) = sef
        .post(
            "/maintenance-plans",
            json!({"title": "x", "schedule": "weekly:01", "assignee": "memur.bt"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("bad_schedule"))
    );
    assert_eq!(app.app.run_maintenance_plans(today).await.unwrap(), 1);
    assert_eq!(
        app.app.run_maintenance_plans(today).await.unwrap(),
        0,
        "once a day"
    );
    let (_, mine) = app.as_user("memur.bt").await.get("/tasks").await;
    let made: Vec<&Value> = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["title"] == "Yedeklerin kontrolü")
        .collect();
    assert_eq!(made.len(), 1, "{mine}");
    assert_eq!(made[0]["source"], "plan");
    let (_, plans) = sef.get("/maintenance-plans").await;
    let next = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == plan["id"])
        .unwrap()["next_on"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        next,
        (today + time::Duration::days(7)).to_string(),
        "next week"
    );
}
on_both_engines!(housekeeping_closes_and_plans);

/// The server reads its mailbox by itself, every `poll_seconds`.
#[tokio::test]
async fn the_server_reads_its_mailbox_by_itself() {
    let imap = testkit::Dovecot::start();
    let config = format!(
        "[servicedesk.mailbox]\nhost = \"127.0.0.1\"\nport = {}\ntls = false\nusername = \"{}\"\npassword = \"{}\"\ncategory = \"yazilim\"\nfallback_requester = \"eposta\"\npoll_seconds = 1\n",
        imap.port, imap.user, imap.password
    );
    let app = common::spawn_demo_with_config(Db::Sqlite, &config).await;
    imap.deliver(format!("From: Nermin Ak <talep.zabita@ornek.bel.tr>\r\nSubject: EBYS açılmıyor\r\nMessage-ID: <{}@ornek.bel.tr>\r\n\r\nGiriş ekranı gelmiyor.\r\n", rand_id()).as_bytes());
    let zabita = app.as_user("talep.zabita").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, list) = zabita.get("/requests?mine=1").await;
        if list
            .as_array()
            .is_some_and(|l| l.iter().any(|r| r["title"] == "EBYS açılmıyor"))
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not file the mail within 20 s: {}",
            imap.log()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
