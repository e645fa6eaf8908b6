//! The store contract: the same story run on SQLite and on PostgreSQL (a
//! throwaway cluster started from the system's initdb, or TEST_DATABASE_URL).

use std::sync::Arc;

use mudurluk_store::blob::{BlobError, BlobStore};
use mudurluk_store::*;
use time::{Duration, OffsetDateTime};

async fn sqlite() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = connect(&sqlite_url_in(dir.path())).await.unwrap();
    s.migrate().await.unwrap();
    (s, dir)
}

async fn postgres() -> (Arc<dyn Store>, tempfile::TempDir) {
    let url = testkit::fresh_pg_database().await;
    let s = connect(&url).await.unwrap();
    s.migrate().await.unwrap();
    (s, tempfile::tempdir().unwrap())
}

/// Declares one test per engine from one async story.
macro_rules! on_both_engines {
    ($name:ident, $story:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let (s, dir) = super::sqlite().await;
                super::$story(s, dir.path()).await;
            }
            #[tokio::test]
            async fn postgres() {
                let (s, dir) = super::postgres().await;
                super::$story(s, dir.path()).await;
            }
        }
    };
}

fn audit(action: &'static str) -> NewAudit {
    NewAudit {
        actor: None,
        action,
        subject: "test".into(),
        basis: "system".into(),
        details: serde_json::json!({"note": "çğıöşü İI"}),
    }
}

fn admin() -> NewUser {
    NewUser {
        username: "admin".into(),
        display_name: "Ayşe Yılmaz".into(),
        password_hash: "$argon2id$stub-hash-not-checked-here".into(),
        is_admin: true,
    }
}

fn session(hash: &str) -> NewSession {
    NewSession { token_hash: hash.into(), expires_at: OffsetDateTime::now_utc() + Duration::hours(8) }
}

async fn migrations_are_idempotent_and_seed_settings(s: Arc<dyn Store>, _: &std::path::Path) {
    s.migrate().await.unwrap();
    s.ping().await.unwrap();
    let st = s.settings().await.unwrap();
    assert_eq!(st.directorate_name, "Bilgi İşlem Müdürlüğü");
    assert_eq!(st.institution_name, "T.C. Örnek Belediyesi");
    assert_eq!(s.user_count().await.unwrap(), 0);
}
on_both_engines!(migrate, migrations_are_idempotent_and_seed_settings);

