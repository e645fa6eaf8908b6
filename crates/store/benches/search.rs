//! The search index on this machine: indexing 100,000 Turkish documents
//! (about 150 words each, a few OCR'd) and the latency of typical queries
//! with the visibility filter of an ordinary searcher. Not part of CI:
//! `cargo bench -p mudurluk-store --bench search` (scripts/bench runs it).

use std::time::Instant;

use mudurluk_store::index::{SearchDoc, SearchFilters, SearchIndex, Sort, Visibility};
use rand::{Rng, SeedableRng};

const WORDS: &[&str] = &[
    "belediye",
    "belediyesinin",
    "müdürlüğü",
    "müdürlüğüne",
    "Müdürlüğümüzün",
    "bilgi",
    "işlem",
    "işlemleri",
    "yazıcı",
    "arızası",
    "şifre",
    "sıfırlama",
    "talebi",
    "dilekçe",
    "dilekçesi",
    "havale",
    "evrak",
    "kayıt",
    "arşiv",
    "dosya",
    "yönetmelik",
    "hükümleri",
    "gereğini",
    "arz",
    "ederim",
    "ilgi",
    "yazı",
    "hakkında",
    "sunucu",
    "ağ",
    "kablo",
    "güvenlik",
    "kamera",
    "santral",
    "telefon",
    "personel",
    "memur",
    "şef",
    "başkan",
    "yardımcısı",
    "imar",
    "ruhsat",
    "harita",
    "coğrafi",
    "proje",
    "ihale",
    "sözleşme",
    "fatura",
    "ödeme",
    "bütçe",
    "mahalle",
    "sokak",
    "cadde",
    "vatandaş",
    "başvuru",
    "şikayet",
    "rapor",
    "tutanak",
    "komisyon",
    "karar",
    "ve",
    "ile",
    "için",
    "bu",
    "bir",
    "olarak",
    "tarafından",
    "gerekli",
    "yapılması",
    "uygun",
    "görülmüştür",
    "Küçükçekmece",
];
const OCR: &[&str] = &[
    "Miidiirliigii",
    "i¢in",
    "$efligi",
    "Giivenligi",
    "yiiriitmek",
    "hiikiimleri",
    "Bi1gi",
];

fn documents(n: usize) -> Vec<SearchDoc> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    (0..n)
        .map(|i| {
            let mut text = String::with_capacity(1200);
            for w in 0..150 {
                let word = if i % 10 == 0 && w % 12 == 0 {
                    OCR[rng.gen_range(0..OCR.len())]
                } else {
                    WORDS[rng.gen_range(0..WORDS.len())]
                };
                text.push_str(word);
                text.push(' ');
            }
            let restricted = i % 20 == 0;
            SearchDoc {
                key: format!("incoming:{i}"),
                kind: "incoming".into(),
                title: format!(
                    "{} {} hk.",
                    WORDS[i % WORDS.len()],
                    WORDS[(i * 7) % WORDS.len()]
                ),
                number: format!("2026/{i}"),
                register: "incoming".into(),
                file_codes: vec![["010.06", "020.01", "100.01", "304.02"][i % 4].into()],
                date: time::Date::from_ordinal_date(2020 + (i % 6) as i32, 1 + (i % 360) as u16)
                    .ok(),
                year: 2020 + (i % 6) as i64,
                units: vec![["bt", "teknik", "cbs", "kalem", "elektronik"][i % 5].into()],
                sender: format!("Kurum {}", i % 97),
                confidentiality: if restricted { "GZL" } else { "YOK" }.into(),
                restricted,
                viewers: vec![
                    format!("user:{}", i % 50),
                    format!("unit:{}", ["bt", "teknik"][i % 2]),
                ],
                text,
            }
        })
        .collect()
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let n = 100_000;
    let docs = documents(n);
    let dir = tempfile::tempdir().unwrap();
    let ix = SearchIndex::open(dir.path()).unwrap();
    let t0 = Instant::now();
    for (i, chunk) in docs.chunks(1000).enumerate() {
        ix.apply(chunk, &[], Some(i as i64)).unwrap();
    }
    let secs = t0.elapsed().as_secs_f64();
    let size: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!("indexed {n} documents (150 words each) in {secs:.1} s ({:.0} documents/s, a commit per 1,000); index {:.0} MB", n as f64 / secs, size as f64 / 1e6);
    let who = Visibility::Only {
        user_id: 7,
        units: vec!["bt".into()],
    };
    for (q, filters) in [
        ("müdürlüğü", SearchFilters::default()),
        ("belediyesinin", SearchFilters::default()),
        ("Miidiirliigii", SearchFilters::default()),
        ("yazıcı arızası", SearchFilters::default()),
        ("yazı*", SearchFilters::default()),
        ("\"bilgi işlem\"", SearchFilters::default()),
        (
            "güvenliği",
            SearchFilters {
                file_code: Some("010".into()),
                year: Some(2023),
                ..Default::default()
            },
        ),
        ("sözleşme fatura ödeme", SearchFilters::default()),
    ] {
        for sort in [Sort::Relevance, Sort::Date] {
            let mut times = Vec::new();
            let mut total = 0;
            for i in 0..120 {
                let t = Instant::now();
                let r = ix.search(q, &filters, &who, sort, 0, 20).unwrap();
                if i >= 20 {
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                total = r.total;
            }
            println!(
                "{q:<24} {:<9} {total:>6} hits  p50 {:.2} ms  p99 {:.2} ms",
                format!("{sort:?}"),
                pct(&mut times, 0.5),
                pct(&mut times, 0.99)
            );
        }
    }
}
