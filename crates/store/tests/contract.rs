//! The store contract: the same story run on SQLite and on PostgreSQL (a
//! throwaway cluster started from the system's initdb, or TEST_DATABASE_URL).

use domain::authority::{Grant, SystemTask};
use mudurluk_store::accounts::{self, NewSession, NewUser};
use mudurluk_store::attachments::{self, BlobRecord};
use mudurluk_store::audit::AuditFilter;
use mudurluk_store::blob::{BlobError, BlobStore};
use mudurluk_store::*;
use time::{Duration, OffsetDateTime};

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = connect(&sqlite_url_in(dir.path())).await.unwrap();
    s.migrate().await.unwrap();
    (s, dir)
}

async fn postgres() -> (Store, tempfile::TempDir) {
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

fn audit(action: &'static str) -> Audit {
    Audit::new(
        &Grant::system(SystemTask::Command),
        action,
        "test",
        serde_json::json!({"note": "çğıöşü İI"}),
    )
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
    NewSession {
        token_hash: hash.into(),
        expires_at: OffsetDateTime::now_utc() + Duration::hours(8),
        address: "127.0.0.1".into(),
        agent: String::new(),
    }
}

async fn recent(s: &Store, limit: i64) -> Vec<AuditEntry> {
    audit::search(
        &mut s.read().await.unwrap(),
        &AuditFilter {
            limit,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn user_count(s: &Store) -> i64 {
    accounts::user_count(&mut s.read().await.unwrap())
        .await
        .unwrap()
}

/// The administrator, made as the setup link makes it: one write, one
/// audit record.
async fn set_up(s: &Store, token: &str, sess: &str) -> User {
    let mut w = s.write().await.unwrap();
    accounts::use_setup_token(&mut w, token).await.unwrap();
    let u = accounts::insert_user(&mut w, &admin(), "local")
        .await
        .unwrap();
    accounts::open_session(&mut w, u.id, &session(sess))
        .await
        .unwrap();
    w.commit(audit("setup.completed")).await.unwrap();
    u
}

async fn issue_token(s: &Store, token: &str) {
    let mut w = s.write().await.unwrap();
    accounts::replace_setup_token(&mut w, token).await.unwrap();
    w.commit(audit("setup.token_issued")).await.unwrap();
}

async fn record_blob(s: &Store, rec: &BlobRecord, by: Option<i64>) {
    let mut w = s.write().await.unwrap();
    attachments::record(&mut w, rec, by).await.unwrap();
    w.commit(audit("attachment.stored")).await.unwrap();
}

async fn migrations_are_idempotent_and_seed_settings(s: Store, _: &std::path::Path) {
    s.migrate().await.unwrap();
    s.ping().await.unwrap();
    let st = accounts::settings(&mut s.read().await.unwrap())
        .await
        .unwrap();
    assert_eq!(st.directorate_name, "Bilgi İşlem Müdürlüğü");
    assert_eq!(st.institution_name, "T.C. Örnek Belediyesi");
    assert_eq!(
        st.detsis, None,
        "the DETSİS number is asked at setup, never invented"
    );
    assert_eq!(user_count(&s).await, 0);
}
on_both_engines!(migrate, migrations_are_idempotent_and_seed_settings);

/// A write commits only with its audit record, chained in the same
/// transaction; dropped, it leaves nothing: neither the change nor a record.
async fn a_write_is_all_or_nothing_with_its_audit(s: Store, _: &std::path::Path) {
    {
        let mut w = s.write().await.unwrap();
        accounts::replace_setup_token(&mut w, "h0").await.unwrap();
        accounts::insert_user(&mut w, &admin(), "local")
            .await
            .unwrap();
        // Dropped here: an error in the use-case returned before commit.
    }
    assert_eq!(user_count(&s).await, 0);
    assert!(
        !accounts::setup_token_valid(&mut s.read().await.unwrap(), "h0")
            .await
            .unwrap()
    );
    assert!(
        recent(&s, 10).await.is_empty(),
        "no audit record for what did not happen"
    );

    issue_token(&s, "h1").await;
    // A new token replaces the unused one.
    issue_token(&s, "h2").await;
    let valid = |t: &'static str| {
        let s = s.clone();
        async move {
            accounts::setup_token_valid(&mut s.read().await.unwrap(), t)
                .await
                .unwrap()
        }
    };
    assert!(!valid("h1").await);
    assert!(valid("h2").await);
    let u = set_up(&s, "h2", "s1").await;
    assert_eq!(
        (u.username.as_str(), u.display_name.as_str(), u.is_admin),
        ("admin", "Ayşe Yılmaz", true)
    );
    assert!(!valid("h2").await, "the token is used up");
    // Nothing can reopen setup once an account exists.
    let mut w = s.write().await.unwrap();
    assert!(matches!(
        accounts::replace_setup_token(&mut w, "h3").await,
        Err(StoreError::Conflict(_))
    ));
    drop(w);

    // The session works until it expires.
    let now = OffsetDateTime::now_utc();
    let user_of = |t: &'static str, at: OffsetDateTime| {
        let s = s.clone();
        async move {
            accounts::session_user(&mut s.read().await.unwrap(), t, at, None)
                .await
                .unwrap()
                .map(|(u, _)| u)
        }
    };
    assert_eq!(user_of("s1", now).await.unwrap().id, u.id);
    assert!(user_of("s1", now + Duration::hours(9)).await.is_none());
    assert!(user_of("nope", now).await.is_none());
    // Idle: not used since before the limit, it is over; used, it lives on.
    let idle = |before: OffsetDateTime| {
        let s = s.clone();
        async move {
            accounts::session_user(&mut s.read().await.unwrap(), "s1", now, Some(before))
                .await
                .unwrap()
        }
    };
    assert!(idle(now + Duration::minutes(1)).await.is_none());
    accounts::touch_session(&s, "s1", now + Duration::minutes(2))
        .await
        .unwrap();
    let (_, seen) = idle(now + Duration::minutes(1)).await.unwrap();
    let seen = seen.unwrap();
    assert!(
        (seen - (now + Duration::minutes(2))).abs() < Duration::milliseconds(1),
        "{seen}"
    );

    // Every change is in the audit trail, newest first, with its basis
    // and details.
    let log = recent(&s, 10).await;
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "setup.completed",
            "setup.token_issued",
            "setup.token_issued"
        ]
    );
    assert_eq!(log[0].details["note"], "çğıöşü İI");
    assert!(log[0].basis.starts_with("system"), "{}", log[0].basis);
    assert_eq!(
        s.verify_audit().await.unwrap(),
        AuditVerdict {
            checked: 3,
            broken: None
        }
    );
}
on_both_engines!(write, a_write_is_all_or_nothing_with_its_audit);