async fn setup_token_is_one_time(s: Arc<dyn Store>, _: &std::path::Path) {
    s.issue_setup_token("h1", audit("setup.token_issued")).await.unwrap();
    // A new token replaces the unused one.
    s.issue_setup_token("h2", audit("setup.token_issued")).await.unwrap();
    assert!(!s.setup_token_valid("h1").await.unwrap());
    assert!(s.setup_token_valid("h2").await.unwrap());
    assert!(matches!(
        s.complete_setup("h1", admin(), session("s0"), audit("setup.completed")).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.user_count().await.unwrap(), 0, "a refused setup leaves no account");

    let u = s.complete_setup("h2", admin(), session("s1"), audit("setup.completed")).await.unwrap();
    assert_eq!(u.username, "admin");
    assert_eq!(u.display_name, "Ayşe Yılmaz");
    assert!(u.is_admin);
    assert!(!s.setup_token_valid("h2").await.unwrap(), "the token is used up");
    // Nothing can reopen setup once an account exists.
    assert!(matches!(s.issue_setup_token("h3", audit("x")).await, Err(StoreError::Conflict(_))));
    assert!(matches!(
        s.complete_setup("h2", admin(), session("s2"), audit("x")).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.user_count().await.unwrap(), 1);

    // The session works until it expires.
    let now = OffsetDateTime::now_utc();
    assert_eq!(s.session_user("s1", now).await.unwrap().unwrap().id, u.id);
    assert!(s.session_user("s1", now + Duration::hours(9)).await.unwrap().is_none());
    assert!(s.session_user("nope", now).await.unwrap().is_none());

    // Every change is in the audit trail, newest first, with its details.
    let log = s.recent_audit(10).await.unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["setup.completed", "setup.token_issued", "setup.token_issued"]);
    assert_eq!(log[0].details["note"], "çğıöşü İI");
}
on_both_engines!(setup, setup_token_is_one_time);

async fn blob_records_are_idempotent(s: Arc<dyn Store>, _: &std::path::Path) {
    s.issue_setup_token("h", audit("setup.token_issued")).await.unwrap();
    let u = s.complete_setup("h", admin(), session("s"), audit("setup.completed")).await.unwrap();
    let rec = BlobRecord { sha256: "ab".repeat(32), size: 5, content_type: "application/pdf".into() };
    s.record_blob(rec.clone(), Some(u.id), audit("attachment.stored")).await.unwrap();
    s.record_blob(rec.clone(), Some(u.id), audit("attachment.stored")).await.unwrap();
    assert_eq!(s.blob(&rec.sha256).await.unwrap(), Some(rec));
    assert_eq!(s.blob(&"cd".repeat(32)).await.unwrap(), None);
}
on_both_engines!(blobs, blob_records_are_idempotent);

async fn backup_restore_round_trip(s: Arc<dyn Store>, dir: &std::path::Path) {
    s.issue_setup_token("h", audit("setup.token_issued")).await.unwrap();
    s.complete_setup("h", admin(), session("s"), audit("setup.completed")).await.unwrap();
    let blobs = BlobStore::local(&dir.join("attachments"), 1 << 20).unwrap();
    let stored = blobs.put(futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"taranmis evrak"))])).await.unwrap();

    let file = dir.join("yedek.tar");
    let manifest = backup::write_backup(s.as_ref(), &blobs, &file).await.unwrap();
    assert_eq!(manifest.engine, s.engine().name());
    assert_eq!(manifest.blobs, 1);

    let target = dir.join("restored");
    let url = match s.engine() {
        Engine::Sqlite => None,
        Engine::Postgres => Some(testkit::fresh_pg_database().await),
    };
    backup::restore(&file, backup::RestoreTarget { data_dir: &target, database_url: url.as_deref() }).await.unwrap();
    let r = connect(&url.clone().unwrap_or_else(|| sqlite_url_in(&target))).await.unwrap();
    assert_eq!(r.user_count().await.unwrap(), 1);
    assert_eq!(r.session_user("s", OffsetDateTime::now_utc()).await.unwrap().unwrap().username, "admin");
    assert_eq!(r.recent_audit(10).await.unwrap().len(), 2);
    let rblobs = BlobStore::local(&target.join("attachments"), 1 << 20).unwrap();
    assert!(rblobs.exists(&stored.sha256).await.unwrap());
    // New rows after a restore get fresh ids (sequences moved on).
    r.record_blob(BlobRecord { sha256: "ef".repeat(32), size: 1, content_type: "text/plain".into() }, Some(1), audit("attachment.stored")).await.unwrap();
    assert_eq!(r.recent_audit(1).await.unwrap()[0].id, 3);

    // A non-empty place is refused and left as it was.
    let err = backup::restore(&file, backup::RestoreTarget { data_dir: &target, database_url: url.as_deref() }).await.unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(r.user_count().await.unwrap(), 1);
}
on_both_engines!(backup_restore, backup_restore_round_trip);

#[tokio::test]
async fn blob_store_is_content_addressed_and_leaves_nothing_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::local(dir.path(), 1000).unwrap();
    let chunks = |n: usize| futures::stream::iter((0..n).map(|i| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![i as u8; 100]))));
    let a = blobs.put(chunks(10)).await.unwrap();
    assert_eq!(a.size, 1000);
    let b = blobs.put(chunks(10)).await.unwrap();
    assert_eq!(a, b, "same bytes, same blob");
    assert_eq!(blobs.list().await.unwrap().len(), 1);
    let mut got = Vec::new();
    let mut st = blobs.get(&a.sha256).await.unwrap();
    while let Some(c) = futures::StreamExt::next(&mut st).await {
        got.extend_from_slice(&c.unwrap());
    }
    assert_eq!(got.len(), 1000);
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&got)), a.sha256);

    let files_before = count_files(dir.path());
    assert!(matches!(blobs.put(chunks(11)).await, Err(BlobError::TooLarge { limit: 1000 })));
    assert_eq!(count_files(dir.path()), files_before, "an upload over the limit leaves no file behind");
    assert!(matches!(blobs.get("../../etc/passwd").await, Err(BlobError::BadHash)));
    assert!(matches!(blobs.get(&"0".repeat(64)).await, Err(BlobError::NotFound)));
}

fn count_files(p: &std::path::Path) -> usize {
    std::fs::read_dir(p)
        .unwrap()
        .flatten()
        .map(|e| if e.path().is_dir() { count_files(&e.path()) } else { 1 })
        .sum()
}

