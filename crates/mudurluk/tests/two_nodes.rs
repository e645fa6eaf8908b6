//! Scale-out (docs/DEPLOYMENT.md): two `mudurluk` servers on one
//! PostgreSQL database and one S3-compatible store (moto), each with its
//! own search index following the change log. A document registered on
//! node A is found on node B; a file's text is extracted once; numbers
//! stay gap-free whichever node registers; a node going away loses nothing
//! it acknowledged.

mod common;

use std::time::{Duration, Instant};

use common::{spawn_demo_with_config, spawn_sibling_with_config, ApiUser, Db};
use serde_json::{json, Value};

fn doc(subject: &str, attachments: &[&str]) -> Value {
    json!({"channel": "hand", "delivered_by": "Ayşe Kara", "sender_kind": "person", "sender_name": "Ayşe Kara",
        "subject": subject, "file_code": "044", "legal_basis": "dilekce", "attachments": attachments})
}

async fn register(u: &ApiUser, subject: &str) -> Value {
    let (status, r) = u.post("/incoming", doc(subject, &[])).await;
    assert_eq!(status, 201, "{r}");
    r
}

#[tokio::test]
async fn two_nodes_on_one_database_and_one_object_store() {
    let s3 = testkit::S3Server::start();
    let config = format!(
        "[s3]\nbucket = \"{}\"\nendpoint = \"{}\"\nregion = \"us-east-1\"\naccess_key_id = \"test\"\nsecret_access_key = \"test\"\nallow_http = true\n",
        s3.bucket, s3.endpoint
    );
    let a = spawn_demo_with_config(Db::Postgres, &config).await;
    let b = spawn_sibling_with_config(&a, Some(&config)).await;
    let kalem_a = a.as_user("memur.kalem").await;
    let kalem_b = b.as_user("memur.kalem").await;

    // A file uploaded on A is on the shared store: B serves it.
    let mut pdf_text = b"%PDF-1.4\n".to_vec();
    pdf_text.extend_from_slice("kartli gecis sistemi bakim sozlesmesi".as_bytes());
    let r = kalem_a
        .req(reqwest::Method::POST, "/attachments")
        .header("content-type", "application/pdf")
        .body(pdf_text)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let sha = r.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();

    // Registered on A, found on B (its own index, following the log).
    let (status, registered) = kalem_a
        .post(
            "/incoming",
            doc("Kartlı geçiş sistemi bakım sözleşmesi", &[&sha]),
        )
        .await;
    assert_eq!(status, 201, "{registered}");
    let started = Instant::now();
    let found = loop {
        let (status, r) = kalem_b
            .get("/search?q=kart%C4%B1l%C4%B1%20ge%C3%A7i%C5%9F")
            .await;
        assert_eq!(status, 200, "{r}");
        if r["total"].as_u64() == Some(1) {
            break Some(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(10) {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let found = found.expect("node B finds what node A registered");
    eprintln!(
        "found on node B {} ms after node A answered",
        found.as_millis()
    );
    // The target is 2 s; the test allows for a loaded 2-core CI machine.
    assert!(found < Duration::from_secs(5), "{found:?}");
    let r = kalem_b
        .req(reqwest::Method::GET, &format!("/attachments/{sha}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "node B reads the file from the shared store"
    );

    // The file's text is extracted once, by one node or the other.
    let admin = a.as_user("admin").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let extracted = loop {
        let (_, rows) = admin
            .get(&format!(
                "/audit?action=blob.text_extracted&subject=blob:{sha}"
            ))
            .await;
        let n = rows.as_array().map_or(0, Vec::len);
        if n > 0 || Instant::now() > deadline {
            break n;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::time::sleep(Duration::from_secs(3)).await; // time for a second (wrong) run to show
    let (_, rows) = admin
        .get(&format!(
            "/audit?action=blob.text_extracted&subject=blob:{sha}"
        ))
        .await;
    assert_eq!(
        (extracted, rows.as_array().map_or(0, Vec::len)),
        (1, 1),
        "one extraction across the nodes: {rows}"
    );

    // Numbers: registrations on both nodes at once, gap-free.
    let mut jobs = Vec::new();
    for i in 0..30 {
        let u = if i % 2 == 0 {
            kalem_a.clone()
        } else {
            kalem_b.clone()
        };
        jobs.push(tokio::spawn(async move {
            register(&u, &format!("Eşzamanlı kayıt {i}")).await
        }));
    }
    let mut seqs: Vec<i64> = Vec::new();
    for j in jobs {
        seqs.push(j.await.unwrap()["seq"].as_i64().unwrap());
    }
    seqs.push(registered["seq"].as_i64().unwrap());
    seqs.sort();
    let first = seqs[0];
    assert_eq!(
        seqs,
        (first..first + seqs.len() as i64).collect::<Vec<_>>(),
        "gap-free and unique across the nodes"
    );

    // Node B goes away while registrations run on it: every one it
    // acknowledged is there on node A.
    let mut jobs = Vec::new();
    for i in 0..20 {
        let u = kalem_b.clone();
        jobs.push(tokio::spawn(async move {
            let (status, r) = u
                .post("/incoming", doc(&format!("Kapanırken kayıt {i}"), &[]))
                .await;
            (status == 201).then(|| r["id"].as_i64().unwrap())
        }));
    }
    tokio::time::sleep(Duration::from_millis(30)).await;
    drop(b);
    let mut acknowledged = 0;
    for j in jobs {
        if let Ok(Some(id)) = j.await {
            acknowledged += 1;
            let (status, r) = kalem_a.get(&format!("/incoming/{id}")).await;
            assert_eq!(status, 200, "acknowledged by B, kept: {r}");
        }
    }
    eprintln!("{acknowledged} of 20 registrations acknowledged by node B before it stopped");
    // Node A goes on.
    register(&kalem_a, "B durduktan sonra").await;
}