async fn blob_records_are_idempotent(s: Store, _: &std::path::Path) {
    issue_token(&s, "h").await;
    let u = set_up(&s, "h", "s").await;
    let rec = BlobRecord {
        sha256: "ab".repeat(32),
        size: 5,
        content_type: "application/pdf".into(),
    };
    record_blob(&s, &rec, Some(u.id)).await;
    record_blob(&s, &rec, Some(u.id)).await;
    let mut c = s.read().await.unwrap();
    assert_eq!(
        attachments::get(&mut c, &rec.sha256).await.unwrap(),
        Some(rec.clone())
    );
    assert_eq!(
        attachments::get(&mut c, &"cd".repeat(32)).await.unwrap(),
        None
    );
    assert_eq!(
        attachments::get_for(&mut c, &rec.sha256, u.id)
            .await
            .unwrap(),
        Some((rec.clone(), true)),
        "its uploader is recorded"
    );
    assert!(attachments::holders(&mut c, &rec.sha256)
        .await
        .unwrap()
        .is_empty());
}
on_both_engines!(blobs, blob_records_are_idempotent);

async fn backup_restore_round_trip(s: Store, dir: &std::path::Path) {
    issue_token(&s, "h").await;
    set_up(&s, "h", "s").await;
    let blobs = BlobStore::local(&dir.join("attachments"), 1 << 20).unwrap();
    let stored = blobs
        .put(futures::stream::iter([Ok::<_, std::io::Error>(
            bytes::Bytes::from_static(b"taranmis evrak"),
        )]))
        .await
        .unwrap();

    let file = dir.join("yedek.tar");
    let manifest = backup::write_backup(&s, &blobs, &file).await.unwrap();
    assert_eq!(manifest.engine, s.engine().name());
    assert_eq!(manifest.blobs, 1);

    let target = dir.join("restored");
    let url = match s.engine() {
        Engine::Sqlite => None,
        Engine::Postgres => Some(testkit::fresh_pg_database().await),
    };
    backup::restore(
        &file,
        backup::RestoreTarget {
            data_dir: &target,
            database_url: url.as_deref(),
        },
    )
    .await
    .unwrap();
    let r = connect(&url.clone().unwrap_or_else(|| sqlite_url_in(&target)))
        .await
        .unwrap();
    assert_eq!(user_count(&r).await, 1);
    let back = accounts::session_user(
        &mut r.read().await.unwrap(),
        "s",
        OffsetDateTime::now_utc(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(back.unwrap().0.username, "admin");
    assert_eq!(recent(&r, 10).await.len(), 2);
    let rblobs = BlobStore::local(&target.join("attachments"), 1 << 20).unwrap();
    assert!(rblobs.exists(&stored.sha256).await.unwrap());
    // New rows after a restore get fresh ids (sequences moved on).
    record_blob(
        &r,
        &BlobRecord {
            sha256: "ef".repeat(32),
            size: 1,
            content_type: "text/plain".into(),
        },
        Some(1),
    )
    .await;
    assert_eq!(recent(&r, 1).await[0].id, 3);
    assert!(r.verify_audit().await.unwrap().broken.is_none());

    // A non-empty place is refused and left as it was.
    let err = backup::restore(
        &file,
        backup::RestoreTarget {
            data_dir: &target,
            database_url: url.as_deref(),
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(user_count(&r).await, 1);
}
on_both_engines!(backup_restore, backup_restore_round_trip);

#[tokio::test]
async fn blob_store_is_content_addressed_and_leaves_nothing_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::local(dir.path(), 1000).unwrap();
    let chunks = |n: usize| {
        futures::stream::iter(
            (0..n).map(|i| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![i as u8; 100]))),
        )
    };
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
    assert!(matches!(
        blobs.put(chunks(11)).await,
        Err(BlobError::TooLarge { limit: 1000 })
    ));
    assert_eq!(
        count_files(dir.path()),
        files_before,
        "an upload over the limit leaves no file behind"
    );
    assert!(matches!(
        blobs.get("../../etc/passwd").await,
        Err(BlobError::BadHash)
    ));
    assert!(matches!(
        blobs.get(&"0".repeat(64)).await,
        Err(BlobError::NotFound)
    ));
}

fn count_files(p: &std::path::Path) -> usize {
    std::fs::read_dir(p)
        .unwrap()
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                count_files(&e.path())
            } else {
                1
            }
        })
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
    let chunks = |n: usize| {
        futures::stream::iter(
            (0..n).map(|i| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![i as u8; 100]))),
        )
    };
    let a = blobs.put(chunks(10)).await.unwrap();
    assert_eq!(
        blobs.put(chunks(10)).await.unwrap(),
        a,
        "same bytes, same blob"
    );
    assert!(blobs.exists(&a.sha256).await.unwrap());
    assert_eq!(blobs.list().await.unwrap(), vec![a.clone()]);
    assert!(matches!(
        blobs.put(chunks(11)).await,
        Err(BlobError::TooLarge { limit: 1000 })
    ));
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
    let all: Vec<_> =
        futures::TryStreamExt::try_collect(object_store::ObjectStore::list(&raw, None))
            .await
            .unwrap();
    assert_eq!(all.len(), 1, "{all:?}");

    // A backup of an instance whose attachments live in S3 carries them.
    let (s, dir) = sqlite().await;
    let file = dir.path().join("yedek.tar");
    assert_eq!(
        backup::write_backup(&s, &blobs, &file).await.unwrap().blobs,
        1
    );
}