#[tokio::test]
async fn blob_store_works_the_same_on_an_s3_compatible_server() {
    let s3 = testkit::S3Server::start();
    let cfg = blob::S3Config {
        bucket: s3.bucket.clone(),
        endpoint: Some(s3.endpoint.clone()),
        region: Some("us-east-1".into()),
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
        allow_http: true,
    };
    let blobs = BlobStore::s3(&cfg, 1000).unwrap();
    let chunks = |n: usize| futures::stream::iter((0..n).map(|i| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![i as u8; 100]))));
    let a = blobs.put(chunks(10)).await.unwrap();
    assert_eq!(blobs.put(chunks(10)).await.unwrap(), a, "same bytes, same blob");
    assert!(blobs.exists(&a.sha256).await.unwrap());
    assert_eq!(blobs.list().await.unwrap(), vec![a.clone()]);
    assert!(matches!(blobs.put(chunks(11)).await, Err(BlobError::TooLarge { limit: 1000 })));
    // Nothing else in the bucket: no temporary object left by either upload.
    let raw = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name(&s3.bucket)
        .with_endpoint(&s3.endpoint)
        .with_region("us-east-1")
        .with_access_key_id("test")
        .with_secret_access_key("test")
        .with_allow_http(true)
        .build()
        .unwrap();
    let all: Vec<_> = futures::TryStreamExt::try_collect(object_store::ObjectStore::list(&raw, None)).await.unwrap();
    assert_eq!(all.len(), 1, "{all:?}");

    // A backup of an instance whose attachments live in S3 carries them.
    let (s, dir) = sqlite().await;
    let file = dir.path().join("yedek.tar");
    assert_eq!(backup::write_backup(s.as_ref(), &blobs, &file).await.unwrap().blobs, 1);
}

/// A fresh store of the engine, its URL, and a folder to keep alive.
async fn fresh(engine: Engine) -> (Arc<dyn Store>, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = match engine {
        Engine::Sqlite => sqlite_url_in(dir.path()),
        Engine::Postgres => testkit::fresh_pg_database().await,
    };
    let s = connect(&url).await.unwrap();
    s.migrate().await.unwrap();
    (s, url, dir)
}

/// Runs SQL straight on the database, as someone with file or superuser
/// access could, bypassing the application.
async fn raw(url: &str, statements: &[&str]) {
    use sqlx::Connection;
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        for s in statements {
            sqlx::query(s).execute(&mut c).await.unwrap();
        }
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        for s in statements {
            sqlx::query(s).execute(&mut c).await.unwrap();
        }
    }
}

/// Four chained records through the real operations.
async fn four_records(s: &Arc<dyn Store>) {
    s.issue_setup_token("h1", audit("setup.token_issued")).await.unwrap();
    s.issue_setup_token("h2", audit("setup.token_issued")).await.unwrap();
    let u = s.complete_setup("h2", admin(), session("s"), audit("setup.completed")).await.unwrap();
    s.record_blob(BlobRecord { sha256: "ab".repeat(32), size: 1, content_type: "text/plain".into() }, Some(u.id), audit("attachment.stored")).await.unwrap();
}

async fn audit_chain_detects_tampering(engine: Engine) {
    let (s, _url, _d) = fresh(engine).await;
    four_records(&s).await;
    assert_eq!(s.verify_audit().await.unwrap(), AuditVerdict { checked: 4, broken: None });

    // (what, tampering, first bad id, intact records before it)
    let cases: [(&str, &[&str], i64, u64); 5] = [
        ("edited subject", &["UPDATE audit_log SET subject = 'user:someone-else' WHERE id = 2"], 2, 1),
        ("edited details", &["UPDATE audit_log SET details = '{\"note\": \"changed\"}' WHERE id = 3"], 3, 2),
        ("edited actor", &["UPDATE audit_log SET actor = 'mudur' WHERE id = 1"], 1, 0),
        ("deleted", &["DELETE FROM audit_log WHERE id = 2"], 3, 1),
        (
            "reordered",
            &[
                "UPDATE audit_log SET id = 100 WHERE id = 2",
                "UPDATE audit_log SET id = 2 WHERE id = 3",
                "UPDATE audit_log SET id = 3 WHERE id = 100",
            ],
            2,
            1,
        ),
    ];
    for (what, sql, bad, intact) in cases {
        let (s, url, _d) = fresh(engine).await;
        four_records(&s).await;
        raw(&url, sql).await;
        let v = s.verify_audit().await.unwrap();
        assert_eq!(v.broken.as_ref().map(|b| b.id), Some(bad), "{what}: {v:?}");
        assert_eq!(v.checked, intact, "{what}: records before the break are intact");
    }
}

