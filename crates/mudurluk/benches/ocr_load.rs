//! Whether the pages stay responsive while scans are read: the p50/p99 of
//! a search page and of the tray, idle and then while 60 scanned pages are
//! OCR'd in the background (`ocr_workers` at its default: half the cores).
//! SQLite, in this process, over HTTP.
//!
//! Run: `cargo bench -p mudurluk --bench ocr_load` (scripts/bench).

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PASSWORD: &str = "bench-demo-parolasi";

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// A page of Turkish text as PNG (our PDF writer, then poppler), `n` in it.
fn scan(n: usize) -> Vec<u8> {
    let mut w = app::pdf::PdfWriter::new(Vec::new(), (595.0, 842.0), "tarama").unwrap();
    let mut p = w.page();
    for (i, l) in [
        format!("BİLGİ İŞLEM MÜDÜRLÜĞÜ — evrak {n}"),
        "Konu: Yazıcı arızası ve şifre değişikliği".into(),
        "Kâğıt arşivin sayısallaştırılması hakkında bilgilerinize sunarım.".into(),
    ]
    .iter()
    .enumerate()
    {
        p.text(60.0, 90.0 + 30.0 * i as f32, 16.0, false, l);
    }
    w.add(p).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.pdf"), w.finish().unwrap()).unwrap();
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png", "-singlefile"])
        .arg(dir.path().join("a.pdf"))
        .arg(dir.path().join("a"))
        .status()
        .unwrap();
    assert!(ok.success());
    std::fs::read(dir.path().join("a.png")).unwrap()
}

async fn latencies(c: &reqwest::Client, url: &str, token: &str, n: usize) -> (f64, f64) {
    let mut v = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let r = c.get(url).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap();
        v.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (pct(&mut v, 0.5), pct(&mut v, 0.99))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = mudurluk::Config::resolve(mudurluk::Overrides {
        data_dir: Some(dir.path().join("data")),
        listen: Some("127.0.0.1:0".into()),
        ..Default::default()
    })
    .unwrap();
    let workers = cfg.ocr_workers;
    let server = mudurluk::Server::build(&cfg).await.unwrap();
    server.app.seed_demo(PASSWORD).await.unwrap();
    let base = format!("http://{}", server.addr);
    tokio::spawn(server.run(std::future::pending()));
    let c = reqwest::Client::new();
    let r: Value = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "memur.kalem", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["token"].as_str().unwrap().to_owned();
    // Something to search and a tray to read.
    for i in 0..200 {
        c.post(format!("{base}/api/v1/incoming")).bearer_auth(&token).json(&json!({"channel": "eyazisma", "sender_kind": "institution",
            "sender_name": "Sağlık Bakanlığı", "sender_id": "12345678", "sender_ref": format!("E-{i}"), "subject": format!("Yazıcı arızası {i}"),
            "file_code": "010.06", "legal_basis": "dilekce"})).send().await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pages = [
        ("/ara?q=yaz%C4%B1c%C4%B1", "search page"),
        ("/api/v1/tray", "tray"),
    ];
    let mut idle = Vec::new();
    for (path, _) in pages {
        idle.push(latencies(&c, &format!("{base}{path}"), &token, 200).await);
    }
    let scans: Vec<Vec<u8>> = (0..60).map(scan).collect();
    let t0 = Instant::now();
    for (i, s) in scans.into_iter().enumerate() {
        let r = c
            .post(format!(
                "{base}/api/v1/archive/scans?sdp=010.06&year=1998&name=tarama-{i}.png"
            ))
            .bearer_auth(&token)
            .body(s)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let mut busy = Vec::new();
    for (path, _) in pages {
        busy.push(latencies(&c, &format!("{base}{path}"), &token, 200).await);
    }
    // How long the 60 pages took to read.
    loop {
        let r: Value = c
            .get(format!("{base}/api/v1/archive/60"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        match r["text_state"].as_str() {
            Some("done") => break,
            Some("failed") => panic!(
                "OCR failed: {r} (scripts/bench installs tesseract-ocr and tesseract-ocr-tur)"
            ),
            _ if t0.elapsed() > Duration::from_secs(600) => {
                panic!("OCR did not finish in 10 minutes: {r}")
            }
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    for ((_, name), ((i50, i99), (b50, b99))) in pages.iter().zip(idle.into_iter().zip(busy)) {
        println!("{name}: idle p50 {i50:.1} ms, p99 {i99:.1} ms; while OCR runs p50 {b50:.1} ms, p99 {b99:.1} ms");
    }
    println!("60 scanned pages read by OCR in {secs:.0} s ({:.1} s per page, {workers} worker(s) on {} cores)", secs / 60.0,
        std::thread::available_parallelism().map_or(1, |n| n.get()));
}
