//! Rendering official letters to PDF (embedded, subset DejaVu Sans): letters
//! per second on one thread, median of 5 runs of 200. Not part of CI:
//! `cargo bench -p mudurluk-app --bench letter` (scripts/bench runs it).

use std::time::Instant;

fn main() {
    let letter = mudurluk_app::letter::sample(4);
    let mut rates = Vec::new();
    let mut size = 0;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..200 {
            size = mudurluk_app::letter::render(&letter, "Bilgi İşlem Müdürlüğü")
                .unwrap()
                .len();
        }
        rates.push(200.0 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let runs: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
    println!("letter PDF (1 page, fonts embedded, {:.0} kB): median {:.0} letters/s on one thread ({}; target ≥ 50)", size as f64 / 1024.0, rates[2], runs.join(", "));
}