#[tokio::test]
async fn audit_chain_detects_tampering_on_sqlite() {
    audit_chain_detects_tampering(Engine::Sqlite).await;
}

#[tokio::test]
async fn audit_chain_detects_tampering_on_postgres() {
    audit_chain_detects_tampering(Engine::Postgres).await;
}

async fn concurrent_writes_keep_one_chain(engine: Engine) {
    let (s, _url, _d) = fresh(engine).await;
    s.issue_setup_token("h", audit("setup.token_issued")).await.unwrap();
    let u = s.complete_setup("h", admin(), session("s"), audit("setup.completed")).await.unwrap();
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                let rec = BlobRecord { sha256: format!("{i:064x}"), size: i, content_type: "text/plain".into() };
                s.record_blob(rec, Some(u.id), audit("attachment.stored")).await.unwrap();
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(s.verify_audit().await.unwrap(), AuditVerdict { checked: 42, broken: None });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_keep_one_chain_on_sqlite() {
    concurrent_writes_keep_one_chain(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_keep_one_chain_on_postgres() {
    concurrent_writes_keep_one_chain(Engine::Postgres).await;
}

/// Text jobs survive a worker's death: a job whose lease ran out is taken
/// again (its attempts counted); a transient failure waits out its backoff;
/// a final outcome leaves the queue and is noted for the index.
async fn text_jobs_survive_a_dead_worker(s: Arc<dyn Store>, _: &std::path::Path) {
    use mudurluk_store::search::{NewArchiveItem, TextOutcome};
    use std::time::Duration;
    let profile = domain::profile::Profile::builtin().unwrap();
    let rec = BlobRecord { sha256: "ef".repeat(32), size: 5, content_type: "image/png".into() };
    s.record_blob(rec.clone(), None, audit("attachment.stored")).await.unwrap();
    let item = NewArchiveItem { sha256: rec.sha256.clone(), title: "tarama".into(), source_path: "a/tarama.png".into(),
        file_code: "010.06".into(), year: 1999, unit: "mudurluk".into() };
    let before = s.last_search_change().await.unwrap();
    let first = s.import_archive_item(&profile, None, &item).await.unwrap();
    assert_eq!(s.import_archive_item(&profile, None, &item).await.unwrap(), mudurluk_store::search::Imported::Existing(match first {
        mudurluk_store::search::Imported::New(id) => id,
        other => panic!("{other:?}"),
    }));
    assert!(s.last_search_change().await.unwrap() > before, "the import is noted for the index");
    // A worker takes it, with a lease that has already run out, and dies.
    let job = s.claim_text_job(Duration::ZERO).await.unwrap().expect("queued");
    assert_eq!((job.sha256.as_str(), job.attempts), (rec.sha256.as_str(), 1));
    tokio::time::sleep(Duration::from_millis(5)).await;
    let again = s.claim_text_job(Duration::from_secs(600)).await.unwrap().expect("taken again after its lease");
    assert_eq!(again.attempts, 2);
    assert!(s.claim_text_job(Duration::from_secs(600)).await.unwrap().is_none(), "leased: nobody else takes it");
    // A transient failure backs off…
    s.finish_text_job(&rec.sha256, &TextOutcome::Retry { reason: "timed_out".into(), after: Duration::from_secs(3600) }).await.unwrap();
    assert!(s.claim_text_job(Duration::from_secs(600)).await.unwrap().is_none(), "backing off");
    let st = s.text_statuses(std::slice::from_ref(&rec.sha256)).await.unwrap();
    assert_eq!((st[0].state.as_str(), st[0].reason.as_deref()), ("queued", Some("timed_out")));
    // …and a text found is kept and noted as a change of its documents.
    let noted = s.last_search_change().await.unwrap();
    s.finish_text_job(&rec.sha256, &TextOutcome::Done { method: "ocr".into(), pages: Some(1), text: "Bilgi İşlem".into() }).await.unwrap();
    assert!(s.last_search_change().await.unwrap() > noted);
    let (docs, gone) = s.search_docs(&["archive:1".into(), "archive:99".into()]).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].text, "Bilgi İşlem");
    assert_eq!(gone, ["archive:99"]);
    assert_eq!(s.texts_waiting().await.unwrap(), 0);
    assert!(s.verify_audit().await.unwrap().broken.is_none());
}
on_both_engines!(text_jobs, text_jobs_survive_a_dead_worker);
