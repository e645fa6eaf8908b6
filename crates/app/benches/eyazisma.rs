//! e-Yazışma packages and e-imza verification, on one thread (issue 17):
//! writing and reading a package with a 2 MB attachment (target > 100
//! packages/s each way), and verifying a CAdES signature made by `openssl`
//! with a throwaway CA (target > 1,000/s). Median of 5 runs. Not part of
//! CI: `cargo bench -p mudurluk-app --bench eyazisma` (scripts/bench runs
//! it; it needs `openssl`).

use std::process::Command;
use std::time::Instant;

use mudurluk_app::eyazisma::package::{self, OutAttachment, OutRecipient, Outgoing, Party};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn rate(n: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..n {
                    f();
                }
                n as f64 / t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn main() {
    // A 2 MB attachment that does not compress (as a scanned PDF does not).
    let mut seed = 0x2545F4914F6CDD1Du64;
    let attachment: Vec<u8> = (0..2 << 20)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    let letter = mudurluk_app::letter::sample(4);
    let pdf = mudurluk_app::letter::render(&letter, "Bilgi İşlem Müdürlüğü").unwrap();
    let o = Outgoing {
        belge_id: package::guid(b"bench"),
        subject: letter.subject.clone(),
        number: "E-87654321-010.06-1".into(),
        date: time::OffsetDateTime::now_utc(),
        confidentiality: "YOK".into(),
        urgency: "NRM".into(),
        miat_days: None,
        sender: Party {
            kind: "institution".into(),
            name: "T.C. Örnek Belediyesi".into(),
            id: "87654321".into(),
            scheme: None,
            kep: None,
        },
        recipients: vec![OutRecipient {
            party: Party {
                kind: "institution".into(),
                name: "Sağlık Bakanlığı".into(),
                id: "12345678".into(),
                scheme: None,
                kep: None,
            },
            purpose: "GRG".into(),
        }],
        refs: Vec::new(),
        file_code: "010.06".into(),
        file_code_name: "Genelgeler".into(),
        signer_first: "Ayşe".into(),
        signer_last: "Yıldırım".into(),
        signer_title: Some("Belediye Başkanı".into()),
        verification_url: "https://ebys.ornek.bel.tr/dogrula?kod=ABCDEFGHJKLM".into(),
        main_name: "E-87654321-010.06-1.pdf".into(),
        main_pdf: pdf,
        attachments: vec![OutAttachment {
            name: "Envanter".into(),
            file_name: "Envanter.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: attachment,
        }],
        cades: None,
    };
    let eyp = package::write(&o).unwrap();
    let export = rate(50, || {
        std::hint::black_box(package::write(&o).unwrap());
    });
    let limits = package::Limits::default();
    let import = rate(50, || {
        std::hint::black_box(package::read(&eyp, &limits).unwrap());
    });
    println!(
        "e-Yazışma package with a 2 MB attachment ({:.1} MB): export median {export:.0}/s, import (digests checked) median {import:.0}/s, one thread (target > 100/s each)",
        eyp.len() as f64 / 1e6
    );

    // A CAdES-BES signature by a certificate of a throwaway CA.
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let ok = Command::new("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("openssl");
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "365",
        "-subj",
        "/CN=Deneme Kok",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    std::fs::write(dir.path().join("ext"), "keyUsage=critical,nonRepudiation\n").unwrap();
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "s.key",
        "-out",
        "s.csr",
        "-subj",
        "/serialNumber=10000000146/CN=Ayse Yildirim",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "s.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "s.pem",
        "-days",
        "30",
        "-extfile",
        "ext",
    ]);
    let content = mudurluk_app::outgoing::signed_content(&letter);
    std::fs::write(dir.path().join("c"), &content).unwrap();
    run(&[
        "cms", "-sign", "-binary", "-cades", "-md", "sha256", "-in", "c", "-signer", "s.pem",
        "-inkey", "s.key", "-outform", "DER", "-out", "sig",
    ]);
    let sig = std::fs::read(dir.path().join("sig")).unwrap();
    std::fs::create_dir(dir.path().join("trust")).unwrap();
    std::fs::copy(dir.path().join("ca.pem"), dir.path().join("trust/ca.pem")).unwrap();
    let roots = mudurluk_app::esign::trust_store(Some(&dir.path().join("trust")));
    let now = time::OffsetDateTime::now_utc();
    assert!(
        mudurluk_app::esign::verify(&sig, &[content.as_bytes()], &roots, now)
            .1
            .valid
    );
    let verify = rate(500, || {
        std::hint::black_box(mudurluk_app::esign::verify(
            &sig,
            &[content.as_bytes()],
            &roots,
            now,
        ));
    });
    println!("CAdES-BES verification (RSA 2048, SHA-256, chain of 2): median {verify:.0}/s, one thread (target > 1,000/s)");
}