/// A fresh store of the engine, its URL, and a folder to keep alive.
async fn fresh(engine: Engine) -> (Store, String, tempfile::TempDir) {
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
async fn four_records(s: &Store) {
    issue_token(s, "h1").await;
    issue_token(s, "h2").await;
    let u = set_up(s, "h2", "s").await;
    record_blob(
        s,
        &BlobRecord {
            sha256: "ab".repeat(32),
            size: 1,
            content_type: "text/plain".into(),
        },
        Some(u.id),
    )
    .await;
}

async fn audit_chain_detects_tampering(engine: Engine) {
    let (s, _url, _d) = fresh(engine).await;
    four_records(&s).await;
    assert_eq!(
        s.verify_audit().await.unwrap(),
        AuditVerdict {
            checked: 4,
            broken: None
        }
    );

    // (what, tampering, first bad id, intact records before it)
    let cases: [(&str, &[&str], i64, u64); 5] = [
        (
            "edited subject",
            &["UPDATE audit_log SET subject = 'user:someone-else' WHERE id = 2"],
            2,
            1,
        ),
        (
            "edited details",
            &["UPDATE audit_log SET details = '{\"note\": \"changed\"}' WHERE id = 3"],
            3,
            2,
        ),
        (
            "edited actor",
            &["UPDATE audit_log SET actor = 'mudur' WHERE id = 1"],
            1,
            0,
        ),
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
        assert_eq!(
            v.checked, intact,
            "{what}: records before the break are intact"
        );
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
    issue_token(&s, "h").await;
    let u = set_up(&s, "h", "s").await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                let rec = BlobRecord {
                    sha256: format!("{i:064x}"),
                    size: i,
                    content_type: "text/plain".into(),
                };
                record_blob(&s, &rec, Some(u.id)).await;
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(
        s.verify_audit().await.unwrap(),
        AuditVerdict {
            checked: 42,
            broken: None
        }
    );
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
/// a job waiting for a missing tool is due again at once when asked; a
/// final outcome leaves the queue and is noted for the index.
async fn text_jobs_survive_a_dead_worker(s: Store, _: &std::path::Path) {
    use mudurluk_store::search::{self as sx, NewArchiveItem, TextOutcome};
    use std::time::Duration;
    let rec = BlobRecord {
        sha256: "ef".repeat(32),
        size: 5,
        content_type: "image/png".into(),
    };
    record_blob(&s, &rec, None).await;
    let item = NewArchiveItem {
        sha256: rec.sha256.clone(),
        title: "tarama".into(),
        source_path: "a/tarama.png".into(),
        file_code: "010.06".into(),
        year: 1999,
        unit: "mudurluk".into(),
    };
    let last = |s: &Store| {
        let s = s.clone();
        async move { sx::last_change(&mut s.read().await.unwrap()).await.unwrap() }
    };
    let before = last(&s).await;
    let mut w = s.write().await.unwrap();
    let id = sx::insert_archive_item(&mut w, &item, None).await.unwrap();
    w.commit(audit("archive.imported")).await.unwrap();
    assert_eq!(
        sx::archive_item_by_content(&mut s.read().await.unwrap(), &rec.sha256)
            .await
            .unwrap(),
        Some(id)
    );
    assert!(last(&s).await > before, "the import is noted for the index");
    // A worker takes it, with a lease that has already run out, and dies.
    let job = sx::claim_text_job(&s, Duration::ZERO)
        .await
        .unwrap()
        .expect("queued");
    assert_eq!(
        (job.sha256.as_str(), job.attempts),
        (rec.sha256.as_str(), 1)
    );
    tokio::time::sleep(Duration::from_millis(5)).await;
    let again = sx::claim_text_job(&s, Duration::from_secs(600))
        .await
        .unwrap()
        .expect("taken again after its lease");
    assert_eq!(again.attempts, 2);
    assert!(
        sx::claim_text_job(&s, Duration::from_secs(600))
            .await
            .unwrap()
            .is_none(),
        "leased: nobody else takes it"
    );
    // A transient failure backs off…
    sx::retry_text_job(&s, &rec.sha256, "timed_out", Duration::from_secs(3600))
        .await
        .unwrap();
    assert!(
        sx::claim_text_job(&s, Duration::from_secs(600))
            .await
            .unwrap()
            .is_none(),
        "backing off"
    );
    let st = sx::text_statuses(
        &mut s.read().await.unwrap(),
        std::slice::from_ref(&rec.sha256),
    )
    .await
    .unwrap();
    assert_eq!(
        (st[0].state.as_str(), st[0].reason.as_deref()),
        ("queued", Some("timed_out"))
    );
    assert_eq!(
        sx::retry_missing_tools(&s).await.unwrap(),
        0,
        "a timeout is not a missing tool"
    );
    // …a missing tool waits too, but only until the tool is there.
    sx::retry_text_job(
        &s,
        &rec.sha256,
        &format!("{}:tesseract", sx::TOOL_MISSING),
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    assert!(sx::claim_text_job(&s, Duration::from_secs(600))
        .await
        .unwrap()
        .is_none());
    assert_eq!(sx::retry_missing_tools(&s).await.unwrap(), 1);
    assert!(
        sx::claim_text_job(&s, Duration::from_secs(600))
            .await
            .unwrap()
            .is_some(),
        "due at once once the tool is there"
    );
    // …and a text found is kept, in a write with its audit record, and
    // noted as a change of its documents.
    let noted = last(&s).await;
    let mut w = s.write().await.unwrap();
    sx::finish_text_job(
        &mut w,
        &rec.sha256,
        &TextOutcome::Done {
            method: "ocr".into(),
            pages: Some(1),
            text: "Bilgi İşlem".into(),
        },
    )
    .await
    .unwrap();
    w.commit(audit("text.extracted")).await.unwrap();
    assert!(last(&s).await > noted);
    let (docs, gone) = sx::search_docs(
        &mut s.read().await.unwrap(),
        &[format!("archive:{id}"), "archive:99".into()],
    )
    .await
    .unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].text, "Bilgi İşlem");
    assert_eq!(gone, ["archive:99"]);
    assert_eq!(
        sx::texts_waiting(&mut s.read().await.unwrap())
            .await
            .unwrap(),
        0
    );
    assert!(s.verify_audit().await.unwrap().broken.is_none());
}
on_both_engines!(text_jobs, text_jobs_survive_a_dead_worker);
